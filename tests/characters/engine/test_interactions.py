"""The catalogue and the feasibility rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from characters.engine.interactions import CATALOGUE, INTERACTION_KINDS, feasible
from characters.engine.types import CharacterRef, RelationshipState
from tests.characters.engine.personas import (
    ALICE,
    BOB,
    CAROL,
    DESPISED,
    FRIENDS,
    STRANGERS,
    context,
    person,
)

REQUIRED = {
    "greeting", "small_talk", "compliment", "joke", "confide", "ask_for_help", "help", "gift",
    "flirt", "apologise", "tease", "disagree", "argue", "insult", "threaten", "deceive",
    "betray", "gossip", "share_secret", "reconcile",
}  # fmt: skip


def test_the_catalogue_has_every_interaction_the_design_names():
    assert set(INTERACTION_KINDS) >= REQUIRED


@pytest.mark.parametrize("kind", INTERACTION_KINDS)
def test_every_entry_is_within_its_documented_ranges(kind):
    t = CATALOGUE[kind]
    assert -1.0 <= t.valence <= 1.0
    assert 0.0 <= t.intensity <= 1.0
    assert 0.0 < t.energy_cost <= 0.2
    assert t.verb.startswith("{a} ") and "{b}" in t.verb
    for deltas in (t.target_deltas, t.initiator_deltas):
        assert all(-0.5 <= v <= 0.5 for v in (deltas.strength, deltas.trust, deltas.attraction))
        assert deltas.familiarity >= 0


def test_worse_acts_weigh_more():
    v = {kind: CATALOGUE[kind].valence for kind in INTERACTION_KINDS}
    assert v["betray"] < v["threaten"] < v["insult"] < v["argue"] < v["disagree"] < 0
    assert v["help"] > v["compliment"] > v["greeting"] > 0
    assert CATALOGUE["betray"].target_deltas.trust < CATALOGUE["insult"].target_deltas.trust


@pytest.mark.parametrize(
    ("kind", "initiator", "target", "i_view", "t_view", "ctx", "code", "words"),
    [
        ("dance", ALICE, BOB, STRANGERS, STRANGERS, {}, "unknown_kind", "greeting"),
        ("greeting", ALICE, ALICE, STRANGERS, STRANGERS, {}, "self", "themself"),
        (
            "argue", replace(ALICE, social_energy=0.01), BOB, STRANGERS, STRANGERS, {},
            "too_tired", "rest",
        ),
        ("flirt", ALICE, BOB, DESPISED, STRANGERS, {}, "despises_target", "thrill-seeker"),
        ("apologise", ALICE, BOB, STRANGERS, FRIENDS, {}, "no_grievance", "apologise"),
        ("reconcile", ALICE, BOB, FRIENDS, FRIENDS, {}, "no_rift", "rift"),
        ("gossip", ALICE, BOB, STRANGERS, STRANGERS, {}, "no_subject", "subject"),
        (
            "gossip", ALICE, BOB, STRANGERS, STRANGERS, {"subject": BOB.ref}, "no_subject",
            "third",
        ),
        ("share_secret", BOB, ALICE, STRANGERS, STRANGERS, {}, "no_secret", "secret"),
        ("share_secret", ALICE, BOB, DESPISED, STRANGERS, {}, "distrusts_target", "trust"),
        ("betray", ALICE, BOB, STRANGERS, STRANGERS, {}, "nothing_to_betray", "never trusted"),
    ],
)  # fmt: skip
def test_impossible_interactions_are_refused_with_a_reason(
    kind, initiator, target, i_view, t_view, ctx, code, words
):
    result = feasible(kind, initiator, target, i_view, t_view, context(**ctx))
    assert not result.ok
    assert result.code == code
    assert words in result.reason


def test_a_refusal_names_the_characters_and_the_numbers():
    result = feasible("flirt", ALICE, BOB, DESPISED, STRANGERS, context())
    assert "Alice despises Bob (affinity -0.70)" in result.reason


@pytest.mark.parametrize(
    ("kind", "i_view", "t_view", "ctx"),
    [
        ("greeting", STRANGERS, STRANGERS, {}),
        ("apologise", STRANGERS, RelationshipState(strength=-0.1), {}),
        ("apologise", FRIENDS, FRIENDS, {"recent_conflict": True}),
        ("reconcile", RelationshipState(trust=-0.2), FRIENDS, {}),
        ("reconcile", FRIENDS, FRIENDS, {"recent_conflict": True}),
        ("gossip", STRANGERS, STRANGERS, {"subject": CAROL.ref}),
        ("share_secret", STRANGERS, STRANGERS, {}),  # Alice has a secret of her own
        ("betray", FRIENDS, FRIENDS, {}),
        ("flirt", FRIENDS, STRANGERS, {}),
    ],
)
def test_possible_interactions_are_allowed(kind, i_view, t_view, ctx):
    result = feasible(kind, ALICE, BOB, i_view, t_view, context(**ctx))
    assert result.ok, result.reason
    assert result.reason == "ok"


def test_a_thrill_seeker_flirts_even_with_someone_they_despise():
    thrill_seeker = person("Vex", agreeableness=0.1, openness=0.9)
    assert feasible("flirt", thrill_seeker, BOB, DESPISED, STRANGERS, context()).ok


def test_a_secret_given_in_the_context_can_be_shared():
    ctx = context(secret="I took the money")
    assert not feasible("share_secret", BOB, ALICE, STRANGERS, STRANGERS, context()).ok
    assert feasible("share_secret", BOB, ALICE, STRANGERS, STRANGERS, ctx).ok


def test_gossip_about_the_initiator_is_not_about_a_third():
    ctx = context(subject=CharacterRef(ALICE.id, "Alice"))
    assert feasible("gossip", ALICE, BOB, STRANGERS, STRANGERS, ctx).code == "no_subject"
