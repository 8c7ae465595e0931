"""Ticks of big worlds on the embedded stack: 1,000 and 10,000 characters.

Each world has about ten relationships per character. A tick is measured end to end
(``ecosystem_tick``: claim, load, plan, resolve, bulk writes, publish, commit). Targets
(issue 4): 1,000 characters at most 1 s, 10,000 at most 10 s, and the number of queries per
tick the same for both sizes. The worlds are kept between runs in the bench database.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import time

from bench.common import Figure, django_bench_database

SIZES = ((1_000, 1.0), (10_000, 5.0))  # characters, target seconds per tick (issue 19)
RATIO_TARGET = 4.0  # a tick at most 4x a COPY of the rows it writes (issue 19)
_WRITE = re.compile(r'^(?:INSERT INTO|UPDATE) "([a-z0-9_]+)"', re.IGNORECASE)
RELATIONSHIPS_PER_CHARACTER = 10
TICKS = 3
WARMUP_TICKS = 2  # the first ticks of a new world have no history yet: not representative
GOALS = (
    "Win {other}'s heart",
    "Get revenge on {other}",
    "Become friends with {other}",
    "Find out what {other} is hiding",
    "Impress everyone at the fair",
    "Protect {other}",
)
VALUES = ("loyalty", "honesty", "ambition", "kindness", "freedom", "tradition", "curiosity")


def run() -> list[Figure]:
    django_bench_database()
    figures: list[Figure] = []
    queries: list[int] = []
    only = os.environ.get("BENCH_TICKS_SIZES")  # e.g. "1000": skip the 10,000 world
    sizes = [(n, t) for n, t in SIZES if not only or str(n) in only.split(",")]
    for size, target in sizes:
        world = town_build(size)
        seconds, per_tick_queries, floors = _measure(world)
        queries.append(per_tick_queries)
        figures += [
            Figure(f"tick, {size:,} characters (median of {TICKS})", statistics.median(seconds),
                   "s", target, floor=statistics.median(floors),
                   floor_name="COPY of the rows the tick wrote, into TEMP tables LIKE its own",
                   ratio_target=RATIO_TARGET),
            Figure(f"tick, {size:,} characters (slowest)", max(seconds), "s"),
            Figure(f"queries per tick, {size:,} characters", per_tick_queries, "queries"),
        ]  # fmt: skip
    if len(queries) == 2:
        figures.append(
            Figure("query growth 1k -> 10k characters", queries[1] - queries[0], "queries", 0)
        )
    return figures


def _inserted_rows(captured) -> dict[str, int]:
    """The tables the tick writes: those named by its INSERTs and UPDATEs."""
    tables = {m.group(1) for q in captured.captured_queries if (m := _WRITE.match(q["sql"]))}
    return {t: 0 for t in sorted(tables)}


def _copy_floor(before: dict[str, int]) -> float:
    """COPY as many rows as the tick inserted (rows it just wrote) into TEMP tables shaped like
    the tick's tables; returns seconds of the COPY + COMMIT only."""
    from django.db import connection, transaction

    rows: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for table, xid in before.items():
            # rows the tick inserted or updated: their xmin is a transaction after ``xid``
            cursor.execute(f'SELECT * FROM "{table}" WHERE xmin::text::bigint > %s', [xid])
            rows[table] = cursor.fetchall()
            cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS "floor_{table}" (LIKE "{table}")')
            cursor.execute(f'TRUNCATE "floor_{table}"')
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, table_rows in rows.items():
            with cursor.copy(f'COPY "floor_{table}" FROM STDIN') as copy:
                for row in table_rows:
                    copy.write_row(row)
    return time.perf_counter() - started


def _max_ids(tables) -> dict[str, int]:
    """The newest transaction id before the tick (32-bit, as ``xmin`` holds it), per table:
    ids are UUIDs in some tables, so "newer than the largest id" cannot find the tick's rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current() % 4294967296")
        xid = cursor.fetchone()[0]
    return {table: xid for table in tables}


def _measure(world) -> tuple[list[float], int, list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ecosystems.services.ticks import ecosystem_tick

    for _ in range(WARMUP_TICKS):  # the last warmup tick names the tables a tick inserts into
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as warm:
            ecosystem_tick(ecosystem_id=world.pk)
    tables = _inserted_rows(warm)
    seconds = []
    floors = []
    query_count = 0
    for _ in range(TICKS):
        before = _max_ids(tables)
        connection.queries_log.clear()  # a full log (9,000 entries) would hide new queries
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            result = ecosystem_tick(ecosystem_id=world.pk)
        seconds.append(time.perf_counter() - started)
        query_count = max(query_count, len(captured.captured_queries))
        assert result.ran and result.interactions > 0, result
        floors.append(_copy_floor(before))  # tick, copy, tick, copy ...
    return seconds, query_count, floors


def town_build(size: int):
    from django.contrib.auth import get_user_model

    from characters.models import PLUTCHIK, Character
    from ecosystems.models import Ecosystem, Relationship

    owner, _ = get_user_model().objects.get_or_create(username="bench")
    name = f"Bench town of {size}"
    Ecosystem.objects.filter(owner=owner, name=name).delete()
    world = Ecosystem.objects.create(owner=owner, name=name, slug=f"bench-{size}", seed=size)
    rng = random.Random(size)
    names = [f"Citizen {i:05d}" for i in range(size)]
    people = Character.objects.bulk_create(
        [
            Character(
                ecosystem=world,
                name=person,
                openness=rng.random(),
                conscientiousness=rng.random(),
                extraversion=rng.random(),
                agreeableness=rng.random(),
                neuroticism=rng.random(),
                autonomy_level=0.4 + 0.6 * rng.random(),
                values=rng.sample(VALUES, 2),
                long_term_goals=[
                    {"description": rng.choice(GOALS).format(other=rng.choice(names)),
                     "progress": 0.0}
                ],
                emotions={e: round(0.2 * rng.random(), 3) for e in PLUTCHIK},
                secrets=[f"I once lied to {rng.choice(names)}"] if rng.random() < 0.2 else [],
            )
            for person in names
        ],
        batch_size=2_000,
    )  # fmt: skip
    pairs = set()
    for i in range(len(people)):
        for _ in range(RELATIONSHIPS_PER_CHARACTER):
            j = rng.randrange(size)
            if j != i:
                pairs.add((i, j))
    Relationship.objects.bulk_create(
        [
            Relationship(
                ecosystem=world,
                source=people[i],
                target=people[j],
                strength=round(rng.uniform(-0.6, 0.8), 3),
                trust=round(rng.uniform(-0.4, 0.8), 3),
                familiarity=round(rng.uniform(0.1, 0.9), 3),
                attraction=round(rng.uniform(0.0, 0.5), 3),
                kind=Relationship.Kind.ACQUAINTANCE,
            )
            for i, j in sorted(pairs)
        ],
        batch_size=5_000,
    )
    return world


if __name__ == "__main__":
    for figure in run():
        print(f"{figure.name}: {figure.value:,.3f} {figure.unit} (target {figure.target})")
