"""One error envelope for the whole API: ``{"error": {"code", "message", "details"}}``.

Domain errors map here once (STYLE.md rule 10):

=====================  ======  ==================================================================
``InvalidInput``       400     the request names something impossible
``NotFeasible``        422     well-formed, but the characters will not do it now (the engine's
                               reason is the message); 422 so clients can tell it from a typo
``PlanLimitReached``   402     the plan does not allow more; the message says how to lift it
``InvalidTransition``  409     the object's state forbids it (starting a template, ...)
``NotFound``           404     no such object, or not one the caller may see
``Forbidden``          403     the caller sees the object but may not do this (not staff, ...)
=====================  ======  ==================================================================

Django's ``ValidationError`` (from ``full_clean()`` in services) is a 400 with field details.
Responses that never reach a DRF view (unknown URL, a crash) get the same envelope from
``ApiErrorEnvelopeMiddleware``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFeasible,
    NotFound,
    PaymentFailed,
    PlanLimitReached,
    ServiceUnavailable,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/"

DOMAIN_STATUS: dict[type[DomainError], int] = {
    InvalidInput: status.HTTP_400_BAD_REQUEST,
    NotFeasible: status.HTTP_422_UNPROCESSABLE_ENTITY,
    PlanLimitReached: status.HTTP_402_PAYMENT_REQUIRED,
    PaymentFailed: status.HTTP_402_PAYMENT_REQUIRED,
    InvalidTransition: status.HTTP_409_CONFLICT,
    ServiceUnavailable: status.HTTP_503_SERVICE_UNAVAILABLE,
    NotFound: status.HTTP_404_NOT_FOUND,
    Forbidden: status.HTTP_403_FORBIDDEN,
}

# DRF's exception classes -> the envelope's code (their own default codes are less uniform).
DRF_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "malformed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
}

STATUS_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
}


def envelope(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _field_details(detail: Any) -> dict[str, Any]:
    """DRF's nested error detail as ``{field: [messages]}`` (``non_field_errors`` for the rest)."""
    if isinstance(detail, dict):
        return {str(k): _messages(v) for k, v in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _messages(v) for k, v in value.items()}
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):  # nested (a list of objects)
            return [_messages(v) for v in value]
        return [str(v) for v in value]
    return [str(value)]


def _first_message(details: dict[str, Any]) -> str:
    for field, messages in details.items():
        while isinstance(messages, dict) and messages:
            field, messages = next(iter(messages.items()))
        if isinstance(messages, list) and messages and isinstance(messages[0], str):
            prefix = "" if field == "non_field_errors" else f"{field}: "
            return f"{prefix}{messages[0]}"
    return "The request is not valid."


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every handled error leaves in the envelope."""
    if isinstance(exc, DomainError):
        code = DOMAIN_STATUS.get(type(exc)) or next(
            (s for cls, s in DOMAIN_STATUS.items() if isinstance(exc, cls)), 400
        )
        return Response(envelope(exc.code, exc.message, exc.details), status=code)
    if isinstance(exc, DjangoValidationError):
        details = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        details = {("non_field_errors" if k == "__all__" else k): v for k, v in details.items()}
        return Response(envelope("invalid", _first_message(details), details), status=400)
    if isinstance(exc, RequestDataTooBig):  # Django read the body first (its own 2.5 MB limit)
        return Response(
            envelope("request_too_large", f"The request body is too large: {exc}"), status=413
        )
    response = exception_handler(exc, context)  # Http404/PermissionDenied -> DRF's, headers
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        details = _field_details(exc.detail)
        response.data = envelope("invalid", _first_message(details), details)
        return response
    if isinstance(exc, Http404):  # keep the message that says what was not found
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    code = next((c for cls, c in DRF_CODES.items() if type(exc) is cls), None)
    if code is None and isinstance(exc, exceptions.APIException):
        code = exc.default_code if isinstance(exc.default_code, str) else None
    code = code or STATUS_CODES.get(response.status_code, "error")
    detail = getattr(exc, "detail", "")
    message = str(detail) if not isinstance(detail, dict | list) else "Request refused."
    details: dict[str, Any] = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        details["retry_after_seconds"] = int(exc.wait + 0.999)
    response.data = envelope(code, message, details)
    return response


class ApiErrorEnvelopeMiddleware:
    """Under ``/api/``: errors that never reached a DRF view (an unknown URL, an oversized
    body Django refused, an unhandled exception) are answered in the envelope, not in HTML."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code = STATUS_CODES.get(response.status_code, "error")
            message = {
                404: f"No endpoint at {request.path}. See /api/docs/ for the API.",
                413: "The request body is too large.",
            }.get(response.status_code, "The request failed.")
            replacement = JsonResponse(envelope(code, message), status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        log.exception("API request %s %s failed", request.method, request.path)
        return JsonResponse(
            envelope("server_error", "Something went wrong on our side; it has been logged."),
            status=500,
        )
