"""How the pages word events: one line per logged event, for the server-rendered feed.

``static/js/stream.js`` words live frames the same way (``describe``); keep the two in step.
"""

from __future__ import annotations

from typing import Any

# The colour of each relationship type on the graph and in legends (shared with the JS).
KIND_COLOURS: dict[str, str] = {
    "stranger": "#9a97a8",
    "acquaintance": "#6f86a6",
    "friend": "#2e8b57",
    "close_friend": "#13663a",
    "ally": "#2a6fbe",
    "romantic_interest": "#c2417e",
    "partner": "#8e1f5c",
    "rival": "#d07a00",
    "enemy": "#b3262d",
}

# Each emotion's colour in the pages (dots beside names, graph nodes); keep in step with
# static/css/app.css (.emo-dot) and static/js/observatory.js.
EMOTION_COLOURS: dict[str, str] = {
    "joy": "#f2c12e",
    "trust": "#5cb85c",
    "fear": "#7a5fa8",
    "surprise": "#39a0c9",
    "sadness": "#5677b8",
    "disgust": "#7d8c33",
    "anger": "#d9534f",
    "anticipation": "#f08a3c",
    "calm": "#c9c5d6",
}


def _name(ref: Any) -> str:
    return str(ref.get("name", "someone")) if isinstance(ref, dict) else "someone"


def event_line(kind: str, data: dict[str, Any]) -> str:
    """One plain sentence for the activity feed."""
    if kind == "character_interaction":
        people = data.get("participants") or [{}, {}]
        a, b = _name(people[0]), _name(people[-1])
        line = (
            data.get("summary")
            or f"{a} and {b}: {str(data.get('interaction_type', '')).replace('_', ' ')}"
        )
        return str(line)
    if kind == "relationship_changed":
        before, after = data.get("previous_kind"), data.get("kind")
        who = f"{_name(data.get('source'))} → {_name(data.get('target'))}"
        if before and after and before != after:
            return f"{who}: {before.replace('_', ' ')} became {after.replace('_', ' ')}"
        now = str(after or "").replace("_", " ")
        return f"{who}: now {now} (strength {data.get('strength', 0):+.2f})"
    if kind == "emotion_changed":
        return f"{_name(data.get('character'))} now feels mostly {data.get('dominant', '')}"
    if kind == "goal_progress":
        text = data.get("text") or data.get("description", "")
        return f"{_name(data.get('character'))}: {text}"
    if kind == "memory_reflection":
        insights = data.get("insights") or []
        first = insights[0]["content"] if insights else "a new insight"
        return f"{_name(data.get('character'))} reflected: {first}"
    if kind == "memory_consolidated":
        return f"{_name(data.get('character'))} consolidated {data.get('memory_count', 0)} memories"
    if kind in ("alliance_formed", "alliance_broken"):
        verb = "formed" if kind == "alliance_formed" else "broke"
        return f"Alliance {verb}: {data.get('name', '')}"
    if kind in ("story_detected", "story_updated"):
        verb = "New story" if kind == "story_detected" else "Story"
        status = f" ({data['status']})" if data.get("status") else ""
        return f"{verb}: {data.get('title', '')}{status}"
    if kind == "scenario_started":
        return f"Scenario started: {data.get('title', '')}"
    if kind == "director_intervention":
        return f"Director: {data.get('text', '')}"
    if kind == "ecosystem_status":
        return f"The world is now {data.get('status', '')}"
    if kind == "tick":
        return f"Tick {data.get('tick', '')}"
    if kind == "gossip_spread":
        return str(
            data.get("text")
            or f"{_name(data.get('teller'))} told {_name(data.get('listener'))} a rumour"
        )
    if kind in ("conversation_goal_completed", "conversation_arc_swing"):
        return str(data.get("text") or kind.replace("_", " "))
    if kind == "conflict_escalated":
        a, b = _name(data.get("initiator")), _name(data.get("target"))
        return f"Conflict escalated between {a} and {b}"
    if kind == "lore_changed":
        return f"Lore {data.get('change') or 'changed'}: {data.get('title') or 'an entry'}"
    if kind == "social_updated":
        return f"Society: {data.get('headline') or 'the circles were taken stock of again'}"
    return kind.replace("_", " ")


def event_mentions(data: dict[str, Any]) -> set[str]:
    """The character ids an event is about (for feeds filtered to a story's cast)."""
    ids: set[str] = set()
    for key in ("participants", "characters", "members"):
        for ref in data.get(key) or []:
            if isinstance(ref, dict) and ref.get("id"):
                ids.add(str(ref["id"]))
    for key in ("source", "target", "character", "teller", "listener", "subject", "initiator"):
        ref = data.get(key)
        if isinstance(ref, dict) and ref.get("id"):
            ids.add(str(ref["id"]))
    if data.get("character_id"):
        ids.add(str(data["character_id"]))
    return ids
