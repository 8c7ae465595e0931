"""A story as the narrator and the exporters see it: plain frozen dataclasses, no Django.

The caller (a stories service) builds one ``StoryDocument`` from a ``Story`` row and its beats
(events from the log); ``narrative.narrate`` turns it into ``Chapter``s and ``exports`` renders
document + chapters as Markdown, HTML, JSON or EPUB. Everything here is immutable, so the same
document always gives the same prose and the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Quote:
    """What was said in one interaction: ``speaker`` said ``line`` to ``listener``, who
    answered ``reply`` (empty when the listener said nothing)."""

    speaker: str
    line: str
    listener: str
    reply: str = ""


@dataclass(frozen=True, slots=True)
class DocBeat:
    """One key beat of the story, from one logged event.

    ``seq`` is the event's seq (unique and ordered within a world), ``kind`` the event kind
    ("character_interaction", "gossip_spread", ...), ``label`` a short headline ("Bob insulted
    Alice"), ``text`` one readable sentence, ``world_time`` the in-world clock when known
    ("the third bell"), ``quote`` the dialogue when the beat is an interaction and ``data`` the
    event payload as logged (exported verbatim in JSON).
    """

    seq: int
    tick: int
    kind: str
    label: str
    text: str
    world_time: str | None = None
    quote: Quote | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocParticipant:
    """One character in the story and the part it plays ("instigator", "lover", ...)."""

    id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class StoryDocument:
    """Everything needed to tell and export one story.

    ``status`` is one of brewing, developing, climax, resolved; ``tension`` is 0..1 now and
    ``tension_curve`` the (tick, tension 0..1) points in tick order; ``beats`` are in
    (tick, seq) order or any order (the narrator sorts them); ``predictions`` are short
    sentences about what may happen next; ``generated_at`` is an ISO 8601 timestamp.
    ``brand`` is the product the exports credit ("Told by Dramatis", the HTML generator, the
    EPUB creator); "" credits nobody (white label).
    """

    id: str
    title: str
    genre: str
    status: str
    summary: str
    world_name: str
    participants: tuple[DocParticipant, ...]
    tension: float
    tension_curve: tuple[tuple[int, float], ...]
    beats: tuple[DocBeat, ...]
    predictions: tuple[str, ...]
    started_tick: int
    updated_tick: int
    generated_at: str
    brand: str = "Dramatis"

    def participant_names(self) -> tuple[str, ...]:
        """The participants' names, in the document's order."""
        return tuple(p.name for p in self.participants)


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter of prose: ``number`` from 1, a title, and paragraphs of plain text
    (no markup; exporters escape and wrap them)."""

    number: int
    title: str
    paragraphs: tuple[str, ...]
