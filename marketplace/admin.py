"""Staff curate the marketplace here: the moderation queue (listings with a version waiting for
review, the default view), approve, reject with a reason, feature, take down, resolve reports,
and the audit trail of who did what.

Every decision goes through ``marketplace.services``, so the admin and the API leave the same
trail; status, reasons and versions are read-only here for that reason. Reject and take
down ask for the reason on an intermediate page, as Django's delete confirmation does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html

from core.errors import DomainError
from marketplace.models import Listing, ListingVersion, ModerationAction, Report
from marketplace.search import listing_reindex
from marketplace.services import (
    listing_feature,
    listing_moderate,
    listing_restore,
    listing_take_down,
    listing_unlist,
    report_resolve,
)

PREVIEW_CHARS = 4_000  # enough to read a cast; the whole snapshot can be megabytes


class QueueFilter(admin.SimpleListFilter):
    """The changelist opens on the queue: listings with a version waiting for review (a
    first submission or an update of an approved listing), oldest first."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("review", "Waiting for review"),
            ("reported", "With open reports"),
            ("all", "All listings"),
        ]

    def value(self) -> str:
        return super().value() or "review"

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Listing]) -> QuerySet[Listing]:
        if self.value() == "review":
            return queryset.filter(pending_number__isnull=False).order_by("updated_at")
        if self.value() == "reported":
            return queryset.filter(open_reports__gt=0)
        return queryset


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2_000,
        help_text="The publisher reads this.",
    )


def _each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    listings: QuerySet[Listing],
    step: Callable[[Listing], Any],
    done: str,
) -> None:
    """Run ``step`` on each listing; say which were done and why the others were not."""
    changed: list[str] = []
    for listing in listings:
        try:
            step(listing)
        except DomainError as error:
            modeladmin.message_user(request, f"{listing.title}: {error.message}", messages.ERROR)
        else:
            changed.append(listing.title)
    if changed:
        modeladmin.message_user(request, f"{done}: {', '.join(changed)}.", messages.SUCCESS)


def _with_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    listings: QuerySet[Listing],
    *,
    action: str,
    title: str,
    step: Callable[[Listing, str], Any],
    done: str,
) -> HttpResponse | None:
    """The intermediate page asking for a reason; with one given, the step on each listing."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        _each(modeladmin, request, listings, lambda listing: step(listing, reason), done)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "listings": listings,
        "form": form,
        "action": action,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/marketplace/reason.html", context)


@admin.action(description="Approve the version in review", permissions=["change"])
def approve(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _each(
        modeladmin,
        request,
        queryset,
        lambda listing: listing_moderate(listing=listing, staff=request.user, decision="approve"),
        "Approved",
    )


@admin.action(description="Reject the version in review (with a reason)", permissions=["change"])
def reject(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    return _with_reason(
        modeladmin,
        request,
        queryset,
        action="reject",
        title="Reject: say why",
        step=lambda listing, reason: listing_moderate(
            listing=listing, staff=request.user, decision="reject", reason=reason
        ),
        done="Rejected",
    )


@admin.action(description="Take down (with a reason)", permissions=["change"])
def take_down(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    return _with_reason(
        modeladmin,
        request,
        queryset,
        action="take_down",
        title="Take down: say why",
        step=lambda listing, reason: listing_take_down(
            listing=listing, staff=request.user, reason=reason
        ),
        done="Taken down",
    )


@admin.action(description="Feature", permissions=["change"])
def feature(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _each(
        modeladmin,
        request,
        queryset,
        lambda listing: listing_feature(listing=listing, staff=request.user, featured=True),
        "Featured",
    )


@admin.action(description="Stop featuring", permissions=["change"])
def unfeature(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _each(
        modeladmin,
        request,
        queryset,
        lambda listing: listing_feature(listing=listing, staff=request.user, featured=False),
        "No longer featured",
    )


@admin.action(description="Unlist", permissions=["change"])
def unlist(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _each(
        modeladmin,
        request,
        queryset,
        lambda listing: listing_unlist(listing=listing, actor=request.user),
        "Unlisted",
    )


@admin.action(description="Restore", permissions=["change"])
def restore(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _each(
        modeladmin,
        request,
        queryset,
        lambda listing: listing_restore(listing=listing, staff=request.user),
        "Restored",
    )


def _resolve_all(listing: Listing, staff: Any) -> None:
    for report in listing.reports.filter(resolved_at__isnull=True):
        report_resolve(report=report, staff=staff)


@admin.action(description="Resolve their open reports", permissions=["change"])
def resolve_reports(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _each(
        modeladmin,
        request,
        queryset,
        lambda listing: _resolve_all(listing, request.user),
        "Reports resolved",
    )


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(ReadOnlyInline):
    model = ListingVersion
    fields = [
        "number",
        "status",
        "changelog",
        "rejection_reason",
        "reviewed_by",
        "reviewed_at",
        "content_preview",
    ]
    readonly_fields = fields

    @admin.display(description="Content (start)")
    def content_preview(self, version: ListingVersion) -> str:
        text = json.dumps(version.content, indent=1, ensure_ascii=False)
        if len(text) > PREVIEW_CHARS:
            text = text[:PREVIEW_CHARS] + f"\n… ({len(text):,} characters in all)"
        return format_html(
            '<details><summary>Show</summary><pre style="max-height: 24em; overflow: auto">'
            "{}</pre></details>",
            text,
        )


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["reporter", "reason", "created_at", "resolved_at", "resolved_by"]
    readonly_fields = fields


class ModerationInline(ReadOnlyInline):
    model = ModerationAction
    verbose_name_plural = "Moderation trail"
    fields = ["created_at", "action", "actor", "version", "reason"]
    readonly_fields = fields


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "publisher",
        "pending_version",
        "reports",
        "featured",
        "install_count",
        "rating",
        "updated_at",
    ]
    list_filter = [QueueFilter, "status", "kind", "featured", "licence", "mature"]
    search_fields = ["title", "publisher__username", "tags"]
    list_select_related = ["publisher", "current_version"]
    actions = [approve, reject, feature, unfeature, take_down, unlist, restore, resolve_reports]
    inlines = [VersionInline, ReportInline, ModerationInline]
    fields = [
        "title",
        "kind",
        "publisher",
        "status",
        "rejection_reason",
        "featured",
        "current_version",
        "summary",
        "description",
        "tags",
        "genre",
        "licence",
        "mature",
        "install_count",
        "rating_count",
        "rating_sum",
        "created_at",
        "approved_at",
    ]
    readonly_fields = [
        "kind",
        "publisher",
        "status",
        "rejection_reason",
        "featured",
        "current_version",
        "install_count",
        "rating_count",
        "rating_sum",
        "created_at",
        "approved_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Listing]:
        pending = ListingVersion.objects.filter(
            listing=OuterRef("pk"), status=ListingVersion.Status.PENDING_REVIEW
        ).order_by("-created_at")
        return (
            super()
            .get_queryset(request)
            .annotate(
                pending_number=Subquery(pending.values("number")[:1]),
                open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # publishers submit listings; staff review them

    @admin.display(description="In review", ordering="pending_number")
    def pending_version(self, listing: Listing) -> str:
        number = getattr(listing, "pending_number", None)
        return f"v{number}" if number else "—"

    @admin.display(description="Open reports", ordering="open_reports")
    def reports(self, listing: Listing) -> int:
        return getattr(listing, "open_reports", 0)

    def save_model(self, request: HttpRequest, obj: Listing, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        listing_reindex(listing=obj)  # title, tags, summary… may have changed


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["listing", "reporter", "short_reason", "created_at", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["listing__title", "reporter__username", "reason"]
    list_select_related = ["listing", "reporter"]
    readonly_fields = ["listing", "reporter", "reason", "created_at", "resolved_at", "resolved_by"]
    actions = ["resolve"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Reason")
    def short_reason(self, report: Report) -> str:
        return report.reason[:80]

    @admin.action(description="Resolve selected reports", permissions=["change"])
    def resolve(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        done = 0
        for report in queryset:
            try:
                report_resolve(report=report, staff=request.user)
            except DomainError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, f"Resolved {done} report(s).", messages.SUCCESS)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit trail: read-only, never edited or deleted."""

    list_display = ["created_at", "action", "listing", "version", "actor", "reason"]
    list_filter = ["action"]
    search_fields = ["listing__title", "actor__username", "reason"]
    list_select_related = ["listing", "version", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
