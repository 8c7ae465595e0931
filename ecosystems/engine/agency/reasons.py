"""Reasons: the readable why of a planned act, from the largest parts of its utility."""

from __future__ import annotations

from collections.abc import Callable

from characters.engine.types import (
    ACQUAINTANCE,
    ALLY,
    CLOSE_FRIEND,
    ENEMY,
    FRIEND,
    PARTNER,
    RIVAL,
    ROMANTIC_INTEREST,
    STRANGER,
)
from ecosystems.engine.agency.tuning import EMOTION_WEIGHTS, TRAIT_NAMES, TRAIT_WEIGHTS
from ecosystems.engine.agency.types import ActorView, Option
from ecosystems.engine.world import World

_TRAIT_WORDS = {
    "openness": ("curious", "conventional"),
    "conscientiousness": ("dutiful", "careless"),
    "extraversion": ("sociable", "reserved"),
    "agreeableness": ("kind-hearted", "disagreeable"),
    "neuroticism": ("volatile", "steady"),
}
_EMOTION_WORDS = {
    "joy": "happy", "trust": "trusting", "fear": "afraid", "surprise": "surprised",
    "sadness": "sad", "disgust": "disgusted", "anger": "angry", "anticipation": "eager",
}  # fmt: skip
_GOAL_PHRASES = {
    "court": "{a} is courting {t}",
    "befriend": "{a} wants to befriend {t}",
    "revenge": "{a} wants revenge on {t}",
    "investigate": "{a} wants to find out what {t} knows",
    "impress": "{a} wants to impress {t}",
    "protect": "{a} is looking out for {t}",
    "reconcile": "{a} wants to make amends with {t}",
    "keep_secret": "{a} is guarding a secret from {t}",
    "scheme": "{a} is scheming against {t}",
    "mischief": "{a} is in a mischievous mood",
    "other": "{a} wants to: {d}",
}


def reason(world: World, actor: ActorView, option: Option) -> str:
    """Why ``actor`` chose ``option``: the one or two largest parts of its utility, in
    words ("Bob wants revenge on Eve; Bob is angry")."""
    a, t = actor.agent.name, world.name(option.target)
    ranked = sorted(
        ((v, k) for k, v in option.parts.items() if v > 0.05), key=lambda x: (-x[0], x[1])
    )
    phrases: list[str] = []
    for _, part in ranked[:2]:
        phrase = _phrase(world, actor, option, part, a, t)
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    if not phrases:
        phrases.append(f"{a} felt like it")
    return "; ".join(phrases)


def _phrase(world: World, actor: ActorView, option: Option, part: str, a: str, t: str) -> str:
    """One reason in words for ``part`` of the option's score ("" when it has none)."""
    phrase = _PHRASES.get(part)
    return phrase(world, actor, option, a, t) if phrase is not None else ""


def _goal_phrase(world: World, actor: ActorView, option: Option, a: str, t: str) -> str:
    goal = option.goal
    if goal is None:
        return ""
    if goal.adversary_id == option.target and goal.target_id is not None:
        return f"{a} stands up to {t} to protect {world.name(goal.target_id)}"
    if goal.target_id is None and option.target in actor.suspects:
        return f"{a} suspects {t} knows something ({goal.description})"
    if goal.target_id is None:
        return f"{a} wants to: {goal.description}"
    if option.kind == "gossip" and option.subject == goal.target_id:
        return (
            f"{a} wants revenge on {world.name(goal.target_id)}"
            if goal.intent == "revenge"
            else f"{a} is after {world.name(goal.target_id)}"
        )
    return _GOAL_PHRASES.get(goal.intent, _GOAL_PHRASES["other"]).format(
        a=a, t=world.name(goal.target_id), d=goal.description
    )


def _relationship_phrase(world: World, actor: ActorView, option: Option, a: str, t: str) -> str:
    kind_rel = world.view(actor.id, option.target).kind
    if option.kind in ("apologise", "reconcile"):
        return f"{a} wants to mend things with {t}"
    return {
        STRANGER: f"{t} is a stranger to {a}",
        ACQUAINTANCE: f"{a} knows {t} a little",
        FRIEND: f"{a} and {t} are friends",
        CLOSE_FRIEND: f"{a} and {t} are close friends",
        ALLY: f"{a} and {t} are allies",
        ROMANTIC_INTEREST: f"{a} is drawn to {t}",
        PARTNER: f"{a} adores {t}",
        RIVAL: f"{a} sees {t} as a rival",
        ENEMY: f"{a} regards {t} as an enemy",
    }[kind_rel]


def _emotion_phrase(world: World, actor: ActorView, option: Option, a: str, t: str) -> str:
    kind = option.kind
    values = actor.agent.snapshot.emotions.as_dict()
    best = max(
        (
            (EMOTION_WEIGHTS[e].get(kind, 0.0) * values[e], e)
            for e in EMOTION_WEIGHTS
            if EMOTION_WEIGHTS[e].get(kind, 0.0) > 0
        ),
        default=(0.0, ""),
    )
    return f"{a} is {_EMOTION_WORDS[best[1]]}" if best[1] else ""


def _trait_phrase(world: World, actor: ActorView, option: Option, a: str, t: str) -> str:
    weights = TRAIT_WEIGHTS[option.kind]
    contributions = [w * x for w, x in zip(weights, actor.traits_c, strict=True)]
    i = max(range(5), key=lambda j: contributions[j])
    high, low = _TRAIT_WORDS[TRAIT_NAMES[i]]
    return f"{a} is {high if actor.traits_c[i] > 0 else low}"


def _escalation_phrase(world: World, actor: ActorView, option: Option, a: str, t: str) -> str:
    if option.kind in ("apologise", "reconcile"):
        return f"{a} wants to cool the quarrel with {t}"
    return f"the quarrel between {a} and {t} is escalating"


def _knowledge_phrase(world: World, actor: ActorView, option: Option, a: str, t: str) -> str:
    if option.kind == "gossip" and option.subject:
        return f"{a} knows something about {world.name(option.subject)}"
    if option.kind == "share_secret":
        return f"{a} trusts {t}"
    return ""


# The parts of a score that have words (see ``_phrase``).
_PHRASES: dict[str, Callable[[World, ActorView, Option, str, str], str]] = {
    "goal": _goal_phrase,
    "relationship": _relationship_phrase,
    "emotion": _emotion_phrase,
    "trait": _trait_phrase,
    "escalation": _escalation_phrase,
    "knowledge": _knowledge_phrase,
}
