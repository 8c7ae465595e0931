"""Plutchik dynamics: impulses, decay toward baseline, dominance, contagion."""

from __future__ import annotations

import pytest

from characters.engine.emotions import (
    HALF_LIFE_MINUTES,
    apply_impulse,
    baseline,
    contagion,
    decay,
    dominant,
    half_lives,
    impulse_for,
    mood,
)
from characters.engine.interactions import INTERACTION_KINDS
from characters.engine.types import PLUTCHIK, EmotionImpulse, EmotionState, Personality

MIDDLING = Personality()


def test_the_eight_emotions_match_the_character_model():
    from characters.models import PLUTCHIK as MODEL_PLUTCHIK

    assert PLUTCHIK == MODEL_PLUTCHIK


def test_every_interaction_has_an_impulse_for_both_roles():
    for kind in INTERACTION_KINDS:
        for role in ("initiator", "target"):
            assert any(impulse_for(kind, role).values()), (kind, role)


def test_the_baseline_reflects_personality():
    cheerful = baseline(Personality(extraversion=0.9, neuroticism=0.1))
    anxious = baseline(Personality(extraversion=0.1, neuroticism=0.9))
    assert cheerful.joy > anxious.joy
    assert anxious.fear > cheerful.fear and anxious.sadness > cheerful.sadness
    assert (
        baseline(Personality(agreeableness=0.9)).trust
        > baseline(Personality(agreeableness=0.1)).trust
    )


def test_decay_halves_the_distance_to_baseline_every_half_life():
    rest = baseline(MIDDLING)
    angry = EmotionState(**{**rest.as_dict(), "anger": 0.9})
    later = decay(angry, MIDDLING, HALF_LIFE_MINUTES["anger"])  # neuroticism 0.5: factor 1
    assert later.anger - rest.anger == pytest.approx((0.9 - rest.anger) / 2)


def test_decay_settles_on_the_baseline_and_never_overshoots():
    rest = baseline(MIDDLING)
    state = EmotionState(1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0)
    previous = state
    for _ in range(50):
        state = decay(state, MIDDLING, 60)
        for now, before, base in zip(state.values(), previous.values(), rest.values(), strict=True):
            assert abs(now - base) <= abs(before - base) + 1e-12
        previous = state
    for now, base in zip(state.values(), rest.values(), strict=True):
        assert now == pytest.approx(base, abs=0.01)


def test_no_time_means_no_decay():
    state = EmotionState(anger=0.8)
    assert decay(state, MIDDLING, 0) is state


def test_neurotic_characters_stay_angry_longer():
    calm, neurotic = Personality(neuroticism=0.1), Personality(neuroticism=0.9)
    assert half_lives(neurotic)[PLUTCHIK.index("anger")] > half_lives(calm)[PLUTCHIK.index("anger")]
    assert half_lives(neurotic)[PLUTCHIK.index("joy")] == half_lives(calm)[PLUTCHIK.index("joy")]
    angry = EmotionState(anger=0.9)
    assert decay(angry, neurotic, 60).anger > decay(angry, calm, 60).anger


def test_impulses_stay_within_range_and_diminish_when_repeated():
    blow = EmotionImpulse(anger=0.6, sadness=0.5)
    state = EmotionState()
    rises = []
    for _ in range(6):
        after = apply_impulse(state, blow, MIDDLING)
        rises.append(after.anger - state.anger)
        state = after
    assert all(0.0 <= v <= 1.0 for v in state.values())
    assert rises == sorted(rises, reverse=True)


@pytest.mark.parametrize(
    ("gentle", "touchy"),
    [
        (Personality(agreeableness=0.9, neuroticism=0.1), Personality(neuroticism=0.9)),
        (Personality(agreeableness=0.8), Personality(agreeableness=0.2)),
    ],
)
def test_the_same_insult_hurts_touchy_people_more(gentle, touchy):
    hurt = impulse_for("insult", "target")
    assert (
        apply_impulse(EmotionState(), hurt, touchy).anger
        > apply_impulse(EmotionState(), hurt, gentle).anger
    )


def test_soothing_impulses_reduce_an_emotion_in_proportion():
    state = EmotionState(anger=0.8)
    calmer = apply_impulse(state, impulse_for("reconcile", "target"), MIDDLING)
    assert 0.0 < calmer.anger < 0.8


def test_an_unwanted_flirt_stirs_anger_and_disgust_not_joy():
    welcome = impulse_for("flirt", "target", felt_valence=0.4)
    unwanted = impulse_for("flirt", "target", felt_valence=-0.5)
    assert welcome.joy > 0 and welcome.anger == 0
    assert unwanted.anger > 0 and unwanted.disgust > 0 and unwanted.joy <= 0


def test_a_friendly_tease_brings_joy():
    assert impulse_for("tease", "target", 0.3).joy > impulse_for("tease", "target", -0.3).joy


@pytest.mark.parametrize(
    ("state", "name", "level"),
    [
        (EmotionState(), "joy", "calm"),
        (EmotionState(anger=0.3, joy=0.1), "anger", "mild"),
        (EmotionState(fear=0.5), "fear", "moderate"),
        (EmotionState(sadness=0.9, anger=0.8), "sadness", "intense"),
        (EmotionState(trust=0.5, anger=0.5), "trust", "moderate"),  # ties: PLUTCHIK order
    ],
)
def test_the_dominant_emotion_and_its_level(state, name, level):
    d = dominant(state)
    assert (d.name, d.level) == (name, level)


def test_mood_is_positive_when_happy_and_negative_when_upset():
    assert mood(EmotionState(joy=0.8, trust=0.4)) > 0 > mood(EmotionState(anger=0.7, fear=0.3))


def test_contagion_pulls_feelings_up_in_proportion_to_closeness():
    glee = EmotionState(joy=0.9)
    flat = EmotionState(joy=0.1, anger=0.5)
    far = contagion(glee, flat, closeness=0.1)
    near = contagion(glee, flat, closeness=0.9)
    assert flat.joy < far.joy < near.joy < glee.joy
    assert near.anger == flat.anger  # catching joy does not erase anger; decay does that
    assert contagion(glee, flat, closeness=0.0) == flat
    assert contagion(glee, flat, 0.9, susceptibility=0.5).joy < near.joy


def test_an_unknown_emotion_is_refused_with_the_allowed_names():
    with pytest.raises(ValueError, match="joy"):
        EmotionState.from_mapping({"glee": 0.5})
    assert EmotionState.from_mapping({"joy": 2.0}).joy == 1.0


def test_mood_is_the_dominant_emotion_or_calm_below_one_threshold():
    from characters.engine.emotions import CALM_BELOW, mood_name

    assert mood_name(None) == mood_name({}) == "calm"
    assert mood_name({"anger": CALM_BELOW - 0.01, "joy": 0.0}) == "calm"
    assert mood_name({"anger": CALM_BELOW, "joy": 0.05}) == "anger"
    assert mood_name({"joy": 0.5, "anger": 0.5}) == "joy"  # ties go to Plutchik's order
