"""Pure engine throughput: full ``resolve_interaction`` calls per second on one core.

Each call runs feasibility, personality perception, both emotion updates with contagion,
both relationship directions and two dialogue lines. Target: 5,000/s on a 2-core machine
(one core here, so the figure is conservative).
"""

from __future__ import annotations

import random
import time

from bench.common import Figure
from characters.engine.interaction import resolve_interaction
from characters.engine.interactions import INTERACTION_KINDS
from characters.engine.types import (
    CharacterRef,
    CharacterSnapshot,
    InteractionContext,
    Personality,
    RelationshipState,
)

TARGET_PER_SECOND = 5_000
CALLS = 20_000


def run() -> list[Figure]:
    alice = CharacterSnapshot(
        "a",
        "Alice",
        Personality(agreeableness=0.9, extraversion=0.7, values=("kindness",), goals=("Win",)),
        secrets=("I read the letters",),
    )
    bob = CharacterSnapshot("b", "Bob", Personality(agreeableness=0.2, extraversion=0.3))
    a_view = RelationshipState(0.3, 0.4, 0.5, 0.1, "friend")
    b_view = RelationshipState(-0.1, 0.2, 0.5, 0.0, "acquaintance")
    context = InteractionContext(
        tick=3,
        subject=CharacterRef("c", "Carol"),
        shared_history=("the picnic",),
        recent_conflict=True,
    )
    rng = random.Random(7)
    kinds = INTERACTION_KINDS
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for i in range(CALLS):
            resolve_interaction(
                alice, bob, kinds[i % len(kinds)], a_view, b_view, None, context, rng
            )
        best = min(best, time.perf_counter() - started)
    return [
        Figure(
            "resolve_interaction, one core",
            CALLS / best,
            "calls/s",
            target=TARGET_PER_SECOND,
            higher_is_better=True,
        )
    ]


if __name__ == "__main__":
    for figure in run():
        print(f"{figure.name}: {figure.value:,.0f} {figure.unit} (target {figure.target:,})")
