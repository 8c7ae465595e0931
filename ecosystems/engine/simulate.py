"""``simulate_tick``: one whole tick in memory, the reference for the order of the steps.

The Django tick service does the same steps around its queries and bulk saves:

1. ``plan_tick`` (who rests, who acts, the scenes);
2. for each scene, each planned action in order: ``resolve_interaction`` with
   ``action_context``, reading the snapshots and relationships as the earlier actions
   of this tick left them;
3. ``knowledge_after_scene`` per scene, then ``spread_gossip`` (excluding
   ``plan.tellers``): the new knowledge;
4. ``goals_after_tick``, ``alliance_changes``, ``escalation_changes`` (all read the
   world as planned plus the played scenes);
5. feelings: ``contagion_pass`` over close relationships (skipping the pairs that just
   met), then ``emotions.decay`` for the tick's minutes; energy: rest and idle gains.

Used by the engine's tests and by anything that wants to run a world without a database.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from characters.engine.emotions import decay
from characters.engine.interaction import resolve_interaction
from characters.engine.types import CharacterSnapshot, RelationshipState
from ecosystems.engine.agency import action_context, plan_tick
from ecosystems.engine.goals.model import Goal
from ecosystems.engine.goals.progress import GoalEvent, goals_after_tick
from ecosystems.engine.groups import (
    FORMED,
    AllianceChange,
    EscalationEvent,
    GossipHop,
    alliance_changes,
    alliance_relationship_kinds,
    contagion_pass,
    escalation_changes,
    hops_as_learned,
    spread_gossip,
    told_in_scenes,
)
from ecosystems.engine.knowledge import KnowledgeItem
from ecosystems.engine.learning import knowledge_after_scene
from ecosystems.engine.world import (
    HISTORY_TICKS,
    Agent,
    Alliance,
    Executed,
    PastInteraction,
    SceneResult,
    TickPlan,
    World,
)


@dataclass(frozen=True, slots=True)
class TickReport:
    """Everything one simulated tick did."""

    tick: int
    plan: TickPlan
    results: tuple[SceneResult, ...]
    learned: dict[str, tuple[KnowledgeItem, ...]]
    gossip: tuple[GossipHop, ...]
    goal_events: tuple[GoalEvent, ...]
    alliance_changes: tuple[AllianceChange, ...]
    escalation_events: tuple[EscalationEvent, ...]


def play_scenes(
    world: World, plan: TickPlan, *, tick: int, rng: random.Random
) -> tuple[
    tuple[SceneResult, ...],
    dict[str, CharacterSnapshot],
    dict[tuple[str, str], RelationshipState],
]:
    """Resolve every planned action in order. Returns the results, the snapshots that
    changed and the relationship states that changed (by (source, target))."""
    snaps: dict[str, CharacterSnapshot] = {}
    views: dict[tuple[str, str], RelationshipState] = {}

    def snap(cid: str) -> CharacterSnapshot:
        return snaps.get(cid) or world.agents[cid].snapshot

    def view(a: str, b: str) -> RelationshipState:
        return views.get((a, b)) or world.view(a, b)

    results = []
    said = list(world.said)
    for scene in plan.scenes:
        executed = []
        for action in scene.actions:
            a, t = action.initiator_id, action.target_id
            context = replace(
                action_context(action, world, tick=tick),
                lines_said=frozenset(said),
                shared_history=shared_history(world, a, t, tick=tick),
            )
            if action.subject_id is not None and (t, action.subject_id) in views:
                context = replace(context, target_view_of_subject=views[(t, action.subject_id)])
            outcome = resolve_interaction(
                snap(a), snap(t), action.kind, view(a, t), view(t, a), None, context, rng
            )
            if outcome.ok:
                said += [outcome.content, outcome.response]
                for shift, energy in (
                    (outcome.initiator_emotions, outcome.initiator_energy),
                    (outcome.target_emotions, outcome.target_energy),
                ):
                    cid = shift.character_id
                    snaps[cid] = replace(
                        snap(cid), emotions=shift.after, social_energy=energy.after
                    )
                for update in (outcome.initiator_view, outcome.target_view, outcome.subject_view):
                    if update is not None:
                        views[(update.source_id, update.target_id)] = update.after
            executed.append(Executed(action, outcome))
        results.append(SceneResult(scene, tuple(executed)))
    return tuple(results), snaps, views


# What a pair calls a memorable earlier exchange ("after the quarrel").
OCCASIONS: dict[str, str] = {
    "joke": "that joke of yours", "confide": "our talk", "help": "your help",
    "gift": "the gift", "flirt": "our stroll", "apologise": "the apology",
    "argue": "the quarrel", "insult": "what you called me", "threaten": "your threat",
    "betray": "the betrayal", "share_secret": "what you told me", "reconcile": "the making-up",
    "gossip": "the gossip", "deceive": "that story of yours",
}  # fmt: skip


def shared_history(world: World, a: str, b: str, *, tick: int) -> tuple[str, ...]:
    """Phrases for what ``a`` and ``b`` did together lately, newest first, at most three:
    "the quarrel this morning"."""
    phrases: list[str] = []
    for past in reversed(world.history):
        if {past.initiator_id, past.target_id} != {a, b} or past.kind not in OCCASIONS:
            continue
        when = "just now" if tick - past.tick <= 1 else "earlier"
        phrase = f"{OCCASIONS[past.kind]} {when}"
        if phrase not in phrases:
            phrases.append(phrase)
    return tuple(phrases[:3])


def simulate_tick(
    world: World, *, tick: int, minutes: float, rng: random.Random
) -> tuple[World, TickReport]:
    """Plan and play tick ``tick`` and return the world after it, with a report."""
    plan = plan_tick(world, tick=tick, minutes=minutes, rng=rng)
    results, snaps, views = play_scenes(world, plan, tick=tick, rng=rng)
    learned, hops = _learned(world, plan, results, tick=tick, rng=rng)
    goals = goals_after_tick(world, results, tick=tick, learned=learned)
    alliances = alliance_changes(world, results, tick=tick)
    escalated = escalation_changes(world, results, tick=tick)
    out, standing = _relationships_after(world, views, alliances)
    new_world = world.evolve(
        agents=_agents_after(world, plan, results, snaps, goals.goals, minutes),
        out=out,
        knowledge=world.knowledge.merged(learned),
        history=_history_after(world, results, tick),
        alliances=standing,
        said=world.said
        + tuple(
            line
            for r in results
            for d in r.executed
            if d.outcome.ok
            for line in (d.outcome.content, d.outcome.response)
        ),
    )
    report = TickReport(tick, plan, results, learned, hops, goals.events, alliances, escalated)
    return new_world, report


def _learned(
    world: World,
    plan: TickPlan,
    results: tuple[SceneResult, ...],
    *,
    tick: int,
    rng: random.Random,
) -> tuple[dict[str, tuple[KnowledgeItem, ...]], tuple[GossipHop, ...]]:
    """What each character learned in their scenes and from gossip (first item per key)."""
    learned: dict[str, dict[str, KnowledgeItem]] = {}
    for result in results:
        for cid, items in knowledge_after_scene(result, world, tick=tick, rng=rng).items():
            for item in items:
                learned.setdefault(cid, {}).setdefault(item.key, item)
    # What was told in the scenes is logged as gossip too: the same act makes the same events
    # as an API interaction (``told_hop``); whispers between scenes follow.
    told = told_in_scenes(results, world, tick=tick)
    hops = (*told, *spread_gossip(world, tick=tick, rng=rng, exclude=plan.tellers))
    for cid, items in hops_as_learned(hops).items():
        for item in items:
            learned.setdefault(cid, {}).setdefault(item.key, item)
    return {cid: tuple(items.values()) for cid, items in learned.items()}, hops


def _agents_after(
    world: World,
    plan: TickPlan,
    results: tuple[SceneResult, ...],
    snaps: Mapping[str, CharacterSnapshot],
    goals: Mapping[str, tuple[Goal, ...]],
    minutes: float,
) -> dict[str, Agent]:
    """Feelings (contagion between close characters, then decay toward baseline), energy and
    goals of every character after the tick."""
    met = [(d.action.initiator_id, d.action.target_id) for r in results for d in r.executed]
    met += [(b, a) for a, b in met]
    emotions = {cid: s.emotions for cid, s in snaps.items()}
    emotions.update(contagion_pass(world, emotions=emotions, skip_pairs=met))
    gains = {r.character_id: r.after for r in (*plan.resting, *plan.idle)}
    agents: dict[str, Agent] = {}
    for cid, agent in world.agents.items():
        s = snaps.get(cid, agent.snapshot)
        feel = decay(emotions.get(cid, s.emotions), s.personality, minutes)
        energy = gains.get(cid, s.social_energy)
        agents[cid] = replace(
            agent,
            snapshot=replace(s, emotions=feel, social_energy=energy),
            goals=goals.get(cid, agent.goals),
        )
    return agents


def _relationships_after(
    world: World,
    views: Mapping[tuple[str, str], RelationshipState],
    alliances: Sequence[AllianceChange],
) -> tuple[dict[str, dict[str, RelationshipState]], tuple[Alliance, ...]]:
    """The relationships after the scenes and the alliance changes, and the standing
    alliances. Copies only the rows it changes."""
    out = dict(world.out)
    copied: set[str] = set()

    def put(a: str, b: str, state: RelationshipState) -> None:
        if a not in copied:
            out[a] = dict(out.get(a, {}))
            copied.add(a)
        out[a][b] = state

    for (a, b), state in views.items():
        put(a, b, state)
    standing = {al.key: al for al in world.alliances}
    after = world.evolve(out=out)
    for change in alliances:
        if change.change == FORMED:
            standing[change.key] = change.alliance()
        else:
            standing.pop(change.key, None)
        for (a, b), kind in alliance_relationship_kinds(change, after).items():
            put(a, b, replace(after.view(a, b), kind=kind))
    return out, tuple(standing.values())


def _history_after(
    world: World, results: tuple[SceneResult, ...], tick: int
) -> tuple[PastInteraction, ...]:
    """The recent interactions the engine remembers: the last ``HISTORY_TICKS`` ticks."""
    return tuple(h for h in world.history if h.tick > tick - HISTORY_TICKS) + tuple(
        PastInteraction(
            tick, d.outcome.initiator_id, d.outcome.target_id, d.action.kind,
            d.action.subject_id, d.outcome.felt_valence,
        )
        for r in results
        for d in r.executed
        if d.outcome.ok
    )  # fmt: skip
