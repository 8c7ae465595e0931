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


class _Placement:
    """The scenes of a tick as they form: who is in which scene."""

    def __init__(self) -> None:
        self.scenes: list[_SceneBuild] = []
        self.scene_of: dict[str, int] = {}

    def enter(self, cid: str, s: int) -> None:
        self.scenes[s].participants.append(cid)
        self.scene_of[cid] = s

    def open(self, *cids: str) -> int:
        self.scenes.append(_SceneBuild([], []))
        s = len(self.scenes) - 1
        for cid in cids:
            self.enter(cid, s)
        return s

    def has_room(self, s: int) -> bool:
        return len(self.scenes[s].participants) < MAX_SCENE_SIZE


def plan_tick(world: World, *, tick: int, minutes: float, rng: random.Random) -> TickPlan:
    """Plan one tick: who rests, who acts, what they do, and the scenes they form.

    ``minutes`` is the simulated time one tick stands for (energy regained by rest).
    Deterministic for the same world and ``rng`` state; linear in characters."""
    planner = Planner(world, tick, minutes, rng)
    actors, options = _actors(planner, tick, rng)
    placement = _Placement()
    unplaced: list[str] = []
    world = planner.world
    for cid in sorted(options, key=lambda c: (-options[c][0].noisy, world.authored(c))):
        if not _place(planner, placement, actors[cid], options[cid]):
            unplaced.append(cid)
    _friends_join(planner, placement, actors, set(unplaced), rng)
    return TickPlan(
        tick=tick,
        scenes=tuple(
            Scene(f"{tick}-{n}", tuple(sc.participants), tuple(sc.actions))
            for n, sc in enumerate(placement.scenes)
        ),
        resting=tuple(planner.resting),
        idle=_idle(planner, placement, minutes),
    )


def _actors(
    planner: Planner, tick: int, rng: random.Random
) -> tuple[dict[str, Actor], dict[str, list[Option]]]:
    """The awake characters who act this tick, and their options, best first."""
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
    return actors, options


def _place(planner: Planner, placement: _Placement, actor: Actor, options: list[Option]) -> bool:
    """Put an actor's best feasible act into a scene: toward someone already in their scene,
    else bring a free target in, else join or open the target's scene. False when nothing
    fits."""
    cid, scene_of = actor.id, placement.scene_of
    chosen: Option | None = None
    s = scene_of.get(cid)
    if s is not None:
        members = placement.scenes[s].participants
        chosen = next((o for o in options if o.target in members), None)
        if chosen is None and placement.has_room(s):
            chosen = next((o for o in options if o.target not in scene_of), None)
            if chosen is not None:
                placement.enter(chosen.target, s)
        if chosen is None:
            chosen = _best_toward(planner, actor, members)
    else:
        for o in options:
            ts = scene_of.get(o.target)
            if ts is None:
                s, chosen = placement.open(cid, o.target), o
                break
            if placement.has_room(ts):
                s, chosen = ts, o
                placement.enter(cid, s)
                break
    if chosen is None or s is None:
        return False
    placement.scenes[s].actions.append(planner.planned(actor, chosen))
    return True


def _friends_join(
    planner: Planner,
    placement: _Placement,
    actors: dict[str, Actor],
    wanted_to_act: set[str],
    rng: random.Random,
) -> None:
    """Friends drift into each other's scenes; one who wanted to act and found no place acts
    there."""
    scene_of, world = placement.scene_of, planner.world
    free = [cid for cid in planner.awake_ids if cid not in scene_of]
    rng.shuffle(free)
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
            key=lambda x: (-x[0], world.authored(x[1])),
        )[:JOIN_FRIENDS_CONSIDERED]
        for _, friend in friends:
            s = scene_of[friend]
            if not placement.has_room(s):
                continue
            placement.enter(cid, s)
            if cid in wanted_to_act:
                actor = actors[cid]
                chosen = _best_toward(planner, actor, placement.scenes[s].participants)
                if chosen is not None:
                    placement.scenes[s].actions.append(planner.planned(actor, chosen))
            break


def _idle(planner: Planner, placement: _Placement, minutes: float) -> tuple[Rest, ...]:
    """The awake characters in no scene rest a little."""
    idle = []
    for cid in planner.awake_ids:
        if cid not in placement.scene_of:
            agent = planner.awake[cid]
            energy = agent.snapshot.social_energy
            gain = rest_gain(agent, minutes, idle=True)
            idle.append(Rest(cid, energy, min(1.0, energy + gain), "idle"))
    return tuple(idle)


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
