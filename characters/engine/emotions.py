"""Plutchik emotion dynamics: impulses from interactions, decay toward a personality
baseline, the dominant emotion, and contagion between people.

Every state is eight intensities in 0..1 (``types.PLUTCHIK`` order). Impulses add with
diminishing returns (``v + d * (1 - v)``) so nothing exceeds 1 and repeated blows tell
less each time; soothing impulses remove a fraction (``v * (1 + d)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from characters.engine.interactions import CATALOGUE
from characters.engine.personality import negative_impact_scale, positive_impact_scale
from characters.engine.types import (
    INITIATOR,
    PLUTCHIK,
    TARGET,
    EmotionImpulse,
    EmotionState,
    Personality,
    clamp,
)

# Half-life (simulated minutes) of each emotion's distance from baseline. The order
# follows Verduyn & Lavrijsen (2015, "Which emotions last longest and why"): sadness
# lasts longest, surprise, fear and disgust shortest; the absolute values are tuned so a
# flash of anger stays visible for about four 15-minute ticks and sadness for a day.
HALF_LIFE_MINUTES: dict[str, float] = {
    "joy": 120.0,
    "trust": 240.0,
    "fear": 30.0,
    "surprise": 10.0,
    "sadness": 360.0,
    "disgust": 30.0,
    "anger": 60.0,
    "anticipation": 120.0,
}
_HALF_LIVES = tuple(HALF_LIFE_MINUTES[name] for name in PLUTCHIK)
# Neurotic people ruminate: negative emotions' half-lives are multiplied by
# (0.5 + neuroticism), i.e. 0.5x (stable) .. 1.5x (neurotic).
_NEGATIVE = tuple(name in ("fear", "sadness", "disgust", "anger") for name in PLUTCHIK)
_POSITIVE = tuple(name in ("joy", "trust", "anticipation") for name in PLUTCHIK)

CONTAGION_RATE = 0.2  # fraction of the gap caught per exchange at closeness 1; tuned
CALM_BELOW = 0.15  # dominant intensity below this reads as "calm"
MILD_BELOW = 0.4
MODERATE_BELOW = 0.7

# What an act that lands against its nominal valence adds (an unwanted flirt, a tease
# between close friends), scaled by how far it landed the other way.
UNWELCOME = EmotionImpulse(anger=0.15, disgust=0.15, fear=0.05, joy=-0.1)
WELCOME = EmotionImpulse(joy=0.15, trust=0.05, anger=-0.05)


@dataclass(frozen=True, slots=True)
class DominantEmotion:
    """The strongest emotion, its intensity (0..1) and a level: calm, mild, moderate,
    intense. Ties go to the emotion listed first in ``PLUTCHIK``."""

    name: str
    intensity: float
    level: str


@lru_cache(maxsize=4096)
def baseline(p: Personality) -> EmotionState:
    """The resting state a character drifts back to: extraverts rest happier, neurotic
    people more anxious and low, agreeable people more trusting, open people more
    expectant (trait-affect links after Costa & McCrae 1980; magnitudes tuned)."""
    return EmotionState(
        joy=0.15 + 0.25 * p.extraversion - 0.05 * p.neuroticism,
        trust=0.1 + 0.3 * p.agreeableness,
        fear=0.03 + 0.2 * p.neuroticism,
        surprise=0.03,
        sadness=0.02 + 0.15 * p.neuroticism,
        disgust=0.02 + 0.08 * (1 - p.agreeableness),
        anger=0.02 + 0.1 * p.neuroticism + 0.08 * (1 - p.agreeableness),
        anticipation=0.08 + 0.2 * p.openness,
    )


def impulse_for(kind: str, role: str, felt_valence: float | None = None) -> EmotionImpulse:
    """The impulse an interaction gives its ``role`` ("initiator" or "target").

    For the target, pass ``felt_valence`` (``interactions.felt_valence``): when the act
    lands against its nominal sign (an unwanted flirt, a friendly tease) the impulse is
    blended with ``UNWELCOME`` or ``WELCOME`` by how far it crossed over.
    """
    t = CATALOGUE[kind]
    if role == INITIATOR:
        return t.initiator_impulse
    if role != TARGET:
        raise ValueError(f"Unknown role {role!r}; use 'initiator' or 'target'.")
    base = t.target_impulse
    if felt_valence is None:
        return base
    if t.valence > 0 > felt_valence:
        extra, weight = UNWELCOME, -felt_valence
    elif t.valence < 0 < felt_valence:
        extra, weight = WELCOME, felt_valence
    else:
        return base
    weight = min(2.0 * weight, 1.0)  # fully the other way once it lands at -0.5 / +0.5
    keep = 1.0 - weight
    return EmotionImpulse(
        *(b * keep + e * weight for b, e in zip(base.values(), extra.values(), strict=True))
    )


def apply_impulse(
    state: EmotionState, impulse: EmotionImpulse, personality: Personality, scale: float = 1.0
) -> EmotionState:
    """``state`` after ``impulse`` (times ``scale``, e.g. the act's intensity), as this
    personality feels it: rises in negative emotions are scaled by
    ``negative_impact_scale``, rises in positive ones by ``positive_impact_scale``, and
    surprise by openness (0.75x..1.25x). Results stay in 0..1."""
    neg = negative_impact_scale(personality) * scale
    pos = positive_impact_scale(personality) * scale
    sur = (0.75 + 0.5 * personality.openness) * scale
    out = []
    for i, (v, d) in enumerate(zip(state.values(), impulse.values(), strict=True)):
        if d > 0:
            d *= neg if _NEGATIVE[i] else pos if _POSITIVE[i] else sur
            v += d * (1.0 - v)
        elif d < 0:
            v *= 1.0 + max(d * scale, -1.0)
        out.append(clamp(v))
    return EmotionState(*out)


def half_lives(p: Personality) -> tuple[float, ...]:
    """Per-emotion half-life in minutes for this personality (``PLUTCHIK`` order)."""
    rumination = 0.5 + p.neuroticism
    return tuple(
        h * rumination if neg else h for h, neg in zip(_HALF_LIVES, _NEGATIVE, strict=True)
    )


def decay(
    state: EmotionState,
    personality: Personality,
    minutes: float,
    resting: EmotionState | None = None,
) -> EmotionState:
    """``state`` after ``minutes`` of simulated time without new impulses: each emotion's
    distance from the resting state halves every half-life (exponential decay, see
    ``HALF_LIFE_MINUTES``). ``resting`` defaults to ``baseline(personality)``."""
    if minutes <= 0:
        return state
    rest = (resting or baseline(personality)).values()
    lives = half_lives(personality)
    return EmotionState(
        *(
            b + (v - b) * 0.5 ** (minutes / h)
            for v, b, h in zip(state.values(), rest, lives, strict=True)
        )
    )


def dominant(state: EmotionState) -> DominantEmotion:
    """The strongest emotion and how strong it is."""
    vals = state.values()
    best = max(range(len(vals)), key=vals.__getitem__)  # first maximum wins ties
    v = vals[best]
    level = (
        "calm"
        if v < CALM_BELOW
        else "mild"
        if v < MILD_BELOW
        else "moderate"
        if v < MODERATE_BELOW
        else "intense"
    )
    return DominantEmotion(PLUTCHIK[best], v, level)


def mood_name(emotions: Mapping[str, float] | None) -> str:
    """The one definition of a character's mood as pages, the API and the live stream show
    it: the dominant emotion's name, or "calm" when it is below ``CALM_BELOW``. Takes the
    model's JSON shape (``Character.emotions``, an event's ``emotional_states``)."""
    if not emotions:
        return "calm"
    top = dominant(EmotionState.from_mapping(emotions))
    return "calm" if top.level == "calm" else top.name


def mood(state: EmotionState) -> float:
    """-1..1 overall valence of the state: positive emotions minus negative ones."""
    return clamp(
        state.joy
        + state.trust
        + 0.5 * state.anticipation
        - state.anger
        - state.disgust
        - state.sadness
        - state.fear,
        -1.0,
        1.0,
    )


def susceptibility(p: Personality) -> float:
    """0.5..1.0: how readily this personality catches others' feelings (empathic,
    agreeable and reactive, neurotic people catch more)."""
    return 0.5 + 0.3 * p.agreeableness + 0.2 * p.neuroticism


def contagion(
    source_state: EmotionState,
    target_state: EmotionState,
    closeness: float,
    susceptibility: float = 1.0,
) -> EmotionState:
    """The target's state after catching some of the source's feelings (emotional
    contagion, Hatfield, Cacioppo & Rapson 1993). Each emotion the source feels more
    strongly pulls the target's up by ``CONTAGION_RATE * closeness * susceptibility`` of
    the gap; it only raises, calming is decay's job. ``closeness`` is 0..1 (0 = strangers
    who barely look at each other), ``susceptibility`` 0..1."""
    rate = CONTAGION_RATE * clamp(closeness) * clamp(susceptibility)
    if rate <= 0:
        return target_state
    return EmotionState(
        *(
            t + rate * (s - t) if s > t else t
            for s, t in zip(source_state.values(), target_state.values(), strict=True)
        )
    )
