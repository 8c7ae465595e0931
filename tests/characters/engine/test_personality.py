"""Compatibility and perception modifiers."""

from __future__ import annotations

import random

import pytest

from characters.engine.interactions import felt_valence
from characters.engine.personality import (
    compatibility,
    energy_use_scale,
    is_thrill_seeker,
    negative_impact_scale,
    novelty_appetite,
    positive_impact_scale,
    reliability,
    talkativeness,
    warmth,
)
from characters.engine.types import Personality
from tests.characters.engine.personas import ALICE, BOB, STRANGERS, person


def random_personality(rng: random.Random) -> Personality:
    values = ("loyalty", "honesty", "ambition", "freedom", "family", "art")
    goals = ("Win the baking contest", "Find the locket", "Marry Carol", "Open a bakery")
    return Personality(
        *(rng.random() for _ in range(5)),
        values=tuple(rng.sample(values, rng.randrange(4))),
        goals=tuple(rng.sample(goals, rng.randrange(3))),
    )


def test_compatibility_of_a_with_b_equals_b_with_a():
    rng = random.Random(5)
    pairs = [(ALICE.personality, BOB.personality)] + [
        (random_personality(rng), random_personality(rng)) for _ in range(200)
    ]
    for a, b in pairs:
        assert compatibility(a, b) == compatibility(b, a)


def test_compatibility_scores_stay_in_their_documented_ranges():
    rng = random.Random(11)
    for _ in range(300):
        c = compatibility(random_personality(rng), random_personality(rng))
        assert -1.0 <= c.overall <= 1.0
        for score in (c.friendship, c.romance, c.rivalry):
            assert 0.0 <= score <= 1.0
        assert c.overall == pytest.approx(max(-1.0, min(1.0, sum(c.factors.values()))))


def test_compatibility_names_its_factors():
    c = compatibility(ALICE.personality, BOB.personality)
    assert {
        "shared values",
        "agreeableness match",
        "extraversion balance",
        "neuroticism friction",
        "competing goals",
    } <= set(c.factors)
    assert all(isinstance(line, str) for line in c.explain())


def test_shared_values_make_people_more_compatible():
    loyal = Personality(values=("loyalty", "honesty"))
    also_loyal = Personality(values=("Honesty", "loyalty"))
    ambitious = Personality(values=("ambition", "wealth"))
    assert compatibility(loyal, also_loyal).factors["shared values"] > 0
    assert compatibility(loyal, also_loyal).overall > compatibility(loyal, ambitious).overall


def test_people_after_the_same_prize_are_rivals():
    a = Personality(goals=("Win the baking contest",))
    b = Personality(goals=("Win the baking contest this year",))
    c = Personality(goals=("Paint the harbour",))
    assert compatibility(a, b).factors["competing goals"] < 0
    assert compatibility(a, b).rivalry > compatibility(a, c).rivalry
    assert compatibility(a, b).overall < compatibility(a, c).overall


def test_two_anxious_people_rub_each_other_raw():
    anxious, calm = Personality(neuroticism=0.9), Personality(neuroticism=0.1)
    assert (
        compatibility(anxious, anxious).factors["neuroticism friction"]
        < compatibility(calm, calm).factors["neuroticism friction"]
    )
    assert compatibility(anxious, anxious).friendship < compatibility(calm, calm).friendship


def test_two_agreeable_people_make_better_friends_than_two_disagreeable_ones():
    kind, cold = Personality(agreeableness=0.9), Personality(agreeableness=0.1)
    assert compatibility(kind, kind).friendship > compatibility(cold, cold).friendship
    assert compatibility(kind, kind).rivalry < compatibility(cold, cold).rivalry


@pytest.mark.parametrize(
    ("traits", "expected"),
    [
        ({"agreeableness": 0.9, "neuroticism": 0.1}, "softer"),
        ({"agreeableness": 0.1, "neuroticism": 0.9}, "harder"),
        ({}, "middling"),
    ],
)
def test_agreeableness_softens_and_neuroticism_amplifies_negative_impact(traits, expected):
    scale = negative_impact_scale(Personality(**traits))
    assert {"softer": scale < 0.7, "harder": scale > 1.3, "middling": scale == 1.0}[expected]


def test_an_insult_lands_harder_on_a_neurotic_than_on_an_agreeable_character():
    neurotic = person("Ned", neuroticism=0.95, agreeableness=0.3)
    saint = person("Sam", neuroticism=0.1, agreeableness=0.95)
    c = compatibility(BOB.personality, neurotic.personality)
    c2 = compatibility(BOB.personality, saint.personality)
    assert felt_valence("insult", neurotic, STRANGERS, c) < felt_valence(
        "insult", saint, STRANGERS, c2
    )


def test_agreeable_characters_answer_more_warmly_and_take_kindness_in_more():
    assert warmth(ALICE.personality) > 0 > warmth(BOB.personality)
    assert positive_impact_scale(ALICE.personality) > positive_impact_scale(BOB.personality)


def test_extraverts_spend_more_energy_and_talk_more():
    loud, quiet = Personality(extraversion=0.9), Personality(extraversion=0.1)
    assert energy_use_scale(loud) > energy_use_scale(quiet)
    assert talkativeness(loud) > talkativeness(quiet)


def test_open_minds_enjoy_jokes_more():
    open_, closed = person("Olive", openness=0.95), person("Clive", openness=0.05)
    assert novelty_appetite(open_.personality) > 0 > novelty_appetite(closed.personality)
    c = compatibility(ALICE.personality, open_.personality)
    c2 = compatibility(ALICE.personality, closed.personality)
    assert felt_valence("joke", open_, STRANGERS, c) > felt_valence("joke", closed, STRANGERS, c2)


def test_conscientious_characters_keep_promises():
    assert reliability(Personality(conscientiousness=0.9)) > reliability(
        Personality(conscientiousness=0.1)
    )


@pytest.mark.parametrize(
    ("agreeableness", "openness", "thrill_seeker"),
    [(0.2, 0.8, True), (0.25, 0.75, True), (0.3, 0.9, False), (0.1, 0.7, False)],
)
def test_a_thrill_seeker_is_cold_and_novelty_hungry(agreeableness, openness, thrill_seeker):
    p = Personality(agreeableness=agreeableness, openness=openness)
    assert is_thrill_seeker(p) is thrill_seeker


def test_a_personality_out_of_range_is_refused_with_the_trait_named():
    with pytest.raises(ValueError, match="neuroticism"):
        Personality(neuroticism=1.2)


def test_personality_reads_the_model_goal_shape():
    p = Personality.from_traits(
        {"openness": 0.8},
        values=["honesty"],
        goals=[{"description": "Find the locket", "progress": 0.2}, "Open a bakery"],
    )
    assert p.openness == 0.8 and p.agreeableness == 0.5
    assert p.goals == ("Find the locket", "Open a bakery")
