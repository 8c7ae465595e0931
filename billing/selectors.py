"""Billing reads: a user's plan, API keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import QuerySet

from billing.models import ApiKey, Invoice, Notice, Plan, Subscription


def subscription_of(*, user: AbstractBaseUser) -> Subscription:
    """The user's subscription with its plan (created on the default plan if missing)."""
    from billing.services import subscription_ensure

    try:
        return Subscription.objects.select_related("plan").get(user=user)
    except Subscription.DoesNotExist:
        subscription = subscription_ensure(user=user)
        return Subscription.objects.select_related("plan").get(pk=subscription.pk)


def plan_of(*, user: AbstractBaseUser) -> Plan:
    return subscription_of(user=user).plan


def users_with_priority_processing(*, user_ids: Iterable[Any]) -> set[Any]:
    """Those of ``user_ids`` whose plan has priority processing, in at most two queries
    whatever their number (the tick scheduler asks for every due world at once). A user with no
    subscription row yet is on the default plan, as ``subscription_of`` would make them."""
    wanted = set(user_ids)
    if not wanted:
        return set()
    plans = dict(
        Subscription.objects.filter(user_id__in=wanted).values_list(
            "user_id", "plan__priority_processing"
        )
    )
    priority = {user_id for user_id, flag in plans.items() if flag}
    if (
        len(plans) < len(wanted)
        and Plan.objects.filter(is_default=True, priority_processing=True).exists()
    ):
        priority |= wanted - set(plans)
    return priority


# Authenticating a request by key reads the key, its user, subscription and plan; that row
# is cached in the shared Redis for this long, sparing a four-table join per request. Revoking
# a key deletes its entry at once (``billing.services.api_key_revoke``); a changed plan or a
# deactivated user is seen within this many seconds.
API_KEY_CACHE_SECONDS = 60


def api_key_cache_key(secret_hash: str) -> str:
    return f"api-key:{secret_hash}"


def api_key_for_secret(*, key: str) -> ApiKey | None:
    """The active key whose hash matches ``key``, with its user and the user's plan (one
    lookup authenticates a request and tells its rate limit); ``None`` otherwise."""
    secret_hash = ApiKey.hash(key)
    cached = cache.get(api_key_cache_key(secret_hash))
    if cached is not None:
        return cached
    api_key = (
        ApiKey.objects.select_related("user__subscription__plan")
        .filter(secret_hash=secret_hash, revoked_at__isnull=True)
        .first()
    )
    if api_key is not None:
        cache.set(api_key_cache_key(secret_hash), api_key, API_KEY_CACHE_SECONDS)
    return api_key


def api_key_active(*, api_key_id: object) -> bool:
    """The key still works (not revoked): a live socket opened with it asks again later."""
    return ApiKey.objects.filter(pk=api_key_id, revoked_at__isnull=True).exists()


def api_keys_of(*, user: AbstractBaseUser) -> QuerySet[ApiKey]:
    """All of a user's keys, newest first, revoked ones included (they say when)."""
    return ApiKey.objects.filter(user=user).order_by("-created_at")


def plans_for_sale() -> QuerySet[Plan]:
    """Every plan, cheapest first, as /pricing/ and the API list them."""
    return Plan.objects.order_by("price_cents_per_month", "sort_order", "code")


def invoices_of(*, user: AbstractBaseUser) -> QuerySet[Invoice]:
    return Invoice.objects.filter(user=user).select_related("plan").order_by("-issued_at")


def notices_unread(*, user: AbstractBaseUser) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user, read_at__isnull=True).order_by("-created_at")


def grace_end(subscription: Subscription) -> dt.datetime | None:
    """When a past-due subscription's plan stops being in force (``None`` if not past due)."""
    if subscription.past_due_since is None:
        return None
    return subscription.past_due_since + dt.timedelta(days=settings.BILLING_GRACE_DAYS)
