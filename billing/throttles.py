"""Per-plan rate limits and monthly API-call quotas as a DRF throttle on the shared Redis (so
every web process sees the same counts); the counting is ``billing.metering``'s."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, BaseThrottle

from billing.metering import api_call_meter
from billing.models import Plan
from billing.selectors import plan_of
from core.clients import client_ip


class QuotaExceeded(exceptions.Throttled):
    """The plan's monthly API calls are used up (429 with ``Retry-After``: next month)."""

    default_code = "quota_exceeded"


# Views that tell a user where they stand set this: the month's quota does not apply to them.
QUOTA_EXEMPT_ATTR = "quota_exempt"


def request_plan(request: Request) -> Plan:
    """The signed-in user's plan: joined to the API key when one authenticated the request."""
    api_key = request.auth
    subscription = getattr(getattr(api_key, "user", None), "subscription", None)
    if subscription is not None:
        return subscription.plan
    return plan_of(user=request.user)


class PlanRateThrottle(BaseThrottle):
    """``Plan.api_requests_per_minute`` per user, then ``Plan.api_calls_per_month``: a call
    past the rate is a 429 ``rate_limited`` (Retry-After: the window's end) and is not
    counted in the month; a call past the month is a 429 ``quota_exceeded`` (Retry-After: the
    first of next month)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return True  # anonymous: AnonymousRateThrottle
        plan = request_plan(request)
        metered = api_call_meter(
            user_id=request.user.pk,
            plan=plan,
            metered=not getattr(view, QUOTA_EXEMPT_ATTR, False),
        )
        if metered.allowed:
            return True
        self._wait = metered.retry_after_seconds
        if metered.reason == "quota":
            raise QuotaExceeded(
                wait=metered.retry_after_seconds,
                detail=(
                    f"Plan {plan.name!r} includes {metered.limit:,} API calls a month and they "
                    "are used up. Upgrade at /pricing/ or wait for the next month."
                ),
            )
        return False

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests without a user, in practice ``POST /auth/keys/`` with a username and password:
    a low rate per client address slows password guessing."""

    scope = "anon"

    def get_ident(self, request: Request) -> str:
        """The client's address as ``core.clients`` decides it: DRF's own reading believes
        any ``X-Forwarded-For``, so rotating it used to reset the limit."""
        return client_ip(request)
