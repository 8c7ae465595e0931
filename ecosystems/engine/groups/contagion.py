"""Emotional contagion between close characters, beyond the pair that interacted: one
pass over the relationships, linear in their number."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from characters.engine.emotions import contagion, susceptibility
from characters.engine.interaction import closeness
from characters.engine.types import (
    EmotionState,
)
from ecosystems.engine.world import (
    World,
)

CONTAGION_MIN_CLOSENESS = 0.6  # ``interaction.closeness``: close friends and partners, roughly
CONTAGION_PASS_SHARE = 0.5  # at a distance, half as catching as face to face


def contagion_pass(
    world: World,
    *,
    emotions: Mapping[str, EmotionState] | None = None,
    skip_pairs: Iterable[tuple[str, str]] = (),
) -> dict[str, EmotionState]:
    """Feelings spreading between close characters: for every relationship ``a -> b`` with
    closeness at or above ``CONTAGION_MIN_CLOSENESS``, ``a`` catches some of ``b``'s
    feelings (``emotions.contagion`` at ``CONTAGION_PASS_SHARE`` x closeness, scaled by
    ``a``'s susceptibility). ``emotions`` overrides snapshot states (say, after the
    scenes); sources are read as they were before the pass, so the order of
    relationships does not matter. ``skip_pairs`` (source, target) were just face to face.
    Returns the new states of the characters that changed. Linear in relationships."""
    emotions = emotions or {}
    skip = set(skip_pairs)

    def state(cid: str) -> EmotionState:
        got = emotions.get(cid)
        return got if got is not None else world.agents[cid].snapshot.emotions

    changed: dict[str, EmotionState] = {}
    for a, table in world.out.items():
        agent = world.agents.get(a)
        if agent is None:
            continue
        current = None
        for b, view in table.items():
            if b not in world.agents or (a, b) in skip:
                continue
            c = closeness(view)
            if c < CONTAGION_MIN_CLOSENESS:
                continue
            if current is None:
                current = state(a)
                sus = susceptibility(agent.snapshot.personality)
            current = contagion(state(b), current, CONTAGION_PASS_SHARE * c, sus)
        if current is not None and current != state(a):
            changed[a] = current
    return changed
