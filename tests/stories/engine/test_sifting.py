"""The pattern language and the incremental matcher."""

from __future__ import annotations

import json
import random

import pytest

from stories.engine.patterns import PATTERNS
from stories.engine.script import Script
from stories.engine.sifting import (
    COMPLETE,
    EXPIRED,
    KILLED,
    PROGRESS,
    LogEvent,
    MatchUpdate,
    Pattern,
    Sifter,
    Step,
    gossip,
    interaction,
    relationship,
)

FEUD = Pattern(
    key="feud",
    genre="conflict",
    roles={"a": "aggressor", "b": "target"},
    steps=(
        Step(interaction("insult", by="a", to="b"), label="insult", prediction="", tension=0.2),
        Step(
            interaction("threaten", by="a", to="b"),
            label="threat",
            text="{a} threatened {b}",
            prediction="{a} may threaten {b}",
            tension=0.3,
            within=5,
        ),
        Step(
            interaction("betray", by="a", to="b"),
            label="betrayal",
            prediction="{a} may betray {b}",
            tension=0.4,
            within=5,
            unless=(interaction("apologise", by="a", to="b"),),
        ),
    ),
    titles=("The Feud of {a} and {b}",),
    min_steps=2,
    max_span=8,
)

RIVAL_SUITORS = Pattern(
    key="rival_suitors",
    genre="triangle",
    roles={"a": "lover", "b": "beloved", "c": "suitor"},
    steps=(
        Step(relationship(to_kinds=("partner",), source="a", target="b"), "love", prediction=""),
        Step(interaction("flirt", by="c", to="b"), "flirt", prediction="Someone may court {b}"),
        Step(interaction("insult", by="a", to="c"), "clash", prediction="{a} may insult {c}"),
    ),
    titles=("{b} Between {a} and {c}",),
    min_steps=2,
)


def feed(log: Script, *patterns: Pattern) -> list[MatchUpdate]:
    return Sifter(patterns or (FEUD,)).feed(log.events)


def test_a_match_is_reported_only_once_it_reaches_min_steps():
    log = Script()
    log.act("Alice", "insult", "Bob")
    assert feed(log) == []

    log.act("Alice", "threaten", "Bob")
    [update] = feed(log)

    assert (update.status, update.step, update.total_steps) == (PROGRESS, 2, 3)
    assert update.prediction == "Alice may betray Bob"
    assert update.title == "The Feud of Alice and Bob"
    assert [(b.seq, b.label, b.text) for b in update.beats] == [
        (1, "insult", "Alice insulted Bob"),
        (2, "threat", "Alice threatened Bob"),
    ]


def test_a_completed_match_reports_complete_and_is_forgotten():
    log = Script()
    for kind in ("insult", "threaten", "betray"):
        log.act("Alice", kind, "Bob")
    sifter = Sifter([FEUD])

    updates = sifter.feed(log.events)

    assert [u.status for u in updates] == [PROGRESS, COMPLETE]
    assert updates[-1].prediction is None
    assert sifter.live_count == 0


def test_roles_bind_the_same_characters_throughout_a_match():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "threaten", "Carol")
    log.act("Carol", "threaten", "Bob")

    assert feed(log) == []


def test_two_roles_are_never_the_same_character():
    log = Script()
    log.rel("Alice", "Bob", "partner")
    log.act("Alice", "flirt", "Bob")

    assert feed(log, RIVAL_SUITORS) == []


def test_steps_must_come_in_order():
    log = Script()
    log.act("Alice", "threaten", "Bob")
    log.act("Alice", "insult", "Bob")

    assert feed(log) == []


def test_a_step_outside_its_window_does_not_match_and_a_shown_match_expires():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "threaten", "Bob")
    log.wait(6)
    log.act("Alice", "betray", "Bob")

    assert [u.status for u in feed(log)] == [PROGRESS, EXPIRED]


def test_the_pattern_span_bounds_a_whole_match():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.wait(5)
    log.act("Alice", "threaten", "Bob")
    log.wait(4)  # within the step's 5 ticks, but 9 ticks after the start (span 8)
    log.act("Alice", "betray", "Bob")

    assert [u.status for u in feed(log)] == [PROGRESS, EXPIRED]


def test_an_unless_event_between_two_steps_kills_the_match_and_says_why():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "threaten", "Bob")
    log.act("Alice", "apologise", "Bob")
    log.act("Alice", "betray", "Bob")

    updates = feed(log)

    assert [u.status for u in updates] == [PROGRESS, KILLED]
    assert updates[-1].ended_by is not None
    assert (updates[-1].ended_by.seq, updates[-1].ended_by.label) == (3, "averted")


def test_an_unless_only_guards_its_own_gap():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "apologise", "Bob")  # before the threat: not the guarded gap
    log.act("Alice", "threaten", "Bob")
    log.act("Alice", "betray", "Bob")

    assert [u.status for u in feed(log)] == [PROGRESS, COMPLETE]


def test_one_event_advances_a_match_and_starts_another():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "threaten", "Bob")
    log.act("Alice", "insult", "Bob")  # starts a second feud...
    log.act("Alice", "betray", "Bob")  # ...while the first completes
    sifter = Sifter([FEUD])

    updates = sifter.feed(log.events)

    assert [u.status for u in updates] == [PROGRESS, COMPLETE]
    assert sifter.live_count == 1


def test_a_step_binding_a_new_role_forks_and_keeps_waiting_for_other_candidates():
    log = Script()
    log.rel("Alice", "Bob", "partner")
    log.act("Carol", "flirt", "Bob")
    log.act("Dave", "flirt", "Bob")
    log.act("Alice", "insult", "Carol")
    log.act("Alice", "insult", "Dave")

    updates = feed(log, RIVAL_SUITORS)

    done = [u for u in updates if u.status == COMPLETE]
    assert [u.roles[2].name for u in done] == ["Carol", "Dave"]
    assert len({u.match_id for u in done}) == 2


def test_identical_bindings_at_the_same_step_are_followed_once():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "insult", "Bob")
    sifter = Sifter([FEUD])

    sifter.feed(log.events)

    assert sifter.live_count == 1


def test_partial_matches_are_capped_per_first_role():
    log = Script()
    log.rel("Alice", "Bob", "partner")
    for i in range(20):
        log.act(f"Suitor{i}", "flirt", "Bob")
    sifter = Sifter([RIVAL_SUITORS])

    sifter.feed(log.events)

    assert sifter.live_count <= 6 + 1


def test_feeding_an_event_twice_changes_nothing():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "threaten", "Bob")
    sifter = Sifter([FEUD])
    first = sifter.feed(log.events)

    assert sifter.feed(log.events) == []
    assert len(first) == 1


def test_story_events_are_never_matched():
    story_event = LogEvent(1, 1, "story_detected", {"participants": []})

    assert Sifter(PATTERNS).feed([story_event]) == []


def test_a_later_step_must_mention_a_role_bound_before():
    with pytest.raises(ValueError, match="mentions no variable bound"):
        Pattern(
            key="disconnected",
            genre="x",
            roles={"a": "a", "b": "b", "c": "c"},
            steps=(
                Step(interaction("insult", by="a", to="b"), "one", prediction=""),
                Step(gossip(teller="c"), "two", prediction=""),
            ),
            titles=("x",),
        )


def test_a_participants_plan_about_another_participant_comes_with_the_match():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "threaten", "Bob")
    log.goal("Alice", "scheme", target="Bob", text="Alice plans to search Bob's room")

    updates = feed(log)

    assert updates[-1].plans == ("Alice plans to search Bob's room",)


def realistic_log(events: int, characters: int, seed: int) -> list[LogEvent]:
    """Mostly small talk, some warmth and hostility, relationship changes and gossip."""
    rng = random.Random(seed)
    names = [f"C{i}" for i in range(characters)]
    kinds = ["small_talk"] * 12 + ["greeting"] * 4 + ["joke"] * 3 + [
        "compliment", "help", "confide", "flirt", "argue", "insult", "apologise", "threaten",
    ]  # fmt: skip
    log = Script()
    while len(log.events) < events:
        a, b = rng.sample(names, 2)
        kind = rng.choice(kinds)
        log.act(a, kind, b)
        roll = rng.random()
        if roll < 0.1:
            log.rel(b, a, rng.choice(("friend", "rival", "romantic_interest", "partner")))
        elif roll < 0.13:
            log.gossip(a, b, about=rng.choice(names), fact=f"fact {rng.randint(0, 20)}")
        if rng.random() < 0.03:
            log.wait(1)
    return log.events[:events]


def test_same_events_give_the_same_updates_and_the_same_state():
    events = realistic_log(3000, 40, seed=3)
    one, two = Sifter(PATTERNS), Sifter(PATTERNS)

    assert one.feed(events) == two.feed(events)
    assert one.state() == two.state()


def test_a_sifter_resumed_from_its_json_state_continues_exactly():
    events = realistic_log(3000, 40, seed=5)
    whole = Sifter(PATTERNS)
    expected = whole.feed(events)

    got: list[MatchUpdate] = []
    sifter = Sifter(PATTERNS)
    for start in range(0, len(events), 700):
        got += sifter.feed(events[start : start + 700])
        sifter = Sifter(PATTERNS, state=json.loads(json.dumps(sifter.state())))

    assert got == expected
    assert sifter.state() == whole.state()
