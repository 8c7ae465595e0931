"""Billing writes: subscriptions and API keys."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

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
