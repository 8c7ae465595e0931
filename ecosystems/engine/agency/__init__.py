"""Agency: who is awake this tick, what each awake character chooses to do, and who ends
up together in which scene.

**Awake or resting.** A character whose social energy is below ``REST_BELOW`` rests: it
neither acts nor is approached, and regains ``REST_PER_MINUTE`` x simulated minutes x
(1.25 - 0.5 x extraversion) (introverts recharge faster alone). An awake character that
ends up in no scene idles and regains ``IDLE_SHARE`` of that. An awake character acts on
its own this tick with chance ``acting_chance`` (autonomy first, then sociability,
urgent goals, tiredness); the others may still be approached or join friends.

**Choice.** Each actor scores candidate actions (target, kind, subject) by a utility,
the sum of named parts (each a constant in ``tuning``, with its unit):

- a prior per kind (``KIND_PRIOR``: chatting is common, threats are rare);
- personality (``TRAIT_WEIGHTS`` x traits centred on 0.5) and feelings
  (``EMOTION_WEIGHTS`` x intensity): anger argues, joy jokes, sadness confides, fear asks
  for help and keeps away from foes;
- the relationship: the kinds that fit it (``RELATION_KINDS``: friends chat, help,
  confide and joke; rivals tease, disagree, argue, insult, threaten and deceive; a
  romantic interest is flirted with, complimented, given gifts), affinity pulling toward
  kind or unkind acts, attraction toward flirting, a rift toward apology;
- goals (``goals.INTENT_KINDS`` x ``GOAL_WEIGHT`` x horizon weight), aimed at the goal's
  target, its adversary, its suspects (characters who know something matching an
  investigation's topic), the subject of gossip, or (a peacemaker's) characters caught
  in a quarrel; a goal to avoid someone repels;
- knowledge: gossip needs a fact the actor learned about a third character, which the
  listener does not know; sharing a secret needs an own secret the listener does not
  know, is pulled by trust and held back by keep-secret goals;
- escalation (``groups.escalation_bonus``): the aggrieved party's next rung up;
- recent history: repeating the same pair, the same act to the same person, or the same
  kind at all costs ``PAIR_REPEAT``, ``SAME_ACT_REPEAT``, ``KIND_REPEAT`` per recent time,
  decaying by ``REPEAT_DECAY`` per tick (no endless repetition).

Candidates are bounded per actor (its ``MAX_KNOWN_CANDIDATES`` most salient relations,
goal targets and suspects, ``STRANGER_SAMPLES`` random awake strangers), so planning is
linear in characters. The pick is a softmax at ``TEMPERATURE`` over all candidates,
drawn with the Gumbel-max trick (utility + temperature x Gumbel noise, then argmax) from
the seeded ``rng``; ``feasible()`` is checked and infeasible acts are skipped. An actor
whose best utility is below ``MIN_ACT_UTILITY`` does nothing.

**Scenes.** Actors are placed in order of their best (sampled) utility. One whose target
is free starts a scene with it; one whose target is already in a scene joins it (so
several characters converging on one person make a group); an actor already pulled into
a scene acts within it: on its chosen target if that one is there (two characters who
pick each other share one scene, each doing its own act, in placement order), else it
pulls its target in while there is room, else it answers someone present (its best act
toward a member). A scene holds at most
``MAX_SCENE_SIZE``; a full scene sends the actor to its next option. Then awake
characters in no scene may join a friend's scene (``JOIN_MIN_STRENGTH``), acting in it if
they meant to act, else as bystanders. Everyone is in at most one scene and every actor
acts at most once.

Modules: ``tuning`` (constants and tables), ``choice`` (scoring and the draw),
``reasons`` (the readable why), ``scenes`` (``plan_tick``, ``action_context``).
"""

from __future__ import annotations

from ecosystems.engine.agency.scenes import (
    action_context,
    plan_tick,
)
from ecosystems.engine.agency.tuning import (
    ACT_AUTONOMY,
    ACT_BASE,
    ACT_EXTRAVERSION,
    ACT_URGENCY,
    ACT_WITHDRAWN,
    AFFINITY_WEIGHT,
    ATTRACTION_WEIGHTS,
    AVOID_PENALTY,
    EMOTION_WEIGHT,
    EMOTION_WEIGHTS,
    FEAR_AVOID,
    FEASIBILITY_TRIES,
    GOAL_WEIGHT,
    GOSSIP_FACTS_CONSIDERED,
    GOSSIP_JUICE_WEIGHT,
    HOLDERS_PER_WORD,
    IDLE_SHARE,
    JOIN_BASE,
    JOIN_EXTRAVERSION,
    JOIN_FRIENDS_CONSIDERED,
    JOIN_MIN_STRENGTH,
    KEEP_SECRET_PENALTY,
    KIND_PRIOR,
    KIND_REPEAT,
    KINDS,
    MAX_KNOWN_CANDIDATES,
    MAX_SCENE_SIZE,
    MIN_ACT_UTILITY,
    OPTIONS_KEPT,
    PAIR_REPEAT,
    PEACEMAKER_SCALE,
    PEACEMAKER_TARGETS,
    RELATION_CLASS,
    RELATION_KINDS,
    REPEAT_DECAY,
    REPEAT_WINDOW_TICKS,
    REST_PER_MINUTE,
    RIFT_WEIGHT,
    SAME_ACT_REPEAT,
    SECRET_TRUST_WEIGHT,
    SOFTMAX_WINDOW,
    STRANGER_SAMPLES,
    SUSPECTS_PER_GOAL,
    TEMPERATURE,
    TRAIT_WEIGHT,
    TRAIT_WEIGHTS,
    acting_chance,
    rest_gain,
)

__all__ = [
    "ACT_AUTONOMY",
    "ACT_BASE",
    "ACT_EXTRAVERSION",
    "ACT_URGENCY",
    "ACT_WITHDRAWN",
    "AFFINITY_WEIGHT",
    "ATTRACTION_WEIGHTS",
    "AVOID_PENALTY",
    "EMOTION_WEIGHT",
    "EMOTION_WEIGHTS",
    "FEAR_AVOID",
    "FEASIBILITY_TRIES",
    "GOAL_WEIGHT",
    "GOSSIP_FACTS_CONSIDERED",
    "GOSSIP_JUICE_WEIGHT",
    "HOLDERS_PER_WORD",
    "IDLE_SHARE",
    "JOIN_BASE",
    "JOIN_EXTRAVERSION",
    "JOIN_FRIENDS_CONSIDERED",
    "JOIN_MIN_STRENGTH",
    "KEEP_SECRET_PENALTY",
    "KINDS",
    "KIND_PRIOR",
    "KIND_REPEAT",
    "MAX_KNOWN_CANDIDATES",
    "MAX_SCENE_SIZE",
    "MIN_ACT_UTILITY",
    "OPTIONS_KEPT",
    "PAIR_REPEAT",
    "PEACEMAKER_SCALE",
    "PEACEMAKER_TARGETS",
    "RELATION_CLASS",
    "RELATION_KINDS",
    "REPEAT_DECAY",
    "REPEAT_WINDOW_TICKS",
    "REST_PER_MINUTE",
    "RIFT_WEIGHT",
    "SAME_ACT_REPEAT",
    "SECRET_TRUST_WEIGHT",
    "SOFTMAX_WINDOW",
    "STRANGER_SAMPLES",
    "SUSPECTS_PER_GOAL",
    "TEMPERATURE",
    "TRAIT_WEIGHT",
    "TRAIT_WEIGHTS",
    "acting_chance",
    "action_context",
    "plan_tick",
    "rest_gain",
]
