"""Billing writes: subscriptions, plans on the payment server, and API keys."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

import stripe
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from billing.gateway import stripe_client
from billing.models import ApiKey, Plan, Subscription
from billing.selectors import api_key_cache_key
from core.live import group_notify

API_KEY_PREFIX = "dra_"
API_KEY_PREFIX_CHARS = 8  # shown in lists: "dra_k3Xp9QaZ"
API_KEY_SECRET_BYTES = 32  # 256 bits of randomness: no brute force, so SHA-256 suffices
# Writing last_used_at on every request would make each read a write; once a minute is as
# precise as a person reading "last used" needs.
API_KEY_TOUCH_SECONDS = 60
API_KEY_NAME_MAX_LENGTH = ApiKey._meta.get_field("name").max_length


def subscription_ensure(*, user: AbstractBaseUser) -> Subscription:
    """Every user has a subscription; a new one starts on the default (free) plan."""
    subscription, _ = Subscription.objects.get_or_create(
        user=user, defaults={"plan": Plan.objects.get(is_default=True)}
    )
    return subscription


@dataclass(frozen=True)
class PlanSynced:
    plan: Plan
    product_created: bool
    price_created: bool


def plan_stripe_ids(plan: Plan) -> tuple[str, str]:
    """The product and monthly price ids of ``plan`` on the payment server. Derived from the
    plan's data, so syncing is idempotent everywhere (no lookup table): a price is immutable
    on Stripe, so a new amount or currency is a new price id, and subscriptions on the old one
    keep it until they change plan."""
    product = f"dramatis_{plan.code}"
    return product, f"{product}_{plan.currency}_{plan.price_cents_per_month}_month"


def plans_sync() -> list[PlanSynced]:
    """Create or update, on the payment server, a product and a monthly price for every paid
    plan, and record their ids on the plans. Safe to run any number of times (``make run``
    runs it at every start; ``python manage.py billing_plans_sync`` by hand)."""
    client = stripe_client()
    synced = []
    for plan in Plan.objects.filter(price_cents_per_month__gt=0):
        product_id, price_id = plan_stripe_ids(plan)
        product_created = _stripe_ensure(client.v1.products, {"id": product_id, "name": plan.name})
        if not product_created:
            client.v1.products.update(product_id, params={"name": plan.name})
        price_created = _stripe_ensure(
            client.v1.plans,
            {
                "id": price_id,
                "product": product_id,
                "amount": plan.price_cents_per_month,
                "currency": plan.currency,
                "interval": "month",
                "nickname": f"{plan.name} monthly",
            },
        )
        plan.stripe_product_id, plan.stripe_price_id = product_id, price_id
        plan.save(update_fields=["stripe_product_id", "stripe_price_id"])
        synced.append(PlanSynced(plan, product_created, price_created))
    return synced


def _stripe_ensure(resource: Any, params: dict[str, Any]) -> bool:
    """Create ``params["id"]`` through ``resource`` (a client service such as
    ``client.v1.products``) unless the server has it; True if it was created."""
    try:
        resource.retrieve(params["id"])
    except stripe.InvalidRequestError as error:
        if error.http_status != 404:
            raise
        resource.create(params=params)
        return True
    return False


@dataclass(frozen=True)
class ApiKeyCreated:
    """A new key and its secret, which exists only here: show it once, it is not stored."""

    api_key: ApiKey
    key: str


def api_key_create(*, user: AbstractBaseUser, name: str) -> ApiKeyCreated:
    """A new API key for ``user``: ``dra_<8 chars>_<secret>``. Only its SHA-256 is kept."""
    name = (name or "").strip() or "API key"
    while True:  # a prefix clash is a 1 in 62**8 event; the unique index has the last word
        prefix = API_KEY_PREFIX + secrets.token_urlsafe(6)[:API_KEY_PREFIX_CHARS]
        if "-" not in prefix[4:] and not ApiKey.objects.filter(prefix=prefix).exists():
            break
    key = f"{prefix}_{secrets.token_urlsafe(API_KEY_SECRET_BYTES)}"
    api_key = ApiKey(user=user, name=name[:API_KEY_NAME_MAX_LENGTH], prefix=prefix)
    api_key.secret_hash = ApiKey.hash(key)
    api_key.full_clean()
    api_key.save(force_insert=True)
    return ApiKeyCreated(api_key=api_key, key=key)


def api_key_group_name(api_key_id: object) -> str:
    """The channel-layer group of the live sockets opened with one API key."""
    return f"apikey.{api_key_id}"


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key for good (revoking twice keeps the first time); requests with it are
    refused from the next one on, in every process (the authentication cache forgets it), and
    the live sockets opened with it are closed once the revocation commits."""
    cache.delete(api_key_cache_key(api_key.secret_hash))
    group = api_key_group_name(api_key.pk)
    transaction.on_commit(lambda: group_notify(group, {"type": "access.changed"}))
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
            revoked_at=api_key.revoked_at
        )
    return api_key


def api_key_touch(*, api_key: ApiKey, now: dt.datetime | None = None) -> None:
    """Record that the key was used, at most once per ``API_KEY_TOUCH_SECONDS``; the
    conditional update keeps concurrent requests from writing it more than once."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=API_KEY_TOUCH_SECONDS)
    if api_key.last_used_at is not None and api_key.last_used_at > stale:
        return
    ApiKey.objects.filter(pk=api_key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)
    ).update(last_used_at=now)
    api_key.last_used_at = now
    # The cached copy still has the old time: drop it (reloaded once, with the new one) rather
    # than store it again, which would extend how long a changed plan goes unseen.
    cache.delete(api_key_cache_key(api_key.secret_hash))
