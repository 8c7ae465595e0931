"""Staff admin for plans (data, editable) and subscriptions, and the revenue page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from billing.models import (
    ApiCallsDay,
    ApiKey,
    ApiUsage,
    Invoice,
    Notice,
    Plan,
    StripeEvent,
    Subscription,
)
from billing.revenue import revenue_chart_data, revenue_report
from billing.services import api_key_revoke
from billing.services.subscriptions import plan_change_announce

# Calendar months the revenue page shows, the current one included: a year of bars stays
# readable and shows a seasonal pattern once.
REVENUE_MONTHS = 12


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
        "conversation_messages_per_month",
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
                    "conversation_messages_per_month",
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
    """Staff may set a plan by hand (a comp, a partner): the apps above billing hear of it as of
    any plan change. What the payment server holds is its own: states it sends later win."""

    list_display = [
        "user", "plan", "status", "cancel_at_period_end", "current_period_end", "past_due_since",
    ]  # fmt: skip
    list_filter = ["plan", "status", "cancel_at_period_end"]
    search_fields = ["user__username", "user__email", "stripe_customer_id"]
    list_select_related = ["user", "plan"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "started_at", "stripe_customer_id", "stripe_subscription_id", "stripe_state_at",
        "current_period_start", "current_period_end", "trial_end", "past_due_since", "canceled_at",
    ]  # fmt: skip
    date_hierarchy = "started_at"

    def save_model(self, request: HttpRequest, obj: Subscription, form, change: bool) -> None:
        old_plan = Subscription.objects.get(pk=obj.pk).plan if change else obj.plan
        super().save_model(request, obj, form, change)
        plan_change_announce(subscription=obj, old_plan=old_plan)

    def get_urls(self) -> list[URLPattern]:
        # Before the defaults: their "<path:object_id>/" would take "revenue/" for a pk.
        revenue = path(
            "revenue/",
            self.admin_site.admin_view(self.revenue_view),
            name="billing_subscription_revenue",
        )
        return [revenue, *super().get_urls()]

    def revenue_view(self, request: HttpRequest) -> HttpResponse:
        """MRR, subscriptions by plan, and month by month new, cancelled, churn, failed
        payments and money collected (``billing.revenue``). ``admin_view`` sends anyone but
        active staff to the admin login; staff also need to be allowed to view subscriptions."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = revenue_report(months=REVENUE_MONTHS)
        context = {
            **self.admin_site.each_context(request),
            "title": "Revenue",
            "opts": self.model._meta,
            "report": report,
            "chart_data": revenue_chart_data(report=report),
        }
        return TemplateResponse(request, "admin/billing/revenue.html", context)


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


@admin.register(ApiCallsDay)
class ApiCallsDayAdmin(admin.ModelAdmin):
    """Written by the meter only (``billing.metering``); the platform page charts it."""

    list_display = ["day", "calls", "updated_at"]
    readonly_fields = ["day", "calls", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Mirrors of the payment server: staff look, the payment server writes."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["issued_at", "user", "number", "plan", "status", "amount_due", "amount_paid"]
    list_filter = ["status", "plan", "currency"]
    search_fields = ["user__username", "stripe_invoice_id", "number"]
    list_select_related = ["user", "plan"]
    date_hierarchy = "issued_at"


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "type", "outcome", "customer_id", "event_id"]
    list_filter = ["outcome", "type"]
    search_fields = ["event_id", "customer_id"]
    date_hierarchy = "received_at"


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "kind", "subject", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "subject"]
    list_select_related = ["user"]
