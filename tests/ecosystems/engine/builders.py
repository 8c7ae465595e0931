"""Builders for engine tests: characters, relationships and worlds as plain dataclasses."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

from characters.engine.interaction import resolve_interaction
from characters.engine.relationships import derive_kind
from characters.engine.types import (
    CharacterSnapshot,
    EmotionState,
    Personality,
    RelationshipState,
)
from ecosystems.engine.agency import action_context
from ecosystems.engine.goals import goals_from_character
from ecosystems.engine.knowledge import KnowledgeItem
from ecosystems.engine.names import NameIndex
from ecosystems.engine.world import (
    Agent,
    Alliance,
    Executed,
    PastInteraction,
    PlannedAction,
    Scene,
    SceneResult,
    World,
)


def person(
    name: str,
    *,
    values: Iterable[str] = (),
    secrets: Iterable[str] = (),
    energy: float = 1.0,
    emotions: Mapping[str, float] | None = None,
    **traits: float,
) -> CharacterSnapshot:
    """A snapshot with id = lowercase name; traits default to 0.5, feelings neutral."""
    return CharacterSnapshot(
        name.lower(),
        name,
        Personality(**traits, values=tuple(values)),
        EmotionState.from_mapping(emotions or {}),
        energy,
        "",
        tuple(secrets),
    )


def view(
    strength: float = 0.0, trust: float = 0.0, familiarity: float = 0.5, attraction: float = 0.0
) -> RelationshipState:
    """A relationship state whose kind is what its numbers imply."""
    return RelationshipState(
        strength,
        trust,
        familiarity,
        attraction,
        derive_kind(strength, trust, familiarity, attraction),
    )


FRIENDS = view(0.6, 0.6, 0.7)
STRANGERS = view(0.0, 0.0, 0.0)
RIVALS = view(-0.45, -0.4, 0.5)


def both(a: str, b: str, state: RelationshipState) -> list[tuple[str, str, RelationshipState]]:
    return [(a, b, state), (b, a, state)]


def build(
    people: Iterable[CharacterSnapshot],
    relationships: Iterable[tuple[str, str, RelationshipState]] = (),
    *,
    goals: Mapping[str, Iterable[str]] | None = None,
    autonomy: float | Mapping[str, float] = 1.0,
    knowledge: Mapping[str, Iterable[KnowledgeItem]] | None = None,
    history: Iterable[PastInteraction] = (),
    alliances: Iterable[Alliance] = (),
) -> World:
    """A world; ``goals`` maps a character id to short-term goal descriptions."""
    people = list(people)
    names = NameIndex({p.id: p.name for p in people})
    agents = []
    for p in people:
        gs = goals_from_character(p.id, names, short_term=(goals or {}).get(p.id, ()))
        level = autonomy if isinstance(autonomy, float | int) else autonomy.get(p.id, 1.0)
        agents.append(Agent(p, float(level), gs))
    return World.build(
        agents,
        relationships,
        knowledge=knowledge,
        history=history,
        alliances=alliances,
        names=names,
    )


def act(
    initiator: str,
    target: str,
    kind: str,
    *,
    subject: str | None = None,
    fact: KnowledgeItem | None = None,
    intent: str | None = None,
    goal_key: str | None = None,
) -> PlannedAction:
    return PlannedAction(
        initiator, target, kind, subject, 1.0, "test", intent, goal_key, fact, False
    )


def play(
    world: World,
    participants: Iterable[str],
    actions: Iterable[PlannedAction],
    *,
    tick: int = 5,
    seed: int = 0,
) -> SceneResult:
    """Resolve ``actions`` for real, in order, against the world as it is (one scene)."""
    rng = random.Random(seed)
    scene = Scene(f"{tick}-0", tuple(participants), tuple(actions))
    executed = []
    for action in scene.actions:
        a, t = world.agents[action.initiator_id], world.agents[action.target_id]
        outcome = resolve_interaction(
            a.snapshot,
            t.snapshot,
            action.kind,
            world.view(a.id, t.id),
            world.view(t.id, a.id),
            None,
            action_context(action, world, tick=tick),
            rng,
        )
        executed.append(Executed(action, outcome))
    return SceneResult(scene, tuple(executed))
