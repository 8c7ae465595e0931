"""Goal progress, completion, setbacks, new short-term goals and expiry after a tick.

Progress (``goals_after_tick``), per executed action that serves a goal of its initiator:

    delta = PROGRESS_STEP[horizon] * serves(goal, action) * landing

- ``serves`` is the intent's weight for the kind (``INTENT_KINDS``; ``SUBJECT_KINDS`` for
  gossip about the goal's target, ``ADVERSARY_KINDS`` for standing up to whoever
  threatens the protected), times ``UNTARGETED_SHARE`` for a goal without a target
  (served by ``UNTARGETED_KINDS`` where given, or by the intent's table when the planner
  aimed the act at that goal).
- ``landing`` (0..``MAX_LANDING``): for kind intents, the felt valence plus
  ``REL_MOVE_WEIGHT`` x how much the target warmed to the initiator; a kind act that
  landed badly sets the goal back by ``SETBACK_SHARE`` x felt valence. For revenge the
  hurt that landed (minus felt valence, plus cooling). Investigating: ``PROBE_LANDING``
  per probing act. Keeping a secret: ``UNSEEN_LIE_LANDING`` per deceit nobody saw through.
- Milestones complete a goal outright: courting when the target's view becomes a
  romantic interest (short-term) or partner (long-term), befriending when it becomes
  friendly, reconciling when an apology or reconciliation closes the rift, investigating
  when a fact that matches is learned. Someone learning a secret sets its owner's
  keep-secret goals back by ``SECRET_OUT_SETBACK``.

New short-term goals (with an expiry, never a duplicate of an active goal with the same
intent and target, at most ``MAX_SHORT_GOALS`` active): revenge after a betrayal, insult,
threat or caught lie that stung (``GRUDGE_MIN``); courting after a flirt that landed
(``FLIRT_LANDED``); making amends after a quarrel with a friend; protecting a friend one
saw threatened or betrayed; investigating whoever a secret one heard points at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from characters.engine.types import (
    ALLY,
    CLOSE_FRIEND,
    FRIEND,
    PARTNER,
    ROMANTIC_INTEREST,
    clamp,
)
from ecosystems.engine.goals.model import (
    ADVERSARY_KINDS,
    BEFRIEND,
    CORE,
    COURT,
    INTENT_KINDS,
    INVESTIGATE,
    KEEP_SECRET,
    KIND_INTENTS,
    LONG,
    PROTECT,
    RECONCILE,
    REVENGE,
    SHORT,
    SUBJECT_KINDS,
    UNTARGETED_SHARE,
    Goal,
    untargeted_kinds,
)
from ecosystems.engine.knowledge import SECRET, KnowledgeItem, secret_key
from ecosystems.engine.names import NameIndex, content_words
from ecosystems.engine.world import Executed, SceneResult, World

# --- progress ------------------------------------------------------------------------------
# Progress (0..1) one fully serving, fully landing act gives: a short-term goal is done
# in about four good acts, a long-term one in about a dozen.
PROGRESS_STEP: dict[str, float] = {SHORT: 0.25, LONG: 0.08, CORE: 0.0}
REL_MOVE_WEIGHT = 5.0  # x the target's affinity change (a typical good act moves it 0.03-0.08)
MAX_LANDING = 1.5
SETBACK_SHARE = 0.5  # a kind act that landed at felt -v costs step x weight x v x this
PROBE_LANDING = 0.3
UNSEEN_LIE_LANDING = 0.5
SECRET_OUT_SETBACK = 0.15  # per tick in which somebody new learned the secret
PROGRESS_EVENT_MIN = 0.01  # smaller moves are applied but not announced
FRIENDLY_KINDS = frozenset({FRIEND, CLOSE_FRIEND, PARTNER, ALLY})
# A short courtship is won when the target becomes fond (a romantic interest); a
# long-term one when they become partners.
COURTED_KINDS = {SHORT: frozenset({ROMANTIC_INTEREST, PARTNER}), LONG: frozenset({PARTNER})}
INVESTIGATE_MATCH_WORDS = 2  # topic words a learned fact must share to answer the question

# --- new short-term goals ------------------------------------------------------------------
GRUDGE_KINDS: dict[str, str] = {
    "betray": "betrayal",
    "insult": "insult",
    "threaten": "threat",
    "deceive": "lie",
}
GRUDGE_MIN = 0.35  # -felt x (1.2 - agreeableness) at or above this starts a revenge goal
FLIRT_LANDED = 0.3  # felt valence at or above which a flirt makes its initiator court
FRIENDLY_MIN_STRENGTH = 0.3  # affinity that makes a quarrel one with a friend
PROTECT_KINDS = frozenset({"threaten", "betray"})
CURIOSITY_MIN = 0.7  # openness + 0.3 x (1 - agreeableness) at or above: hearsay makes one dig
REVENGE_TTL_TICKS = 36
COURT_TTL_TICKS = 48
RECONCILE_TTL_TICKS = 24
INVESTIGATE_TTL_TICKS = 36
PROTECT_TTL_TICKS = 24
MAX_SHORT_GOALS = 4  # active short-term goals; no new ones beyond this

# --- events ----------------------------------------------------------------------------------
CREATED = "created"
PROGRESS = "progress"
SETBACK = "setback"
COMPLETED = "completed"
EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class GoalEvent:
    """Something happened to a goal (for the ``goal_progress`` event and memories).

    ``kind``: created, progress, setback, completed or expired; ``text`` is readable:
    "Frank moved closer to: Find the courage to court Alice (10% -> 18%)"."""

    character_id: str
    goal_key: str
    description: str
    kind: str
    intent: str
    target_id: str | None
    progress_before: float
    progress_after: float
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "character_id": self.character_id,
            "goal_key": self.goal_key,
            "description": self.description,
            "kind": self.kind,
            "intent": self.intent,
            "target_id": self.target_id,
            "progress_before": round(self.progress_before, 4),
            "progress_after": round(self.progress_after, 4),
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class GoalsAfterTick:
    """``goals``: the full new goal list of every character whose goals changed (write
    these back); ``events``: in a stable order."""

    goals: dict[str, tuple[Goal, ...]]
    events: tuple[GoalEvent, ...]


def serves(goal: Goal, action: Any) -> float:
    """0..1: how directly ``action`` (a ``PlannedAction``) serves ``goal`` of its initiator."""
    kind = action.kind
    if goal.target_id is None:
        # Aimed at nobody in particular; an act the planner chose for this goal (toward a
        # suspect, a feuding guest) counts by the intent's own table.
        table = INTENT_KINDS[goal.intent] if action.goal_key == goal.key else None
        table = table or untargeted_kinds(goal.intent)
        return UNTARGETED_SHARE * table.get(kind, 0.0)
    if action.target_id == goal.target_id:
        weight = INTENT_KINDS[goal.intent].get(kind, 0.0)
        if weight > 0:
            return weight
    if action.subject_id == goal.target_id:
        weight = SUBJECT_KINDS.get(goal.intent, {}).get(kind, 0.0)
        if weight > 0:
            return weight
    if goal.adversary_id is not None and action.target_id == goal.adversary_id:
        return ADVERSARY_KINDS.get(kind, 0.0)
    return 0.0


def progress_delta(goal: Goal, action: Any, outcome: Any, tick: int) -> tuple[float, bool]:
    """(progress change, milestone reached) for one executed action of the goal's owner.
    See the module doc for the formula."""
    if not outcome.ok or not goal.is_active(tick) or goal.horizon == CORE:
        return 0.0, False
    weight = serves(goal, action)
    if weight <= 0.0:
        return 0.0, False
    step = PROGRESS_STEP[goal.horizon] * weight
    felt = outcome.felt_valence
    moved = 0.0
    after_kind = None
    if outcome.target_view is not None:
        moved = outcome.target_view.after.strength - outcome.target_view.before.strength
        after_kind = outcome.target_view.after.kind
    on_target = goal.target_id is not None and action.target_id == goal.target_id
    intent = goal.intent
    if intent == COURT and on_target and after_kind in COURTED_KINDS[goal.horizon]:
        return 1.0 - goal.progress, True
    if intent == BEFRIEND and on_target and after_kind in FRIENDLY_KINDS:
        return 1.0 - goal.progress, True
    if (
        intent == RECONCILE
        and on_target
        and action.kind in ("apologise", "reconcile")
        and felt > 0
        and outcome.target_view is not None
        and outcome.target_view.after.strength >= 0
        and outcome.initiator_view.after.strength >= 0
    ):
        return 1.0 - goal.progress, True
    if intent == REVENGE:
        if action.subject_id == goal.target_id and action.kind == "gossip":
            landing = 0.5
        else:
            landing = max(0.0, -felt) + REL_MOVE_WEIGHT * max(0.0, -moved)
    elif intent == INVESTIGATE:
        landing = PROBE_LANDING
    elif intent == KEEP_SECRET:
        landing = UNSEEN_LIE_LANDING if action.kind == "deceive" and not outcome.detected else 0.0
    elif intent in KIND_INTENTS:
        if felt < 0:
            return step * felt * SETBACK_SHARE, False
        landing = felt + REL_MOVE_WEIGHT * max(0.0, moved)
    else:
        landing = max(0.0, felt)
    return step * clamp(landing, 0.0, MAX_LANDING), False


def answers(goal: Goal, item: KnowledgeItem) -> bool:
    """Does learning ``item`` answer an investigate goal?"""
    if goal.target_id is not None and item.kind == SECRET and item.concerns(goal.target_id):
        return True
    if not goal.topic:
        return False
    shared = len(frozenset(goal.topic) & content_words(item.content))
    return shared >= min(INVESTIGATE_MATCH_WORDS, len(goal.topic))


def guards(goal: Goal, item: KnowledgeItem) -> bool:
    """Is ``item`` (a secret of the goal's owner) what a keep-secret goal protects? A
    goal with no topic ("keep my secrets safe") guards every secret."""
    return not goal.topic or bool(frozenset(goal.topic) & content_words(item.content))


class _Ledger:
    """Per-character goal lists being changed this tick, with their events."""

    def __init__(self, world: World, tick: int) -> None:
        self.world = world
        self.tick = tick
        self.goals: dict[str, list[Goal]] = {}
        self.deltas: dict[tuple[str, str], list[float]] = {}
        self.milestones: set[tuple[str, str]] = set()
        self.why: dict[tuple[str, str], list[str]] = {}
        self.events: list[GoalEvent] = []

    def of(self, cid: str) -> list[Goal]:
        if cid not in self.goals:
            agent = self.world.agents.get(cid)
            self.goals[cid] = list(agent.goals) if agent is not None else []
        return self.goals[cid]

    def move(self, cid: str, goal: Goal, delta: float, why: str, milestone: bool = False) -> None:
        key = (cid, goal.key)
        self.of(cid)
        self.deltas.setdefault(key, []).append(delta)
        self.why.setdefault(key, []).append(why)
        if milestone:
            self.milestones.add(key)

    def add(self, cid: str, goal: Goal) -> bool:
        goals = self.of(cid)
        for i, g in enumerate(goals):
            if g.is_active(self.tick) and g.intent == goal.intent and g.target_id == goal.target_id:
                if g.horizon == SHORT and g.expires_tick is not None and goal.expires_tick:
                    goals[i] = replace(g, expires_tick=max(g.expires_tick, goal.expires_tick))
                return False
        active_short = sum(1 for g in goals if g.horizon == SHORT and g.is_active(self.tick))
        if active_short >= MAX_SHORT_GOALS:
            return False
        goals.append(goal)
        self.events.append(
            GoalEvent(
                cid, goal.key, goal.description, CREATED, goal.intent, goal.target_id, 0.0, 0.0,
                f"{self.world.name(cid)} now wants "
                f"{goal_phrase(goal.description, self.world.names)}",
            )
        )  # fmt: skip
        return True


def goals_after_tick(
    world: World,
    results: Iterable[SceneResult],
    *,
    tick: int,
    learned: Mapping[str, Iterable[KnowledgeItem]] | None = None,
) -> GoalsAfterTick:
    """Goal progress, completions, setbacks, new short-term goals and expiries after a
    tick. ``world`` is the world the tick was planned from; ``results`` the scenes as
    played; ``learned`` the new knowledge per character (``knowledge_after_scene`` and
    ``spread_gossip``). Deterministic, no randomness."""
    ledger = _Ledger(world, tick)
    results = tuple(results)
    learned = {cid: tuple(items) for cid, items in (learned or {}).items()}
    _progress_from_actions(ledger, results)
    _answers_found(ledger, learned)
    _secrets_out(ledger, learned)
    _apply_moves(ledger)
    for result in results:
        _new_goals_from_scene(ledger, world, result, tick)
    for cid, items in learned.items():
        _curiosity(ledger, world, cid, items, tick)
    return GoalsAfterTick(_expire_and_drop_finished(ledger), tuple(ledger.events))


def _progress_from_actions(ledger: _Ledger, results: Sequence[SceneResult]) -> None:
    """Progress from what each initiator did."""
    world, tick = ledger.world, ledger.tick
    for result in results:
        for done in result.executed:
            action, outcome = done.action, done.outcome
            if not outcome.ok:
                continue
            agent = world.agents.get(action.initiator_id)
            if agent is None:
                continue
            for goal in agent.goals:
                delta, milestone = progress_delta(goal, action, outcome, tick)
                if delta or milestone:
                    ledger.move(agent.id, goal, delta, outcome.summary, milestone)


def _answers_found(ledger: _Ledger, learned: Mapping[str, Sequence[KnowledgeItem]]) -> None:
    """A question answered by what was learned completes the goal of finding it out."""
    world, tick = ledger.world, ledger.tick
    for cid, items in learned.items():
        agent = world.agents.get(cid)
        if agent is None:
            continue
        for goal in agent.goals:
            if goal.intent != INVESTIGATE or not goal.is_active(tick) or goal.horizon == CORE:
                continue
            hit = next((it for it in items if answers(goal, it)), None)
            if hit is not None:
                ledger.move(cid, goal, 1.0 - goal.progress, f"learned: {hit.content}", True)


def _secrets_out(ledger: _Ledger, learned: Mapping[str, Sequence[KnowledgeItem]]) -> None:
    """A secret getting out sets back its keeper's goal of keeping it."""
    world, tick = ledger.world, ledger.tick
    out_by_owner: dict[str, dict[str, list[str]]] = {}
    for cid, items in learned.items():
        for item in items:
            if item.kind == SECRET and item.about_id not in (None, cid):
                out_by_owner.setdefault(item.about_id, {}).setdefault(item.key, []).append(cid)
    for owner, by_key in out_by_owner.items():
        agent = world.agents.get(owner)
        if agent is None:
            continue
        for goal in agent.goals:
            if goal.intent != KEEP_SECRET or not goal.is_active(tick) or goal.horizon == CORE:
                continue
            for key, learners in by_key.items():
                item = world.knowledge.item(owner, key)
                if item is not None and guards(goal, item):
                    who = ", ".join(world.name(c) for c in learners)
                    ledger.move(owner, goal, -SECRET_OUT_SETBACK, f"{who} learned the secret")
                    break


def _move_kind(before: float, after: float) -> str | None:
    if after >= 1.0:
        return COMPLETED
    if after > before:
        return PROGRESS
    if after < before:
        return SETBACK
    return None


def _apply_moves(ledger: _Ledger) -> None:
    """Apply the ledger's moves to the goals and announce the ones big enough to tell."""
    for (cid, key), deltas in ledger.deltas.items():
        goals = ledger.of(cid)
        i = next((i for i, goal in enumerate(goals) if goal.key == key), None)
        if i is None:
            continue
        goal = goals[i]
        before = goal.progress
        milestone = (cid, key) in ledger.milestones
        after = 1.0 if milestone else clamp(before + sum(deltas))
        goals[i] = replace(goal, progress=after)
        kind = _move_kind(before, after)
        if kind is None or (kind != COMPLETED and abs(after - before) < PROGRESS_EVENT_MIN):
            continue
        ledger.events.append(
            _progress_event(ledger.world, cid, goal, before, after, kind, ledger.why)
        )


def _expire_and_drop_finished(ledger: _Ledger) -> dict[str, tuple[Goal, ...]]:
    """Expire short-term goals past their time (announced), drop finished ones; the goals of
    every character whose list changed."""
    world, tick = ledger.world, ledger.tick
    for agent in world.agents.values():
        if any(g.horizon == SHORT and g.expires_tick is not None for g in agent.goals):
            ledger.of(agent.id)
    changed: dict[str, tuple[Goal, ...]] = {}
    for cid, goals in ledger.goals.items():
        keep: list[Goal] = []
        for goal in goals:
            if goal.horizon == SHORT and goal.progress >= 1.0:
                continue
            if goal.expires_tick is not None and goal.expires_tick <= tick + 1:
                if goal.progress < 1.0:
                    ledger.events.append(
                        GoalEvent(
                            cid, goal.key, goal.description, EXPIRED, goal.intent,
                            goal.target_id, goal.progress, goal.progress,
                            f"{world.name(cid)} gave up on: {goal.description}",
                        )
                    )  # fmt: skip
                continue
            keep.append(goal)
        agent = world.agents.get(cid)
        if agent is None or tuple(keep) != agent.goals:
            changed[cid] = tuple(keep)
    return changed


def _progress_event(
    world: World,
    cid: str,
    goal: Goal,
    before: float,
    after: float,
    kind: str,
    why: Mapping[tuple[str, str], list[str]],
) -> GoalEvent:
    name = world.name(cid)
    cause = "; ".join(why.get((cid, goal.key), [])[:2])
    # Words, not figures: the numbers are in the event's progress fields; the text is read
    # in memories, chapters and the Observatory as a sentence of the story.
    verb = {
        COMPLETED: "managed",
        PROGRESS: "came a step closer to the aim",
        SETBACK: "suffered a setback in the aim",
    }[kind]
    text = f"{name} {verb} {goal_phrase(goal.description, world.names)}" + (
        f", because {cause}" if cause else ""
    )
    return GoalEvent(
        cid, goal.key, goal.description, kind, goal.intent, goal.target_id, before, after, text
    )


def goal_phrase(description: str, names: NameIndex | None = None) -> str:
    """A goal written as an imperative ("Get back at Eve for the lie") as the rest of a
    sentence: "to get back at Eve for the lie". ``names`` keeps a leading name capitalised."""
    text = description.strip().rstrip(".")
    if not text:
        return "to do what they set out to do"
    first = text.split(" ", 1)[0]
    is_name = names is not None and bool(names.find(first))
    if first.isalpha() and first[1:].islower() and first != "I" and not is_name:
        text = text[0].lower() + text[1:]
    return text if text.startswith("to ") else f"to {text}"


def _short_goal(
    intent: str,
    description: str,
    target_id: str,
    tick: int,
    ttl: int,
    adversary_id: str | None = None,
) -> Goal:
    return Goal(
        key=f"short:{intent}:{target_id}:{tick}",
        description=description,
        horizon=SHORT,
        intent=intent,
        target_id=target_id,
        created_tick=tick,
        expires_tick=tick + ttl,
        adversary_id=adversary_id,
        topic=(),
        auto=True,
    )


def _new_goals_from_scene(ledger: _Ledger, world: World, result: SceneResult, tick: int) -> None:
    for done in result.executed:
        action, outcome = done.action, done.outcome
        if not outcome.ok:
            continue
        a, t = action.initiator_id, action.target_id
        if world.agents.get(t) is None or world.agents.get(a) is None:
            continue
        revenge_made = _revenge(ledger, done, tick)
        _courting(ledger, done, tick)
        if outcome.conflict:
            _amends(ledger, done, tick, victim_wants_revenge=revenge_made)
        _protect(ledger, done, result.scene.participants, tick)


def _revenge(ledger: _Ledger, done: Executed, tick: int) -> bool:
    """The victim of a betrayal, insult, threat or a lie they caught may want to get back at
    its author; True when they now do."""
    action, outcome, world = done.action, done.outcome, ledger.world
    a, t, kind = action.initiator_id, action.target_id, action.kind
    if kind not in GRUDGE_KINDS or not outcome.detected:
        return False
    victim = world.agents[t]
    grudge = -outcome.felt_valence * (1.2 - victim.snapshot.personality.agreeableness)
    if grudge < GRUDGE_MIN:
        return False
    description = f"Get back at {world.name(a)} for the {GRUDGE_KINDS[kind]}"
    ledger.add(t, _short_goal(REVENGE, description, a, tick, REVENGE_TTL_TICKS))
    return True


def _courting(ledger: _Ledger, done: Executed, tick: int) -> None:
    """A flirt that landed well, with a heart not yet won."""
    action, outcome = done.action, done.outcome
    if (
        action.kind == "flirt"
        and outcome.felt_valence >= FLIRT_LANDED
        and outcome.target_view.after.kind not in COURTED_KINDS[SHORT]
    ):
        t = action.target_id
        description = f"Win {ledger.world.name(t)}'s heart"
        ledger.add(action.initiator_id, _short_goal(COURT, description, t, tick, COURT_TTL_TICKS))


def _amends(ledger: _Ledger, done: Executed, tick: int, *, victim_wants_revenge: bool) -> None:
    """A quarrel between friends: each side that was fond of the other wants to make amends
    (not a victim who now wants revenge)."""
    world = ledger.world
    a, t = done.action.initiator_id, done.action.target_id
    for side, other in ((a, t), (t, a)):
        if side == t and victim_wants_revenge:
            continue
        if world.view(side, other).strength >= FRIENDLY_MIN_STRENGTH:
            description = f"Make amends with {world.name(other)}"
            ledger.add(side, _short_goal(RECONCILE, description, other, tick, RECONCILE_TTL_TICKS))


def _protect(ledger: _Ledger, done: Executed, present: Iterable[str], tick: int) -> None:
    """A friend present saw them threatened or betrayed."""
    action, outcome, world = done.action, done.outcome, ledger.world
    a, t = action.initiator_id, action.target_id
    if action.kind not in PROTECT_KINDS or not outcome.detected:
        return
    for witness in present:
        if witness in (a, t) or witness not in world.agents:
            continue
        to_victim = world.view(witness, t).strength
        if to_victim >= FRIENDLY_MIN_STRENGTH and to_victim > world.view(witness, a).strength:
            description = f"Protect {world.name(t)} from {world.name(a)}"
            goal = _short_goal(PROTECT, description, t, tick, PROTECT_TTL_TICKS, adversary_id=a)
            ledger.add(witness, goal)


def _curiosity(
    ledger: _Ledger, world: World, cid: str, items: Iterable[KnowledgeItem], tick: int
) -> None:
    """Hearing a secret that points at someone (it names them: "I saw Diana near the
    rooms") makes a curious character dig into them, unless it already knows all of
    their own secrets. A secret that names nobody else answers its own question."""
    agent = world.agents.get(cid)
    if agent is None:
        return
    p = agent.snapshot.personality
    if p.openness + 0.3 * (1.0 - p.agreeableness) < CURIOSITY_MIN:
        return
    for item in items:
        if item.kind != SECRET or item.source == "own" or item.about_id in (None, cid):
            continue
        lead = next((m for m in item.mentions if m != cid and m in world.agents), None)
        if lead is None:
            continue
        secrets = world.agents[lead].snapshot.secrets
        keys = [secret_key(lead, s) for s in secrets]
        if keys and all(world.knowledge.knows(cid, k) or k == item.key for k in keys):
            continue
        ledger.add(
            cid,
            _short_goal(
                INVESTIGATE,
                f"Find out what {world.name(lead)} is hiding",
                lead,
                tick,
                INVESTIGATE_TTL_TICKS,
            ),
        )
        return
