"""The planner's own types, at the bottom of ``agency``: ``choice`` builds them, ``reasons``
and ``scenes`` read them (neither reaches into ``choice``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ecosystems.engine.goals.model import Goal
from ecosystems.engine.knowledge import KnowledgeItem
from ecosystems.engine.world import Agent


@dataclass(slots=True)
class Option:
    """One act an actor could do now, with its utility (and noisy draw) and the parts it is
    made of (``parts``: goal, relationship, emotion, trait, escalation, knowledge)."""

    utility: float
    noisy: float
    target: str
    kind: str
    subject: str | None = None
    fact: KnowledgeItem | None = None
    goal: Goal | None = None
    recent_conflict: bool = False
    parts: dict[str, float] = field(default_factory=dict)


class ActorView(Protocol):
    """What ``reasons`` reads of an actor (``choice.Actor``)."""

    agent: Agent
    id: str
    suspects: dict[str, tuple[Goal, float]]
    traits_c: tuple[float, ...]
