"""Analytics for creators and staff (issue 16, item 3): a world's story, interaction and
engagement figures day by day for its owner, and the platform's figures for staff.

Every figure is aggregated in SQL, one grouped query per table (``TruncDate`` and ``Count``);
Python only lays the few grouped rows out on the calendar and takes percentiles of the
per-story durations (one row per story that reached its climax, a few hundred at most).
Days are UTC calendar days (``TIME_ZONE`` is UTC); the last one is today so far.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Min, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate, TruncWeek
from django.http import Http404
from django.utils import timezone

from billing.metering import api_calls_by_day, month_start
from billing.models import ApiUsage
from characters.models import Character
from ecosystems import access
from ecosystems.engine.events import EventKind
from ecosystems.models import (
    Conversation,
    ConversationMessage,
    Ecosystem,
    Event,
    Interaction,
    Tick,
)
from stories.models import Story

DEFAULT_DAYS = 30
MAX_DAYS = 365  # a year of daily rows: the most a chart stays readable with
TOP_CHARACTERS = 10
RECENT_TICKS = 50  # the per-tick chart shows this many of the latest ticks with interactions
RETENTION_DAYS = 30  # "30-day retention": signed up 30-60 days ago, active in the last 30
COHORT_WEEKS = 8  # the weekly cohort table: this many signup weeks, each followed week by week
STORY_EVENTS = (EventKind.STORY_DETECTED, EventKind.STORY_UPDATED)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` (0..1) percentile with linear interpolation between the closest ranks, as
    PostgreSQL's ``percentile_cont``; ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _round(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def calendar(*, days: int, today: dt.date | None = None) -> list[dt.date]:
    """The ``days`` UTC days ending with today, oldest first."""
    today = today or timezone.now().date()
    return [today - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]


def _since(days: list[dt.date]) -> dt.datetime:
    return dt.datetime.combine(days[0], dt.time.min, tzinfo=dt.UTC)


def _per_day(rows: Iterable[dict[str, Any]], days: list[dt.date], *, key: str = "n") -> list[int]:
    """Counts of grouped rows (``day``, ``key``) laid on ``days`` (0 for a day without rows)."""
    index = {day: i for i, day in enumerate(days)}
    series = [0] * len(days)
    for row in rows:
        if row["day"] in index:
            series[index[row["day"]]] += row[key]
    return series


def _per_day_by(
    rows: Iterable[dict[str, Any]], days: list[dt.date], *, group: str
) -> dict[str, list[int]]:
    """``{group value: counts per day}`` from rows grouped by ``day`` and ``group``, the
    biggest group first."""
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by[row[group] or ""].append(row)
    series = {name: _per_day(group_rows, days) for name, group_rows in by.items()}
    return dict(sorted(series.items(), key=lambda item: (-sum(item[1]), item[0])))


# --- a world ----------------------------------------------------------------------------------

ANALYTICS_OWNER_ONLY = (
    "A world's analytics are for its owner: you may read this world, not its figures."
)


def analytics_world_for(user: Any, ecosystem_id: Any) -> Ecosystem:
    """The world whose analytics ``user`` may read: their own, or any world for active staff.
    Someone else's private world is a 404 (it stays secret), a public one a 403."""
    if user is not None and user.is_authenticated and user.is_active and user.is_staff:
        world = Ecosystem.objects.filter(pk=ecosystem_id).select_related("owner").first()
        if world is None:
            raise Http404("No world with this id.")
        return world
    world = access.world_for(user, ecosystem_id)
    if not access.can_edit(user, world):
        raise PermissionDenied(ANALYTICS_OWNER_ONLY)
    return world


@dataclass(frozen=True)
class ClimaxTimes:
    """How long the stories that reached their climax in the window took from being noticed
    (their first story event, brewing) to their first event at climax."""

    stories: int
    median_hours: float | None
    p90_hours: float | None
    median_ticks: float | None
    p90_ticks: float | None


@dataclass(frozen=True)
class WorldAnalytics:
    days: list[dt.date]
    stories_total: int
    stories_by_genre: dict[str, list[int]]
    stories_by_status: dict[str, list[int]]
    climax: ClimaxTimes
    interactions_total: int
    interactions_per_day: list[int]
    interactions_by_type: dict[str, list[int]]
    interaction_ticks: int  # distinct ticks with an interaction in the window
    interactions_per_tick: float | None  # mean over those ticks
    recent_ticks: list[dict[str, int]]  # [{"tick", "count"}], oldest first
    top_characters: list[dict[str, Any]]  # [{"id", "name", "started", "received", "total"}]
    director_interventions: list[int]
    conversations_started: list[int]
    messages: list[int]
    owner_api_calls_this_month: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "days": [d.isoformat() for d in self.days],
            "stories": {
                "total": self.stories_total,
                "by_genre": self.stories_by_genre,
                "by_status": self.stories_by_status,
                "time_to_climax": asdict(self.climax),
            },
            "interactions": {
                "total": self.interactions_total,
                "per_day": self.interactions_per_day,
                "by_type": self.interactions_by_type,
                "ticks": self.interaction_ticks,
                "per_tick": self.interactions_per_tick,
                "recent_ticks": self.recent_ticks,
                "top_characters": self.top_characters,
            },
            "engagement": {
                "director_interventions": self.director_interventions,
                "conversations_started": self.conversations_started,
                "messages": self.messages,
                "owner_api_calls_this_month": self.owner_api_calls_this_month,
            },
        }


def climax_times(*, ecosystem: Ecosystem, since: dt.datetime) -> ClimaxTimes:
    """Brewing to climax of the world's stories that first reached climax since ``since``,
    read from the story events of the log (each carries the story's status then)."""
    at_climax = Q(payload__status=Story.Status.CLIMAX)
    rows = (
        Event.objects.filter(ecosystem=ecosystem, kind__in=STORY_EVENTS)
        .values(story=KT("payload__story_id"))
        .annotate(
            start_at=Min("created_at"),
            start_tick=Min("tick"),
            climax_at=Min("created_at", filter=at_climax),
            climax_tick=Min("tick", filter=at_climax),
        )
        .filter(climax_at__gte=since)
        .order_by()
    )
    hours, ticks = [], []
    for row in rows:
        hours.append((row["climax_at"] - row["start_at"]).total_seconds() / 3600)
        ticks.append(float(row["climax_tick"] - row["start_tick"]))
    return ClimaxTimes(
        stories=len(hours),
        median_hours=_round(percentile(hours, 0.5)),
        p90_hours=_round(percentile(hours, 0.9)),
        median_ticks=_round(percentile(ticks, 0.5), 1),
        p90_ticks=_round(percentile(ticks, 0.9), 1),
    )


def _top_characters(*, ecosystem: Ecosystem, since: dt.datetime) -> list[dict[str, Any]]:
    """The characters in most interactions since ``since``, either side, one grouped query."""
    table = Interaction._meta.db_table
    sql = f"""
        SELECT who, SUM(started), SUM(received) FROM (
            SELECT initiator_id AS who, COUNT(*) AS started, 0 AS received FROM {table}
             WHERE ecosystem_id = %(world)s AND created_at >= %(since)s GROUP BY initiator_id
            UNION ALL
            SELECT target_id, 0, COUNT(*) FROM {table}
             WHERE ecosystem_id = %(world)s AND created_at >= %(since)s GROUP BY target_id
        ) AS sides GROUP BY who ORDER BY SUM(started) + SUM(received) DESC, who LIMIT %(top)s
    """  # the table name is the model's, every value a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, {"world": ecosystem.pk, "since": since, "top": TOP_CHARACTERS})
        counts = cursor.fetchall()
    names = dict(
        Character.objects.filter(pk__in=[who for who, *_ in counts]).values_list("pk", "name")
    )
    return [
        {"id": str(who), "name": names.get(who, "?"), "started": int(s), "received": int(r),
         "total": int(s) + int(r)}
        for who, s, r in counts
    ]  # fmt: skip


def world_analytics(
    *, ecosystem: Ecosystem, days: int = DEFAULT_DAYS, today: dt.date | None = None
) -> WorldAnalytics:
    """A world's figures for the last ``days`` days (today included). About a dozen grouped
    queries, whatever the size of the world."""
    calendar_days = calendar(days=days, today=today)
    since = _since(calendar_days)
    stories = Story.objects.filter(ecosystem=ecosystem, created_at__gte=since).annotate(
        day=TruncDate("created_at")
    )
    by_genre = stories.values("day", "genre").annotate(n=Count("pk")).order_by()
    by_status = stories.values("day", "status").annotate(n=Count("pk")).order_by()
    interactions = Interaction.objects.filter(ecosystem=ecosystem, created_at__gte=since)
    by_type = (
        interactions.annotate(day=TruncDate("created_at"))
        .values("day", "interaction_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_type_rows = list(by_type)
    per_tick = list(
        interactions.values("tick").annotate(n=Count("pk")).order_by("-tick")[:RECENT_TICKS]
    )
    tick_totals = interactions.aggregate(ticks=Count("tick", distinct=True), n=Count("pk"))
    director = (
        Event.objects.filter(
            ecosystem=ecosystem, kind=EventKind.DIRECTOR_INTERVENTION, created_at__gte=since
        )
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    conversations = (
        Conversation.objects.filter(ecosystem=ecosystem, created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    messages = (
        ConversationMessage.objects.filter(conversation__ecosystem=ecosystem, created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    api_calls = (
        ApiUsage.objects.filter(user_id=ecosystem.owner_id, month=month_start())
        .values_list("calls", flat=True)
        .first()
    )
    by_genre_series = _per_day_by(by_genre, calendar_days, group="genre")
    n_ticks, n_interactions = tick_totals["ticks"], tick_totals["n"]
    return WorldAnalytics(
        days=calendar_days,
        stories_total=sum(sum(s) for s in by_genre_series.values()),
        stories_by_genre=by_genre_series,
        stories_by_status=_per_day_by(by_status, calendar_days, group="status"),
        climax=climax_times(ecosystem=ecosystem, since=since),
        interactions_total=n_interactions,
        interactions_per_day=_per_day(by_type_rows, calendar_days),
        interactions_by_type=_per_day_by(by_type_rows, calendar_days, group="interaction_type"),
        interaction_ticks=n_ticks,
        interactions_per_tick=_round(n_interactions / n_ticks) if n_ticks else None,
        recent_ticks=[{"tick": r["tick"], "count": r["n"]} for r in reversed(per_tick)],
        top_characters=_top_characters(ecosystem=ecosystem, since=since),
        director_interventions=_per_day(director, calendar_days),
        conversations_started=_per_day(conversations, calendar_days),
        messages=_per_day(messages, calendar_days),
        owner_api_calls_this_month=api_calls or 0,
    )


# --- the platform -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    """Of the users who signed up 30 to 60 days ago, how many were active in the last 30."""

    cohort: int
    retained: int

    @property
    def share(self) -> float | None:
        return self.retained / self.cohort if self.cohort else None


@dataclass(frozen=True)
class Cohort:
    week: dt.date  # the Monday of the signup week
    users: int
    active: list[int | None]  # users active in week 0, 1, ... after; None: not over yet


@dataclass(frozen=True)
class PlatformAnalytics:
    days: list[dt.date]
    signups: list[int]
    active_creators: list[int]
    worlds_running: int
    worlds_total: int
    users_total: int
    interactions: list[int]
    api_calls: list[int]
    weeks: list[dt.date]
    stories_per_week: list[int]
    api_months: list[dt.date]
    api_calls_per_month: list[int]
    retention: Retention
    cohorts: list[Cohort]


def _activity(since: dt.datetime) -> set[tuple[Any, dt.date]]:
    """(user id, UTC day) for every day since ``since`` a user was active: one of their worlds
    ticked or logged an event (edits, direction, interactions and stories all log one), or
    they wrote in a conversation. One query; distinct pairs only, so it stays at users by days
    rows however busy the worlds are."""
    world, tick, event = Ecosystem._meta.db_table, Tick._meta.db_table, Event._meta.db_table
    conversation = Conversation._meta.db_table
    message = ConversationMessage._meta.db_table
    sql = f"""
        SELECT w.owner_id, (t.created_at AT TIME ZONE 'UTC')::date FROM {tick} t
          JOIN {world} w ON w.id = t.ecosystem_id WHERE t.created_at >= %(since)s
        UNION
        SELECT w.owner_id, (e.created_at AT TIME ZONE 'UTC')::date FROM {event} e
          JOIN {world} w ON w.id = e.ecosystem_id WHERE e.created_at >= %(since)s
        UNION
        SELECT c.user_id, (m.created_at AT TIME ZONE 'UTC')::date FROM {message} m
          JOIN {conversation} c ON c.id = m.conversation_id
         WHERE m.created_at >= %(since)s AND m.speaker_kind = 'person'
    """  # table names are the models', every value a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, {"since": since})
        return set(cursor.fetchall())


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def platform_analytics(
    *, days: int = DEFAULT_DAYS, today: dt.date | None = None
) -> PlatformAnalytics:
    """The platform's figures for staff: daily for the last ``days`` days (API calls from the
    meter's day counters, ``billing.metering``), stories by week, API calls by month, 30-day
    retention and the weekly cohorts of the last ``COHORT_WEEKS`` weeks."""
    users = get_user_model().objects
    calendar_days = calendar(days=days, today=today)
    today = calendar_days[-1]
    since = _since(calendar_days)
    span = max(days, 2 * RETENTION_DAYS, 7 * COHORT_WEEKS)
    activity = _activity(_since(calendar(days=span, today=today)))

    signups = (
        users.filter(date_joined__gte=since)
        .annotate(day=TruncDate("date_joined"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    active_by_day: dict[dt.date, set[Any]] = defaultdict(set)
    for user_id, day in activity:
        active_by_day[day].add(user_id)
    interactions = (
        Interaction.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    weeks = sorted({_monday(d) for d in calendar_days})
    stories = (
        Story.objects.filter(created_at__gte=_since(weeks))
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    story_weeks = {row["week"].date(): row["n"] for row in stories}
    api = (
        ApiUsage.objects.filter(month__gte=calendar_days[0].replace(day=1))
        .values("month")
        .annotate(calls=Sum("calls"))
        .order_by("month")
    )
    api_rows = {row["month"]: row["calls"] for row in api}
    months = sorted({d.replace(day=1) for d in calendar_days})
    worlds = Ecosystem.objects.aggregate(
        total=Count("pk"), running=Count("pk", filter=Q(status=Ecosystem.Status.RUNNING))
    )
    return PlatformAnalytics(
        days=calendar_days,
        signups=_per_day(signups, calendar_days),
        active_creators=[len(active_by_day.get(d, ())) for d in calendar_days],
        worlds_running=worlds["running"],
        worlds_total=worlds["total"],
        users_total=users.count(),
        interactions=_per_day(interactions, calendar_days),
        api_calls=api_calls_by_day(calendar_days),
        weeks=weeks,
        stories_per_week=[story_weeks.get(w, 0) for w in weeks],
        api_months=months,
        api_calls_per_month=[api_rows.get(m, 0) for m in months],
        retention=_retention(activity, today=today),
        cohorts=_cohorts(activity, today=today),
    )


def _retention(activity: set[tuple[Any, dt.date]], *, today: dt.date) -> Retention:
    start = today - dt.timedelta(days=2 * RETENTION_DAYS - 1)
    end = today - dt.timedelta(days=RETENTION_DAYS - 1)  # exclusive: joined before this day
    cohort = set(
        get_user_model()
        .objects.filter(date_joined__gte=_since([start]), date_joined__lt=_since([end]))
        .values_list("pk", flat=True)
    )
    recent = {user for user, day in activity if day >= end}
    return Retention(cohort=len(cohort), retained=len(cohort & recent))


def _cohorts(activity: set[tuple[Any, dt.date]], *, today: dt.date) -> list[Cohort]:
    this_week = _monday(today)
    weeks = [this_week - dt.timedelta(weeks=n) for n in range(COHORT_WEEKS - 1, -1, -1)]
    joined = (
        get_user_model()
        .objects.filter(date_joined__gte=_since([weeks[0]]))
        .annotate(week=TruncWeek("date_joined"))
        .values_list("pk", "week")
    )
    members: dict[dt.date, set[Any]] = defaultdict(set)
    for pk, week in joined:
        members[week.date()].add(pk)
    active_weeks: dict[dt.date, set[Any]] = defaultdict(set)
    for user, day in activity:
        active_weeks[_monday(day)].add(user)
    cohorts = []
    for week in weeks:
        users = members.get(week, set())
        active: list[int | None] = []
        for k in range(COHORT_WEEKS):
            later = week + dt.timedelta(weeks=k)
            active.append(len(users & active_weeks[later]) if later <= this_week else None)
        cohorts.append(Cohort(week=week, users=len(users), active=active))
    return cohorts
