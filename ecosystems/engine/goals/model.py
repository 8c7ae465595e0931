"""Goals as data: intents, the parsing rules, the ``Goal`` dataclass and its JSON shape.

Parsing is keyword rules in priority order (``RULES``), so "Find the courage to court
Alice" is courting (not investigating) and "Return the locket without anyone learning
she took it" is keeping a secret (not learning one). The target is the first character
the text names (names come from the caller). ``topic`` keeps the other content words,
for matching secrets and facts ("locket").
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from characters.engine.types import clamp
from ecosystems.engine.names import NameIndex, content_words

# --- intents ---------------------------------------------------------------------------------
COURT = "court"
BEFRIEND = "befriend"
REVENGE = "revenge"
INVESTIGATE = "investigate"
IMPRESS = "impress"
PROTECT = "protect"
RECONCILE = "reconcile"
KEEP_SECRET = "keep_secret"
SCHEME = "scheme"
AVOID = "avoid"
MISCHIEF = "mischief"
OTHER = "other"
INTENTS: tuple[str, ...] = (
    COURT, BEFRIEND, REVENGE, INVESTIGATE, IMPRESS, PROTECT, RECONCILE, KEEP_SECRET, SCHEME,
    AVOID, MISCHIEF, OTHER,
)  # fmt: skip

CORE = "core"
LONG = "long"
SHORT = "short"
HORIZONS: tuple[str, ...] = (CORE, LONG, SHORT)

# (intent, pattern), first match wins. Strong phrasings come before the weak words they
# contain ("without anyone discovering" before "discover", "find out" before "find").
_RULES_SOURCE: tuple[tuple[str, str], ...] = (
    (COURT, r"\bwin\b.*\bheart\b|\bmarr(y|ying|iage)\b|\blov(e|es|ed|ing)\b|\bcourt(ing|ship)?\b"
            r"|\bwoo\b|\bromance\b|\bwalk with\b|\bpropos(e|al)\b"),
    (REVENGE, r"\brevenge\b|\bavenge\b|\bvengeance\b|\bget back at\b|\bmake\b.*\bpay\b"
              r"|\bget even\b|\bpunish|\bhumiliate|\bruin\b"),
    (KEEP_SECRET, r"\bkeep\b.*\bsecrets?\b|\bwithout (anyone|anybody|them|him|her|people) "
                  r"(learning|knowing|finding|noticing|discovering|suspecting)"),
    (INVESTIGATE, r"\bfind out\b|\bdiscover|\buncover|\blearn the truth\b|\blearn (who|what|why)\b"
                  r"|\binvestigat|\bexpose\b|\bwho (took|stole|did|wrote)\b"),
    (KEEP_SECRET, r"\bhid(e|ing)\b|\bconceal|\bcover up\b"),
    (RECONCILE, r"\bmake amends\b|\breconcil|\bmend\b|\bforgiv|\bbring\b.*\btogether\b"
                r"|\b(make|keep) (the )?peace\b|\bapologi[sz]e"),
    (PROTECT, r"\bprotect|\bhelp\b|\blook after\b|\bkeep\b.*\bsafe\b|\bdefend|\bshield"
              r"|\bsave\b|\bdependable\b|\bduty\b|\bserve\b"),
    (BEFRIEND, r"\bfriend|\bget to know\b|\bconnect with\b|\balone\b|\bwelcome\b|\bcompany of\b"),
    (IMPRESS, r"\bimpress|\badmir|\brespect|\btalked[- ]about\b|\bfam(e|ous)\b|\bpopular"
              r"|\bprov(e|en)\b|\bwin\b|\bwit\b|\bpraise|\bworthy\b|\bnoticed\b"),
    (INVESTIGATE, r"\bfind\b|\bsecrets?\b|\bknow everyone|\blearn\b|\btruth\b"),
    (SCHEME, r"\bbecome\b|\bcontrol|\brule\b|\binherit|\bpower\b|\brise\b|\bclaim\b|\bseize"
             r"|\bmanipulat"),
    (AVOID, r"\bavoid|\bleave\b|\bescape|\bleft in peace\b|\bstay away\b|\bkeep away\b"),
    (MISCHIEF, r"\bprank|\bteas(e|ing)\b|\bjoke|\bfun\b|\bbored\b|\blife of the party\b"
               r"|\bmischief"),
)  # fmt: skip
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern)) for intent, pattern in _RULES_SOURCE
)

# Words that say what kind of goal it is rather than what it is about.
TOPIC_STOPWORDS = frozenset(
    {"discover", "secret", "secrets", "truth", "learn", "learning", "uncover", "expose",
     "investigate", "hiding", "hide", "keep", "safe", "win", "heart", "marry", "court",
     "return", "without", "courage", "else", "wants", "become", "make", "amends", "protect",
     "help", "revenge", "back", "impress", "friends", "friend", "avoid", "leave", "pay"}
)  # fmt: skip

# How much each act serves an intent toward the goal's target (0..1). Also what the
# planner prefers for that goal (agency.GOAL_WEIGHT x horizon weight x this).
INTENT_KINDS: dict[str, dict[str, float]] = {
    COURT: {"flirt": 1.0, "compliment": 0.7, "gift": 0.6, "small_talk": 0.35, "joke": 0.3,
            "help": 0.3, "confide": 0.2},
    BEFRIEND: {"small_talk": 0.8, "greeting": 0.6, "joke": 0.6, "help": 0.5, "compliment": 0.5,
               "gift": 0.3, "confide": 0.2},
    REVENGE: {"betray": 1.0, "insult": 0.8, "threaten": 0.7, "deceive": 0.7, "argue": 0.6,
              "tease": 0.4, "disagree": 0.3},
    INVESTIGATE: {"small_talk": 0.6, "deceive": 0.5, "compliment": 0.4, "threaten": 0.3,
                  "flirt": 0.2, "gift": 0.2},
    IMPRESS: {"joke": 0.6, "help": 0.6, "gift": 0.5, "compliment": 0.4, "small_talk": 0.3},
    PROTECT: {"help": 1.0, "small_talk": 0.4, "confide": 0.3, "gift": 0.2, "compliment": 0.2},
    RECONCILE: {"reconcile": 1.0, "apologise": 0.9, "compliment": 0.4, "gift": 0.4,
                "small_talk": 0.3, "help": 0.3},
    KEEP_SECRET: {"deceive": 0.4, "small_talk": 0.1},
    SCHEME: {"deceive": 0.6, "compliment": 0.5, "gift": 0.4, "threaten": 0.3, "help": 0.2},
    AVOID: {},
    MISCHIEF: {"tease": 1.0, "joke": 0.8, "deceive": 0.2},
    OTHER: {},
}  # fmt: skip
# Acts whose *subject* (gossip about someone) serves a goal aimed at that someone.
SUBJECT_KINDS: dict[str, dict[str, float]] = {
    REVENGE: {"gossip": 0.8},
    INVESTIGATE: {"gossip": 0.5},
    SCHEME: {"gossip": 0.6},
}
# Acts toward the one a protected character needs protecting from.
ADVERSARY_KINDS: dict[str, float] = {"disagree": 0.7, "argue": 0.5, "threaten": 0.4}
KIND_INTENTS = frozenset({COURT, BEFRIEND, IMPRESS, PROTECT, RECONCILE, SCHEME, MISCHIEF})

# Weight of a goal in choices by horizon: the urgent short-term goal first.
HORIZON_WEIGHT: dict[str, float] = {SHORT: 1.0, LONG: 0.75, CORE: 0.45}
UNTARGETED_SHARE = 0.45  # a goal aimed at nobody in particular pulls this much less
# What a goal aimed at nobody in particular is served by, where that differs from
# INTENT_KINDS: peacemaking in general is done by apologies and reconciliations (and by
# the planner steering the peacemaker toward feuding characters, see agency).
UNTARGETED_KINDS: dict[str, dict[str, float]] = {
    RECONCILE: {"reconcile": 1.0, "apologise": 0.9},
}


@dataclass(frozen=True, slots=True)
class ParsedGoal:
    intent: str
    target_id: str | None
    topic: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Goal:
    """One goal of one character.

    - ``key``: stable id within the character ("long:1a2b3c4d", "short:revenge:<id>:12").
    - ``progress``: 0..1; 1 is done. ``horizon``: "core", "long" or "short".
    - ``intent``: one of ``INTENTS``; ``target_id``: the character it is aimed at, if any;
      ``adversary_id``: for protect goals, whom the target needs protecting from.
    - ``created_tick``; ``expires_tick``: for engine-made short-term goals (None = never).
    - ``topic``: content words of the description, for matching secrets and facts.
    - ``auto``: made by the engine (its intent and target are stored, not re-parsed).
    """

    key: str
    description: str
    progress: float = 0.0
    horizon: str = LONG
    intent: str = OTHER
    target_id: str | None = None
    created_tick: int = 0
    expires_tick: int | None = None
    adversary_id: str | None = None
    topic: tuple[str, ...] = ()
    auto: bool = False

    def is_active(self, tick: int) -> bool:
        """Not done, not expired."""
        return self.progress < 1.0 and (self.expires_tick is None or tick < self.expires_tick)

    @property
    def weight(self) -> float:
        return HORIZON_WEIGHT[self.horizon]

    def as_dict(self) -> dict[str, Any]:
        """The model's goal shape (description, progress) plus the engine's fields."""
        return {
            "description": self.description,
            "progress": round(self.progress, 4),
            "key": self.key,
            "intent": self.intent,
            "target_id": self.target_id,
            "adversary_id": self.adversary_id,
            "created_tick": self.created_tick,
            "expires_tick": self.expires_tick,
            "auto": self.auto,
        }


def parse_goal(description: str, names: NameIndex, *, self_id: str | None = None) -> ParsedGoal:
    """Intent, target (first character named other than ``self_id``) and topic words."""
    text = description.lower()
    intent = next((i for i, pattern in RULES if pattern.search(text)), OTHER)
    found = names.find(description, exclude=(self_id,) if self_id else ())
    target = found[0] if found else None
    words = content_words(description) - TOPIC_STOPWORDS
    for cid in found:  # names are who, not what
        words -= frozenset(names.words(cid))
    return ParsedGoal(intent, target, tuple(sorted(words)))


def _key(horizon: str, description: str) -> str:
    return f"{horizon}:{zlib.crc32(description.encode()):08x}"


def goal_from_dict(
    data: str | Mapping[str, Any],
    horizon: str,
    names: NameIndex,
    *,
    self_id: str | None = None,
    tick: int = 0,
) -> Goal:
    """A goal from the model's JSON (``{"description": ..., "progress": ...}`` plus what
    ``Goal.as_dict`` stores) or a plain string. Authored goals are parsed afresh every
    time (so an edited description takes effect); engine-made ones (``auto``) keep their
    stored intent and target."""
    if isinstance(data, str):
        data = {"description": data}
    description = str(data.get("description", ""))
    parsed = parse_goal(description, names, self_id=self_id)
    auto = bool(data.get("auto"))
    return Goal(
        key=str(data.get("key") or _key(horizon, description)),
        description=description,
        progress=clamp(float(data.get("progress", 0.0) or 0.0)),
        horizon=horizon,
        intent=str(data.get("intent", parsed.intent)) if auto else parsed.intent,
        target_id=data.get("target_id", parsed.target_id) if auto else parsed.target_id,
        created_tick=int(data.get("created_tick", tick) or 0),
        expires_tick=data.get("expires_tick"),
        adversary_id=data.get("adversary_id"),
        topic=parsed.topic,
        auto=auto,
    )


def goals_from_character(
    character_id: str,
    names: NameIndex,
    *,
    long_term: Iterable[str | Mapping[str, Any]] = (),
    short_term: Iterable[str | Mapping[str, Any]] = (),
    core_motivations: Iterable[str] = (),
    tick: int = 0,
) -> tuple[Goal, ...]:
    """All of a character's goals, from ``Character.long_term_goals``,
    ``short_term_goals`` and ``core_motivations`` (core goals: weight only, no progress)."""
    out = [
        goal_from_dict(g, CORE, names, self_id=character_id, tick=tick) for g in core_motivations
    ]
    out += [goal_from_dict(g, LONG, names, self_id=character_id, tick=tick) for g in long_term]
    out += [goal_from_dict(g, SHORT, names, self_id=character_id, tick=tick) for g in short_term]
    return tuple(out)


def goals_to_json(goals: Iterable[Goal]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(long_term_goals, short_term_goals) for the model's JSON fields; core goals are
    derived from ``core_motivations`` and not stored."""
    long_term = [g.as_dict() for g in goals if g.horizon == LONG]
    short_term = [g.as_dict() for g in goals if g.horizon == SHORT]
    return long_term, short_term


def untargeted_kinds(intent: str) -> dict[str, float]:
    """What serves a goal of ``intent`` aimed at nobody in particular."""
    return UNTARGETED_KINDS.get(intent, INTENT_KINDS[intent])
