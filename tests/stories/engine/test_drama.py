"""The drama manager keeps world tension in a band, with quiet stretches between peaks."""

from __future__ import annotations

import random
import re

import pytest

from stories.engine.drama import (
    CharacterBrief,
    DramaDecision,
    DramaSettings,
    DramaState,
    drama_decide,
    world_span,
)

CAST = [CharacterBrief(f"id-{n.lower()}", n) for n in ("Alice", "Bob", "Carol", "Diana", "Eve")]
SETTINGS = DramaSettings(low=0.25, high=0.75, quiet_ticks=10, cooldown_ticks=5, patience_ticks=3)


def decide(state: DramaState, tension: float, tick: int, seed: int = 1) -> DramaDecision:
    return drama_decide(
        state=state,
        world_tension=tension,
        tick=tick,
        characters=CAST,
        rng=random.Random(seed),
        settings=SETTINGS,
    )


def run(tensions: list[float], state: DramaState | None = None) -> list[DramaDecision]:
    """One decision per tick, from tick 1, carrying the state along."""
    state = state or DramaState()
    decisions = []
    for tick, tension in enumerate(tensions, start=1):
        decision = decide(state, tension, tick, seed=tick)
        decisions.append(decision)
        state = decision.state
    return decisions


def injected_at(decisions: list[DramaDecision]) -> list[int]:
    return [tick for tick, d in enumerate(decisions, start=1) if d.injection is not None]


def test_nothing_is_injected_while_tension_stays_in_the_band():
    assert injected_at(run([0.5] * 40)) == []


def test_nothing_is_injected_above_the_band():
    assert injected_at(run([0.9] * 40)) == []


def test_a_director_event_comes_once_tension_has_been_low_long_enough():
    decisions = run([0.1] * 4)

    assert injected_at(decisions) == [4]
    injection = decisions[-1].injection
    assert injection is not None
    assert injection.kind in {"rumour", "lost_object", "invitation", "storm"}
    assert set(injection.character_ids) <= {c.id for c in CAST}
    assert any(c.name in injection.text for c in injection.characters)


def test_the_reason_says_how_long_tension_was_low_in_world_time():
    decisions = run([0.9] + [0.1] * 14)
    reason = decisions[-1].reason

    # Hourly ticks (the default): low from tick 2 to tick 15, the peak at tick 1.
    assert reason.startswith("Tension has been low for 13 hours; the last peak was 14 hours ago")


def test_the_owners_note_counts_no_ticks_and_gives_no_figures():
    tensions = [0.9] * 3 + [0.5] * 2 + [0.1] * 30
    state = DramaState()
    reasons = []
    for tick, tension in enumerate(tensions, start=1):
        decision = drama_decide(state=state, world_tension=tension, tick=tick, characters=CAST,
                                rng=random.Random(tick), settings=SETTINGS,
                                minutes_per_tick=15)  # fmt: skip
        state = decision.state
        reasons.append(decision.reason)
        if decision.injection is not None:
            reasons.append(decision.injection.reason)

    assert not [r for r in reasons if re.search(r"\btick|\d\.\d|%", r)]
    assert any("minutes" in r or "hour" in r for r in reasons)


@pytest.mark.parametrize(
    ("ticks", "minutes_per_tick", "said"),
    [(1, 15, "15 minutes"), (4, 15, "an hour"), (3, 60, "3 hours"), (24, 60, "a day"),
     (36, 120, "3 days"), (14, 1440, "2 weeks"), (1, 1, "a minute")],
)  # fmt: skip
def test_a_span_of_ticks_reads_as_world_time(ticks, minutes_per_tick, said):
    assert world_span(ticks, minutes_per_tick) == said


def test_a_quiet_stretch_follows_a_peak():
    decisions = run([0.9] * 3 + [0.1] * 20)

    # The peak ends at tick 3; nothing before tick 13 (10 quiet ticks).
    assert injected_at(decisions)[0] == 13
    assert "quiet stretch" in decisions[7].reason


def test_injections_are_spaced_by_the_cooldown():
    ticks = injected_at(run([0.1] * 20))

    assert ticks == [4, 9, 14, 19]


def test_the_same_seed_gives_the_same_injection():
    one = decide(DramaState(low_since=1), 0.1, 10, seed=42)
    two = decide(DramaState(low_since=1), 0.1, 10, seed=42)

    assert one == two
    assert one.injection is not None


def test_the_state_round_trips_through_a_dict():
    state = run([0.9, 0.1, 0.1, 0.1])[-1].state

    assert DramaState.from_dict(state.as_dict()) == state


def test_an_injection_is_a_director_intervention_payload():
    injection = run([0.1] * 4)[-1].injection
    assert injection is not None

    data = injection.as_event_data()

    assert set(data) == {"kind", "text", "reason", "characters"}
    assert all(set(c) == {"id", "name"} for c in data["characters"])


def test_a_world_with_one_character_gets_no_injection():
    decision = drama_decide(
        state=DramaState(low_since=1),
        world_tension=0.0,
        tick=20,
        characters=CAST[:1],
        rng=random.Random(1),
        settings=SETTINGS,
    )

    assert decision.injection is None
    assert "too few characters" in decision.reason


def test_two_copies_of_a_world_get_the_same_nudge_whatever_ids_their_characters_got():
    names = ("Alice", "Bob", "Carol", "Diana", "Eve")
    one = [CharacterBrief(f"id-{n}", name) for n, name in enumerate(names)]
    two = [CharacterBrief(f"id-{9 - n}", name) for n, name in enumerate(names)]  # ids reversed

    def nudge(cast: list[CharacterBrief]) -> tuple[str, tuple[str, ...]]:
        decision = drama_decide(
            state=DramaState(low_since=1), world_tension=0.0, tick=10, characters=cast,
            rng=random.Random(7), settings=SETTINGS,
        )  # fmt: skip
        assert decision.injection is not None
        return decision.injection.text, tuple(c.name for c in decision.injection.characters)

    assert nudge(one) == nudge(two)
