"""The demo world ("The Garden Party") as engine dataclasses."""

from __future__ import annotations

from characters.engine.types import (
    CharacterSnapshot,
    EmotionState,
    Personality,
    RelationshipState,
)
from ecosystems.demo import DEMO_CHARACTERS, DEMO_RELATIONSHIPS
from ecosystems.engine.goals import goals_from_character
from ecosystems.engine.names import NameIndex
from ecosystems.engine.world import Agent, World


def garden_party(autonomy: float = 0.5) -> World:
    """The six demo guests, ids = lowercase names, with the demo's relationships."""
    names = NameIndex({c["name"].lower(): c["name"] for c in DEMO_CHARACTERS})
    agents = []
    for c in DEMO_CHARACTERS:
        cid = c["name"].lower()
        personality = Personality.from_traits(
            c, c["values"], [*c["long_term_goals"], *c["short_term_goals"]]
        )
        snapshot = CharacterSnapshot(
            cid,
            c["name"],
            personality,
            EmotionState.from_mapping(c["emotions"]),
            1.0,
            c["speaking_style"],
            tuple(c["secrets"]),
        )
        goals = goals_from_character(
            cid,
            names,
            long_term=c["long_term_goals"],
            short_term=c["short_term_goals"],
            core_motivations=c["core_motivations"],
        )
        agents.append(Agent(snapshot, autonomy, goals))
    relationships = [
        (
            r["source"].lower(),
            r["target"].lower(),
            RelationshipState(
                r["strength"], r["trust"], r["familiarity"], r["attraction"], str(r["kind"])
            ),
        )
        for r in DEMO_RELATIONSHIPS
    ]
    return World.build(agents, relationships, names=names)
