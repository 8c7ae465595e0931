"""The tuning of choice: every constant and table utilities are made of, with its unit,
and the two small formulas for who acts and how fast rest restores energy."""

from __future__ import annotations

from characters.engine.interactions import CATALOGUE, INTERACTION_KINDS
from characters.engine.types import (
    ACQUAINTANCE,
    ALLY,
    CLOSE_FRIEND,
    ENEMY,
    FRIEND,
    PARTNER,
    PLUTCHIK,
    RIVAL,
    ROMANTIC_INTEREST,
    STRANGER,
    clamp,
)
from ecosystems.engine.goals import (
    AVOID,
    SHORT,
)
from ecosystems.engine.world import (
    Agent,
)

KINDS: tuple[str, ...] = INTERACTION_KINDS
KIND_INDEX = {k: i for i, k in enumerate(KINDS)}
N_KINDS = len(KINDS)

# --- rest and activity -------------------------------------------------------------------------
REST_PER_MINUTE = 0.004  # social energy per simulated minute of rest: empty to full in ~4 h
IDLE_SHARE = 0.5  # awake but alone recharges at half the resting rate
ACT_BASE = 0.1  # chance to act on one's own per tick: base ...
ACT_AUTONOMY = 0.8  # ... + this x autonomy (0..1) ...
ACT_EXTRAVERSION = 0.3  # ... + this x (extraversion - 0.5) ...
ACT_URGENCY = 0.15  # ... + this with an active short-term goal ...
ACT_WITHDRAWN = 0.2  # ... - this with an untargeted goal to avoid company;
ACT_MIN, ACT_MAX = 0.02, 0.98  # then x (0.5 + energy), within these bounds

# --- choice ------------------------------------------------------------------------------------
TEMPERATURE = 0.15  # softmax temperature over utilities (utility units)
# Options scoring more than this below the actor's best are left out of the softmax: at
# 6 temperatures below, an option's chance is under e^-6 (0.25%) of the best one's.
SOFTMAX_WINDOW = 6 * TEMPERATURE
FEASIBILITY_TRIES = 4  # sampled kinds tried per target before giving up on it
MIN_ACT_UTILITY = -0.3  # below this the best option is not worth taking
MAX_KNOWN_CANDIDATES = 12  # relations considered per actor, most salient first
STRANGER_SAMPLES = 2  # random awake characters considered per actor
SUSPECTS_PER_GOAL = 3  # holders of matching facts an investigation considers
HOLDERS_PER_WORD = 50  # bound on the per-word index of who holds matching facts
OPTIONS_KEPT = 4  # best targets kept per actor for when a scene is full
GOSSIP_FACTS_CONSIDERED = 8  # an actor's juiciest learned facts considered for gossip
PEACEMAKER_TARGETS = 2  # feuding characters a peacemaker (untargeted reconcile goal) considers
PEACEMAKER_SCALE = 0.8  # ... pulled toward them at this share of a targeted goal

TRAIT_WEIGHT = 0.9  # scales TRAIT_WEIGHTS; traits enter as 2 x (trait - 0.5), -1..1
EMOTION_WEIGHT = 1.0  # scales EMOTION_WEIGHTS; emotions enter as intensity 0..1
GOAL_WEIGHT = 1.3  # x horizon weight x the intent's weight for the kind
AVOID_PENALTY = 1.2  # x horizon weight, on every act toward someone one means to avoid
FEAR_AVOID = 0.8  # x fear x dislike (-affinity), on every act toward a foe
AFFINITY_WEIGHT = 0.5  # x affinity x the kind's valence sign: kind to friends, unkind to foes
ATTRACTION_WEIGHTS = {"flirt": 0.8, "compliment": 0.3, "gift": 0.3}  # x attraction
RIFT_WEIGHT = 0.5  # apologise/reconcile, x the rift (1 after a recent conflict)
SECRET_TRUST_WEIGHT = 0.6  # share_secret, x trust in the listener
KEEP_SECRET_PENALTY = 1.5  # share_secret of a guarded secret, x horizon weight x distrust
GOSSIP_JUICE_WEIGHT = 0.6  # gossip, x the fact's juice x telling propensity
REPEAT_WINDOW_TICKS = 8
REPEAT_DECAY = 0.7  # weight of a past act: REPEAT_DECAY ** (ticks ago - 1)
PAIR_REPEAT = 0.25  # per recent act between the two (the other way round counts half)
SAME_ACT_REPEAT = 0.5  # per recent identical act to the same person
KIND_REPEAT = 0.12  # per recent act of the same kind to anyone

# --- scenes ------------------------------------------------------------------------------------
MAX_SCENE_SIZE = 5
JOIN_MIN_STRENGTH = 0.3  # affinity toward someone in a scene that draws one in
JOIN_BASE = 0.3  # chance a free awake character joins a friend's scene: base ...
JOIN_EXTRAVERSION = 0.4  # ... + this x extraversion
JOIN_FRIENDS_CONSIDERED = 8

KIND_PRIOR: dict[str, float] = {
    "greeting": 0.1, "small_talk": 0.3, "compliment": 0.1, "joke": 0.0, "confide": 0.0,
    "ask_for_help": -0.1, "help": 0.0, "gift": -0.2, "flirt": -0.2, "apologise": -0.1,
    "tease": -0.1, "disagree": 0.0, "argue": -0.4, "insult": -0.6, "threaten": -0.8,
    "deceive": -0.7, "betray": -1.2, "gossip": -0.1, "share_secret": -0.4, "reconcile": 0.0,
}  # fmt: skip
# (openness, conscientiousness, extraversion, agreeableness, neuroticism) per kind.
TRAIT_WEIGHTS: dict[str, tuple[float, float, float, float, float]] = {
    "greeting": (0.0, 0.1, 0.3, 0.3, 0.0),
    "small_talk": (0.0, 0.0, 0.4, 0.3, 0.0),
    "compliment": (0.0, 0.0, 0.2, 0.5, 0.0),
    "joke": (0.5, -0.1, 0.4, 0.1, 0.0),
    "confide": (0.1, 0.0, -0.1, 0.2, 0.3),
    "ask_for_help": (0.0, -0.1, 0.0, 0.1, 0.4),
    "help": (0.0, 0.5, 0.0, 0.5, 0.0),
    "gift": (0.1, 0.2, 0.1, 0.4, 0.0),
    "flirt": (0.3, -0.2, 0.4, 0.0, 0.0),
    "apologise": (0.0, 0.5, 0.0, 0.4, 0.2),
    "tease": (0.2, -0.2, 0.3, -0.3, 0.0),
    "disagree": (0.2, 0.1, 0.1, -0.4, 0.1),
    "argue": (0.0, 0.0, 0.1, -0.6, 0.5),
    "insult": (0.0, -0.2, 0.0, -0.8, 0.4),
    "threaten": (0.0, 0.0, 0.1, -0.8, 0.3),
    "deceive": (0.2, -0.5, 0.0, -0.6, 0.0),
    "betray": (0.0, -0.5, 0.0, -0.8, 0.1),
    "gossip": (0.4, -0.4, 0.3, -0.2, 0.0),
    "share_secret": (0.2, -0.2, 0.1, 0.2, 0.2),
    "reconcile": (0.0, 0.3, 0.0, 0.6, 0.0),
}
EMOTION_WEIGHTS: dict[str, dict[str, float]] = {
    "anger": {"argue": 0.9, "insult": 0.7, "disagree": 0.5, "threaten": 0.4, "tease": 0.2,
              "compliment": -0.4, "joke": -0.3, "gift": -0.3, "flirt": -0.3, "help": -0.2},
    "joy": {"joke": 0.4, "compliment": 0.4, "small_talk": 0.3, "gift": 0.3, "flirt": 0.3,
            "greeting": 0.2, "argue": -0.3, "insult": -0.4},
    "sadness": {"confide": 0.6, "ask_for_help": 0.5, "joke": -0.3, "flirt": -0.3,
                "small_talk": -0.1},
    "fear": {"ask_for_help": 0.6, "confide": 0.2, "deceive": 0.2, "threaten": -0.4,
             "argue": -0.4, "insult": -0.4},
    "trust": {"confide": 0.4, "share_secret": 0.4, "help": 0.2},
    "disgust": {"disagree": 0.4, "insult": 0.3, "tease": 0.2, "compliment": -0.3},
    "anticipation": {"flirt": 0.2, "gift": 0.2, "gossip": 0.2, "joke": 0.1},
    "surprise": {"gossip": 0.2, "small_talk": 0.1},
}  # fmt: skip
# Relationship classes and the kinds that fit each, with a bias; kinds not listed are not
# considered toward that class (unless a goal asks for them).
RELATION_CLASS: dict[str, str] = {
    STRANGER: "stranger", ACQUAINTANCE: "acquaintance", FRIEND: "friend",
    CLOSE_FRIEND: "friend", ALLY: "friend", ROMANTIC_INTEREST: "romantic", PARTNER: "romantic",
    RIVAL: "hostile", ENEMY: "hostile",
}  # fmt: skip
RELATION_KINDS: dict[str, dict[str, float]] = {
    "stranger": {"greeting": 0.6, "small_talk": 0.2, "compliment": 0.0, "joke": 0.0,
                 "flirt": -0.3, "tease": -0.3, "disagree": -0.2, "ask_for_help": -0.3,
                 "help": -0.2, "gossip": -0.2, "insult": -0.8, "deceive": -0.5},
    "acquaintance": {"greeting": 0.1, "small_talk": 0.35, "compliment": 0.1, "joke": 0.2,
                     "confide": -0.3, "ask_for_help": -0.1, "help": 0.0, "gift": -0.3,
                     "flirt": -0.1, "tease": 0.0, "disagree": 0.0, "argue": -0.4,
                     "insult": -0.7, "threaten": -0.9, "deceive": -0.4, "gossip": 0.1,
                     "share_secret": -0.6, "apologise": 0.0, "reconcile": 0.0},
    "friend": {"greeting": -0.3, "small_talk": 0.4, "compliment": 0.15, "joke": 0.4,
               "confide": 0.4, "ask_for_help": 0.2, "help": 0.4, "gift": 0.1, "flirt": -0.2,
               "apologise": 0.0, "tease": 0.1, "disagree": -0.1, "argue": -0.5, "insult": -1.0,
               "threaten": -1.3, "deceive": -0.9, "betray": -1.2, "gossip": 0.3,
               "share_secret": 0.2, "reconcile": 0.0},
    "romantic": {"greeting": -0.3, "small_talk": 0.25, "compliment": 0.5, "joke": 0.25,
                 "confide": 0.25, "ask_for_help": 0.1, "help": 0.25, "gift": 0.4, "flirt": 0.6,
                 "apologise": 0.0, "tease": 0.05, "disagree": -0.2, "argue": -0.5,
                 "insult": -1.1, "threaten": -1.4, "deceive": -0.9, "betray": -1.3,
                 "gossip": 0.1, "share_secret": 0.3, "reconcile": 0.0},
    "hostile": {"greeting": -0.6, "small_talk": -0.3, "compliment": -0.6, "joke": -0.4,
                "ask_for_help": -0.6, "help": -0.6, "gift": -0.9, "flirt": -1.0,
                "apologise": 0.0, "tease": 0.3, "disagree": 0.5, "argue": 0.45, "insult": 0.35,
                "threaten": 0.15, "deceive": 0.3, "betray": -0.3, "gossip": -0.2,
                "reconcile": 0.0},
}  # fmt: skip

# The tables above compiled for the scoring loop: kinds by position in KINDS.
PRIORS = [KIND_PRIOR[k] for k in KINDS]
TRAIT_ROWS = [TRAIT_WEIGHTS[k] for k in KINDS]
EMOTION_ROWS = [
    (PLUTCHIK.index(e), [(KIND_INDEX[k], w) for k, w in ws.items()])
    for e, ws in EMOTION_WEIGHTS.items()
]
CLASS_ROWS = {
    c: [(KIND_INDEX[k], b) for k, b in kinds.items()] for c, kinds in RELATION_KINDS.items()
}
VALENCE_SIGNS = [clamp(2.0 * CATALOGUE[k].valence, -1.0, 1.0) for k in KINDS]
COSTS = [CATALOGUE[k].energy_cost for k in KINDS]
CONFLICT_KINDS = frozenset(k for k, t in CATALOGUE.items() if t.conflict)
K_GOSSIP, K_SHARE, K_APOLOGISE, K_RECONCILE, K_BETRAY, K_FLIRT = (
    KIND_INDEX[k] for k in ("gossip", "share_secret", "apologise", "reconcile", "betray", "flirt")
)
GATED = frozenset({K_GOSSIP, K_SHARE, K_APOLOGISE, K_RECONCILE, K_BETRAY, K_FLIRT})
ATTRACTION_ROWS = {KIND_INDEX[k]: w for k, w in ATTRACTION_WEIGHTS.items()}
TRAIT_NAMES = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")


def acting_chance(agent: Agent, tick: int = 0) -> float:
    """0..1 chance ``agent`` acts on its own this tick (see the ``ACT_*`` constants)."""
    p = agent.snapshot.personality
    chance = ACT_BASE + ACT_AUTONOMY * agent.autonomy + ACT_EXTRAVERSION * (p.extraversion - 0.5)
    active = [g for g in agent.goals if g.is_active(tick)]
    if any(g.horizon == SHORT and g.intent != AVOID for g in active):
        chance += ACT_URGENCY
    if any(g.intent == AVOID and g.target_id is None for g in active):
        chance -= ACT_WITHDRAWN
    chance *= 0.5 + agent.snapshot.social_energy
    return clamp(chance, ACT_MIN, ACT_MAX)


def rest_gain(agent: Agent, minutes: float, *, idle: bool = False) -> float:
    """Energy regained in ``minutes`` of rest (``idle``: awake but alone, ``IDLE_SHARE``)."""
    rate = REST_PER_MINUTE * (1.25 - 0.5 * agent.snapshot.personality.extraversion)
    return rate * max(0.0, minutes) * (IDLE_SHARE if idle else 1.0)
