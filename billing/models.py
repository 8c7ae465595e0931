"""Plans (data, editable in admin) and each user's subscription to one."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Plan(models.Model):
    """A subscription tier. A limit of ``None`` means unlimited."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    price_cents_per_month = models.PositiveIntegerField(default=0)
    max_characters = models.PositiveIntegerField(null=True, blank=True)
    max_relationships = models.PositiveIntegerField(null=True, blank=True)
    story_exports_per_month = models.PositiveIntegerField(null=True, blank=True)
    api_calls_per_month = models.PositiveIntegerField(null=True, blank=True)
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
