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
