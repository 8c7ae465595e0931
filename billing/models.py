"""Plans (data, editable in admin), each user's subscription to one, API keys and the monthly
API-call meter."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Plan(models.Model):
    """A subscription tier. A limit of ``None`` means unlimited."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    price_cents_per_month = models.PositiveIntegerField(
        default=0, help_text="Monthly price in the currency's smallest unit (cents)."
    )
    currency = models.CharField(max_length=3, default="usd", help_text="ISO 4217, lower case.")
    trial_days = models.PositiveSmallIntegerField(
        default=0, help_text="Free days before the first payment (0: no trial)."
    )
    # Set by ``plans_sync`` (python manage.py billing_plans_sync, and at make run's start).
    stripe_product_id = models.CharField(max_length=255, blank=True, editable=False)
    stripe_price_id = models.CharField(
        max_length=255, blank=True, editable=False, help_text="The monthly price subscribed to."
    )
    max_characters = models.PositiveIntegerField(null=True, blank=True)
    max_relationships = models.PositiveIntegerField(null=True, blank=True)
    story_exports_per_month = models.PositiveIntegerField(null=True, blank=True)
    api_calls_per_month = models.PositiveIntegerField(null=True, blank=True)
    api_requests_per_minute = models.PositiveIntegerField(
        default=60,
        help_text="Rate limit of the REST API for one user, requests per minute (DRF throttle).",
    )
    priority_processing = models.BooleanField(default=False)
    custom_models = models.BooleanField(default=False)
    white_label = models.BooleanField(default=False)
    dedicated_support = models.BooleanField(default=False)
    is_default = models.BooleanField(
        default=False, help_text="New users start on this plan. Exactly one plan is the default."
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="plan_single_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Past due"
        CANCELED = "canceled", "Canceled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(auto_now_add=True)
    current_period_end = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} on {self.plan}"


class ApiKey(models.Model):
    """A subscriber's API key. Only a SHA-256 of the whole key is stored.

    A fast hash is right here, unlike for passwords: the key is 256 bits from ``secrets``, so
    there is nothing to guess by brute force and no need for a slow KDF, and a request can be
    authenticated with one indexed lookup. ``prefix`` (``dra_`` and 8 characters) is shown in
    the lists so a person can tell their keys apart; it is not secret.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. 'game server'.")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiUsage(models.Model):
    """API calls one user made in one calendar month (UTC): the durable copy of the Redis
    counter that meters each request (see ``billing/metering.py``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_usage"
    )
    month = models.DateField(help_text="The first day of the month.")
    calls = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = "API usage"
        verbose_name_plural = "API usage"
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="api_usage_once_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.month:%Y-%m}: {self.calls} calls"
