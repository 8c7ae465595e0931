"""Personality maths: how well two people get on, and how a character's traits colour
what it feels and how it answers.

Sources for the shape (the numbers themselves are hand-tuned for play, not fitted):

- Similarity-attraction: shared attitudes and values predict liking (Byrne 1971;
  Montoya, Horton & Kirchner 2008 meta-analysis).
- Partner traits and relationship satisfaction: high agreeableness, low neuroticism
  and (less so) conscientiousness and extraversion predict satisfaction; neuroticism is
  the strongest negative predictor (Malouff et al. 2010 meta-analysis).
- Extraversion goes with positive affect and neuroticism with negative affect
  (Costa & McCrae 1980), which is why they scale felt impact here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from characters.engine.types import Personality

# --- compatibility weights (each is the largest contribution its factor can make) -------------
SHARED_VALUES_WEIGHT = 0.35  # Jaccard overlap of values; similarity-attraction is the big one
AGREEABLENESS_WEIGHT = 0.30  # mean agreeableness above/below the middle, -0.3..0.3
EXTRAVERSION_BALANCE_WEIGHT = 0.10  # similar sociability, -0.1..0.1
OPENNESS_MATCH_WEIGHT = 0.10  # similar curiosity, -0.1..0.1
CONSCIENTIOUSNESS_MATCH_WEIGHT = 0.08  # similar orderliness, -0.08..0.08
NEUROTICISM_FRICTION_WEIGHT = 0.30  # product of both neuroticisms, -0.3..0
COMPETING_GOAL_PENALTY = 0.12  # per pair of goals after the same scarce thing
COMPETING_GOALS_CAP = 0.36  # at most three such pairs count
SHARED_GOAL_BONUS = 0.06  # per pair of goals aimed the same way without rivalry
SHARED_GOALS_CAP = 0.18

# Goal words that make a goal rivalrous: only one person can have the thing it names.
RIVALROUS_VERBS = frozenset(
    {
        "win", "become", "marry", "own", "lead", "inherit", "beat", "claim", "take", "get",
        "control", "rule", "court", "earn", "steal", "defeat", "replace", "succeed", "buy",
    }
)  # fmt: skip
# Words too common to say two goals are about the same thing.
GOAL_STOPWORDS = frozenset(
    {
        "a", "an", "the", "to", "of", "and", "or", "in", "on", "at", "for", "with", "my", "her",
        "his", "their", "our", "be", "is", "it", "as", "by", "from", "into", "more", "most",
        "all", "some", "one", "new", "again", "up", "out", "this", "that", "who", "what",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z']+")

# --- perception: ranges stated per function ------------------------------------------------
# Thrill-seeker: cold but novelty-hungry characters flirt even with people they despise.
THRILL_SEEKER_MAX_AGREEABLENESS = 0.25
THRILL_SEEKER_MIN_OPENNESS = 0.75


@dataclass(frozen=True, slots=True)
class Compatibility:
    """How two personalities fit, symmetric in its two arguments.

    - ``overall``: -1..1, the sum of ``factors`` clamped; > 0 means they tend to get on.
    - ``friendship``, ``romance``, ``rivalry``: 0..1 propensities (0.5 is unremarkable).
    - ``factors``: named signed contributions to ``overall``, for explanations
      ("shared values": 0.23, "neuroticism friction": -0.08, ...).
    """

    overall: float
    friendship: float
    romance: float
    rivalry: float
    factors: dict[str, float] = field(default_factory=dict)

    def explain(self, top: int = 3) -> list[str]:
        """The ``top`` factors by size, e.g. ``["shared values (+0.23)", ...]``."""
        ranked = sorted(self.factors.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
        return [f"{name} ({value:+.2f})" for name, value in ranked[:top] if value != 0.0]


def _clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def _norm_values(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v.strip())


def _goal_words(goal: str) -> tuple[frozenset[str], bool]:
    words = _WORD.findall(goal.lower())
    content = frozenset(w for w in words if w not in GOAL_STOPWORDS and len(w) > 2)
    return content - RIVALROUS_VERBS, any(w in RIVALROUS_VERBS for w in words)


def _goal_pairs(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[int, int]:
    """(competing, shared) counts over goal pairs; symmetric because each pair is judged
    on the union of its two goals' properties."""
    competing = shared = 0
    parsed_b = [_goal_words(g) for g in b]
    for goal in a:
        words_a, rival_a = _goal_words(goal)
        for words_b, rival_b in parsed_b:
            if words_a & words_b:
                if rival_a or rival_b:
                    competing += 1
                else:
                    shared += 1
    return competing, shared


def compatibility(a: Personality, b: Personality) -> Compatibility:
    """How ``a`` and ``b`` fit. Exactly symmetric: ``compatibility(a, b) == compatibility(b, a)``.

    Cached (personalities are immutable), so calling it every interaction is cheap.
    """
    # Order the pair canonically so both argument orders hit one cache entry and one
    # computation; every formula below is symmetric anyway.
    key = (a, b) if _order_key(a) <= _order_key(b) else (b, a)
    return _compatibility(*key)


def _order_key(p: Personality) -> tuple:
    return (
        p.openness,
        p.conscientiousness,
        p.extraversion,
        p.agreeableness,
        p.neuroticism,
        p.values,
        p.goals,
    )


@lru_cache(maxsize=8192)
def _compatibility(a: Personality, b: Personality) -> Compatibility:
    values_a, values_b = _norm_values(a.values), _norm_values(b.values)
    union = values_a | values_b
    jaccard = len(values_a & values_b) / len(union) if union else 0.0
    mean_agree = (a.agreeableness + b.agreeableness) / 2
    mean_extra = (a.extraversion + b.extraversion) / 2
    mean_open = (a.openness + b.openness) / 2
    competing, shared = _goal_pairs(a.goals, b.goals)

    factors = {
        "shared values": SHARED_VALUES_WEIGHT * jaccard,
        "agreeableness match": AGREEABLENESS_WEIGHT * (2 * mean_agree - 1),
        "extraversion balance": EXTRAVERSION_BALANCE_WEIGHT
        * (1 - 2 * abs(a.extraversion - b.extraversion)),
        "openness match": OPENNESS_MATCH_WEIGHT * (1 - 2 * abs(a.openness - b.openness)),
        "conscientiousness match": CONSCIENTIOUSNESS_MATCH_WEIGHT
        * (1 - 2 * abs(a.conscientiousness - b.conscientiousness)),
        "neuroticism friction": -NEUROTICISM_FRICTION_WEIGHT * a.neuroticism * b.neuroticism,
        "competing goals": 0.0 - min(COMPETING_GOALS_CAP, COMPETING_GOAL_PENALTY * competing),
        "shared goals": min(SHARED_GOALS_CAP, SHARED_GOAL_BONUS * shared),
    }
    overall = _clamp(sum(factors.values()), -1.0, 1.0)
    friendship = _clamp(0.45 + 0.55 * overall, 0.0, 1.0)
    # Romance: liking plus shared curiosity and sociability; two anxious people strain it.
    romance = _clamp(
        0.3
        + 0.4 * overall
        + 0.15 * (2 * mean_open - 1)
        + 0.1 * (2 * mean_extra - 1)
        + 0.4 * jaccard * SHARED_VALUES_WEIGHT,
        0.0,
        1.0,
    )
    # Rivalry: wanting the same things, coldness, and two dominant (extravert, disagreeable)
    # people in one room; shared values take the edge off.
    dominance = (
        a.extraversion * (1 - a.agreeableness) + b.extraversion * (1 - b.agreeableness)
    ) / 2
    rivalry = _clamp(
        0.1
        + min(0.45, 0.15 * competing)
        + 0.35 * (1 - mean_agree)
        + 0.25 * dominance
        - 0.2 * jaccard,
        0.0,
        1.0,
    )
    return Compatibility(overall, friendship, romance, rivalry, factors)


# --- perception modifiers --------------------------------------------------------------------


def negative_impact_scale(p: Personality) -> float:
    """Multiplier (0.3..1.7) on hurt felt from negative acts: neuroticism amplifies,
    agreeableness softens. 1.0 for a middling personality."""
    return 1.0 + 0.8 * (p.neuroticism - 0.5) - 0.6 * (p.agreeableness - 0.5)


def positive_impact_scale(p: Personality) -> float:
    """Multiplier (0.6..1.4) on pleasure felt from kind acts: agreeable and extravert
    people take kindness in more fully, neurotic people discount it."""
    return (
        1.0
        + 0.4 * (p.agreeableness - 0.5)
        + 0.2 * (p.extraversion - 0.5)
        - 0.2 * (p.neuroticism - 0.5)
    )


def warmth(p: Personality) -> float:
    """How warmly the character answers, -1 (icy) .. 1 (effusive); mostly agreeableness."""
    return 1.6 * (p.agreeableness - 0.5) + 0.4 * (p.extraversion - 0.5)


def energy_use_scale(p: Personality) -> float:
    """Multiplier (0.7..1.3) on the social energy an exchange costs: extraverts talk more
    and longer, so each exchange uses more (restoring energy by rest is the tick's job)."""
    return 0.7 + 0.6 * p.extraversion


def talkativeness(p: Personality) -> float:
    """0..1 tendency to say more than needed (extraversion, a little openness)."""
    return _clamp(0.1 + 0.7 * p.extraversion + 0.2 * p.openness, 0.0, 1.0)


def novelty_appetite(p: Personality) -> float:
    """-1..1 liking for novelty (jokes, new people): openness above or below the middle."""
    return 2 * p.openness - 1


def reliability(p: Personality) -> float:
    """0..1 readiness to keep promises: help when asked, apologise when in the wrong."""
    return _clamp(0.2 + 0.6 * p.conscientiousness + 0.2 * p.agreeableness, 0.0, 1.0)


def is_thrill_seeker(p: Personality) -> bool:
    """Cold and novelty-hungry (agreeableness <= 0.25 and openness >= 0.75): the kind who
    flirts with someone they despise for the sport of it."""
    return (
        p.agreeableness <= THRILL_SEEKER_MAX_AGREEABLENESS
        and p.openness >= THRILL_SEEKER_MIN_OPENNESS
    )
