"""The memory stream's maths: retrieval scoring, reflection and consolidation (no database)."""

from __future__ import annotations

import random

import pytest

from characters.engine.interactions import CATALOGUE
from characters.engine.memory import (
    CONFLICT,
    DEFAULT_WEIGHTS,
    FLAT_COMPONENT_SCORE,
    MAX_DRIFT_FROM_AUTHORED,
    MAX_DRIFT_PER_CONSOLIDATION,
    REFLECTION_IMPORTANCE_BUDGET,
    WARM,
    MemoryCandidate,
    MemoryNote,
    RetrievalWeights,
    consolidate,
    drift_personality,
    hours_between,
    normalise,
    rank_memories,
    read_memory,
    recency_factor,
    reflect,
    reflection_due,
)
from characters.engine.types import BIG_FIVE

# --- Retrieval scoring --------------------------------------------------------------------------


def test_recency_decays_by_a_factor_of_0_995_per_simulated_hour():
    assert recency_factor(0) == 1.0
    assert recency_factor(1) == pytest.approx(0.995)
    assert recency_factor(24) == pytest.approx(0.995**24)
    assert recency_factor(138.3) == pytest.approx(0.5, abs=1e-3)  # half-life ~138 h


def test_recency_never_exceeds_one_for_a_memory_from_the_future():
    assert recency_factor(-5) == 1.0


def test_simulated_hours_come_from_ticks_and_minutes_per_tick():
    assert hours_between(now_tick=10, then_tick=6, minutes_per_tick=15) == 1.0
    assert hours_between(now_tick=3, then_tick=8, minutes_per_tick=15) == 0.0


def test_normalisation_maps_the_candidates_onto_zero_to_one():
    assert normalise([2.0, 4.0, 6.0]) == [0.0, 0.5, 1.0]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([7.0], [FLAT_COMPONENT_SCORE]),
        ([3.0, 3.0, 3.0], [FLAT_COMPONENT_SCORE] * 3),
    ],
    ids=["no candidates", "one candidate", "all equal"],
)
def test_normalisation_edge_cases_favour_nobody(values, expected):
    assert normalise(values) == expected


def test_a_memory_without_similarity_counts_as_the_least_relevant():
    ranked = rank_memories(
        [
            MemoryCandidate("a", 5, 0, similarity=0.9),
            MemoryCandidate("b", 5, 0, similarity=0.1),
            MemoryCandidate("c", 5, 0, similarity=None),
        ]
    )
    relevance = {s.id: s.relevance for s in ranked}
    assert relevance == {"a": 1.0, "b": 0.0, "c": 0.0}


def test_without_a_query_relevance_ranks_nothing():
    ranked = rank_memories([MemoryCandidate("a", 9, 0), MemoryCandidate("b", 1, 0)])
    assert [s.relevance for s in ranked] == [0.0, 0.0]
    assert [s.id for s in ranked] == ["a", "b"]


# Each row: candidates (id, importance, hours, similarity), weights, expected order.
RANKING_TABLE = [
    (
        [("old", 5, 200, 0.5), ("new", 5, 0, 0.5)],
        DEFAULT_WEIGHTS,
        ["new", "old"],
    ),
    (
        [("dull", 1, 0, 0.5), ("vital", 10, 0, 0.5)],
        DEFAULT_WEIGHTS,
        ["vital", "dull"],
    ),
    (
        [("off", 5, 0, 0.1), ("on", 5, 0, 0.9)],
        DEFAULT_WEIGHTS,
        ["on", "off"],
    ),
    (  # all three count: best on two components beats best on one
        [("recent", 2, 0, 0.2), ("important+relevant", 9, 48, 0.8), ("mid", 5, 24, 0.5)],
        DEFAULT_WEIGHTS,
        ["important+relevant", "mid", "recent"],
    ),
    (  # weights change the winner
        [("recent", 2, 0, 0.2), ("important", 9, 100, 0.2)],
        RetrievalWeights(recency=3.0, importance=1.0, relevance=1.0),
        ["recent", "important"],
    ),
    (
        [("recent", 2, 0, 0.2), ("important", 9, 100, 0.2)],
        RetrievalWeights(recency=1.0, importance=3.0, relevance=1.0),
        ["important", "recent"],
    ),
    (  # ties go to the more recent
        [("a", 5, 10, 0.5), ("b", 5, 5, 0.5)],
        DEFAULT_WEIGHTS,
        ["b", "a"],
    ),
]


@pytest.mark.parametrize(("rows", "weights", "expected"), RANKING_TABLE)
def test_ranking_table(rows, weights, expected):
    candidates = [MemoryCandidate(i, imp, h, sim) for i, imp, h, sim in rows]
    assert [s.id for s in rank_memories(candidates, weights=weights)] == expected


def test_the_score_is_the_weighted_sum_of_the_normalised_components():
    weights = RetrievalWeights(recency=0.5, importance=2.0, relevance=1.5)
    ranked = rank_memories(
        [
            MemoryCandidate("a", 3, 10, 0.2),
            MemoryCandidate("b", 8, 0, 0.6),
            MemoryCandidate("c", 5, 40, 0.9),
        ],
        weights=weights,
    )
    for s in ranked:
        assert all(0.0 <= c <= 1.0 for c in (s.recency, s.importance, s.relevance))
        assert s.score == pytest.approx(0.5 * s.recency + 2.0 * s.importance + 1.5 * s.relevance)
    by_id = {s.id: s for s in ranked}
    assert by_id["b"].recency == 1.0 and by_id["c"].recency == 0.0
    assert by_id["b"].raw_recency == 1.0
    assert by_id["c"].raw_recency == pytest.approx(0.995**40)


def test_limit_keeps_the_best():
    candidates = [MemoryCandidate(str(i), i, 0, None) for i in range(1, 11)]
    assert [s.id for s in rank_memories(candidates, limit=3)] == ["10", "9", "8"]


# --- Reading memories ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(CATALOGUE))
def test_every_catalogue_sentence_reads_back_from_both_sides(kind):
    verb = CATALOGUE[kind].verb
    mine = verb.format(a="I", b="Bob Smith", s="Carol") + ': "Hello." / "Hm."'
    theirs = verb.format(a="Bob Smith", b="me", s="Carol") + ': "Hello." / "Hm."'
    got_mine, got_theirs = read_memory(mine), read_memory(theirs)
    assert (got_mine.other, got_mine.kind, got_mine.by_me) == ("Bob Smith", kind, True)
    assert (got_theirs.other, got_theirs.kind, got_theirs.by_me) == ("Bob Smith", kind, False)


def test_conflicts_read_as_conflict_and_kindness_as_warm():
    assert read_memory("Bob insulted me: ...").tone == CONFLICT
    assert read_memory("I disagreed with Bob: ...").tone == CONFLICT
    assert read_memory("Bob helped me: ...").tone == WARM
    assert read_memory("I greeted Bob: ...").tone == "neutral"


def test_a_free_sentence_is_about_the_character_it_names():
    reading = read_memory("Saw Bob Smith by the roses.", ["Bob", "Bob Smith", "Alice"])
    assert (reading.other, reading.kind, reading.tone) == ("Bob Smith", None, "neutral")
    assert read_memory("The roses bloomed.", ["Bob"]).other is None


# --- Reflection ---------------------------------------------------------------------------------


def notes(*rows: tuple[str, int]) -> list[MemoryNote]:
    return [MemoryNote(text, importance, tick) for tick, (text, importance) in enumerate(rows)]


def test_reflection_is_due_once_the_importance_budget_is_spent():
    assert not reflection_due(REFLECTION_IMPORTANCE_BUDGET - 1)
    assert reflection_due(REFLECTION_IMPORTANCE_BUDGET)
    assert reflection_due(3, budget=3)


STREAM = notes(
    ('Bob insulted me: "You fool." / "How dare you."', 7),
    ("I greeted Dora: ...", 2),
    ('I confided in Charlie: "I am afraid." / "I am here."', 5),
    ('Bob argued with me: "No!" / "Yes!"', 7),
    ("I confided in Charlie: ...", 5),
    ("I shared a secret with Charlie: ...", 6),
    ("Bob threatened me: ...", 8),
)


def test_insights_name_the_person_and_cite_their_evidence():
    insights = reflect(STREAM, rng=random.Random(1))
    by_person = {i.about: i for i in insights}
    assert set(by_person) == {"Bob", "Charlie"}  # Dora: one greeting is no pattern
    assert by_person["Bob"].evidence == (0, 3, 6)
    assert by_person["Bob"].tone == CONFLICT
    assert by_person["Charlie"].evidence == (2, 4, 5)
    assert "trust" in by_person["Charlie"].content
    assert "Charlie" in by_person["Charlie"].content


def test_the_most_salient_insight_comes_first():
    insights = reflect(STREAM, rng=random.Random(1))
    assert [i.about for i in insights] == ["Bob", "Charlie"]  # 22 vs 16 summed importance


def test_someone_who_keeps_hurting_me_seems_to_resent_me():
    stream = notes(("Bob insulted me: ...", 6), ("Bob argued with me: ...", 7))
    contents = {reflect(stream, rng=random.Random(seed))[0].content for seed in range(20)}
    assert "Bob seems to resent me." in contents
    assert all("Bob" in c for c in contents)


def test_insights_matter_more_than_their_average_evidence():
    (insight,) = reflect(notes(("Bob helped me: ...", 5), ("Bob gave me a gift: ...", 5)),
                         rng=random.Random(0))  # fmt: skip
    assert insight.importance == 7
    assert 1 <= insight.importance <= 10


def test_warm_and_bitter_exchanges_with_one_person_make_it_complicated():
    stream = notes(
        ("Bob helped me: ...", 6),
        ("Bob insulted me: ...", 6),
        ("Bob gave me a gift: ...", 5),
        ("Bob argued with me: ...", 6),
    )
    (insight,) = reflect(stream, rng=random.Random(2))
    assert insight.tone == "mixed"
    assert insight.evidence == (0, 1, 2, 3)


def test_at_most_three_insights():
    people = ["Bob", "Carol", "Dan", "Eve", "Finn"]
    stream = notes(*[(f"{p} helped me: ...", 5) for p in people for _ in range(2)])
    assert len(reflect(stream, rng=random.Random(0))) == 3


def test_with_no_pattern_one_insight_about_life_in_general():
    stream = notes(("I greeted Bob: ...", 2), ("The rain came.", 3), ("I greeted Dora: ...", 2))
    (insight,) = reflect(stream, rng=random.Random(0))
    assert insight.about is None
    assert set(insight.evidence) <= {0, 1, 2} and insight.evidence


def test_no_memories_no_insights():
    assert reflect([], rng=random.Random(0)) == []


def test_reflection_is_deterministic_for_a_seed():
    first = reflect(STREAM, rng=random.Random(42))
    again = reflect(STREAM, rng=random.Random(42))
    assert first == again


# --- Consolidation and drift --------------------------------------------------------------------

AUTHORED = {"openness": 0.5, "conscientiousness": 0.5, "extraversion": 0.4,
            "agreeableness": 0.6, "neuroticism": 0.3}  # fmt: skip
QUARRELS = notes(*[(f"Bob {v} me: ...", 4) for v in ["insulted", "argued with"] * 6])
WARMTH = notes(*[(f"Carol {v} me: ...", 4) for v in ["helped", "complimented"] * 6])


def test_many_conflicts_raise_neuroticism_and_lower_agreeableness_by_one_step():
    after, drift, _ = drift_personality(AUTHORED, AUTHORED, warm=0, conflict=12, total=12)
    assert drift == {"neuroticism": 0.01, "agreeableness": -0.01}
    assert after["neuroticism"] == pytest.approx(0.31)
    assert after["openness"] == 0.5


def test_many_warm_exchanges_raise_agreeableness_and_extraversion():
    outcome = consolidate(WARMTH, traits=AUTHORED, anchor=AUTHORED, rng=random.Random(0))
    assert outcome.drift == {"agreeableness": 0.01, "extraversion": 0.01}
    assert outcome.warm == 12


def test_a_few_experiences_move_nothing():
    _, drift, _ = drift_personality(AUTHORED, AUTHORED, warm=2, conflict=2, total=10)
    assert drift == {}


def test_drift_never_takes_a_trait_more_than_0_15_from_the_authored_value():
    traits = dict(AUTHORED)
    for _ in range(100):
        traits, drift, _ = drift_personality(traits, AUTHORED, warm=0, conflict=20, total=20)
        assert all(abs(d) <= MAX_DRIFT_PER_CONSOLIDATION + 1e-9 for d in drift.values())
    assert traits["neuroticism"] == pytest.approx(AUTHORED["neuroticism"] + MAX_DRIFT_FROM_AUTHORED)
    assert traits["agreeableness"] == pytest.approx(
        AUTHORED["agreeableness"] - MAX_DRIFT_FROM_AUTHORED
    )
    assert all(0.0 <= traits[t] <= 1.0 for t in BIG_FIVE)


def test_drift_stays_within_zero_and_one():
    edge = {**AUTHORED, "neuroticism": 0.995}
    after, drift, _ = drift_personality(edge, edge, warm=0, conflict=10, total=10)
    assert after["neuroticism"] == 1.0
    assert drift["neuroticism"] == pytest.approx(0.005)


def test_a_trait_the_author_moved_far_re_anchors_the_drift():
    edited = {**AUTHORED, "agreeableness": 0.95}  # edited after the anchor was taken
    after, _, anchor = drift_personality(edited, AUTHORED, warm=0, conflict=10, total=10)
    assert anchor["agreeableness"] == 0.95
    assert after["agreeableness"] == pytest.approx(0.94)


def test_a_missing_anchor_is_the_current_personality():
    _, _, anchor = drift_personality(AUTHORED, {}, warm=0, conflict=0, total=0)
    assert anchor == AUTHORED


def test_the_summary_names_the_people_and_the_balance_in_the_characters_own_words():
    outcome = consolidate([*QUARRELS, *WARMTH], traits=AUTHORED, anchor=AUTHORED,
                          rng=random.Random(0))  # fmt: skip
    assert outcome.summary.startswith("Lately I had 24 everyday moments, mostly with Bob and Carol")
    assert "tick" not in outcome.summary and "(" not in outcome.summary
    assert "12 were warm and 12 ended in friction." in outcome.summary
    assert 2 <= outcome.summary.count(".") <= 6


def test_consolidation_is_deterministic_for_a_seed():
    args = {"traits": AUTHORED, "anchor": AUTHORED}
    assert consolidate(QUARRELS, **args, rng=random.Random(5)) == consolidate(
        QUARRELS, **args, rng=random.Random(5)
    )
