"""REST shapes of API keys, the subscription and usage."""

from __future__ import annotations

from rest_framework import serializers

from billing.models import ApiKey, Plan, Subscription
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
            "code", "name", "price_cents_per_month", "max_characters", "max_relationships",
            "story_exports_per_month", "api_calls_per_month", "api_requests_per_minute",
            "priority_processing", "custom_models", "white_label", "dedicated_support",
        ]  # fmt: skip
        read_only_fields = fields


class SubscriptionSerializer(serializers.ModelSerializer):
    plan = PlanSerializer(read_only=True)

    class Meta:
        model = Subscription
        fields = ["plan", "status", "started_at", "current_period_end"]
        read_only_fields = fields


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
    requests_per_minute = serializers.IntegerField()
