"""Directed relationship dynamics, derived kinds and explanations."""

from __future__ import annotations

import pytest

from characters.engine.interactions import felt_valence
from characters.engine.personality import compatibility
from characters.engine.relationships import (
    RelationshipChange,
    derive_kind,
    explain,
    interaction_updates,
    next_kind,
)
from characters.engine.types import RELATIONSHIP_KINDS, CharacterSnapshot, RelationshipState
from tests.characters.engine.personas import ALICE, BOB, CLOSE, FRIENDS, STRANGERS, person


def act(
    kind: str,
    initiator: CharacterSnapshot,
    target: CharacterSnapshot,
    target_view: RelationshipState,
    *,
    initiator_view: RelationshipState = STRANGERS,
    tick: int = 1,
    response_warmth: float = 0.0,
    detected: bool = True,
):
    """(initiator's update, target's update) for one act."""
    compat = compatibility(initiator.personality, target.personality)
    felt = felt_valence(kind, target, target_view, compat, detected=detected)
    return interaction_updates(
        kind,
        initiator,
        target,
        initiator_view,
        target_view,
        compat=compat,
        felt=felt,
        response_warmth=response_warmth,
        tick=tick,
        subject_name="Carol",
        detected=detected,
    )


def test_relationship_kinds_match_the_model():
    from ecosystems.models import Relationship

    assert set(RELATIONSHIP_KINDS) == set(Relationship.Kind.values)


@pytest.mark.parametrize(
    "target",
    [
        person("Middling"),
        person("Saint", agreeableness=0.95, neuroticism=0.05),
        person("Touchy", agreeableness=0.1, neuroticism=0.95),
        person("Extravert", extraversion=0.95, openness=0.9),
    ],
    ids=lambda p: p.name,
)
@pytest.mark.parametrize("start", [FRIENDS, CLOSE, STRANGERS], ids=["friends", "close", "new"])
def test_one_betrayal_outweighs_three_compliments(target, start):
    view = start
    for tick in range(3):
        view = act("compliment", ALICE, target, view, tick=tick)[1].after
    earned = view.trust - start.trust
    if start.trust <= 0:  # nothing to betray yet: give them a reason to trust first
        view = RelationshipState(0.3, 0.3, view.familiarity, view.attraction, "friend")
    before_betrayal = view.trust
    lost = before_betrayal - act("betray", ALICE, target, view, tick=9)[1].after.trust
    assert earned > 0
    assert lost > 3 * earned
    assert lost > 0.3


def test_trust_is_slow_to_build_and_gains_shrink_as_it_grows():
    view, gains = FRIENDS, []
    for tick in range(40):
        after = act("help", ALICE, BOB, view, tick=tick)[1].after
        gains.append(after.trust - view.trust)
        view = after
    assert view.trust < 1.0
    assert gains[-1] < gains[0]
    assert all(g < 0.05 for g in gains)


def test_strangers_earn_less_trust_than_friends_for_the_same_kindness():
    new = act("help", ALICE, BOB, STRANGERS)[1]
    known = act("help", ALICE, BOB, RelationshipState(familiarity=0.9, kind="acquaintance"))[1]
    assert new.after.trust - new.before.trust < known.after.trust - known.before.trust


@pytest.mark.parametrize("kind", ["greeting", "insult", "gossip", "help", "argue"])
def test_familiarity_grows_with_any_contact(kind):
    i_update, t_update = act(kind, ALICE, BOB, FRIENDS, initiator_view=FRIENDS)
    assert t_update.after.familiarity > FRIENDS.familiarity
    assert i_update.after.familiarity > FRIENDS.familiarity


def test_familiarity_saturates_below_one():
    view, steps = STRANGERS, []
    for tick in range(200):
        after = act("small_talk", ALICE, BOB, view, tick=tick)[1].after
        steps.append(after.familiarity - view.familiarity)
        view = after
    assert 0.9 < view.familiarity <= 1.0
    assert steps[-1] < steps[0] / 10


def test_attraction_moves_mainly_by_flirting_compliments_and_gifts():
    a, b = person("Ann"), person("Ben")
    moved = {
        kind: act(kind, a, b, FRIENDS)[1].after.attraction - FRIENDS.attraction
        for kind in ("flirt", "compliment", "gift", "small_talk", "help", "disagree")
    }
    assert moved["flirt"] > moved["gift"] >= moved["compliment"] > moved["help"]
    assert moved["small_talk"] == 0 and moved["disagree"] == 0


def test_flirting_lands_by_romance_compatibility():
    a = person("Romeo", openness=0.9, extraversion=0.8, agreeableness=0.8, neuroticism=0.1)
    match = person("Juliet", openness=0.9, extraversion=0.8, agreeableness=0.8, neuroticism=0.1)
    mismatch = person("Grump", openness=0.1, extraversion=0.1, agreeableness=0.1, neuroticism=0.9)
    assert (
        compatibility(a.personality, match.personality).romance
        > compatibility(a.personality, mismatch.personality).romance
    )
    good = act("flirt", a, match, FRIENDS)[1].after.attraction
    bad = act("flirt", a, mismatch, FRIENDS)[1].after.attraction
    assert good > bad


def test_an_unwelcome_flirt_from_someone_disliked_lowers_attraction():
    disliked = RelationshipState(strength=-0.4, trust=-0.2, familiarity=0.3, attraction=0.2)
    assert act("flirt", BOB, ALICE, disliked)[1].after.attraction < disliked.attraction


def test_teasing_bonds_close_friends_and_stings_strangers():
    close = act("tease", ALICE, BOB, CLOSE)[1]
    new = act("tease", ALICE, BOB, STRANGERS)[1]
    assert close.after.strength > close.before.strength
    assert new.after.strength < new.before.strength


def test_a_cold_answer_cools_the_initiator():
    warm = act("greeting", ALICE, BOB, STRANGERS, response_warmth=0.8)[0]
    cold = act("greeting", ALICE, BOB, STRANGERS, response_warmth=-0.8)[0]
    assert warm.after.strength > 0 > cold.after.strength


def test_a_deceit_that_goes_unnoticed_costs_no_trust():
    believed = act("deceive", BOB, ALICE, FRIENDS, detected=False)[1]
    caught = act("deceive", BOB, ALICE, FRIENDS, detected=True)[1]
    assert believed.after.trust >= believed.before.trust
    assert caught.after.trust < caught.before.trust - 0.2


def test_every_change_says_why_and_what_it_was():
    _, update = act("insult", BOB, ALICE, FRIENDS, tick=12)
    strength = next(c for c in update.changes if c.axis == "strength")
    assert strength.cause == "Bob insulted Alice at tick 12"
    assert (strength.source_id, strength.target_id) == (ALICE.id, BOB.id)
    assert strength.before == FRIENDS.strength and strength.after < strength.before
    assert strength.delta == strength.after - strength.before
    assert update.deltas()["strength_delta"] == round(strength.delta, 4)


def test_values_stay_within_their_ranges_under_a_barrage():
    view = FRIENDS
    for tick in range(60):
        view = act("threaten" if tick % 2 else "betray", BOB, ALICE, view, tick=tick)[1].after
        view = RelationshipState(view.strength, max(view.trust, 0.06), *vars_rest(view))
    assert -1.0 <= view.strength <= 1.0 and -1.0 <= view.trust <= 1.0
    assert view.kind == "enemy"


def vars_rest(view: RelationshipState):
    return view.familiarity, view.attraction, view.kind


@pytest.mark.parametrize(
    ("strength", "trust", "familiarity", "attraction", "kind"),
    [
        (0.0, 0.0, 0.0, 0.0, "stranger"),
        (0.1, 0.05, 0.09, 0.0, "stranger"),
        (0.1, 0.1, 0.1, 0.0, "acquaintance"),
        (0.29, 0.2, 0.6, 0.0, "acquaintance"),
        (0.3, 0.2, 0.25, 0.0, "friend"),
        (0.6, 0.44, 0.8, 0.0, "friend"),
        (0.6, 0.45, 0.5, 0.0, "close_friend"),
        (0.1, 0.0, 0.2, 0.45, "romantic_interest"),
        (0.05, 0.0, 0.2, 0.9, "acquaintance"),
        (0.6, 0.5, 0.6, 0.7, "partner"),
        (0.9, 0.4, 0.9, 0.8, "romantic_interest"),
        (-0.2, 0.0, 0.5, 0.0, "rival"),
        (-0.19, -0.9, 0.5, 0.0, "acquaintance"),
        (-0.3, -0.6, 0.5, 0.0, "enemy"),
        (-0.55, 0.0, 0.5, 0.0, "enemy"),
        (-0.4, 0.2, 0.5, 0.9, "rival"),
    ],
)
def test_the_derived_kind_follows_the_thresholds(strength, trust, familiarity, attraction, kind):
    assert derive_kind(strength, trust, familiarity, attraction) == kind


def test_an_ally_stays_an_ally_until_hostility():
    assert next_kind("ally", 0.1, 0.0, 0.1, 0.0) == "ally"
    assert next_kind("ally", -0.3, 0.0, 0.1, 0.0) == "rival"
    assert derive_kind(0.9, 0.9, 0.9, 0.0) != "ally"


def test_explain_answers_why_they_are_rivals():
    view, log, dora = STRANGERS, [], person("Dora")
    for tick, kind in enumerate(["compliment", "insult", "greeting", "threaten", "insult"]):
        update = act(kind, BOB, dora, view, tick=tick)[1]
        log.extend(update.changes)
        view = update.after
    assert view.kind in ("rival", "enemy")
    lines = explain(log, view, top=3)
    assert lines[0].startswith("Bob threatened Dora at tick 3")
    assert all("compliment" not in line and "greeted" not in line for line in lines)
    assert "strength -" in lines[0]


def test_explain_without_a_state_ranks_by_size():
    changes = [
        RelationshipChange("a", "b", "strength", 0.0, 0.05, "A greeted B at tick 1", "g", 1),
        RelationshipChange("a", "b", "trust", 0.0, -0.4, "B betrayed A at tick 2", "b", 2),
        RelationshipChange("a", "b", "strength", 0.05, -0.2, "B betrayed A at tick 2", "b", 2),
    ]
    assert explain(changes) == [
        "B betrayed A at tick 2: strength -0.25, trust -0.40",
        "A greeted B at tick 1: strength +0.05",
    ]
