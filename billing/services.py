"""Billing writes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from billing.models import Plan, Subscription


def subscription_ensure(*, user: AbstractBaseUser) -> Subscription:
    """Every user has a subscription; a new one starts on the default (free) plan."""
    subscription, _ = Subscription.objects.get_or_create(
        user=user, defaults={"plan": Plan.objects.get(is_default=True)}
    )
    return subscription
