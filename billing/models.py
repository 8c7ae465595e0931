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
    conversation_messages_per_month = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Messages a person may send to characters in a calendar month (empty: no limit).",
    )
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
    """A user's plan and where its payment stands. ``plan`` is always the plan in force: the
    lifecycle (``billing.services.subscription_apply`` and the billing clock) moves it back to
    the default plan when a subscription ends or its grace after a failed payment runs out, so
    every reader of ``plan`` (limits, throttles, queues, extras) needs no status logic."""

    class Status(models.TextChoices):
        # Stripe's own subscription statuses.
        ACTIVE = "active", "Active"
        TRIALING = "trialing", "Trialing"
        PAST_DUE = "past_due", "Past due"
        UNPAID = "unpaid", "Unpaid"
        CANCELED = "canceled", "Canceled"
        INCOMPLETE = "incomplete", "Incomplete"
        INCOMPLETE_EXPIRED = "incomplete_expired", "Incomplete, expired"
        PAUSED = "paused", "Paused"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(auto_now_add=True)
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    trial_end = models.DateTimeField(null=True, blank=True)
    past_due_since = models.DateTimeField(
        null=True, blank=True, help_text="When a payment first failed; the grace counts from here."
    )
    canceled_at = models.DateTimeField(null=True, blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True)
    stripe_state_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The payment server's time of the newest state applied; older events are stale.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_customer_id"],
                condition=~Q(stripe_customer_id=""),
                name="subscription_one_user_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.plan}"

    @property
    def paying(self) -> bool:
        """A paid subscription on the payment server that has not ended."""
        return bool(self.stripe_subscription_id) and self.status not in ENDED_STATUSES


ENDED_STATUSES = frozenset(
    {
        Subscription.Status.CANCELED,
        Subscription.Status.INCOMPLETE_EXPIRED,
        Subscription.Status.UNPAID,
    }
)


class Invoice(models.Model):
    """A bill from the payment server, mirrored by its webhooks and responses. Money is in the
    currency's smallest unit (cents), never a float."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        PAID = "paid", "Paid"
        VOID = "void", "Void"
        UNCOLLECTIBLE = "uncollectible", "Uncollectible"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invoices"
    )
    stripe_invoice_id = models.CharField(max_length=255, unique=True)
    number = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="invoices"
    )
    amount_due = models.BigIntegerField(default=0)
    amount_paid = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default="usd")
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    lines = models.JSONField(default=list, help_text="[{description, amount}] as billed.")
    attempt_count = models.PositiveIntegerField(default=0)
    issued_at = models.DateTimeField(help_text="When the payment server created it.")
    paid_at = models.DateTimeField(null=True, blank=True)
    # Stripe's own page for it (real Stripe only).
    hosted_url = models.CharField(max_length=1000, blank=True)
    stripe_state_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["user", "-issued_at"], name="invoice_user_newest")]

    def __str__(self) -> str:
        return self.number or self.stripe_invoice_id


class StripeEvent(models.Model):
    """Each webhook event once: a replay or a duplicate finds its id here and changes nothing."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", "Applied"
        STALE = "stale", "Stale (older than the state held)"
        IGNORED = "ignored", "Ignored (a type we do not act on)"
        UNMATCHED = "unmatched", "Unmatched (no user has this customer)"

    event_id = models.CharField(max_length=255, primary_key=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField(help_text="The payment server's time of the event.")
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    customer_id = models.CharField(max_length=255, blank=True)
    payload = models.JSONField()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "payment server event"

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class Notice(models.Model):
    """An e-mail-style message to a user about their account (a failed payment, a downgrade),
    shown in the app until read and also sent by e-mail."""

    class Kind(models.TextChoices):
        PAYMENT_FAILED = "payment_failed", "Payment failed"
        DOWNGRADED = "downgraded", "Downgraded"
        UPGRADED = "upgraded", "Upgraded"
        CANCELING = "canceling", "Cancels at period end"
        TRIAL_ENDING = "trial_ending", "Trial ending"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing_notices"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


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


class ApiCallsDay(models.Model):
    """API calls across the platform on one UTC day: the durable copy of the day's Redis
    counter (``billing/metering.py``), for the staff dashboard's calls per day."""

    day = models.DateField(primary_key=True)
    calls = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = "API calls per day"
        verbose_name_plural = "API calls per day"

    def __str__(self) -> str:
        return f"{self.day}: {self.calls} calls"
