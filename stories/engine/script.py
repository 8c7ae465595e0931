"""Script an event log compactly, in the payload shapes the simulation logs: for tests,
demos and benchmarks of the story engine.

    log = Script()
    log.act("Alice", "argue", "Bob")
    log.wait(2)
    log.act("Bob", "insult", "Alice")
    sifter.feed(log.events)

Characters are named; their ids are derived from the name ("id-alice"), so the same script
always gives the same log. ``seq`` is allocated gaplessly; ``tick`` moves only with ``wait``.
"""

from __future__ import annotations

from typing import Any

from stories.engine.sifting import LogEvent

# Past tense of interaction types for summaries ("Alice insulted Bob").
PAST = {
    "greeting": "greeted",
    "small_talk": "chatted with",
    "compliment": "complimented",
    "joke": "joked with",
    "confide": "confided in",
    "ask_for_help": "asked for help from",
    "help": "helped",
    "gift": "gave a gift to",
    "flirt": "flirted with",
    "apologise": "apologised to",
    "tease": "teased",
    "disagree": "disagreed with",
    "argue": "argued with",
    "insult": "insulted",
    "threaten": "threatened",
    "deceive": "deceived",
    "betray": "betrayed",
    "gossip": "gossiped with",
    "share_secret": "shared a secret with",
    "reconcile": "reconciled with",
}


def character_id(name: str) -> str:
    """The id a script gives the character called ``name``."""
    return f"id-{name.lower()}"


def ref(name: str) -> dict[str, str]:
    return {"id": character_id(name), "name": name}


class Script:
    """A growing event log; each builder appends one event and returns it."""

    def __init__(self, *, tick: int = 1, seq: int = 0) -> None:
        self.tick = tick
        self.seq = seq
        self.events: list[LogEvent] = []

    def wait(self, ticks: int = 1) -> Script:
        self.tick += ticks
        return self

    def emit(self, kind: str, data: dict[str, Any]) -> LogEvent:
        self.seq += 1
        event = LogEvent(self.seq, self.tick, kind, data)
        self.events.append(event)
        return event

    def act(
        self,
        initiator: str,
        kind: str,
        responder: str,
        *,
        trust_delta: float = 0.0,
        response_trust_delta: float = 0.0,
    ) -> LogEvent:
        """A ``character_interaction``; ``response_trust_delta`` moves the responder's trust."""
        return self.emit(
            "character_interaction",
            {
                "interaction_id": f"i{self.seq + 1}",
                "participants": [
                    {**ref(initiator), "role": "initiator"},
                    {**ref(responder), "role": "responder"},
                ],
                "interaction_type": kind,
                "content": "...",
                "response": "...",
                "summary": f"{initiator} {PAST.get(kind, kind)} {responder}",
                "relationship_change": {"trust_delta": trust_delta},
                "response_relationship_change": {"trust_delta": response_trust_delta},
                "emotional_states": {},
            },
        )

    def rel(
        self,
        source: str,
        target: str,
        kind: str,
        *,
        previous: str = "acquaintance",
        trust_delta: float = 0.0,
    ) -> LogEvent:
        """A ``relationship_changed``: ``source`` now regards ``target`` as ``kind``."""
        return self.emit(
            "relationship_changed",
            {
                "source": ref(source),
                "target": ref(target),
                "kind": kind,
                "previous_kind": previous,
                "strength": 0.0,
                "trust": 0.0,
                "familiarity": 0.5,
                "attraction": 0.0,
                "strength_delta": 0.0,
                "trust_delta": trust_delta,
                "familiarity_delta": 0.0,
                "attraction_delta": 0.0,
                "cause": "scripted",
            },
        )

    def gossip(self, teller: str, listener: str, *, about: str | None, fact: str) -> LogEvent:
        return self.emit(
            "gossip_spread",
            {
                "teller": ref(teller),
                "listener": ref(listener),
                "subject": ref(about) if about else None,
                "fact": fact,
                "text": f"{teller} told {listener}: {fact}",
            },
        )

    def director(self, kind: str, *cast: str, text: str = "") -> LogEvent:
        """A ``director_intervention`` (a rumour's cast: teller, subject, listener)."""
        return self.emit(
            "director_intervention",
            {"kind": kind, "text": text or f"The director: {kind}", "reason": "scripted",
             "source": "drama_manager", "characters": [ref(name) for name in cast]},
        )  # fmt: skip

    def goal(
        self,
        who: str,
        intent: str,
        *,
        target: str | None = None,
        kind: str = "created",
        text: str | None = None,
    ) -> LogEvent:
        return self.emit(
            "goal_progress",
            {
                "character": ref(who),
                "character_id": character_id(who),
                "goal_key": f"g:{intent}",
                "description": text or intent,
                "kind": kind,
                "intent": intent,
                "target_id": character_id(target) if target else None,
                "progress_before": 0.0,
                "progress_after": 0.1,
                "text": text or f"{who} wants to {intent}",
            },
        )

    def alliance(self, change: str, name: str, *members: str) -> LogEvent:
        """``alliance_formed`` / ``alliance_broken`` (``change`` "formed"/"broken")."""
        return self.emit(
            f"alliance_{change}",
            {
                "alliance_id": f"alliance:{name.lower().replace(' ', '-')}",
                "name": name,
                "members": [ref(m) for m in members],
                "reason": "scripted",
            },
        )

    def escalate(self, initiator: str, target: str, before: int, after: int) -> LogEvent:
        change = "escalated" if after > before else "deescalated"
        return self.emit(
            "conflict_escalated",
            {
                "change": change,
                "initiator": ref(initiator),
                "target": ref(target),
                "rung_before": before,
                "rung_after": after,
                "text": f"The conflict between {initiator} and {target} {change}",
            },
        )

    def talk(
        self,
        persona: str,
        kind: str,
        character: str,
        *,
        before: tuple[float, float],
        after: tuple[float, float],
        conversation: str = "c1",
    ) -> LogEvent:
        """A turn of a conversation: the person speaking as ``persona`` does ``kind`` to
        ``character`` (``share_secret``/``confide``: the character confides in the persona),
        whose (strength, trust) toward the persona go from ``before`` to ``after``."""
        confiding = kind in ("share_secret", "confide")
        first, second = (character, persona) if confiding else (persona, character)
        event = self.act(first, kind, second)
        delta = {"strength_delta": round(after[0] - before[0], 4),
                 "trust_delta": round(after[1] - before[1], 4)}  # fmt: skip
        key = "relationship_change" if confiding else "response_relationship_change"
        data = {**event.data, key: delta, "conversation": {
            "id": conversation,
            "persona": ref(persona),
            "before": {"strength": before[0], "trust": before[1]},
            "after": {"strength": after[0], "trust": after[1]},
        }}  # fmt: skip
        replaced = LogEvent(event.seq, event.tick, event.kind, data)
        self.events[-1] = replaced
        return replaced

    def swing(
        self,
        persona: str,
        character: str,
        *,
        sentiment: tuple[float, float],
        size: float = 0.8,
        moods: tuple[str, str] = ("calm", "anger"),
    ) -> LogEvent:
        """A ``conversation_arc_swing``: talking with ``persona``, ``character``'s sentiment
        went from ``sentiment[0]`` to ``sentiment[1]``."""
        return self.emit(
            "conversation_arc_swing",
            {
                "conversation_id": "c1",
                "persona": ref(persona),
                "character": ref(character),
                "swing": size,
                "sentiment_before": sentiment[0],
                "sentiment_after": sentiment[1],
                "dominant_before": moods[0],
                "dominant_after": moods[1],
                "text": f"Talking with {persona}, {character} swung from {moods[0]} to {moods[1]}.",
            },
        )

    def reached(
        self,
        persona: str,
        goal: str,
        *characters: str,
        goal_kind: str | None = None,
        axis: str = "",
    ) -> LogEvent:
        """A ``conversation_goal_completed`` (``goal_kind`` None: logged without the goal as
        read, as before the event said it)."""
        data: dict[str, Any] = {
            "conversation_id": "c1",
            "persona": ref(persona),
            "characters": [ref(c) for c in characters],
            "goal": goal,
            "text": f"{persona} reached their goal talking with {', '.join(characters)}: {goal}.",
        }
        if goal_kind is not None:
            data["goal_kind"], data["axis"] = goal_kind, axis
        return self.emit("conversation_goal_completed", data)
