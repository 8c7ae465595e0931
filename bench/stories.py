"""Story sifting on a real event log: 10,000 new events at most 1 s (issue 5), and the cost of
sifting growing with the new events only, never with the whole log.

A town of 300 characters (``bench.ticks.town_build``) runs real ticks, so the log holds what
worlds really log (interactions, relationship and emotion changes, goals, gossip, escalations,
ticks). Measured with ``stories_sift`` end to end: read the events after the cursor, run the
sifting engine and the story board, write stories and beats, publish story events, move the
cursor. Three figures:

- the first sift of a log of >= 10,000 events, scaled to 10,000 (target 1 s);
- the engine alone on those events (``Sifter.feed`` + ``StoryBoard.apply``), for comparison;
- incremental sifting after each tick, early (log ~10k) against late (log ~40k): time per new
  event in microseconds, and their ratio (target: about 1, i.e. no growth with the log).
"""

from __future__ import annotations

import statistics
import time

from bench.common import Figure, django_bench_database

TOWN = 300
FIRST_LOG_EVENTS = 10_000
LATE_LOG_EVENTS = 40_000
TICKS_MEASURED = 8  # incremental sifts measured at each end


def run() -> list[Figure]:
    django_bench_database("bench_stories")
    from bench.ticks import town_build
    from ecosystems.models import Event
    from ecosystems.services.ticks import ecosystem_tick
    from stories.engine import PATTERNS, LogEvent, Sifter, StoryBoard
    from stories.services import stories_sift

    world = town_build(TOWN)
    while Event.objects.filter(ecosystem=world).count() < FIRST_LOG_EVENTS:
        ecosystem_tick(ecosystem_id=world.pk)
    rows = list(Event.objects.filter(ecosystem=world).order_by("seq")
                .values_list("seq", "tick", "kind", "payload"))  # fmt: skip

    started = time.perf_counter()
    sifter, board = Sifter(PATTERNS), StoryBoard()
    board.apply(sifter.feed([LogEvent(*row) for row in rows]), tick=rows[-1][1])
    engine_seconds = time.perf_counter() - started

    started = time.perf_counter()
    first = stories_sift(ecosystem_id=world.pk)
    first_seconds = time.perf_counter() - started

    early = _incremental(world, TICKS_MEASURED)
    while Event.objects.filter(ecosystem=world).count() < LATE_LOG_EVENTS:
        ecosystem_tick(ecosystem_id=world.pk)
        stories_sift(ecosystem_id=world.pk)
    late = _incremental(world, TICKS_MEASURED)
    from stories.models import Story

    stories = Story.objects.filter(ecosystem=world).count()
    scale = 10_000 / first.events
    return [
        Figure(f"first sift of {first.events:,} events, scaled to 10,000",
               first_seconds * scale, "s", 1.0),
        Figure("engine alone (sifter + board), scaled to 10,000 events",
               engine_seconds * 10_000 / len(rows), "s"),
        Figure("incremental sift, log ~10k: per new event", early * 1e6, "us"),
        Figure("incremental sift, log ~40k: per new event", late * 1e6, "us"),
        Figure("incremental cost growth, 40k log vs 10k log", late / early, "x", 1.5),
        Figure(f"stories in the {TOWN}-character town", stories, "stories"),
    ]  # fmt: skip


def _incremental(world, ticks: int) -> float:
    """Median seconds per new event of sifting right after each of ``ticks`` ticks."""
    from ecosystems.services.ticks import ecosystem_tick
    from stories.services import stories_sift

    per_event = []
    for _ in range(ticks):
        ecosystem_tick(ecosystem_id=world.pk)
        started = time.perf_counter()
        result = stories_sift(ecosystem_id=world.pk)
        per_event.append((time.perf_counter() - started) / max(1, result.events))
    return statistics.median(per_event)


if __name__ == "__main__":
    for figure in run():
        print(f"{figure.name}: {figure.value:,.3f} {figure.unit} (target {figure.target})")
