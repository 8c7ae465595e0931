"""A server we depend on is down: answer 503 with ``Retry-After``, never a 500 or a debug page.

PostgreSQL, Redis (cache, throttles, channel layer) and the Celery broker each fail with their
own exception; this module is the one place that recognises them and the one answer:

* under ``/api/``: ``503`` with the error envelope (code ``service_unavailable``),
* on pages: ``templates/503.html``, which needs neither the database nor a session,

both with ``Retry-After: RETRY_AFTER_SECONDS``. Two hooks reach every request:
``OutageMiddleware.process_exception`` for exceptions out of a view (placed after
``ApiErrorEnvelopeMiddleware`` so it sees them first) and ``server_error``, Django's
``handler500``, for exceptions out of middleware (a session saved on the way out).
The launcher restarts a dead embedded server within seconds (config/launcher.py), so clients
that honour ``Retry-After`` recover on their own.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import kombu.exceptions
import redis.exceptions
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

log = logging.getLogger(__name__)

# The launcher notices a dead embedded server within a second and restarts it in a few more;
# an external server behind a load balancer fails over in the same order of time.
RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"

OUTAGE_EXCEPTIONS: dict[type[BaseException], str] = {
    OperationalError: "database",
    InterfaceError: "database",
    redis.exceptions.ConnectionError: "redis",
    redis.exceptions.TimeoutError: "redis",
    kombu.exceptions.OperationalError: "broker",
}


def outage_of(exc: BaseException | None) -> str | None:
    """The server whose loss raised ``exc`` ("database", "redis", "broker"), or None.

    Follows ``__cause__``/``__context__``: a library may wrap the connection error in its own."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        for cls, server in OUTAGE_EXCEPTIONS.items():
            if isinstance(exc, cls):
                return server
        exc = exc.__cause__ or exc.__context__
    return None


def outage_response(request: HttpRequest, server: str) -> HttpResponse:
    message = (
        f"The {server} is unavailable for a moment; nothing you sent was lost. "
        f"Retry in {RETRY_AFTER_SECONDS} seconds."
    )
    if request.path.startswith(API_PREFIX):
        details = {"server": server, "retry_after_seconds": RETRY_AFTER_SECONDS}
        body = {"error": {"code": "service_unavailable", "message": message, "details": details}}
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        html = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class OutageMiddleware:
    """Turns an exception out of a view that says a server is down into the 503 above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        server = outage_of(exception)
        if server is None:
            return None
        log.warning("%s %s: the %s is down (%s)", request.method, request.path, server, exception)
        return outage_response(request, server)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a 503 when the uncaught exception is an outage, else the plain 500 page
    (the envelope under ``/api/``, added by ``ApiErrorEnvelopeMiddleware``)."""
    server = outage_of(sys.exc_info()[1])
    if server is not None:
        return outage_response(request, server)
    return django_server_error(request)
