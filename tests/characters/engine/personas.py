"""Engine personas: plain snapshots, no database.

Alice is warm and outgoing (agreeableness 0.9, extraversion 0.7); Bob is cold and
reserved (agreeableness 0.2, extraversion 0.3) — the pair from the original spec.
"""

from __future__ import annotations

from characters.engine.types import (
    CharacterSnapshot,
    EmotionState,
    InteractionContext,
    Personality,
    RelationshipState,
)

ALICE = CharacterSnapshot(
    "alice-id",
    "Alice",
    Personality(
        agreeableness=0.9,
        extraversion=0.7,
        values=("kindness", "loyalty"),
        goals=("Find the lost locket",),
    ),
    secrets=("I read Bob's letters",),
)
BOB = CharacterSnapshot(
    "bob-id",
    "Bob",
    Personality(agreeableness=0.2, extraversion=0.3, values=("ambition",)),
)
CAROL = CharacterSnapshot("carol-id", "Carol", Personality(openness=0.8))
STRANGERS = RelationshipState()
FRIENDS = RelationshipState(strength=0.45, trust=0.4, familiarity=0.5, kind="friend")
CLOSE = RelationshipState(strength=0.8, trust=0.7, familiarity=0.85, kind="close_friend")
DESPISED = RelationshipState(strength=-0.7, trust=-0.5, familiarity=0.4, kind="enemy")


def person(name: str = "Pat", **traits: float) -> CharacterSnapshot:
    """A snapshot with the given Big Five traits (others 0.5) and neutral feelings."""
    return CharacterSnapshot(f"{name.lower()}-id", name, Personality(**traits), EmotionState())


def context(**fields) -> InteractionContext:
    fields.setdefault("tick", 12)
    return InteractionContext(**fields)
