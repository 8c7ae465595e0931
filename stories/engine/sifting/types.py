"""The sifter's vocabulary: event kinds as logged, a log row, and what a match reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ecosystems.engine.events import (
    EventKind,
)

# Event kinds as logged: the event contract (``ecosystems.engine.events``, pure, no Django)
# names the kinds and the payload type of each; the sifter reads ``LogEvent.data`` through
# those types. ``.get`` stays: logs written before a key existed are still sifted.
INTERACTION = EventKind.CHARACTER_INTERACTION.value
RELATIONSHIP = EventKind.RELATIONSHIP_CHANGED.value
EMOTION = EventKind.EMOTION_CHANGED.value
GOAL = EventKind.GOAL_PROGRESS.value
GOSSIP = EventKind.GOSSIP_SPREAD.value
ALLIANCE_FORMED = EventKind.ALLIANCE_FORMED.value
ALLIANCE_BROKEN = EventKind.ALLIANCE_BROKEN.value
ESCALATION = EventKind.CONFLICT_ESCALATED.value
DIRECTOR = EventKind.DIRECTOR_INTERVENTION.value
ARC_SWING = EventKind.CONVERSATION_ARC_SWING.value
TALK_GOAL = EventKind.CONVERSATION_GOAL_COMPLETED.value
STORY_KINDS = frozenset({EventKind.STORY_DETECTED.value, EventKind.STORY_UPDATED.value})


MatchStatus = str  # "progress" | "complete" | "expired" | "killed"
PROGRESS = "progress"
COMPLETE = "complete"
EXPIRED = "expired"
KILLED = "killed"


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One row of a world's event log: ``seq`` is gapless and increasing within a world."""

    seq: int
    tick: int
    kind: str
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Beat:
    """A matched step, linked to its event by ``seq``."""

    seq: int
    tick: int
    kind: str
    label: str
    text: str
    tension: float = 0.0


@dataclass(frozen=True, slots=True)
class RoleBinding:
    """A role of a match: variable, readable role name, character id and name."""

    var: str
    role: str
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class MatchUpdate:
    """A shown match moved: it advanced (``progress``), completed, expired or was killed.

    ``step`` steps of ``total_steps`` are matched. ``prediction`` renders the next step (None
    once complete). ``plans`` are the latest goal texts of participants aimed at another
    participant ("Bob plans to search Diana's room"). ``ended_by`` is the event that killed it.
    ``next_label``: the label of the step ``prediction`` foretells (a story retires the
    prediction once another of its matches told that step). ``told``: (outcome, people, tick)
    of each matched step that has an outcome; ``next_outcome``: (outcome, people) of what
    ``prediction`` foretells, so the board retires it once any match told the same.
    """

    match_id: str
    pattern: str
    genre: str
    status: MatchStatus
    step: int
    total_steps: int
    min_steps: int
    climax_step: int
    resolves: bool
    tick: int
    first_tick: int
    roles: tuple[RoleBinding, ...]
    topics: Mapping[str, str]
    beats: tuple[Beat, ...]
    title: str
    prediction: str | None
    plans: tuple[str, ...] = ()
    ended_by: Beat | None = None
    next_label: str | None = None
    told: tuple[tuple[str, tuple[str, ...], int], ...] = ()
    next_outcome: tuple[str, tuple[str, ...]] | None = None

    @property
    def participant_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.roles)

    @property
    def reached_climax(self) -> bool:
        return self.step >= self.climax_step
