"""What the people in a scene learn from it (the rules of ``knowledge_after_scene``).

- Only the scene's participants learn anything: a character witnesses only its own scene.
- Gossip and shared secrets: everyone present learns the fact that was told (the listener
  as "told", the others as "witnessed"); the gossip's subject learns it only if present.
- Notable acts (``NOTABLE_KINDS``: flirting, quarrels, threats, betrayals, ...) become
  an event fact for everyone present; a deceit nobody saw through is not one.
- A character pressed by an investigator (``PROBING_KINDS`` done for an "investigate"
  goal) may let slip a secret that matches what the investigator is after; the chance
  grows with the target's neuroticism and carelessness and with how hard it was pressed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from ecosystems.engine.knowledge import (
    NOTABLE_KINDS,
    PROBING_KINDS,
    TOLD,
    WITNESSED,
    KnowledgeItem,
    event_item,
    matching_fact,
    slip_chance,
)
from ecosystems.engine.world import SceneResult, World


def knowledge_after_scene(
    result: SceneResult, world: World, *, tick: int, rng: random.Random
) -> dict[str, tuple[KnowledgeItem, ...]]:
    """New facts per participant of one played scene (only facts they did not know).

    ``world`` is the world as it was when the tick was planned (its knowledge is what
    everyone knew before). Actions that did not happen (``outcome.ok`` false) teach
    nothing. Uses ``rng`` only for slips, in action order.
    """
    participants = result.scene.participants
    known = world.knowledge
    learned: dict[str, dict[str, KnowledgeItem]] = {}

    def learn(cid: str, item: KnowledgeItem) -> None:
        if known.knows(cid, item.key):
            return
        learned.setdefault(cid, {}).setdefault(item.key, item)

    for done in result.executed:
        action, outcome = done.action, done.outcome
        if not outcome.ok:
            continue
        if action.fact is not None and action.kind in ("gossip", "share_secret"):
            for cid, item in _what_was_told(action, participants, world, tick):
                learn(cid, item)
        if action.kind in NOTABLE_KINDS and outcome.detected:
            item = event_item(action.kind, action.initiator_id, action.target_id,
                              outcome.summary, tick)  # fmt: skip
            for cid in participants:
                learn(cid, item)
        if action.intent == "investigate" and action.kind in PROBING_KINDS:
            slipped = _slip(action, outcome, world, rng)
            if slipped is not None:
                for cid, item in _what_slipped(action, slipped, participants, world, tick):
                    learn(cid, item)
    return {cid: tuple(items.values()) for cid, items in learned.items()}


def _what_was_told(
    action: Any, participants: Sequence[str], world: World, tick: int
) -> Iterator[tuple[str, KnowledgeItem]]:
    """The fact a gossip or a confidence carried, as the one told and as bystanders know it."""
    a, t = action.initiator_id, action.target_id
    a_name, t_name = world.name(a), world.name(t)
    for cid in participants:
        if cid == a:
            continue
        told = cid == t
        how = f"{a_name} told them" if told else f"overheard {a_name} telling {t_name}"
        source = TOLD if told else WITNESSED
        yield cid, replace(action.fact, source=source, source_id=a, tick=tick, how=how)


def _what_slipped(
    action: Any, slipped: KnowledgeItem, participants: Sequence[str], world: World, tick: int
) -> Iterator[tuple[str, KnowledgeItem]]:
    """What the pressed one let slip, as everyone else in the scene now knows it."""
    a, t = action.initiator_id, action.target_id
    how = f"{world.name(t)} let it slip when {world.name(a)} pressed"
    for cid in participants:
        if cid != t:
            yield cid, replace(slipped, source=WITNESSED, source_id=t, tick=tick, how=how)


def _slip(action: Any, outcome: Any, world: World, rng: random.Random) -> KnowledgeItem | None:
    seeker = world.agents.get(action.initiator_id)
    holder = world.agents.get(action.target_id)
    if seeker is None or holder is None:
        return None
    goal = next((g for g in seeker.goals if g.key == action.goal_key), None)
    topic = goal.topic if goal is not None else ()
    about = goal.target_id if goal is not None else None
    fact = matching_fact(world.knowledge.of(holder.id), topic, about, world.knowledge.of(seeker.id))
    if fact is None:
        return None
    chance = slip_chance(holder.snapshot, action.kind, outcome.felt_valence, outcome.detected)
    return fact if rng.random() < chance else None
