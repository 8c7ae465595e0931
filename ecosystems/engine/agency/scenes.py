"""Scenes: placing actors with their targets, converging characters and friends into
scenes of at most ``MAX_SCENE_SIZE``; the tick plan; the context for resolving an act."""

from __future__ import annotations

import random
from dataclasses import dataclass

from characters.engine.types import (
    InteractionContext,
)
from ecosystems.engine.agency.choice import Actor, Planner
from ecosystems.engine.agency.tuning import (
    JOIN_BASE,
    JOIN_EXTRAVERSION,
    JOIN_FRIENDS_CONSIDERED,
    JOIN_MIN_STRENGTH,
    MAX_SCENE_SIZE,
    acting_chance,
    rest_gain,
)
from ecosystems.engine.agency.types import Option
from ecosystems.engine.world import (
    PlannedAction,
    Rest,
    Scene,
    TickPlan,
    World,
)


@dataclass(slots=True)
class _SceneBuild:
    participants: list[str]
    actions: list[PlannedAction]


def plan_tick(world: World, *, tick: int, minutes: float, rng: random.Random) -> TickPlan:
    """Plan one tick: who rests, who acts, what they do, and the scenes they form.

    ``minutes`` is the simulated time one tick stands for (energy regained by rest).
    Deterministic for the same world and ``rng`` state; linear in characters."""
    planner = Planner(world, tick, minutes, rng)
    actors: dict[str, Actor] = {}
    options: dict[str, list[Option]] = {}
    for cid, agent in planner.awake.items():
        if rng.random() >= acting_chance(agent, tick):
            continue
        actor = Actor(agent, planner)
        found = planner.options(actor)
        if found:
            actors[cid] = actor
            options[cid] = found

    scenes: list[_SceneBuild] = []
    scene_of: dict[str, int] = {}

    def enter(cid: str, s: int) -> None:
        scenes[s].participants.append(cid)
        scene_of[cid] = s

    order = sorted(options, key=lambda c: (-options[c][0].noisy, c))
    unplaced: list[str] = []
    for cid in order:
        actor = actors[cid]
        chosen: Option | None = None
        s = scene_of.get(cid)
        if s is not None:
            members = scenes[s].participants
            chosen = next((o for o in options[cid] if o.target in members), None)
            if chosen is None and len(members) < MAX_SCENE_SIZE:
                chosen = next((o for o in options[cid] if o.target not in scene_of), None)
                if chosen is not None:
                    enter(chosen.target, s)
            if chosen is None:
                chosen = _best_toward(planner, actor, members)
        else:
            for o in options[cid]:
                ts = scene_of.get(o.target)
                if ts is None:
                    scenes.append(_SceneBuild([], []))
                    s = len(scenes) - 1
                    enter(cid, s)
                    enter(o.target, s)
                    chosen = o
                    break
                if len(scenes[ts].participants) < MAX_SCENE_SIZE:
                    s = ts
                    enter(cid, s)
                    chosen = o
                    break
        if chosen is None or s is None:
            unplaced.append(cid)
            continue
        scenes[s].actions.append(planner.planned(actor, chosen))

    # Friends drift into each other's scenes.
    free = [cid for cid in planner.awake_ids if cid not in scene_of]
    rng.shuffle(free)
    wanted_to_act = set(unplaced)
    for cid in free:
        agent = planner.awake[cid]
        chance = JOIN_BASE + JOIN_EXTRAVERSION * agent.snapshot.personality.extraversion
        if rng.random() >= chance:
            continue
        friends = sorted(
            (
                (v.strength, f)
                for f, v in world.out.get(cid, {}).items()
                if v.strength >= JOIN_MIN_STRENGTH and f in scene_of
            ),
            key=lambda x: (-x[0], x[1]),
        )[:JOIN_FRIENDS_CONSIDERED]
        for _, friend in friends:
            s = scene_of[friend]
            if len(scenes[s].participants) >= MAX_SCENE_SIZE:
                continue
            enter(cid, s)
            if cid in wanted_to_act:
                actor = actors[cid]
                chosen = _best_toward(planner, actor, scenes[s].participants)
                if chosen is not None:
                    scenes[s].actions.append(planner.planned(actor, chosen))
            break

    idle = []
    for cid in planner.awake_ids:
        if cid not in scene_of:
            agent = planner.awake[cid]
            energy = agent.snapshot.social_energy
            idle.append(
                Rest(cid, energy, min(1.0, energy + rest_gain(agent, minutes, idle=True)), "idle")
            )
    return TickPlan(
        tick=tick,
        scenes=tuple(
            Scene(f"{tick}-{n}", tuple(sc.participants), tuple(sc.actions))
            for n, sc in enumerate(scenes)
        ),
        resting=tuple(planner.resting),
        idle=tuple(idle),
    )


def _best_toward(planner: Planner, actor: Actor, members: list[str]) -> Option | None:
    best = None
    for m in members:
        if m == actor.id:
            continue
        option = planner.score_target(actor, m)
        if option is not None and (best is None or option.noisy > best.noisy):
            best = option
    return best


def action_context(action: PlannedAction, world: World, *, tick: int) -> InteractionContext:
    """The ``InteractionContext`` for resolving ``action``: tick, subject (and the
    target's view of it, if they have one), the secret confided, and whether the two
    fought recently. Add ``shared_history`` / ``lines_said`` with ``dataclasses.replace``."""
    subject = world.ref(action.subject_id) if action.subject_id else None
    view = None
    if action.subject_id is not None:
        view = world.out.get(action.target_id, {}).get(action.subject_id)
    secret = action.fact.content if action.kind == "share_secret" and action.fact else None
    return InteractionContext(
        tick=tick,
        subject=subject,
        target_view_of_subject=view,
        secret=secret,
        recent_conflict=action.recent_conflict,
    )
