"""REST shapes of API keys, the subscription and usage."""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from billing.models import ApiKey, Invoice, Plan, Subscription
from billing.selectors import grace_end
from core.serializers import StrictSerializer


class ApiKeySerializer(serializers.ModelSerializer):
    active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at", "active"]
        read_only_fields = fields


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(help_text="The whole key. Shown this once; store it safely.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiKeyCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100, required=False, default="API key")
    username = serializers.CharField(required=False, max_length=150)
    password = serializers.CharField(
        required=False, max_length=4096, style={"input_type": "password"}
    )


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "code", "name", "price_cents_per_month", "currency", "trial_days",
            "max_characters", "max_relationships",
            "story_exports_per_month", "api_calls_per_month", "conversation_messages_per_month",
            "api_requests_per_minute", "priority_processing", "custom_models", "white_label",
            "dedicated_support",
        ]  # fmt: skip
        read_only_fields = fields


class SubscriptionSerializer(serializers.ModelSerializer):
    plan = PlanSerializer(read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "plan", "status", "started_at", "current_period_start", "current_period_end",
            "cancel_at_period_end", "trial_end", "past_due_since", "grace_ends_at",
        ]  # fmt: skip
        read_only_fields = fields

    grace_ends_at = serializers.SerializerMethodField(
        help_text="Past due: when the plan falls to free unless a payment succeeds."
    )

    def get_grace_ends_at(self, subscription: Subscription) -> dt.datetime | None:
        return grace_end(subscription)


class UsedLimitSerializer(serializers.Serializer):
    used = serializers.IntegerField()
    limit = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")


class UsageSerializer(serializers.Serializer):
    plan = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM (UTC); monthly counts reset on the 1st.")
    api_calls = UsedLimitSerializer()
    characters = UsedLimitSerializer()
    relationships = UsedLimitSerializer()
    story_exports = UsedLimitSerializer()
    conversation_messages = UsedLimitSerializer()
    requests_per_minute = serializers.IntegerField()


class CheckoutSerializer(StrictSerializer):
    plan = serializers.SlugField(help_text="The plan's code, e.g. pro.")


class CheckoutUrlSerializer(serializers.Serializer):
    checkout_url = serializers.URLField(help_text="Open it in a browser to pay.")


class CheckoutPaySerializer(StrictSerializer):
    plan = serializers.SlugField()
    card_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    expiry = serializers.CharField(
        max_length=8, required=False, allow_blank=True, help_text="MM/YY"
    )
    cvc = serializers.CharField(max_length=4, required=False, allow_blank=True)


class InvoiceSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id", "number", "status", "plan", "amount_due", "amount_paid", "currency",
            "period_start", "period_end", "lines", "issued_at", "paid_at", "receipt_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_receipt_url(self, invoice: Invoice) -> str:
        request = self.context.get("request")
        path = f"/billing/invoices/{invoice.pk}/"
        return request.build_absolute_uri(path) if request is not None else path


class WebhookReceivedSerializer(serializers.Serializer):
    received = serializers.CharField(help_text="The event id.")
    duplicate = serializers.BooleanField()
    outcome = serializers.CharField()
