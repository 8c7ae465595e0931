"""Conflict escalation up a ladder (disagree -> argue -> insult -> threaten): it raises the
next rung for the aggrieved party; an apology or reconciliation cools it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from characters.engine.types import (
    Personality,
)
from ecosystems.engine.world import (
    HISTORY_TICKS,
    PastInteraction,
    SceneResult,
    World,
)

LADDER: tuple[str, ...] = ("disagree", "argue", "insult", "threaten")
RUNG: dict[str, int] = {kind: i for i, kind in enumerate(LADDER)}
# The rungs as the story tells them ("from words to insults"), not as the engine names them.
RUNG_WORDS: tuple[str, ...] = ("disagreement", "words", "insults", "threats")
EXTRA_RUNG = {"deceive": 1, "betray": 3}  # hostile acts off the ladder, placed on it
DEESCALATING = frozenset({"apologise", "reconcile"})
WARMING = frozenset({"compliment", "help", "gift", "small_talk", "joke"})  # one rung down
ESCALATION_MIN_ACTS = 2  # hostile acts in the window before it counts as a trend
ESCALATION_BONUS = 0.6  # utility for the aggrieved party's next rung, x temper (0.5..1.5)
DEESCALATION_BONUS = 0.35  # utility for apologise/reconcile, x (agreeableness + conscientiousness)

ESCALATED = "escalated"
DEESCALATED = "deescalated"


@dataclass(frozen=True, slots=True)
class Escalation:
    """Where a pair's quarrel stands: ``rung`` is the highest ladder step reached in the
    window (-1: none), ``hostile_acts`` how many there were, ``aggrieved_id`` the target
    of the last hostile act and ``aggressor_id`` its initiator."""

    pair: tuple[str, str]
    rung: int
    hostile_acts: int
    aggressor_id: str
    aggrieved_id: str
    last_tick: int

    @property
    def trending(self) -> bool:
        return self.rung >= 0 and self.hostile_acts >= ESCALATION_MIN_ACTS

    @property
    def next_kind(self) -> str:
        return LADDER[min(self.rung + 1, len(LADDER) - 1)]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _step(state: Escalation | None, a: str, b: str, kind: str, tick: int) -> Escalation | None:
    """The pair's escalation after ``a`` did ``kind`` to ``b``."""
    rung = RUNG.get(kind, EXTRA_RUNG.get(kind))
    if rung is not None:
        if state is None:
            return Escalation(_pair(a, b), rung, 1, a, b, tick)
        return Escalation(state.pair, max(state.rung, rung), state.hostile_acts + 1, a, b, tick)
    if state is None:
        return None
    if kind in DEESCALATING:
        return None
    if kind in WARMING:
        if state.rung <= 0:
            return None
        return replace(state, rung=state.rung - 1, hostile_acts=max(1, state.hostile_acts - 1))
    return state


def escalations(
    history: Iterable[PastInteraction], *, since_tick: int | None = None
) -> dict[tuple[str, str], Escalation]:
    """Every pair's quarrel from ``history`` (oldest first; entries before ``since_tick``
    are ignored). Pairs at peace are left out. Linear in the history."""
    states: dict[tuple[str, str], Escalation] = {}
    for h in history:
        if since_tick is not None and h.tick < since_tick:
            continue
        key = _pair(h.initiator_id, h.target_id)
        new = _step(states.get(key), h.initiator_id, h.target_id, h.kind, h.tick)
        if new is None:
            states.pop(key, None)
        else:
            states[key] = new
    return states


def escalation_bonus(esc: Escalation, character_id: str, p: Personality) -> dict[str, float]:
    """Utility bonuses per kind for ``character_id`` toward the other side: the next rung
    for the aggrieved party (hot tempers more), apology (for the aggressor) and
    reconciliation (both) for agreeable, conscientious people."""
    if not esc.trending:
        return {}
    out: dict[str, float] = {}
    calm = DEESCALATION_BONUS * (p.agreeableness + p.conscientiousness)
    out["reconcile"] = calm
    if character_id == esc.aggrieved_id:
        temper = 0.5 + (1.0 - p.agreeableness) * 0.5 + p.neuroticism * 0.5
        out[esc.next_kind] = out.get(esc.next_kind, 0.0) + ESCALATION_BONUS * temper
    else:
        out["apologise"] = calm
    return out


@dataclass(frozen=True, slots=True)
class EscalationEvent:
    """A quarrel went up the ladder or cooled down; ``text`` is readable."""

    kind: str
    pair: tuple[str, str]
    initiator_id: str
    target_id: str
    rung_before: int
    rung_after: int
    text: str


def escalation_changes(
    world: World, results: Iterable[SceneResult], *, tick: int
) -> tuple[EscalationEvent, ...]:
    """Quarrels that escalated (a new, higher rung once it is a trend) or cooled (an
    apology or reconciliation ended a trend) in the played scenes. ``world.history`` is
    the history before this tick."""
    results = tuple(results)
    touched = {
        _pair(d.action.initiator_id, d.action.target_id)
        for r in results
        for d in r.executed
        if d.outcome.ok
    }
    if not touched:
        return ()
    states = {
        k: v for k, v in escalations(world.history, since_tick=tick - HISTORY_TICKS).items()
        if k in touched
    }  # fmt: skip
    events: list[EscalationEvent] = []
    for result in results:
        for done in result.executed:
            o = done.outcome
            if not o.ok:
                continue
            a, b, kind = o.initiator_id, o.target_id, o.kind
            key = _pair(a, b)
            before = states.get(key)
            after = _step(before, a, b, kind, tick)
            # Named in name order, not id order: the text must not depend on generated ids.
            names = " and ".join(sorted((world.name(key[0]), world.name(key[1]))))
            if (
                after is not None
                and after.trending
                and (before is None or not before.trending or after.rung > before.rung)
            ):
                was = before.rung if before is not None else -1
                if was >= 0 and after.rung > was:
                    step = f"from {RUNG_WORDS[was]} to {RUNG_WORDS[after.rung]}"
                else:
                    step = f"it has come to {RUNG_WORDS[after.rung]}"
                events.append(
                    EscalationEvent(
                        ESCALATED, key, a, b, was, after.rung,
                        f"The quarrel between {names} escalates: {o.summary}, {step}",
                    )
                )  # fmt: skip
            elif before is not None and before.trending and after is None:
                events.append(
                    EscalationEvent(
                        DEESCALATED, key, a, b, before.rung, -1,
                        f"The quarrel between {names} cools: {o.summary}",
                    )
                )  # fmt: skip
            if after is None:
                states.pop(key, None)
            else:
                states[key] = after
    return tuple(events)
