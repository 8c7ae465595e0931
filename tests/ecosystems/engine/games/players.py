"""A seeded simulated player for the games engine: four styles, each beaten by one action.

The mapping from style to the action that beats it is this file's, not the engine's: the
engine only ever sees the contexts and the outcomes. Effectiveness of the best action is
about 0.8, of the others 0.25..0.45, with noise (sd 0.1); success is drawn from it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ecosystems.engine.games import (
    Decision,
    EngineConfig,
    Vocabulary,
    decide,
    decision_rng,
    learn,
)

VOCABULARY = Vocabulary.from_dict(
    {
        "actions": [
            {"name": "slash", "type": "attack"},
            {"name": "ground_slam", "type": "area_attack"},
            {"name": "armor_break", "type": "attack"},
            {"name": "counter", "type": "defend"},
            {"name": "charge", "type": "attack"},
            {"name": "retreat", "type": "evade"},
        ],
        "environments": ["arena", "cave", "bridge"],
        "difficulty_levels": ["easy", "normal", "hard"],
    }
)
BEST = {"dodger": "ground_slam", "tank": "armor_break", "rusher": "counter", "ranged": "charge"}
STYLES = tuple(BEST)
# style -> (dodge_frequency, block_rate, aggression, distance, usual attacks)
PROFILES = {
    "dodger": (0.8, 0.1, 0.4, 4.0, ("roll", "roll", "light")),
    "tank": (0.1, 0.75, 0.3, 2.0, ("block", "heavy", "heavy")),
    "rusher": (0.2, 0.1, 0.9, 1.0, ("light", "light", "heavy")),
    "ranged": (0.4, 0.1, 0.5, 14.0, ("arrow", "arrow", "roll")),
}
BASE_EFFECT = {"slash": 0.45, "retreat": 0.25}  # any other non-best action: 0.3
BEST_EFFECT = 0.8


@dataclass
class Player:
    style: str
    rng: random.Random
    # the action that beats this player (a player who learns to counter it moves it)
    beaten_by: str | None = None

    def __post_init__(self) -> None:
        self.beaten_by = self.beaten_by or BEST[self.style]

    def context(self) -> dict[str, Any]:
        dodge, block, aggression, distance, attacks = PROFILES[self.style]
        g = self.rng.gauss

        def share(mean: float) -> float:
            return round(min(1.0, max(0.0, g(mean, 0.08))), 3)

        return {
            "dodge_frequency": share(dodge),
            "block_rate": share(block),
            "aggression": share(aggression),
            "distance": round(max(0.0, g(distance, 2.0)), 2),
            "health": self.rng.randint(10, 100),
            "recent_attacks": [self.rng.choice(attacks) for _ in range(4)],
            "environment": self.rng.choice(VOCABULARY.environments),
            "player": {"level": self.rng.randint(1, 30), "has_potion": self.rng.random() < 0.3},
        }

    def outcome(self, action: str) -> tuple[str, float]:
        mean = BEST_EFFECT if action == self.beaten_by else BASE_EFFECT.get(action, 0.3)
        effect = round(min(1.0, max(0.0, self.rng.gauss(mean, 0.1))), 4)
        return ("success" if self.rng.random() < effect else "failure"), effect


@dataclass(frozen=True)
class Round:
    style: str
    decision: Decision
    best: str
    effectiveness: float

    @property
    def right(self) -> bool:
        return self.decision.action == self.best


def play(
    players: list[Player] | Player,
    rounds: int,
    *,
    seed: int,
    config: EngineConfig | None = None,
    personality: Any = None,
    state: Any = None,
    switch: dict[int, Player] | None = None,
) -> Iterator[tuple[Round, Any]]:
    """Decide, play and learn ``rounds`` times; yields each round and the state after it.
    Several players take turns at random; ``switch`` replaces the player at a round."""
    pool = players if isinstance(players, list) else [players]
    chooser = random.Random(seed)
    for n in range(rounds):
        if switch and n in switch:
            pool = [switch[n]]
        player = pool[chooser.randrange(len(pool))]
        context = player.context()
        decision = decide(state, context, vocabulary=VOCABULARY, personality=personality,
                          config=config, rng=decision_rng(seed, n))  # fmt: skip
        if state is None:
            from ecosystems.engine.games import initial_state

            state = initial_state(VOCABULARY, personality=personality, config=config)
        outcome, effect = player.outcome(decision.action)
        state, _ = learn(state, decision, outcome, effect, config=config, inplace=True)
        yield Round(player.style, decision, player.beaten_by or "", effect), state


def final_state(rounds: Iterator[tuple[Round, Any]]) -> Any:
    """Play all the rounds; the state after the last one."""
    state = None
    for _, state in rounds:  # noqa: B007 - the last one is the point
        pass
    return state


def windows(rounds: list[Round], size: int) -> list[float]:
    """Mean effectiveness per consecutive window of ``size`` rounds."""
    return [
        float(np.mean([r.effectiveness for r in rounds[i : i + size]]))
        for i in range(0, len(rounds), size)
    ]


def best_share(rounds: list[Round]) -> float:
    return sum(r.right for r in rounds) / len(rounds)
