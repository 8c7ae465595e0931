"""``memories_retrieve`` and ``memories_search`` on the real PostgreSQL + pgvector."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from pgvector.django import CosineDistance

from characters import selectors
from characters.embeddings import embed_texts
from characters.engine.memory import RetrievalWeights
from characters.models import Memory
from characters.selectors import (
    characters_due_reflection,
    memories_retrieve,
    memories_search,
)
from characters.services import memories_recall
from tests.factories import CharacterFactory, MemoryFactory

RELEVANCE_ONLY = RetrievalWeights(recency=0.0, importance=0.0, relevance=1.0)
DIM = 256


def unit(v: np.ndarray) -> list[float]:
    return (v / np.linalg.norm(v)).tolist()


def near(q: np.ndarray, similarity: float, rng: np.random.Generator) -> list[float]:
    """A unit vector with the given cosine similarity to the unit vector ``q``."""
    noise = rng.normal(size=DIM)
    noise -= noise.dot(q) * q
    noise /= np.linalg.norm(noise)
    return unit(similarity * q + np.sqrt(1 - similarity**2) * noise)


@pytest.fixture
def crowd(world, alice):
    """2,000 memories of 20 other characters, all closer to the query than any of Alice's 60;
    yields (query vector, Alice's memory ids ordered by similarity to it)."""
    rng = np.random.default_rng(7)
    q = np.asarray(unit(rng.normal(size=DIM)))
    others = [CharacterFactory(ecosystem=world, name=f"Other {i}") for i in range(20)]
    Memory.objects.bulk_create(
        [
            Memory(character=others[i % 20], content=f"crowd {i}", embedding=near(q, 0.95, rng))
            for i in range(2_000)
        ],
        batch_size=500,
    )
    similarities = np.linspace(0.2, 0.8, 60)
    mine = Memory.objects.bulk_create(
        [
            Memory(character=alice, content=f"mine {i}", embedding=near(q, s, rng))
            for i, s in enumerate(similarities)
        ]
    )
    expected = [str(m.pk) for _, m in sorted(zip(similarities, mine, strict=True), reverse=True)]
    return q.tolist(), expected


@contextmanager
def hnsw_preferred() -> Iterator[None]:
    """A transaction in which the planner avoids sorting, so it orders by distance with the HNSW
    index: the plan a big world gets, which a 2,000-row test table would not otherwise get."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        yield


def test_a_plain_hnsw_scan_would_lose_this_characters_memories(alice, crowd):
    """The trap the selector avoids: the index returns ef_search neighbours, then filters."""
    query, _ = crowd
    with hnsw_preferred():
        found = list(
            Memory.objects.filter(character=alice)
            .order_by(CosineDistance("embedding", query))
            .values_list("pk", flat=True)[:10]
        )
    assert len(found) < 10


def test_the_hnsw_path_finds_the_right_memories_among_2000_closer_ones(alice, crowd, monkeypatch):
    force_index(monkeypatch)
    query, expected = crowd
    with hnsw_preferred(), CaptureQueriesContext(connection) as queries:
        got = memories_retrieve(character=alice, embedding=query, limit=10, weights=RELEVANCE_ONLY)
        plan = _plan(alice, query, exact=False)
    assert "memory_embedding_hnsw" in plan
    assert any("hnsw.iterative_scan" in q["sql"] for q in queries.captured_queries)
    assert [str(r.memory.pk) for r in got] == expected[:10]


def test_the_exact_path_finds_the_same_memories_without_the_index(alice, crowd):
    query, expected = crowd
    with hnsw_preferred():  # even where the planner would like the index, it cannot use it
        got = memories_retrieve(character=alice, embedding=query, limit=10, weights=RELEVANCE_ONLY)
        plan = _plan(alice, query, exact=True)
    assert "memory_embedding_hnsw" not in plan
    assert [str(r.memory.pk) for r in got] == expected[:10]


def test_the_memory_browser_search_finds_them_too(alice, crowd, monkeypatch):
    force_index(monkeypatch)
    query, expected = crowd
    monkeypatch.setattr(selectors, "embed_texts", lambda texts: [query])
    with hnsw_preferred():
        found = memories_search(character=alice, text="anything", limit=15)
    assert [str(m.pk) for m in found] == expected[:15]
    assert found[0].similarity == pytest.approx(0.8, abs=1e-3)


def force_index(monkeypatch) -> None:
    """Take the index path whatever the size (the cost model would search a small set exactly)."""
    monkeypatch.setattr(selectors, "_search_exactly", lambda count, total: False)


def _plan(alice, query, *, exact: bool) -> str:
    """The plans of the pool query and of the browser's search on the given path."""
    plans = []
    for sql in (selectors._pool_sql(exact=exact, with_query=True), selectors._relevance_sql(exact)):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, selectors._params(alice, query))
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n".join(plans)


# --- Ranking ------------------------------------------------------------------------------------


@pytest.fixture
def three_kinds(alice):
    """At tick 100 (15 minutes a tick): a fresh trifle, an old milestone and an old mention of
    the garden, each best on one component."""
    texts = {
        "fresh": "I had porridge for breakfast.",
        "milestone": "Bob betrayed me and sold my letters.",
        "garden": "The roses in the garden bloomed red.",
    }
    vectors = dict(zip(texts, embed_texts(list(texts.values())), strict=True))
    rows = {
        "fresh": MemoryFactory(character=alice, content=texts["fresh"], importance=2, tick=100),
        "milestone": MemoryFactory(
            character=alice, content=texts["milestone"], importance=10, tick=4
        ),
        "garden": MemoryFactory(character=alice, content=texts["garden"], importance=2, tick=4),
    }
    for name, row in rows.items():
        row.embedding = vectors[name]
        row.save(update_fields=["embedding"])
    return {name: str(row.pk) for name, row in rows.items()}


def top(alice, weights: RetrievalWeights, query: str = "roses blooming in the garden") -> str:
    (best,) = memories_retrieve(
        character=alice, query=query, limit=1, now_tick=100, minutes_per_tick=15, weights=weights
    )
    return str(best.memory.pk)


def test_each_component_can_decide_the_ranking(alice, three_kinds):
    assert top(alice, RetrievalWeights(5, 1, 1)) == three_kinds["fresh"]
    assert top(alice, RetrievalWeights(1, 5, 1)) == three_kinds["milestone"]
    assert top(alice, RetrievalWeights(1, 1, 5)) == three_kinds["garden"]


def test_the_ranking_reports_all_three_components(alice, three_kinds):
    got = memories_retrieve(
        character=alice, query="roses in the garden", now_tick=100, minutes_per_tick=15
    )
    by_id = {str(r.memory.pk): r for r in got}
    garden, fresh, milestone = (by_id[three_kinds[k]] for k in ("garden", "fresh", "milestone"))
    assert garden.relevance == 1.0 and fresh.recency == 1.0 and milestone.importance == 1.0
    assert garden.recency == 0.0 and garden.importance == 0.0
    assert garden.similarity > fresh.similarity
    for r in got:
        assert r.score == pytest.approx(r.recency + r.importance + r.relevance)
    assert [r.score for r in got] == sorted((r.score for r in got), reverse=True)


def test_without_a_query_recency_and_importance_rank(alice, three_kinds):
    got = memories_retrieve(character=alice, now_tick=100, minutes_per_tick=15)
    assert {r.relevance for r in got} == {0.0}
    assert {r.similarity for r in got} == {None}
    assert str(got[-1].memory.pk) == three_kinds["garden"]  # old and trivial


def test_the_world_clock_is_the_default(alice, world, three_kinds):
    world.current_tick = 100
    world.save(update_fields=["current_tick"])
    got = memories_recall(character=alice, limit=3)
    fresh = next(r for r in got if str(r.memory.pk) == three_kinds["fresh"])
    assert fresh.recency == 1.0
    assert fresh.memory.last_accessed_tick == 100


# --- Access -------------------------------------------------------------------------------------


def test_retrieval_itself_writes_nothing(alice):
    memory = MemoryFactory(character=alice, importance=9, tick=1)
    Memory.objects.update(last_accessed_tick=0)
    before = Memory.objects.get(pk=memory.pk).last_accessed_at
    (got,) = memories_retrieve(character=alice, limit=1, now_tick=50, minutes_per_tick=15)
    assert got.now_tick == 50
    stored = Memory.objects.get(pk=memory.pk)
    assert (stored.last_accessed_tick, stored.last_accessed_at) == (0, before)


def test_recall_marks_only_the_returned_memories_accessed(alice):
    memories = [MemoryFactory(character=alice, importance=i, tick=1) for i in range(1, 7)]
    Memory.objects.update(last_accessed_tick=0)
    before = {m.pk: m.last_accessed_at for m in memories}
    got = memories_recall(character=alice, limit=2, now_tick=50, minutes_per_tick=15)
    returned = {r.memory.pk for r in got}
    assert returned == {memories[5].pk, memories[4].pk}  # the two most important
    for memory in Memory.objects.filter(character=alice):
        if memory.pk in returned:
            assert memory.last_accessed_tick == 50
            assert memory.last_accessed_at > before[memory.pk]
        else:
            assert memory.last_accessed_tick == 0
            assert memory.last_accessed_at == before[memory.pk]


def test_a_retrieved_memory_is_fresh_again_next_time(alice):
    old = MemoryFactory(character=alice, importance=5, tick=0)
    MemoryFactory(character=alice, importance=5, tick=40)
    first = memories_recall(character=alice, limit=2, now_tick=200, minutes_per_tick=60)
    assert str(first[-1].memory.pk) == str(old.pk)  # older, so last
    # old alone retrieved now, at tick 200: it is now the most recently accessed
    memories_recall(character=alice, limit=1, now_tick=200, minutes_per_tick=60,
                      weights=RetrievalWeights(0, 0, 0))  # fmt: skip
    again = memories_recall(character=alice, limit=2, now_tick=201, minutes_per_tick=60)
    assert all(r.memory.last_accessed_tick >= 200 for r in again)


def test_the_memory_browser_search_leaves_access_alone(alice):
    memory = MemoryFactory(character=alice, content="Bob gave me a silver locket.")
    memory.embedding = embed_texts([memory.content])[0]
    memory.save(update_fields=["embedding"])
    (found,) = memories_search(character=alice, text="a locket from Bob", limit=5)
    assert found.pk == memory.pk and found.similarity > 0.5
    memory.refresh_from_db()
    assert memory.last_accessed_tick == 0
    assert memories_search(character=alice, text="  ", limit=5) == []


def test_a_character_with_no_memories_retrieves_nothing(alice):
    assert memories_retrieve(character=alice, query="anything") == []


# --- Query count --------------------------------------------------------------------------------


def _fill(character, n: int) -> None:
    rng = np.random.default_rng(n)
    Memory.objects.bulk_create(
        Memory(
            character=character,
            content=f"memory {i}",
            importance=int(rng.integers(1, 11)),
            tick=int(rng.integers(0, 500)),
            embedding=unit(rng.normal(size=DIM)),
        )
        for i in range(n)
    )


@pytest.mark.parametrize("memories", [3, 300])
@pytest.mark.parametrize("exact", [True, False], ids=["exact", "hnsw"])
def test_retrieval_takes_a_constant_number_of_queries(
    alice, memories, exact, monkeypatch, django_assert_max_num_queries
):
    _fill(alice, memories)
    if not exact:
        force_index(monkeypatch)
    query = embed_texts(["a quarrel in the garden"])[0]
    # savepoint, preamble (settings, count, clock), pool, access update, release
    with django_assert_max_num_queries(5):
        got = memories_retrieve(character=alice, embedding=query, limit=10)
    assert len(got) == min(10, memories)
    with django_assert_max_num_queries(5):
        memories_retrieve(character=alice, limit=10, now_tick=500, minutes_per_tick=15)


# --- Reflection budget ----------------------------------------------------------------------


def test_characters_due_reflection_reads_the_budget_hint(world, alice):
    bob = CharacterFactory(ecosystem=world, name="Bob", importance_since_reflection=50)
    CharacterFactory(ecosystem=world, name="Idle", importance_since_reflection=50, is_active=False)
    assert list(characters_due_reflection(ecosystem_id=world.pk)) == [bob]
