"""Reads of the characters app: retrieval from a character's memory stream.

**Recall under filtering.** Relevance comes from cosine distance on ``Memory.embedding``, which
has one HNSW index (``memory_embedding_hnsw``) over the memories of every character of every
world. pgvector applies ``WHERE character_id = ...`` after the index scan, so a plain scan finds
``hnsw.ef_search`` (40) neighbours, mostly someone else's, and recall is lost. So:

- every retrieval first sets ``hnsw.iterative_scan = relaxed_order`` (pgvector >= 0.8: the scan
  goes on walking the graph until the filtered query has its rows, up to
  ``hnsw.max_scan_tuples``, 20,000 by default) and ``hnsw.ef_search = HNSW_EF_SEARCH``, with
  ``set_config(..., true)`` (``SET LOCAL``): they last until the enclosing transaction ends and
  only ever affect HNSW scans. Any plan that uses the index is then safe.
- a character whose memories are few, or a small share of the table, is searched exactly: one
  pass over its rows (through its ``character_id`` index) computes every distance, and neither
  that pass nor ordering by similarity (``1 - distance``, as the browser's search does) is
  something the HNSW index can serve. ``_search_exactly`` says when (a cost model measured with
  bench/memory.py).
- should an index scan still come back short (scan limit reached), one exact query makes up.

**Candidate pool.** Generative Agents scores the whole stream; we score a pool read in one
query: the ``RELEVANCE_POOL`` most relevant, ``IMPORTANCE_POOL`` most important and
``RECENCY_POOL`` most recently formed memories. For a small character the three lists are cut
from the one exact pass (a ``MATERIALIZED`` CTE); for a big one each comes from its own index
(HNSW, ``memory_importance``, ``memory_character_recent``) in a ``UNION ALL``. A memory outside
all three (middling on every component) can in principle outscore one inside; with pools this
deep over the top of each component it is rare, and scoring stays cheap however long the
stream. The queries are plain SQL: compiling the three-branch union through the ORM cost more
than running it (2.6 ms against 1 ms).

**Reads only.** Retrieval never writes: recording that the returned memories were accessed is
``characters.services.memories_recall``'s (retrieve, then one UPDATE).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.db.models import QuerySet
from pgvector import Vector

from characters.embeddings import embed_texts
from characters.engine.memory import (
    DEFAULT_WEIGHTS,
    REFLECTION_IMPORTANCE_BUDGET,
    MemoryCandidate,
    RetrievalWeights,
    hours_between,
    rank_memories,
)
from characters.models import Character, Memory

# Exact search below this many memories whatever the world's size (a few ms at most).
EXACT_SEARCH_MAX_MEMORIES = 2_000
# Above it: exact search reads the character's n rows, the index scan visits about
# RELEVANCE_POOL * total / n tuples; a visited tuple costs ~8 exact rows (bench/memory.py: exact
# ~1.8 us a row, iterative HNSW ~15 us a tuple, 256-d, 100,000 memories). Exact wins while
# n**2 < HNSW_TUPLE_COST * RELEVANCE_POOL * total: ~6,300 memories in a 100,000-memory table.
HNSW_TUPLE_COST = 8
HNSW_EF_SEARCH = 100  # candidates per HNSW scan step; pgvector's default is 40
RELEVANCE_POOL = 50
IMPORTANCE_POOL = 20
RECENCY_POOL = 20
RELEVANCE_BRANCH, IMPORTANCE_BRANCH, RECENCY_BRANCH = 0, 1, 2  # which list a pooled row is from

_MEMORY = Memory._meta.db_table
_WORLD = Character._meta.get_field("ecosystem").related_model._meta.db_table  # no upward import
# The columns retrieval reads, in the model's field order (``Model.from_db`` expects it): all but
# the embedding, which stays in the database.
_FIELDS = [f for f in Memory._meta.concrete_fields if f.name != "embedding"]
_FIELD_NAMES = [f.attname for f in _FIELDS]
_COLUMNS = ", ".join(f.column for f in _FIELDS)
_PREAMBLE = f"""
SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),
       set_config('hnsw.ef_search', %(ef_search)s, true),
       (SELECT count(*) FROM {_MEMORY} WHERE character_id = %(character)s),
       (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = '{_MEMORY}'::regclass),
       (SELECT current_tick FROM {_WORLD} WHERE id = %(world)s),
       (SELECT minutes_per_tick FROM {_WORLD} WHERE id = %(world)s)
"""
_EXACT_ORDER = "1 - (embedding <=> %(query)s::vector) DESC, id"  # the index cannot serve this
_INDEX_ORDER = "embedding <=> %(query)s::vector"
_RELEVANCE = f"""
(SELECT {_COLUMNS}, embedding <=> %(query)s::vector AS distance, {RELEVANCE_BRANCH} AS branch
 FROM {_MEMORY} WHERE character_id = %(character)s AND embedding IS NOT NULL
 ORDER BY {{order}} LIMIT %(relevance_pool)s)"""
_OTHER_BRANCHES = f"""
UNION ALL
(SELECT {_COLUMNS}, {{distance}} AS distance, {IMPORTANCE_BRANCH} AS branch
 FROM {_MEMORY} WHERE character_id = %(character)s
 ORDER BY importance DESC, tick DESC LIMIT %(importance_pool)s)
UNION ALL
(SELECT {_COLUMNS}, {{distance}} AS distance, {RECENCY_BRANCH} AS branch
 FROM {_MEMORY} WHERE character_id = %(character)s
 ORDER BY created_at DESC LIMIT %(recency_pool)s)"""
# Big characters: each list from its own index (HNSW under the iterative scan, memory_importance,
# memory_character_recent).
_POOL_INDEXED = _RELEVANCE + _OTHER_BRANCHES.format(distance="embedding <=> %(query)s::vector")
_POOL_INDEXED_NO_QUERY = _OTHER_BRANCHES.format(distance="NULL::float8").removeprefix("\nUNION ALL")
# Small characters: one pass over their rows computes every distance (the exact search), and the
# three lists are cut from that, so the rows are read once, whatever the planner estimates.
_POOL_EXACT = f"""
WITH mine AS MATERIALIZED (
  SELECT {_COLUMNS}, {{distance}} AS distance FROM {_MEMORY} WHERE character_id = %(character)s
)
(SELECT *, {RELEVANCE_BRANCH} AS branch FROM mine WHERE distance IS NOT NULL
 ORDER BY distance, id LIMIT %(relevance_pool)s)
UNION ALL
(SELECT *, {IMPORTANCE_BRANCH} FROM mine ORDER BY importance DESC, tick DESC, id
 LIMIT %(importance_pool)s)
UNION ALL
(SELECT *, {RECENCY_BRANCH} FROM mine ORDER BY created_at DESC, id LIMIT %(recency_pool)s)"""


@dataclass(frozen=True)
class RetrievedMemory:
    """A memory as retrieval ranked it: the weighted ``score``, its three normalised components
    (0..1) and the raw cosine ``similarity`` to the query (``None`` without query or
    embedding)."""

    memory: Memory
    score: float
    recency: float
    importance: float
    relevance: float
    similarity: float | None
    now_tick: int  # the tick the memory was ranked at (the world's clock by default)


@dataclass(frozen=True)
class _Plan:
    count: int
    exact: bool
    now_tick: int
    minutes_per_tick: int


def memories_retrieve(
    *,
    character: Character,
    query: str | None = None,
    embedding: Sequence[float] | None = None,
    limit: int = 10,
    now_tick: int | None = None,
    minutes_per_tick: int | None = None,
    weights: RetrievalWeights = DEFAULT_WEIGHTS,
) -> list[RetrievedMemory]:
    """The ``limit`` memories of ``character`` best scored by recency, importance and relevance
    to ``query`` (or to a ready ``embedding``), best first. Writes nothing (a character that
    *recalls* them calls ``characters.services.memories_recall``, which records the access).

    ``now_tick`` and ``minutes_per_tick`` default to the world's clock. Without a query
    relevance ranks nothing. Two queries in a transaction (for the ``SET LOCAL`` scan settings)
    whatever the stream's length: the preamble (settings, count, clock) and the pool; plus one
    exact top-up in the rare case described above.
    """
    vector = _query_vector(query, embedding)
    # No savepoint inside a caller's transaction (a message answered holds one): a read has
    # nothing to undo, and a failed query fails that transaction whatever we do here.
    with transaction.atomic(savepoint=False):
        plan = _preamble(character)
        now = plan.now_tick if now_tick is None else now_tick
        minutes = plan.minutes_per_tick if minutes_per_tick is None else minutes_per_tick
        pool = _candidate_pool(character, vector, plan)
        ranked = rank_memories(
            [
                MemoryCandidate(
                    id=key,
                    importance=m.importance,
                    hours_since_access=hours_between(
                        now_tick=now,
                        then_tick=max(m.tick, m.last_accessed_tick),
                        minutes_per_tick=minutes,
                    ),
                    similarity=_similarity(m),
                )
                for key, m in pool.items()
            ],
            weights=weights,
            limit=limit,
        )
    return [
        RetrievedMemory(
            memory=pool[s.id],
            score=s.score,
            recency=s.recency,
            importance=s.importance,
            relevance=s.relevance,
            similarity=_similarity(pool[s.id]),
            now_tick=now,
        )
        for s in ranked
    ]


def memories_search(*, character: Character, text: str, limit: int = 20) -> list[Memory]:
    """The memory browser's semantic search: ``character``'s memories nearest in meaning to
    ``text``, nearest first, each with ``similarity`` (-1..1) set. Browsing is not the character
    remembering, so access times are left alone.

    A list, not a queryset: the HNSW settings are transaction-local, so the rows are read inside
    the transaction that sets them.
    """
    if not text.strip():
        return []
    vector = embed_texts([text])[0]
    with transaction.atomic():
        plan = _preamble(character)
        params = _params(character, vector, relevance_pool=limit)
        rows = _memories(_relevance_sql(plan.exact), params)
        if not plan.exact and len(rows) < min(limit, plan.count):
            rows = _memories(_relevance_sql(True), params)
    for memory in rows:
        memory.similarity = _similarity(memory)  # type: ignore[attr-defined]
    return rows


def memories_recent(*, character: Character) -> QuerySet[Memory]:
    """A character's memory stream, newest first (the browser's list without a search)."""
    return Memory.objects.filter(character=character).order_by("-created_at")


def characters_due_reflection(*, ecosystem_id: UUID | str) -> QuerySet[Character]:
    """Active characters of a world whose budget hint says a reflection is due (the tick
    enqueues ``memory_reflect_task`` for them; the service checks the stream itself)."""
    return Character.objects.filter(
        ecosystem_id=ecosystem_id,
        is_active=True,
        importance_since_reflection__gte=REFLECTION_IMPORTANCE_BUDGET,
    )


# --- Internals ----------------------------------------------------------------------------------


def _search_exactly(count: int, total: int) -> bool:
    """Whether an exact search over the character's ``count`` memories beats an iterative HNSW
    scan of a table of ``total`` (see ``HNSW_TUPLE_COST``)."""
    crossover = math.sqrt(HNSW_TUPLE_COST * RELEVANCE_POOL * max(total, count))
    return count <= max(EXACT_SEARCH_MAX_MEMORIES, crossover)


def _preamble(character: Character) -> _Plan:
    """One round trip: the HNSW settings, the character's memory count, the table's estimated
    size and the world's clock."""
    with connection.cursor() as cursor:
        cursor.execute(
            _PREAMBLE,
            {
                "ef_search": str(HNSW_EF_SEARCH),
                "character": character.pk,
                "world": character.ecosystem_id,
            },
        )
        *_, count, total, now_tick, minutes_per_tick = cursor.fetchone()
    return _Plan(count, _search_exactly(count, total), now_tick or 0, minutes_per_tick or 1)


def _query_vector(query: str | None, embedding: Sequence[float] | None) -> list[float] | None:
    if embedding is not None:
        return [float(x) for x in embedding]
    if query and query.strip():
        return embed_texts([query])[0]
    return None


def _params(character: Character, vector: list[float] | None, **pools: int) -> dict[str, Any]:
    return {
        "character": character.pk,
        "query": Vector(vector).to_text() if vector is not None else None,
        "relevance_pool": RELEVANCE_POOL,
        "importance_pool": IMPORTANCE_POOL,
        "recency_pool": RECENCY_POOL,
        **pools,
    }


def _relevance_sql(exact: bool) -> str:
    return _RELEVANCE.format(order=_EXACT_ORDER if exact else _INDEX_ORDER)


def _pool_sql(*, exact: bool, with_query: bool) -> str:
    if exact:
        distance = "embedding <=> %(query)s::vector" if with_query else "NULL::float8"
        return _POOL_EXACT.format(distance=distance)
    return _POOL_INDEXED.format(order=_INDEX_ORDER) if with_query else _POOL_INDEXED_NO_QUERY


def _candidate_pool(
    character: Character, vector: list[float] | None, plan: _Plan
) -> dict[str, Memory]:
    """The most relevant, most important and most recent memories, keyed by id (one query)."""
    params = _params(character, vector)
    rows = _memories(_pool_sql(exact=plan.exact, with_query=vector is not None), params)
    pool = {str(m.pk): m for m in rows}
    found = sum(1 for m in rows if m.branch == RELEVANCE_BRANCH)  # type: ignore[attr-defined]
    if vector is not None and not plan.exact and found < min(RELEVANCE_POOL, plan.count):
        for m in _memories(_relevance_sql(True), params):
            pool.setdefault(str(m.pk), m)
    return pool


def _memories(sql: str, params: dict[str, Any]) -> list[Memory]:
    """Rows of ``_COLUMNS`` + distance + branch as (partly deferred) ``Memory`` instances, with
    ``distance`` and ``branch`` attributes. Cheaper than ``Manager.raw``, which works out the
    column mapping for every call."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    memories = []
    for *values, distance, branch in rows:
        memory = Memory.from_db(connection.alias, _FIELD_NAMES, values)
        memory.distance = distance  # type: ignore[attr-defined]
        memory.branch = branch  # type: ignore[attr-defined]
        memories.append(memory)
    return memories


def _similarity(memory: Memory) -> float | None:
    distance = getattr(memory, "distance", None)
    return None if distance is None else 1.0 - float(distance)
