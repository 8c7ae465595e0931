"""memory_reflect, memory_consolidate, memories_embed_missing and the reflection budget."""

from __future__ import annotations

import pytest

from characters.engine.memory import (
    CONSOLIDATION_MIN_MEMORIES,
    MAX_DRIFT_FROM_AUTHORED,
    MAX_DRIFT_PER_CONSOLIDATION,
    REFLECTION_IMPORTANCE_BUDGET,
)
from characters.models import BIG_FIVE, Character, Memory, MemoryConsolidation
from characters.services import reflection_budget_add
from ecosystems.models import Event
from ecosystems.services import interaction_process
from ecosystems.services.memory import (
    MEMORY_SUMMARY_MAX_CHARS,
    memories_embed_missing,
    memory_consolidate,
    memory_reflect,
    reflection_budget_spent,
    summary_append,
)
from tests.factories import CharacterFactory, MemoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.2)


@pytest.fixture
def charlie(world):
    return CharacterFactory(ecosystem=world, name="Charlie")


def a_hard_week(alice) -> list[Memory]:
    """Bob keeps hurting Alice, she keeps confiding in Charlie: 55 importance."""
    rows = [
        ('Bob insulted me: "You are a fool." / "How dare you."', 7),
        ('I confided in Charlie: "I am afraid of Bob." / "I am here."', 5),
        ('Bob argued with me: "No!" / "Yes!"', 7),
        ("I greeted Dora: ...", 2),
        ("I confided in Charlie: ...", 5),
        ("Bob threatened me: ...", 9),
        ("I shared a secret with Charlie: ...", 6),
        ("Bob insulted me: ...", 7),
        ("I confided in Charlie: ...", 7),
    ]
    return [
        MemoryFactory(character=alice, content=text, importance=importance, tick=tick)
        for tick, (text, importance) in enumerate(rows, start=1)
    ]


# --- Reflection ---------------------------------------------------------------------------------


def test_reflection_writes_insights_citing_their_evidence(alice, bob, charlie):
    memories = a_hard_week(alice)
    result = memory_reflect(character=alice)

    assert result.reflected
    assert result.importance_spent == 55
    reflections = Memory.objects.filter(character=alice, kind=Memory.Kind.REFLECTION)
    assert reflections.count() == len(result.insights) == 2
    bob_insight = next(r for r in reflections if "Bob" in r.content)
    charlie_insight = next(r for r in reflections if "Charlie" in r.content)
    assert {m.pk for m in bob_insight.evidence.all()} == {memories[i].pk for i in (0, 2, 5, 7)}
    assert {m.pk for m in charlie_insight.evidence.all()} == {memories[i].pk for i in (1, 4, 6, 8)}
    assert all(1 <= r.importance <= 10 for r in reflections)
    assert all(r.embedding is not None and len(r.embedding) == 256 for r in reflections)
    assert bob_insight.supports.count() == 0  # evidence points one way: insight -> memories


def test_reflection_resets_the_budget_and_publishes_the_insights(alice, bob, charlie, world):
    world.current_tick = 12
    world.save(update_fields=["current_tick"])
    a_hard_week(alice)
    alice.importance_since_reflection = 55
    alice.save(update_fields=["importance_since_reflection"])

    result = memory_reflect(character=alice)

    alice.refresh_from_db()
    assert alice.importance_since_reflection == 0
    assert alice.last_reflection_tick == 12
    event = Event.objects.get(kind="memory_reflection")
    assert event == result.event
    data = event.payload
    assert data["character"] == {"id": str(alice.pk), "name": "Alice"}
    assert [i["memory_id"] for i in data["insights"]] == [str(m.pk) for m in result.insights]
    for insight in data["insights"]:
        assert insight["evidence_ids"] == result.evidence[insight["memory_id"]]
    assert set(data["evidence_ids"]) == {mid for ids in result.evidence.values() for mid in ids}


def test_no_reflection_before_the_budget_is_spent(alice, bob):
    MemoryFactory(character=alice, content="Bob insulted me: ...", importance=7)
    MemoryFactory(character=alice, content="Bob argued with me: ...", importance=7)

    result = memory_reflect(character=alice)

    assert not result.reflected
    assert result.importance_spent == 14 < REFLECTION_IMPORTANCE_BUDGET
    assert not Memory.objects.filter(kind=Memory.Kind.REFLECTION).exists()
    assert not Event.objects.exists()


def test_reflecting_twice_changes_nothing_the_second_time(alice, bob, charlie):
    a_hard_week(alice)
    memory_reflect(character=alice)
    memories, events = Memory.objects.count(), Event.objects.count()

    again = memory_reflect(character=alice)

    assert not again.reflected and again.importance_spent == 0
    assert (Memory.objects.count(), Event.objects.count()) == (memories, events)


def test_the_next_budget_counts_only_memories_after_the_reflection(alice, bob, charlie):
    a_hard_week(alice)
    memory_reflect(character=alice)
    MemoryFactory(character=alice, content="Bob helped me: ...", importance=6)
    assert reflection_budget_spent(character=alice) == 6


def test_the_stream_decides_even_when_writers_forgot_the_budget(alice, bob, charlie):
    a_hard_week(alice)
    assert alice.importance_since_reflection == 0  # nobody kept the hint in step
    assert memory_reflect(character=alice).reflected


def test_interactions_reach_a_reflection(alice, bob, world):
    for _ in range(12):
        Character.objects.filter(pk__in=[alice.pk, bob.pk]).update(social_energy=1.0)
        alice.refresh_from_db()
        bob.refresh_from_db()
        interaction_process(initiator=bob, target=alice, interaction_type="insult")
    result = memory_reflect(character=alice)
    assert result.reflected
    assert any("Bob" in m.content for m in result.insights)


def test_the_budget_helper_adds_in_one_update(alice, bob, django_assert_num_queries):
    with django_assert_num_queries(1):
        updated = reflection_budget_add(importance_by_character={alice.pk: 7, str(bob.pk): 3})
    assert updated == 2
    reflection_budget_add(importance_by_character={alice.pk: 5, bob.pk: 0})
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.importance_since_reflection, bob.importance_since_reflection) == (12, 3)
    assert reflection_budget_add(importance_by_character={}) == 0


# --- Consolidation ------------------------------------------------------------------------------


@pytest.fixture
def old_quarrels(world, alice, bob):
    """Two simulated days in (15 minutes a tick), Alice remembers 30 bickering exchanges with
    Bob from the first morning, and one recent one."""
    world.current_tick = 200
    world.save(update_fields=["current_tick"])
    verbs = ["argued with", "insulted", "disagreed with"]
    old = [
        MemoryFactory(character=alice, content=f"Bob {verbs[i % 3]} me: ...", importance=3, tick=i)
        for i in range(30)
    ]
    MemoryFactory(character=alice, content="Bob betrayed me: ...", importance=10, tick=5)
    MemoryFactory(character=alice, content="Bob insulted me: ...", importance=3, tick=199)
    return old


def test_consolidation_summarises_old_everyday_memories(alice, old_quarrels):
    result = memory_consolidate(character=alice)

    assert result.consolidated and result.memory_count == 30
    assert set(Memory.objects.filter(consolidated=True)) == set(old_quarrels)
    assert not Memory.objects.filter(importance=10, consolidated=True).exists()  # kept verbatim
    assert not Memory.objects.filter(tick=199, consolidated=True).exists()  # too recent
    alice.refresh_from_db()
    assert alice.memory_summary == result.summary
    assert "mostly with Bob." in result.summary and "friction" in result.summary
    assert Memory.objects.filter(character=alice).count() == 32  # summarised, not deleted


def test_consolidation_drifts_personality_within_bounds(alice, old_quarrels):
    authored = alice.big_five
    result = memory_consolidate(character=alice)

    alice.refresh_from_db()
    assert alice.authored_personality == authored  # the anchor, filled on the first drift
    assert result.drift == {"neuroticism": 0.01, "agreeableness": -0.01}
    assert alice.neuroticism == pytest.approx(authored["neuroticism"] + 0.01)
    assert alice.agreeableness == pytest.approx(authored["agreeableness"] - 0.01)
    for trait in BIG_FIVE:
        assert abs(getattr(alice, trait) - authored[trait]) <= MAX_DRIFT_PER_CONSOLIDATION + 1e-9


def test_drift_stops_at_the_bound_from_the_authored_personality(alice, world, old_quarrels):
    authored = alice.big_five
    alice.authored_personality = authored
    alice.neuroticism = authored["neuroticism"] + MAX_DRIFT_FROM_AUTHORED
    alice.save(update_fields=["authored_personality", "neuroticism"])

    result = memory_consolidate(character=alice)

    alice.refresh_from_db()
    assert "neuroticism" not in result.drift
    assert alice.neuroticism == pytest.approx(authored["neuroticism"] + MAX_DRIFT_FROM_AUTHORED)


def test_consolidation_writes_history_and_an_event(alice, old_quarrels):
    result = memory_consolidate(character=alice)

    record = MemoryConsolidation.objects.get(character=alice)
    assert record == result.consolidation
    assert (record.tick, record.memory_count, record.drift) == (200, 30, result.drift)
    assert record.summary == result.summary
    data = Event.objects.get(kind="memory_consolidated").payload
    assert data["consolidation_id"] == str(record.pk)
    assert data["memory_count"] == 30
    assert data["drift"] == result.drift
    assert data["personality"]["neuroticism"] == round(
        Character.objects.get(pk=alice.pk).neuroticism, 4
    )


def test_consolidating_again_finds_nothing_left(alice, old_quarrels):
    memory_consolidate(character=alice)
    again = memory_consolidate(character=alice)
    assert not again.consolidated
    assert MemoryConsolidation.objects.count() == 1
    assert Event.objects.filter(kind="memory_consolidated").count() == 1


def test_too_few_old_memories_are_left_alone(alice, world):
    world.current_tick = 500
    world.save(update_fields=["current_tick"])
    for i in range(CONSOLIDATION_MIN_MEMORIES - 1):
        MemoryFactory(character=alice, content="I greeted Bob: ...", importance=2, tick=i)
    assert not memory_consolidate(character=alice).consolidated
    assert not Event.objects.exists()


def test_the_summary_keeps_the_newest_paragraphs():
    summary = ""
    for i in range(200):
        summary = summary_append(summary, f"Paragraph {i}. " + "x" * 80)
    assert len(summary) <= MEMORY_SUMMARY_MAX_CHARS
    assert summary.endswith("Paragraph 199. " + "x" * 80)
    assert "Paragraph 0." not in summary


# --- Embedding backfill -------------------------------------------------------------------------


def test_missing_embeddings_are_filled_in_batches(alice, bob, world, django_assert_max_num_queries):
    for i in range(7):
        MemoryFactory(character=alice if i % 2 else bob, content=f"Walked to the mill, day {i}.")
    elsewhere = MemoryFactory(character=CharacterFactory(), content="Another world.")

    with django_assert_max_num_queries(3 * 2 + 1):  # read + update per batch, one empty read
        done = memories_embed_missing(ecosystem=world, batch=4)

    assert done == 7
    assert not Memory.objects.filter(character__ecosystem=world, embedding__isnull=True).exists()
    elsewhere.refresh_from_db()
    assert elsewhere.embedding is None
    assert memories_embed_missing(ecosystem=world) == 0
