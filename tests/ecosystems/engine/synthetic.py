"""A synthetic society of any size, for scale and invariant tests."""

from __future__ import annotations

import random

from characters.engine.relationships import derive_kind
from characters.engine.types import (
    CharacterSnapshot,
    EmotionState,
    Personality,
    RelationshipState,
)
from ecosystems.engine.goals import goals_from_character
from ecosystems.engine.names import NameIndex
from ecosystems.engine.world import Agent, PastInteraction, World

GOALS = (
    "Win {n}'s heart",
    "Get back at {n}",
    "Become friends with {n}",
    "Find out who stole the silver",
    "Impress {n}",
    "Rule the county",
    "Make amends with {n}",
    "Protect {n}",
)
VALUES = ("loyalty", "honesty", "ambition", "kindness", "family", "fun")
KINDS = ("small_talk", "argue", "insult", "joke", "compliment", "disagree", "help")


def society(n: int, *, degree: int = 10, seed: int = 7) -> World:
    """``n`` characters with ``degree`` random relationships each, random traits,
    feelings and energy, one goal each, some secrets and a recent history."""
    r = random.Random(seed)
    ids = [f"c{i}" for i in range(n)]
    names = NameIndex({cid: f"Person{i}" for i, cid in enumerate(ids)})
    agents = []
    for i, cid in enumerate(ids):
        p = Personality(*(r.random() for _ in range(5)), values=tuple(r.sample(VALUES, 2)))
        secrets = (f"I stole the silver from Person{r.randrange(n)}",) if r.random() < 0.2 else ()
        snap = CharacterSnapshot(
            cid,
            f"Person{i}",
            p,
            EmotionState(*(r.random() * 0.5 for _ in range(8))),
            r.random(),
            "",
            secrets,
        )
        goal = r.choice(GOALS).format(n=f"Person{r.randrange(n)}")
        goals = goals_from_character(
            cid,
            names,
            long_term=[{"description": goal, "progress": 0.0}],
            core_motivations=["to be admired"],
        )
        agents.append(Agent(snap, r.random(), goals))
    rels = []
    for cid in ids:
        for _ in range(degree):
            other = ids[r.randrange(n)]
            if other == cid:
                continue
            s, t, f, a = r.uniform(-1, 1), r.uniform(-1, 1), r.random(), r.random() * 0.6
            rels.append((cid, other, RelationshipState(s, t, f, a, derive_kind(s, t, f, a))))
    history = sorted(
        (
            PastInteraction(
                r.randrange(0, 10), ids[r.randrange(n)], ids[r.randrange(n)], r.choice(KINDS)
            )
            for _ in range(n)
        ),
        key=lambda h: h.tick,
    )
    return World.build(agents, rels, history=history, names=names)
