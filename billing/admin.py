"""Staff admin for plans (data, editable) and subscriptions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from billing.models import ApiKey, ApiUsage, Plan, Subscription
from billing.services import api_key_revoke


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
        "api_requests_per_minute",
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
                    "api_requests_per_minute",
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


@admin.action(description="Revoke selected API keys")
def revoke_api_keys(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    keys = list(queryset.filter(revoked_at__isnull=True))
    for api_key in keys:
        api_key_revoke(api_key=api_key)
    modeladmin.message_user(request, f"Revoked {len(keys)} key(s).", messages.SUCCESS)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made by their owners (API or /account/api-keys/); staff can only revoke."""

    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["secret_hash"]
    actions = [revoke_api_keys]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ApiUsage)
class ApiUsageAdmin(admin.ModelAdmin):
    list_display = ["user", "month", "calls", "updated_at"]
    list_filter = ["month"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "month", "calls", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
