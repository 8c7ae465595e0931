"""What a locked-out password guesser is told (django-axes' ``AXES_LOCKOUT_CALLABLE``); the
client's address comes from ``core.clients.client_ip``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from config.api.errors import API_PREFIX, envelope


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """django-axes' answer once a username has failed too often from one address: 429 with
    ``Retry-After`` and when to try again (the error envelope under ``/api/``, a page else)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Too many failed sign-ins for this account from your address. Try again in "
        f"{minutes} minutes; until then even the right password is refused."
    )
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(
            envelope("locked_out", message, {"retry_after_seconds": minutes * 60}), status=429
        )
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
