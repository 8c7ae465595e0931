"""Domain errors: each carries a stable ``code`` that the HTTP/WebSocket layers map once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


class DomainError(Exception):
    """A rule of the domain was broken. ``message`` says what was wrong and what to do."""

    code: str = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}  # field -> what is wrong with it (400 envelope details)
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class InvalidTransition(DomainError):
    """The object is in a state that does not allow the requested change."""

    code = "conflict"


class InvalidInput(DomainError):
    """The request names something impossible (wrong world, unknown type, too long)."""

    code = "invalid"


class NotFeasible(DomainError):
    """The characters would not do this now; the message says why (the engine's reason)."""

    code = "not_feasible"


class PlanLimitReached(DomainError):
    """The owner's plan does not allow more of this (HTTP 402); the message names the limit
    and how to lift it."""

    code = "plan_limit"


class ServiceUnavailable(DomainError):
    """A server the request needs (e.g. the payment server) is missing or down (HTTP 503);
    the message says what to configure or to try again."""

    code = "unavailable"


class PaymentFailed(DomainError):
    """The payment server refused the payment (a declined card, a failed charge)."""

    code = "payment_failed"


class NotFound(DomainError, Http404):
    """No such object, or not one the caller may see (HTTP 404: others' private or unreviewed
    things are not revealed). Also an ``Http404``, so a page that lets it through renders the
    site's 404."""

    code = "not_found"


class Forbidden(DomainError, PermissionDenied):
    """The caller may see the object but not do this to it (HTTP 403), e.g. moderation by
    someone who is not staff. Also a ``PermissionDenied``, so pages render the site's 403."""

    code = "forbidden"
