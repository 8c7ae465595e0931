"""Text of a match: titles, predictions and beat lines from templates and events."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any, cast

from ecosystems.engine.events import (
    AllianceChange,
    RelationshipChanged,
)
from stories.engine.sifting.predicates import ref_id
from stories.engine.sifting.types import ALLIANCE_BROKEN, ALLIANCE_FORMED, RELATIONSHIP, LogEvent


class _Names(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "someone"


def plan_text(data: Mapping[str, Any], who: tuple[str, str] | None) -> str:
    """A goal as a prediction: "Diana means to get back at Eve for the lie". Goals are
    written as imperatives ("Get back at Eve..."); the event's own text is the fallback."""
    description = str(data.get("description") or "").strip().rstrip(".")
    if not description or who is None or not who[1]:
        return str(data.get("text") or "")
    if description.startswith(who[1]):  # already a sentence about them
        return description
    return f"{who[1]} means to {description[0].lower()}{description[1:]}"


def render(template: str, names: Mapping[str, str]) -> str:
    """``template`` with ``{var}`` replaced by display names ("someone" when unbound)."""
    return template.format_map(_Names(names))


def template_vars(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_AT_TICK = re.compile(r"\s+at tick \d+")


def event_text(event: LogEvent) -> str:
    """The event's own readable sentence: its summary or text, else one made from its data."""
    data = event.data
    told = data.get("summary") or data.get("text")
    if told:
        return _AT_TICK.sub("", str(told))  # beats carry their tick; the sentence need not
    if event.kind == RELATIONSHIP:
        moved = cast(RelationshipChanged, data)
        source, target = ref_id(moved.get("source")), ref_id(moved.get("target"))
        kind = str(moved.get("kind") or "stranger").replace("_", " ")
        if source and target:
            article = "an" if kind[0] in "aeiou" else "a"
            return f"{source[1]} now sees {target[1]} as {article} {kind}"
    if event.kind in (ALLIANCE_FORMED, ALLIANCE_BROKEN):
        verb = "formed" if event.kind == ALLIANCE_FORMED else "broke up"
        alliance = cast(AllianceChange, data)
        members = [r[1] for r in (ref_id(m) for m in alliance.get("members") or ()) if r]
        name = alliance.get("name") or ""
        return f"{', '.join(members) or 'An alliance'} {verb} {name}".strip()
    return event.kind.replace("_", " ").capitalize()
