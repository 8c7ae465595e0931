"""Story pages: the Observatory (it counts the story threads, which this app owns), the story
board, the chapter reader, notes and exports. Permissions as in ``ecosystems.views``: the owner
acts, any signed-in user reads a public world, everyone else gets 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from ecosystems.access import can_edit
from ecosystems.redaction import Redactor
from ecosystems.views import Watch, observatory_render, render_world, world_for
from stories.analytics import DEFAULT_DAYS, WorldAnalytics, analytics_world_for, world_analytics
from stories.engine.exports import EXPORT_FORMATS
from stories.models import Story
from stories.selectors import stories_for_world, story_exports_this_month
from stories.services import story_chapters, story_export, story_notes_save
from stories.society import social_view

STATUS_FILTERS = ("live", "brewing", "developing", "climax", "resolved", "fizzled")
EXPORT_LABELS = {"md": "Markdown", "html": "HTML", "json": "JSON", "epub": "EPUB"}


@login_required
def observatory(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    ecosystem = world_for(request, ecosystem_id)
    watch = None
    watched_id = request.GET.get("watch")
    if watched_id:
        try:
            story = Story.objects.filter(ecosystem=ecosystem, pk=UUID(watched_id)).first()
        except ValueError:
            story = None
        if story is not None:
            watch = Watch(
                title=story.title,
                character_ids=frozenset(str(p["id"]) for p in story.cast),
                back_url=reverse("story-detail", args=[ecosystem.pk, story.pk]),
            )
    threads = stories_for_world(ecosystem=ecosystem, status="live").count()
    return observatory_render(request, ecosystem, story_threads=threads, watch=watch)


@login_required
def story_board(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    ecosystem = world_for(request, ecosystem_id)
    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS:
        status = ""
    stories = stories_for_world(ecosystem=ecosystem, status=status or None)
    return render_world(
        request,
        ecosystem,
        "stories/board.html",
        {
            "world": ecosystem,
            "is_owner": can_edit(request.user, ecosystem),
            "stories": stories,
            "status": status,
            "filters": STATUS_FILTERS,
            "live": {"ws": f"/ws/ecosystems/{ecosystem.pk}/", "after": ecosystem.last_event_seq},
        },
    )


@login_required
def story_card(request: HttpRequest, ecosystem_id: UUID, story_id: UUID) -> HttpResponse:
    """One story's card as the board renders it: the board's script swaps it in when the
    story is detected or updated, so the board stays live without drawing cards twice."""
    story = _story(request, ecosystem_id, story_id)
    context = {"world": story.ecosystem, "story": story}
    return render_world(request, story.ecosystem, "stories/_story_card.html", context)


def _story(request: HttpRequest, ecosystem_id: UUID, story_id: UUID, *, act: bool = False) -> Story:
    ecosystem = world_for(request, ecosystem_id, act=act)
    story = get_object_or_404(
        stories_for_world(ecosystem=ecosystem).select_related("ecosystem"), pk=story_id
    )
    return story


def _sparkline(curve: list[list[float]], width: int = 300, height: int = 60) -> str:
    """SVG polyline points of a tension curve [[tick, tension], ...] (tension 0..1)."""
    if len(curve) < 2:
        return ""
    first, last = curve[0][0], curve[-1][0]
    span = (last - first) or 1
    return " ".join(
        f"{(tick - first) / span * width:.1f},{height - 4 - tension * (height - 8):.1f}"
        for tick, tension in curve
    )


@login_required
def story_detail(request: HttpRequest, ecosystem_id: UUID, story_id: UUID) -> HttpResponse:
    story = _story(request, ecosystem_id, story_id)
    is_owner = can_edit(request.user, story.ecosystem)
    return render_world(
        request,
        story.ecosystem,
        "stories/detail.html",
        {
            "world": story.ecosystem,
            "story": story,
            "is_owner": is_owner,
            "chapters": story_chapters(story=story),
            "curve": _sparkline(story.tension_curve),
            "formats": [(f, EXPORT_LABELS.get(f, f.upper())) for f in EXPORT_FORMATS],
            "exports_used": story_exports_this_month(user=request.user) if is_owner else None,
        },
    )


@login_required
@require_POST
def story_notes(request: HttpRequest, ecosystem_id: UUID, story_id: UUID) -> HttpResponse:
    story = _story(request, ecosystem_id, story_id, act=True)
    try:
        story_notes_save(story=story, notes=request.POST.get("notes", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Notes saved.")
    return redirect(reverse("story-detail", args=[ecosystem_id, story_id]) + "#notes")


@login_required
@require_POST
def story_export_view(request: HttpRequest, ecosystem_id: UUID, story_id: UUID) -> HttpResponse:
    story = _story(request, ecosystem_id, story_id, act=True)
    try:
        exported = story_export(
            story=story,
            user=request.user,
            fmt=request.POST.get("format", ""),
            redactor=Redactor.none(),  # the owner's own export (act=True above)
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("story-detail", args=[ecosystem_id, story_id]) + "#export")
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


# Colours of up to ten communities (the Okabe-Ito palette plus two: distinguishable by most
# colour-blind readers); further circles reuse them.
COMMUNITY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                     "#F0E442", "#7F3C8D", "#999999", "#3B7A57")  # fmt: skip


@login_required
def society(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    """The Society page: the latest social snapshot (or ``?at=`` a tick or a snapshot id) as
    tables first, the graph and charts drawn on top, re-read live on ``social_updated``."""
    ecosystem = world_for(request, ecosystem_id)
    at = request.GET.get("at") or None
    view = social_view(ecosystem=ecosystem, at=at) if at else None
    missed = bool(at) and view is None
    if view is None:
        view = social_view(ecosystem=ecosystem)
        at = None
    assert view is not None  # without ``at`` there is always a view
    data = view.data
    colours = {
        c["id"]: COMMUNITY_COLOURS[i % len(COMMUNITY_COLOURS)]
        for i, c in enumerate(data["communities"])
    }
    communities = [{**c, "colour": colours[c["id"]]} for c in data["communities"]]
    circle_names = {c["id"]: c["name"] for c in data["communities"]}
    influence = [
        {
            **x,
            "colour": colours.get(x["community"], "#bbb"),
            "circle": circle_names.get(x["community"]),
        }
        for x in data["influence"]
    ]
    names = {ref["id"]: ref["name"] for ref in data["heatmap"]["characters"]}
    cells = {(c["initiator"], c["target"]): c for c in data["heatmap"]["cells"]}
    busiest = max((c["count"] for c in cells.values()), default=1)
    heat_rows = [
        {"name": names[a], "cells": [_heat(cells.get((a, b)), busiest) for b in names]}
        for a in names
    ]
    return render_world(
        request,
        ecosystem,
        "stories/society.html",
        {
            "world": ecosystem,
            "is_owner": can_edit(request.user, ecosystem),
            "view": view,
            "data": data,
            "communities": communities,
            "influence": influence,
            "heat_people": list(names.values()),
            "heat_rows": heat_rows,
            "asked_at": at,
            "missed": missed,
            "live": {
                "ws": f"/ws/ecosystems/{ecosystem.pk}/",
                "after": ecosystem.last_event_seq,
                "api": f"/api/v1/ecosystems/{ecosystem.pk}/social/",
                "colours": list(COMMUNITY_COLOURS),
                "pinned": bool(at),
            },
        },
    )


def _heat(cell: dict | None, busiest: int) -> dict | None:
    """A heatmap cell with its colour: green for warm, red for hostile, stronger the more
    often they talk (the count's share of the busiest pair's)."""
    if cell is None:
        return None
    alpha = 0.15 + 0.75 * cell["count"] / busiest
    rgb = "0, 158, 115" if cell["warmth"] >= 0 else "213, 94, 0"
    return {**cell, "style": f"background: rgba({rgb}, {alpha:.2f})"}


ANALYTICS_RANGES = (7, 30, 90)  # the day ranges the page offers; the API takes any 1..365


def _line(label: str, data: list[Any]) -> dict[str, Any]:
    return {"label": label, "data": data}


def world_analytics_charts(figures: WorldAnalytics) -> dict[str, Any]:
    """What ``static/js/analytics.js`` draws: one Chart.js spec per canvas id, the same numbers
    the page's tables hold."""
    days = [d.isoformat() for d in figures.days]
    return {
        "analytics-chart-genre": {
            "type": "bar",
            "stacked": True,
            "labels": days,
            "datasets": [_line(g or "?", s) for g, s in figures.stories_by_genre.items()],
        },
        "analytics-chart-status": {
            "type": "bar",
            "stacked": True,
            "labels": days,
            "datasets": [_line(s, v) for s, v in figures.stories_by_status.items()],
        },
        "analytics-chart-interactions": {
            "type": "bar",
            "stacked": True,
            "labels": days,
            "datasets": [_line(t, v) for t, v in figures.interactions_by_type.items()],
        },
        "analytics-chart-ticks": {
            "type": "line",
            "labels": [r["tick"] for r in figures.recent_ticks],
            "datasets": [_line("Interactions", [r["count"] for r in figures.recent_ticks])],
        },
        "analytics-chart-engagement": {
            "type": "line",
            "labels": days,
            "datasets": [
                _line("Director interventions", figures.director_interventions),
                _line("Conversations started", figures.conversations_started),
                _line("Messages", figures.messages),
            ],
        },
    }


@login_required
def analytics(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    """A world's figures for its owner (and staff), as tables with charts drawn over them."""
    ecosystem = analytics_world_for(request.user, ecosystem_id)
    try:
        days = int(request.GET.get("days", DEFAULT_DAYS))
    except ValueError:
        days = DEFAULT_DAYS
    if days not in ANALYTICS_RANGES:
        days = DEFAULT_DAYS
    figures = world_analytics(ecosystem=ecosystem, days=days)
    rows = [
        {
            "day": day,
            "stories": sum(s[i] for s in figures.stories_by_genre.values()),
            "interactions": figures.interactions_per_day[i],
            "director": figures.director_interventions[i],
            "conversations": figures.conversations_started[i],
            "messages": figures.messages[i],
        }
        for i, day in enumerate(figures.days)
    ]
    return render_world(
        request,
        ecosystem,
        "stories/analytics.html",
        {
            "world": ecosystem,
            "is_owner": can_edit(request.user, ecosystem),
            "figures": figures,
            "days": days,
            "ranges": ANALYTICS_RANGES,
            "rows": list(reversed(rows)),
            "genres": [(g, sum(s)) for g, s in figures.stories_by_genre.items()],
            "statuses": [(s, sum(v)) for s, v in figures.stories_by_status.items()],
            "types": [(t, sum(v)) for t, v in figures.interactions_by_type.items()],
            "charts": world_analytics_charts(figures),
        },
    )
