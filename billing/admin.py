"""Staff admin for plans (data, editable) and subscriptions."""

from __future__ import annotations

from django.contrib import admin

from billing.models import Plan, Subscription


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "price_cents_per_month",
        "max_characters",
        "max_relationships",
        "story_exports_per_month",
        "api_calls_per_month",
        "is_default",
    ]
    list_filter = ["is_default", "priority_processing", "custom_models", "white_label"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"code": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "code", "price_cents_per_month", "is_default", "sort_order"]}),
        (
            "Limits (empty means unlimited)",
            {
                "fields": [
                    "max_characters",
                    "max_relationships",
                    "story_exports_per_month",
                    "api_calls_per_month",
                ]
            },
        ),
        (
            "Extras",
            {
                "fields": [
                    "priority_processing",
                    "custom_models",
                    "white_label",
                    "dedicated_support",
                ]
            },
        ),
    ]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "status", "started_at", "current_period_end"]
    list_filter = ["plan", "status"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user", "plan"]
    raw_id_fields = ["user"]
    readonly_fields = ["started_at"]
    date_hierarchy = "started_at"
