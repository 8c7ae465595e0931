"""Scoring: each actor's candidate targets, the utility of every act toward each, the
softmax draw, the feasibility check, and the readable reason for the act chosen."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from characters.engine.interactions import feasible
from characters.engine.personality import is_thrill_seeker
from characters.engine.types import (
    CharacterSnapshot,
    InteractionContext,
    RelationshipState,
)
from ecosystems.engine.agency.reasons import reason
from ecosystems.engine.agency.tuning import (
    AFFINITY_WEIGHT,
    ATTRACTION_ROWS,
    AVOID_PENALTY,
    CLASS_ROWS,
    CONFLICT_KINDS,
    COSTS,
    EMOTION_ROWS,
    EMOTION_WEIGHT,
    FEAR_AVOID,
    FEASIBILITY_TRIES,
    GATED,
    GOAL_WEIGHT,
    GOSSIP_FACTS_CONSIDERED,
    GOSSIP_JUICE_WEIGHT,
    HOLDERS_PER_WORD,
    K_APOLOGISE,
    K_BETRAY,
    K_FLIRT,
    K_GOSSIP,
    K_RECONCILE,
    K_SHARE,
    KEEP_SECRET_PENALTY,
    KIND_INDEX,
    KIND_REPEAT,
    KINDS,
    MAX_KNOWN_CANDIDATES,
    MIN_ACT_UTILITY,
    N_KINDS,
    OPTIONS_KEPT,
    PAIR_REPEAT,
    PEACEMAKER_SCALE,
    PEACEMAKER_TARGETS,
    PRIORS,
    RELATION_CLASS,
    RELATION_KINDS,
    REPEAT_DECAY,
    REPEAT_WINDOW_TICKS,
    RIFT_WEIGHT,
    SAME_ACT_REPEAT,
    SECRET_TRUST_WEIGHT,
    SOFTMAX_WINDOW,
    STRANGER_SAMPLES,
    SUSPECTS_PER_GOAL,
    TEMPERATURE,
    TRAIT_NAMES,
    TRAIT_ROWS,
    TRAIT_WEIGHT,
    VALENCE_SIGNS,
    rest_gain,
)
from ecosystems.engine.agency.types import Option
from ecosystems.engine.goals import (
    ADVERSARY_KINDS,
    AVOID,
    INTENT_KINDS,
    INVESTIGATE,
    KEEP_SECRET,
    RECONCILE,
    SUBJECT_KINDS,
    UNTARGETED_SHARE,
    Goal,
    untargeted_kinds,
)
from ecosystems.engine.goals.progress import guards
from ecosystems.engine.groups import escalation_bonus, escalations, telling_propensity
from ecosystems.engine.knowledge import OWN, SECRET, KnowledgeItem
from ecosystems.engine.names import content_words
from ecosystems.engine.world import (
    HISTORY_TICKS,
    REST_BELOW,
    Agent,
    PlannedAction,
    Rest,
    World,
)


@dataclass(slots=True)
class _Scored:
    """Every act's utility from one actor toward one target, and what went into them."""

    target: str
    scored: list[tuple[float, int]]
    best: float
    iv: RelationshipState
    tv: RelationshipState
    klass: str
    recent_conflict: bool
    rift: float
    goal_bonus: dict[int, tuple[float, Goal]]
    esc_bonus: dict[int, float]
    fact: KnowledgeItem | None
    subject: str | None
    fact_bonus: float
    fact_goal: Goal | None
    secret: KnowledgeItem | None
    secret_bonus: float


class Actor:
    """One actor's per-tick scoring tables."""

    __slots__ = (
        "adversary",
        "agent",
        "avoid",
        "by_class",
        "emo_part",
        "energy_ok",
        "facts",
        "goal_src",
        "guarding",
        "id",
        "own",
        "own_goal",
        "propensity",
        "secrets",
        "subjects",
        "suspects",
        "targeted",
        "trait_part",
        "traits_c",
    )  # fmt: skip

    def __init__(self, agent: Agent, planner: Planner) -> None:
        snap = agent.snapshot
        p = snap.personality
        tick = planner.tick
        self.agent = agent
        self.id = agent.id
        self.traits_c = tuple(2.0 * (getattr(p, t) - 0.5) for t in TRAIT_NAMES)
        o, c, e, a, n = self.traits_c
        self.trait_part = [
            TRAIT_WEIGHT * (w[0] * o + w[1] * c + w[2] * e + w[3] * a + w[4] * n)
            for w in TRAIT_ROWS
        ]
        emo = self._emotion_part(snap)
        self.emo_part = emo
        self.own_goal = [0.0] * N_KINDS
        self.goal_src: list[Goal | None] = [None] * N_KINDS
        self.targeted: dict[str, list[tuple[Goal, float]]] = {}
        self.adversary: dict[str, list[Goal]] = {}
        self.subjects: dict[str, list[Goal]] = {}
        self.suspects: dict[str, tuple[Goal, float]] = {}
        self.avoid: dict[str, float] = {}
        self.guarding: list[Goal] = []
        for goal in agent.goals:
            if goal.is_active(tick):
                self._read_goal(goal, planner)
        for holder, (goal, suspicion) in self.suspects.items():
            self.targeted.setdefault(holder, []).append((goal, suspicion))
        kind_rep = planner.kind_repeats.get(self.id)
        self.own = [
            PRIORS[k] + self.trait_part[k] + emo[k] + self.own_goal[k] for k in range(N_KINDS)
        ]
        if kind_rep:
            for k, w in kind_rep.items():
                self.own[k] -= KIND_REPEAT * w
        self.energy_ok = [snap.social_energy >= cost for cost in COSTS]
        self.propensity = telling_propensity(p)
        table = planner.world.knowledge.of(self.id)
        facts = [it for it in table.values() if it.source != OWN and not it.concerns(self.id)]
        # content before key: keys carry character ids, which differ between copies
        facts.sort(key=lambda it: (-it.juice, -it.tick, it.content, it.key))
        self.facts = facts[:GOSSIP_FACTS_CONSIDERED]
        self.secrets = [it for it in table.values() if it.source == OWN and it.kind == SECRET]
        self.by_class: dict[str, dict[int, float]] = {}

    @staticmethod
    def _emotion_part(snap: CharacterSnapshot) -> list[float]:
        """What the actor's feelings add to each kind."""
        emo = [0.0] * N_KINDS
        values = snap.emotions.values()
        for ei, entries in EMOTION_ROWS:
            v = values[ei]
            if v > 0.0:
                for k, w in entries:
                    emo[k] += EMOTION_WEIGHT * w * v
        return emo

    def _read_goal(self, goal: Goal, planner: Planner) -> None:
        """File one active goal: secrets guarded, people avoided, targets (and subjects and
        adversaries) sought, suspects to question, feuds to mend, and the kinds it favours."""
        hw = goal.weight
        if goal.intent == KEEP_SECRET:
            self.guarding.append(goal)
        if goal.intent == AVOID:
            if goal.target_id is not None:
                self.avoid[goal.target_id] = max(self.avoid.get(goal.target_id, 0.0), hw)
            return
        if goal.target_id is not None:
            self.targeted.setdefault(goal.target_id, []).append((goal, 1.0))
            if goal.intent in SUBJECT_KINDS:
                self.subjects.setdefault(goal.target_id, []).append(goal)
            if goal.adversary_id is not None:
                self.adversary.setdefault(goal.adversary_id, []).append(goal)
            return
        if goal.intent == INVESTIGATE and goal.topic:
            for holder, suspicion in planner.suspects(goal, self.id):
                if holder not in self.suspects or suspicion > self.suspects[holder][1]:
                    self.suspects[holder] = (goal, suspicion)
        if goal.intent == RECONCILE:
            for cid in planner.feuding_sample(self.id):
                self.targeted.setdefault(cid, []).append((goal, PEACEMAKER_SCALE))
        for kind, w in untargeted_kinds(goal.intent).items():
            bonus = GOAL_WEIGHT * hw * UNTARGETED_SHARE * w
            k = KIND_INDEX[kind]
            if bonus > self.own_goal[k]:
                self.own_goal[k], self.goal_src[k] = bonus, goal

    def class_kinds(self, klass: str) -> dict[int, float]:
        """Kinds that fit a relationship class (and the actor can afford), with the
        actor's own utility plus the class bias. Do not mutate."""
        kinds = self.by_class.get(klass)
        if kinds is None:
            kinds = {k: self.own[k] + b for k, b in CLASS_ROWS[klass] if self.energy_ok[k]}
            self.by_class[klass] = kinds
        return kinds


class Planner:
    def __init__(self, world: World, tick: int, minutes: float, rng: random.Random) -> None:
        self.world = world
        self.tick = tick
        self.minutes = minutes
        self.rng = rng
        self.awake: dict[str, Agent] = {}
        self.resting: list[Rest] = []
        for cid, agent in world.agents.items():
            energy = agent.snapshot.social_energy
            if energy < REST_BELOW:
                after = min(1.0, energy + rest_gain(agent, minutes))
                self.resting.append(Rest(cid, energy, after, "resting"))
            else:
                self.awake[cid] = agent
        self.awake_ids = list(self.awake)
        self._index_history()
        self._index_holders()

    # --- indexes built once per tick ----------------------------------------------------------
    def _index_history(self) -> None:
        tick = self.tick
        self.pair_repeats: dict[tuple[str, str], float] = {}
        self.act_repeats: dict[str, dict[str, dict[int, float]]] = {}
        self.kind_repeats: dict[str, dict[int, float]] = {}
        self.conflicts: set[tuple[str, str]] = set()
        since = tick - HISTORY_TICKS
        for h in self.world.history:
            if h.tick < since or h.tick >= tick:
                continue
            a, b = h.initiator_id, h.target_id
            if h.kind in CONFLICT_KINDS:
                self.conflicts.add((a, b) if a < b else (b, a))
            ago = tick - h.tick
            if ago > REPEAT_WINDOW_TICKS:
                continue
            w = REPEAT_DECAY ** (ago - 1)
            k = KIND_INDEX.get(h.kind)
            if k is None:
                continue
            self.pair_repeats[(a, b)] = self.pair_repeats.get((a, b), 0.0) + w
            self.pair_repeats[(b, a)] = self.pair_repeats.get((b, a), 0.0) + 0.5 * w
            acts = self.act_repeats.setdefault(a, {}).setdefault(b, {})
            acts[k] = acts.get(k, 0.0) + w
            per = self.kind_repeats.setdefault(a, {})
            per[k] = per.get(k, 0.0) + w
        self.escalations = escalations(self.world.history, since_tick=since)
        feuding: dict[str, None] = {}
        for esc in self.escalations.values():
            if esc.trending:
                feuding.update(dict.fromkeys(c for c in esc.pair if c in self.awake))
        # Authored order: a pair's own order is by id, which differs between copies of a world.
        self.feuding = sorted(feuding, key=self.world.authored)

    def feuding_sample(self, me: str) -> list[str]:
        """Up to ``PEACEMAKER_TARGETS`` awake characters caught in a quarrel, not ``me``."""
        pool = [c for c in self.feuding if c != me]
        if len(pool) <= PEACEMAKER_TARGETS:
            return pool
        return self.rng.sample(pool, PEACEMAKER_TARGETS)

    def _index_holders(self) -> None:
        """word -> characters holding a fact with that word, for the topic words of every
        active investigation (bounded by ``HOLDERS_PER_WORD``)."""
        wanted: set[str] = set()
        for agent in self.awake.values():
            for goal in agent.goals:
                if goal.intent == INVESTIGATE and goal.topic and goal.is_active(self.tick):
                    wanted.update(goal.topic)
        self.holders: dict[str, list[str]] = {}
        if not wanted:
            return
        knowledge = self.world.knowledge
        for cid in self.awake_ids:
            seen: set[str] = set()
            for item in knowledge.of(cid).values():
                for word in content_words(item.content) & wanted:
                    if word not in seen:
                        seen.add(word)
                        holders = self.holders.setdefault(word, [])
                        if len(holders) < HOLDERS_PER_WORD:
                            holders.append(cid)

    def suspects(self, goal: Goal, seeker: str) -> list[tuple[str, float]]:
        """Awake characters who hold facts matching an investigation, with a 0..1
        suspicion (shared topic words / 2, capped), best first."""
        counts: dict[str, int] = {}
        for word in goal.topic:
            for cid in self.holders.get(word, ()):
                if cid != seeker:
                    counts[cid] = counts.get(cid, 0) + 1
        authored = self.world.authored
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], authored(kv[0])))
        ranked = ranked[:SUSPECTS_PER_GOAL]
        return [(cid, min(1.0, n / 2.0)) for cid, n in ranked]

    # --- scoring -------------------------------------------------------------------------------
    def candidates(self, actor: Actor) -> list[str]:
        me = actor.id
        out: dict[str, None] = {}
        for cid in (*actor.targeted, *actor.adversary):
            if cid != me and cid in self.awake:
                out[cid] = None
        rels = self.world.out.get(me, {})
        known = [
            (abs(v.strength) + v.familiarity + v.attraction, cid)
            for cid, v in rels.items()
            if cid in self.awake
        ]
        if len(known) > MAX_KNOWN_CANDIDATES:
            known.sort(key=lambda x: (-x[0], self.world.authored(x[1])))
            known = known[:MAX_KNOWN_CANDIDATES]
        for _, cid in known:
            out[cid] = None
        if len(self.awake_ids) > 1:
            for _ in range(STRANGER_SAMPLES):
                cid = self.awake_ids[self.rng.randrange(len(self.awake_ids))]
                if cid != me:
                    out[cid] = None
        return list(out)

    def _score(self, actor: Actor, t: str) -> _Scored | None:
        """Deterministic utilities of every act ``actor`` could do to ``t`` now."""
        world = self.world
        me = actor.id
        iv = world.view(me, t)
        tv = world.view(t, me)
        klass = RELATION_CLASS[iv.kind]
        pair = (me, t) if me < t else (t, me)
        recent_conflict = pair in self.conflicts
        kinds = actor.class_kinds(klass)
        energy_ok, own = actor.energy_ok, actor.own
        goal_bonus = _goal_bonus(actor, t)
        esc_bonus = self._escalation_bonus(actor, pair)
        extra = [k for k in (*goal_bonus, *esc_bonus) if k not in kinds and energy_ok[k]]
        if extra:
            kinds = dict(kinds)
            for k in extra:
                kinds[k] = own[k]
        # Target-level terms.
        base = -self.pair_repeats.get((me, t), 0.0) * PAIR_REPEAT
        base -= AVOID_PENALTY * actor.avoid.get(t, 0.0)
        if iv.strength < 0:
            base -= FEAR_AVOID * actor.agent.snapshot.emotions.fear * -iv.strength
        lowest = min(iv.strength, iv.trust, tv.strength, tv.trust)
        rift = 1.0 if recent_conflict else max(0.0, -lowest)
        fact, subject, fact_bonus, fact_goal = self._gossip_fact(actor, t)
        secret, secret_bonus = self._secret_for(actor, t, iv)
        aff = AFFINITY_WEIGHT * iv.strength
        attraction = iv.attraction
        reps = self.act_repeats.get(me)
        reps = reps.get(t) if reps else None
        scored: list[tuple[float, int]] = []
        best = -math.inf
        allowed = {
            K_GOSSIP: fact is not None,
            K_SHARE: secret is not None,
            K_APOLOGISE: recent_conflict or tv.strength < 0 or tv.trust < 0,  # a grievance
            K_RECONCILE: recent_conflict or lowest < 0,  # a rift
            K_BETRAY: tv.trust >= 0.05 or tv.strength >= 0.2,  # a bond to betray
            K_FLIRT: iv.strength > -0.5 or is_thrill_seeker(actor.agent.snapshot.personality),
        }
        for k, v in kinds.items():
            if k in GATED and not allowed[k]:
                continue
            u = v + base + aff * VALENCE_SIGNS[k]
            if k in ATTRACTION_ROWS:
                u += ATTRACTION_ROWS[k] * attraction
            if k in (K_APOLOGISE, K_RECONCILE):
                u += RIFT_WEIGHT * rift
            elif k == K_GOSSIP:
                u += fact_bonus
            elif k == K_SHARE:
                u += secret_bonus
            if goal_bonus:
                gb = goal_bonus.get(k)
                if gb is not None:
                    u += gb[0]
            if esc_bonus:
                u += esc_bonus.get(k, 0.0)
            if reps:
                u -= SAME_ACT_REPEAT * reps.get(k, 0.0)
            scored.append((u, k))
            if u > best:
                best = u
        if not scored:
            return None
        return _Scored(
            t, scored, best, iv, tv, klass, recent_conflict, rift,
            goal_bonus, esc_bonus, fact, subject, fact_bonus, fact_goal, secret, secret_bonus,
        )  # fmt: skip

    def _escalation_bonus(self, actor: Actor, pair: tuple[str, str]) -> dict[int, float]:
        """What an escalating feud between the pair adds to each kind for ``actor``."""
        esc = self.escalations.get(pair)
        if esc is None:
            return {}
        bonus = escalation_bonus(esc, actor.id, actor.agent.snapshot.personality)
        return {KIND_INDEX[kind]: b for kind, b in bonus.items()}

    def _sample(self, sc: _Scored, floor: float) -> list[tuple[float, float, int]]:
        """(noisy utility, utility, kind) of the kinds toward ``sc.target`` scoring at
        least ``floor``, noisy-best first: utility + temperature x Gumbel noise, so taking
        the first is a softmax draw (the Gumbel-max trick)."""
        rng = self.rng
        return sorted(
            ((u + TEMPERATURE * _gumbel(rng), u, k) for u, k in sc.scored if u >= floor),
            reverse=True,
        )

    def _pick(
        self, actor: Actor, sc: _Scored, noisy: list[tuple[float, float, int]]
    ) -> Option | None:
        """The first of the sampled kinds that ``feasible`` allows, as an option."""
        world = self.world
        snap, tsnap = actor.agent.snapshot, world.agents[sc.target].snapshot
        for n, u, k in noisy[:FEASIBILITY_TRIES]:
            kind = KINDS[k]
            ctx = InteractionContext(
                tick=self.tick,
                subject=world.ref(sc.subject) if k == K_GOSSIP and sc.subject else None,
                secret=sc.secret.content if k == K_SHARE and sc.secret else None,
                recent_conflict=sc.recent_conflict,
            )
            if not feasible(kind, snap, tsnap, sc.iv, sc.tv, ctx):
                continue
            gb = sc.goal_bonus.get(k)
            goal = gb[1] if gb is not None else actor.goal_src[k]
            goal_part = (gb[0] if gb is not None else 0.0) + actor.own_goal[k]
            gossip_goal = k == K_GOSSIP and sc.fact_goal is not None
            if gossip_goal:
                goal, goal_part = sc.fact_goal, goal_part + sc.fact_bonus
            parts = {
                "goal": goal_part,
                "relationship": RELATION_KINDS[sc.klass].get(kind, 0.0)
                + AFFINITY_WEIGHT * sc.iv.strength * VALENCE_SIGNS[k]
                + ATTRACTION_ROWS.get(k, 0.0) * sc.iv.attraction
                + (RIFT_WEIGHT * sc.rift if k in (K_APOLOGISE, K_RECONCILE) else 0.0),
                "emotion": actor.emo_part[k],
                "trait": actor.trait_part[k],
                "escalation": sc.esc_bonus.get(k, 0.0),
                "knowledge": (sc.fact_bonus if k == K_GOSSIP and not gossip_goal else 0.0)
                + (sc.secret_bonus if k == K_SHARE else 0.0),
            }
            return Option(
                u,
                n,
                sc.target,
                kind,
                sc.subject if k == K_GOSSIP else None,
                sc.fact if k == K_GOSSIP else sc.secret if k == K_SHARE else None,
                goal,
                sc.recent_conflict,
                parts,
            )
        return None

    def score_target(self, actor: Actor, t: str) -> Option | None:
        """The softmax-sampled feasible act of ``actor`` toward ``t``, or None."""
        sc = self._score(actor, t)
        if sc is None:
            return None
        return self._pick(actor, sc, self._sample(sc, sc.best - SOFTMAX_WINDOW))

    def _gossip_fact(
        self, actor: Actor, t: str
    ) -> tuple[KnowledgeItem | None, str | None, float, Goal | None]:
        """(fact, subject, utility bonus, goal served) for gossiping to ``t``."""
        best = None
        knowledge = self.world.knowledge
        for fact in actor.facts:
            if fact.concerns(t) or knowledge.knows(t, fact.key):
                continue
            subject = fact.subject_for(actor.id, t)
            if subject is None or subject not in self.world.agents:
                continue
            bonus = GOSSIP_JUICE_WEIGHT * fact.juice * actor.propensity
            goal, goal_bonus = None, 0.0
            for g in actor.subjects.get(subject, ()):
                gb = GOAL_WEIGHT * g.weight * SUBJECT_KINDS[g.intent]["gossip"]
                if gb > goal_bonus:
                    goal, goal_bonus = g, gb
            bonus += goal_bonus
            if best is None or bonus > best[2]:
                best = (fact, subject, bonus, goal)
        return best if best is not None else (None, None, 0.0, None)

    def _secret_for(
        self, actor: Actor, t: str, iv: RelationshipState
    ) -> tuple[KnowledgeItem | None, float]:
        """(own secret the listener does not know, utility bonus) for share_secret."""
        knowledge = self.world.knowledge
        best = None
        for secret in actor.secrets:
            if knowledge.knows(t, secret.key):
                continue
            bonus = SECRET_TRUST_WEIGHT * iv.trust
            for goal in actor.guarding:
                if guards(goal, secret):
                    bonus -= KEEP_SECRET_PENALTY * goal.weight * (1.0 - max(0.0, iv.trust))
            if best is None or bonus > best[1]:
                best = (secret, bonus)
        return best if best is not None else (None, 0.0)

    def options(self, actor: Actor) -> list[Option]:
        """The actor's best few options, one per target, in softmax-sampled order."""
        scored = [sc for t in self.candidates(actor) if (sc := self._score(actor, t))]
        if not scored:
            return []
        top = max(sc.best for sc in scored)
        if top < MIN_ACT_UTILITY:
            return []
        floor = top - SOFTMAX_WINDOW
        draws = [
            (noisy[0][0], sc.target, sc, noisy)
            for sc in scored
            if sc.best >= floor and (noisy := self._sample(sc, floor))
        ]
        draws.sort(key=lambda d: (-d[0], self.world.authored(d[1])))
        found: list[Option] = []
        for _, _, sc, noisy in draws:
            option = self._pick(actor, sc, noisy)
            if option is not None and option.utility >= MIN_ACT_UTILITY:
                found.append(option)
                if len(found) == OPTIONS_KEPT:
                    break
        return found

    def planned(self, actor: Actor, option: Option) -> PlannedAction:
        goal = option.goal
        return PlannedAction(
            initiator_id=actor.id,
            target_id=option.target,
            kind=option.kind,
            subject_id=option.subject,
            utility=round(option.utility, 4),
            reason=reason(self.world, actor, option),
            intent=goal.intent if goal is not None else None,
            goal_key=goal.key if goal is not None else None,
            fact=option.fact,
            recent_conflict=option.recent_conflict,
        )


def _gumbel(rng: random.Random) -> float:
    u = rng.random()
    while u <= 0.0:
        u = rng.random()
    return -math.log(-math.log(u))


def _goal_bonus(actor: Actor, t: str) -> dict[int, tuple[float, Goal]]:
    """Per kind, the biggest bonus the actor's goals toward (or against) ``t`` give it, and
    the goal giving it."""
    goal_bonus: dict[int, tuple[float, Goal]] = {}
    for goal, scale in actor.targeted.get(t, ()):
        for kind, w in INTENT_KINDS[goal.intent].items():
            k = KIND_INDEX[kind]
            b = GOAL_WEIGHT * goal.weight * w * scale
            if k not in goal_bonus or b > goal_bonus[k][0]:
                goal_bonus[k] = (b, goal)
    for goal in actor.adversary.get(t, ()):
        for kind, w in ADVERSARY_KINDS.items():
            k = KIND_INDEX[kind]
            b = GOAL_WEIGHT * goal.weight * w
            if k not in goal_bonus or b > goal_bonus[k][0]:
                goal_bonus[k] = (b, goal)
    return goal_bonus
