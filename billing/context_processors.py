"""The unread billing notice (a failed payment, a downgrade) on every page of a signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from billing.models import Notice
from billing.selectors import notices_unread

# The billing page lists every notice itself; a banner pointing at it would repeat it.
PAGES_WITHOUT_BANNER = frozenset({"billing"})


def billing_notice(request: HttpRequest) -> dict[str, Callable[[], Notice | None]]:
    """``billing_notice``: the newest unread notice, or None. Lazy and memoised: the one query
    runs only when a template reads it (base.html does, once), never for anonymous visitors."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if user is None or not user.is_authenticated:
        return {}
    if match is not None and match.url_name in PAGES_WITHOUT_BANNER:
        return {}

    @cache
    def newest() -> Notice | None:
        return notices_unread(user=user).only("id", "kind", "subject").first()

    return {"billing_notice": newest}
