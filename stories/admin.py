"""Staff admin for stories (read mostly: stories are written by sifting, not by hand), and the
platform analytics page (``/admin/stories/story/platform/``, linked from the admin index)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from stories.analytics import PlatformAnalytics, platform_analytics
from stories.models import SiftCursor, Story, StoryBeat, StoryExport

PLATFORM_DAYS = 30  # the daily rows of the platform page: a month, as the retention it shows


class StoryBeatInline(admin.TabularInline):
    model = StoryBeat
    extra = 0
    fields = ["seq", "tick", "kind", "label", "text"]
    readonly_fields = fields
    can_delete = False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "ecosystem", "genre", "status", "tension", "updated_tick"]
    list_filter = ["status", "genre"]
    search_fields = ["title", "summary", "ecosystem__name"]
    readonly_fields = ["key", "pattern", "tension_curve", "cast", "predictions", "last_seq",
                       "revision", "started_tick", "updated_tick"]  # fmt: skip
    inlines = [StoryBeatInline]

    def get_urls(self) -> list[URLPattern]:
        # Before the defaults: their "<path:object_id>/" would take "platform/" for a pk.
        platform = path(
            "platform/",
            self.admin_site.admin_view(self.platform_view),
            name="stories_platform",
        )
        return [platform, *super().get_urls()]

    def platform_view(self, request: HttpRequest) -> HttpResponse:
        """The platform's figures (``stories.analytics.platform_analytics``): sign-ups, active
        creators, worlds running, interactions, stories, API calls, retention and cohorts.
        ``admin_view`` sends anyone but active staff to the admin login; staff also need to be
        allowed to view stories."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        figures = platform_analytics(days=PLATFORM_DAYS)
        rows = [
            {
                "day": day,
                "signups": figures.signups[i],
                "active": figures.active_creators[i],
                "interactions": figures.interactions[i],
                "api_calls": figures.api_calls[i],
            }
            for i, day in enumerate(figures.days)
        ]
        share = figures.retention.share
        context = {
            **self.admin_site.each_context(request),
            "title": "Platform analytics",
            "opts": self.model._meta,
            "figures": figures,
            "rows": list(reversed(rows)),
            "retention_display": "—" if share is None else f"{share:.0%}",
            "week_rows": list(zip(figures.weeks, figures.stories_per_week, strict=True)),
            "api_rows": list(zip(figures.api_months, figures.api_calls_per_month, strict=True)),
            "cohort_weeks": range(len(figures.cohorts)),
            "cohorts": [_cohort_row(c.week, c.users, c.active) for c in figures.cohorts],
            "charts": platform_charts(figures),
        }
        return TemplateResponse(request, "admin/stories/platform.html", context)


def _cohort_row(week: dt.date, users: int, active: list[int | None]) -> dict[str, Any]:
    cells = [
        None if n is None else {"n": n, "share": f"{n / users:.0%}" if users else "—"}
        for n in active
    ]
    return {"week": week, "users": users, "cells": cells}


def platform_charts(figures: PlatformAnalytics) -> dict[str, Any]:
    """What ``static/js/analytics.js`` draws on the platform page: the tables' numbers."""
    days = [d.isoformat() for d in figures.days]
    return {
        "platform-chart-people": {
            "type": "line",
            "labels": days,
            "datasets": [
                {"label": "Sign-ups", "data": figures.signups},
                {"label": "Active creators", "data": figures.active_creators},
            ],
        },
        "platform-chart-interactions": {
            "type": "bar",
            "labels": days,
            "datasets": [{"label": "Interactions", "data": figures.interactions}],
        },
        "platform-chart-stories": {
            "type": "bar",
            "labels": [w.isoformat() for w in figures.weeks],
            "datasets": [{"label": "Stories", "data": figures.stories_per_week}],
        },
        "platform-chart-api": {
            "type": "bar",
            "labels": days,
            "datasets": [{"label": "API calls", "data": figures.api_calls}],
        },
    }


@admin.register(SiftCursor)
class SiftCursorAdmin(admin.ModelAdmin):
    list_display = ["ecosystem", "last_seq", "updated_at"]
    readonly_fields = ["last_seq", "sifter_state", "board_state", "drama_state"]


@admin.register(StoryExport)
class StoryExportAdmin(admin.ModelAdmin):
    list_display = ["user", "story", "format", "created_at"]
    list_filter = ["format"]
