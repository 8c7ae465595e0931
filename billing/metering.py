"""Per-plan rate limits and monthly API-call metering: counters in the shared Redis, the month
kept durable in ``ApiUsage``.

One request costs one Redis round trip (a pipeline): the month's counter
``api-calls:<user>:<YYYY-MM>`` and the minute's counter ``api-rate:<user>:<minute>`` are
incremented together. The rate limit is a fixed one-minute window (at most twice the rate
across a window's edge); DRF's own ``SimpleRateThrottle`` keeps a sliding history instead, at
the price of a read and a write of the whole history per request, which races under
concurrency anyway. A call the rate limit refuses is taken off the month again.

The same pipeline counts the platform's calls of the day, ``api-calls-day:<YYYY-MM-DD>``, for
the staff dashboard; it is copied to ``ApiCallsDay`` whenever a user's month is (so the row
trails the live counter by less than ``FLUSH_EVERY`` calls per user calling that day), and
``api_calls_by_day`` reads the larger of the two.

The month's counter is copied to the user's ``ApiUsage`` row every ``FLUSH_EVERY`` calls, on
the first call of a month and whenever the quota refuses a call, with an upsert that only ever
raises the stored number. If Redis loses the counter (a restart without persistence, an
eviction), the next call seeds it again from that row: at most ``FLUSH_EVERY - 1`` calls go
uncounted, and the database is spared a write per request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from billing.models import ApiCallsDay, ApiUsage, Plan

FLUSH_EVERY = 20  # calls between copies to the database; the most a lost counter forgets
COUNTER_TTL_SECONDS = 40 * 24 * 3600  # a month and some: old months expire on their own
RATE_WINDOW_SECONDS = 60


def month_start(now: dt.datetime | None = None) -> dt.date:
    now = now or timezone.now()
    return now.date().replace(day=1)


def next_month_start(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first + dt.timedelta(days=32)).replace(day=1)


def _key(user_id: object, month: dt.date) -> str:
    return f"api-calls:{user_id}:{month:%Y-%m}"


def _day_key(day: dt.date) -> str:
    return f"api-calls-day:{day:%Y-%m-%d}"


def _rate_key(user_id: object, window: int) -> str:
    return f"api-rate:{user_id}:{window}"


def _durable_calls(user_id: object, month: dt.date) -> int:
    row = ApiUsage.objects.filter(user_id=user_id, month=month).values_list("calls", flat=True)
    return row.first() or 0


def _flush(user_id: object, month: dt.date, calls: int) -> None:
    """Upsert the month's row, never lowering it (flushes may arrive out of order)."""
    table = ApiUsage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, month, calls, updated_at) VALUES (%s, %s, %s, now()) "
            f"ON CONFLICT (user_id, month) DO UPDATE SET calls = GREATEST({table}.calls, "
            "EXCLUDED.calls), updated_at = EXCLUDED.updated_at",
            [user_id, month, calls],
        )


def _flush_day(day: dt.date, calls: int) -> None:
    """Upsert the day's platform-wide row, never lowering it."""
    table = ApiCallsDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, calls, updated_at) VALUES (%s, %s, now()) "
            f"ON CONFLICT (day) DO UPDATE SET calls = GREATEST({table}.calls, EXCLUDED.calls), "
            "updated_at = EXCLUDED.updated_at",
            [day, calls],
        )


@dataclass(frozen=True)
class Metered:
    allowed: bool
    reason: str = ""  # "rate" or "quota" when refused
    calls: int = 0  # calls this month, this one included when allowed
    limit: int | None = None  # the monthly limit; None: unlimited
    retry_after_seconds: int = 0


def _counted(
    user_id: object, month: dt.date, day: dt.date, window: int, *, metered: bool
) -> tuple[bool, int, int, int]:
    """(month counter was new, calls this month, calls this minute, the platform's calls
    today) in one round trip."""
    month_key = cache.make_and_validate_key(_key(user_id, month))
    day_key = cache.make_and_validate_key(_day_key(day))
    rate_key = cache.make_and_validate_key(_rate_key(user_id, window))
    client = cache._cache.get_client(write=True)  # Django's Redis backend: its pooled client
    pipe = client.pipeline(transaction=False)
    if metered:
        pipe.set(month_key, 0, nx=True, ex=COUNTER_TTL_SECONDS)
        pipe.incr(month_key)
        pipe.set(day_key, 0, nx=True, ex=COUNTER_TTL_SECONDS)
        pipe.incr(day_key)
    pipe.incr(rate_key)
    pipe.expire(rate_key, RATE_WINDOW_SECONDS * 2)
    replies = pipe.execute()
    if metered:
        created, calls, _, today, per_minute, _ = replies
        return bool(created), int(calls), int(per_minute), int(today)
    return False, 0, int(replies[0]), 0


def api_call_meter(
    *, user_id: object, plan: Plan, metered: bool = True, now: dt.datetime | None = None
) -> Metered:
    """Count one API call of ``user_id``: refused past the plan's requests per minute (not
    counted in the month then) or past its monthly calls. ``metered=False`` applies the rate
    limit only (views that say where a user stands)."""
    now = now or timezone.now()
    month, day = month_start(now), now.date()
    window = int(now.timestamp()) // RATE_WINDOW_SECONDS
    created, calls, per_minute, today = _counted(user_id, month, day, window, metered=metered)
    month_key = _key(user_id, month)
    if created:  # a new month, or Redis lost the counter: carry on from the durable row
        durable = _durable_calls(user_id, month)
        if durable:
            calls = cache.incr(month_key, durable)
    if per_minute > plan.api_requests_per_minute:
        if metered:
            cache.decr(month_key)
            cache.decr(_day_key(day))
        wait = RATE_WINDOW_SECONDS - int(now.timestamp()) % RATE_WINDOW_SECONDS
        return Metered(allowed=False, reason="rate", retry_after_seconds=wait)
    if not metered:
        return Metered(allowed=True)
    limit = plan.api_calls_per_month
    if limit is not None and calls > limit:
        calls = cache.decr(month_key)
        cache.decr(_day_key(day))
        _flush(user_id, month, calls)
        wait = int((next_month_start(now) - now).total_seconds()) + 1
        return Metered(False, "quota", calls, limit, wait)
    if calls == 1 or calls % FLUSH_EVERY == 0 or created:
        _flush(user_id, month, calls)
        _flush_day(day, today)
    return Metered(allowed=True, calls=calls, limit=limit)


def api_calls_this_month(*, user_id: object, now: dt.datetime | None = None) -> int:
    """Calls counted this month: the live counter, or the durable row if Redis has none."""
    month = month_start(now)
    live = cache.get(_key(user_id, month))
    return max(int(live or 0), _durable_calls(user_id, month))


def api_calls_by_day(days: list[dt.date]) -> list[int]:
    """The platform's API calls on each of ``days``: the live counter, or the durable row when
    it holds more (Redis lost the counter, or it expired after 40 days)."""
    live = cache.get_many([_day_key(d) for d in days])
    durable = dict(ApiCallsDay.objects.filter(day__in=days).values_list("day", "calls"))
    return [max(int(live.get(_day_key(d)) or 0), durable.get(d, 0)) for d in days]
