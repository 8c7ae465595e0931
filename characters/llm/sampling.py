"""Sampling parameters from personality: a pure function of the Big Five.

A shy, conventional character speaks predictably and briefly (low temperature, few tokens); an
outgoing, open one riffs and rambles (higher temperature, more tokens).

- ``temperature`` runs from 0.4 to 1.1. Openness (novelty of ideas) weighs 0.6 and
  extraversion 0.4. Below ~0.4 lines become repetitive across ticks; above ~1.2 chat models
  drift off-character (OpenAI allows 0 to 2 and suggests changing either temperature or top_p,
  not both, so top_p stays at the provider's default).
- ``max_tokens`` runs from 40 to 160. Extraversion (talkativeness) weighs 0.7 and openness 0.3.
  At about 0.75 words per token (OpenAI's rule of thumb) that is about 30 to 120 words: one
  clipped sentence up to a short speech. Chat-completions ``max_tokens`` counts only the reply.

Traits outside 0..1 are clamped, so a bad value cannot produce invalid parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TEMPERATURE_MIN = 0.4
TEMPERATURE_MAX = 1.1
MAX_TOKENS_MIN = 40
MAX_TOKENS_MAX = 160
NEUTRAL_TRAIT = 0.5  # a missing trait counts as average

# Weights of the traits in each parameter (each pair sums to 1).
TEMPERATURE_WEIGHTS = {"openness": 0.6, "extraversion": 0.4}
MAX_TOKENS_WEIGHTS = {"extraversion": 0.7, "openness": 0.3}


@dataclass(frozen=True)
class Sampling:
    temperature: float
    max_tokens: int

    def as_dict(self) -> dict[str, float | int]:
        return {"temperature": self.temperature, "max_tokens": self.max_tokens}


def sampling_for_personality(*, big_five: Mapping[str, float]) -> Sampling:
    """Temperature and reply length for a character with these Big Five traits (each 0..1)."""
    temperature_drive = _weighted(big_five, TEMPERATURE_WEIGHTS)
    length_drive = _weighted(big_five, MAX_TOKENS_WEIGHTS)
    temperature = TEMPERATURE_MIN + (TEMPERATURE_MAX - TEMPERATURE_MIN) * temperature_drive
    max_tokens = MAX_TOKENS_MIN + (MAX_TOKENS_MAX - MAX_TOKENS_MIN) * length_drive
    # Rounded so near-identical personalities share cache keys and the numbers read cleanly.
    return Sampling(temperature=round(temperature, 2), max_tokens=round(max_tokens))


def _weighted(big_five: Mapping[str, float], weights: Mapping[str, float]) -> float:
    return sum(
        weight * min(1.0, max(0.0, float(big_five.get(trait, NEUTRAL_TRAIT))))
        for trait, weight in weights.items()
    )


# Shaping by closeness to a person (a persona in a conversation). Closeness (-1..1, the mean of
# the relationship's strength and trust) moves temperature by up to +-0.15: a cold listener gets
# guarded, predictable lines, a warm one livelier ones; full familiarity adds 0.10 more (people
# loosen up with someone they know). Reply length scales with closeness: a cold listener gets
# half the tokens (curt), a warm one 20 % more. Wider bounds than personality alone gives, so
# the shaping still shows at its extremes, but inside what chat models keep in character.
CLOSENESS_TEMPERATURE_SWING = 0.15
FAMILIARITY_TEMPERATURE_BONUS = 0.10
COLD_MAX_TOKENS_CUT = 0.5
WARM_MAX_TOKENS_GAIN = 0.2
SHAPED_TEMPERATURE_MIN = 0.3
SHAPED_TEMPERATURE_MAX = 1.2
SHAPED_MAX_TOKENS_MIN = 30
SHAPED_MAX_TOKENS_MAX = 160


def sampling_for_closeness(base: Sampling, *, closeness: float, familiarity: float) -> Sampling:
    """``base`` (the character's own sampling) shaped by how close it feels to the listener:
    ``closeness`` -1 (cold) .. 1 (warm), ``familiarity`` 0..1, each clamped to its range."""
    closeness = min(1.0, max(-1.0, float(closeness)))
    familiarity = min(1.0, max(0.0, float(familiarity)))
    temperature = (
        base.temperature
        + CLOSENESS_TEMPERATURE_SWING * closeness
        + FAMILIARITY_TEMPERATURE_BONUS * familiarity
    )
    gain = WARM_MAX_TOKENS_GAIN if closeness >= 0 else COLD_MAX_TOKENS_CUT
    max_tokens = base.max_tokens * (1 + gain * closeness)
    return Sampling(
        temperature=round(min(SHAPED_TEMPERATURE_MAX, max(SHAPED_TEMPERATURE_MIN, temperature)), 2),
        max_tokens=round(min(SHAPED_MAX_TOKENS_MAX, max(SHAPED_MAX_TOKENS_MIN, max_tokens))),
    )
