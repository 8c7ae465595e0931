"""Request bodies sent without a Content-Length (``Transfer-Encoding: chunked``).

Django's WSGI request reads a body only up to its Content-Length (none: nothing), and DRF
treats a missing Content-Length as an empty body, so a chunked ``POST …/tick/ {"ticks": 100}``
ran one tick with the defaults. Under ``/api/`` this middleware reads such a body itself, at
most ``API_MAX_BODY_BYTES`` of it (or its path's own limit in ``API_BODY_LIMITS_BY_PATH``, as
for world bundles; 413 beyond, so a chunked body cannot be endless), and hands it on with its
length, as if the client had sent one.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from config.api.errors import API_PREFIX, envelope


class ChunkedBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith(API_PREFIX)
            and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            and not request.META.get("CONTENT_LENGTH")
        ):
            limit = settings.API_BODY_LIMITS_BY_PATH.get(request.path, settings.API_MAX_BODY_BYTES)
            # The server's own stream: WSGI's ``wsgi.input`` (Django's wrapper stops at the
            # missing length), or the ASGI request's spooled body.
            raw = request.META.get("wsgi.input") or request._stream  # type: ignore[attr-defined]
            body = raw.read(limit + 1)
            if len(body) > limit:
                message = f"The body is over {limit:,} bytes, the most the API accepts."
                return JsonResponse(envelope("request_too_large", message), status=413)
            request.META["CONTENT_LENGTH"] = str(len(body))
            request._stream = io.BytesIO(body)  # type: ignore[attr-defined]
        return self.get_response(request)
