"""Speaking style, Big Five, values, goals and secrets from a person's quotes and descriptions.

Method (lexicon-based, offline; documented so a creator can judge the numbers):

- **Words.** A person's speech is every quote attributed to them; their *descriptions* are the
  narration sentences that name them followed within six words by a trait adjective
  ("Jane was gentle", "Mr. Darcy ... proud").
- **Big Five.** Each trait has a list of marker words for its high and low pole
  (``lexicon.BIG_FIVE_MARKERS``, chosen after the LIWC category correlations reported by
  Pennebaker & King 1999 and Yarkoni 2010: social and leisure words for extraversion, positive
  emotion and kin words against swearing and anger for agreeableness, negative emotion and
  anxiety for neuroticism, achievement/order words for conscientiousness, insight and
  perception words for openness). For each person the rate (high - low markers per 1,000
  words of speech) is z-scored against the cast with at least 150 words of speech, and two
  style signals join it: exclamations and questions add to extraversion, exclamations with
  negative sentiment add to neuroticism. Each description adjective
  (``lexicon.TRAIT_ADJECTIVES``) moves its trait by 0.08. Score = clamp(0.5 + 0.12 z + adjectives,
  0.05, 0.95); a person with too few words keeps 0.5 on the speech part.
- **Values.** The value lists of ``lexicon.VALUE_MARKERS`` are counted in the person's speech;
  the top three whose rate is above the cast's mean rate (and counted at least twice) are kept.
- **Goals and secrets** (``Suggestion(source="rules")``): first-person intentions in speech
  ("I am determined to...", "I hope to...", "I mean to..."), one goal from the strongest value,
  and secrets from speech that hides ("nobody must know", "a secret", "do not tell"). They are
  suggestions for the creator, never applied on their own.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import ecosystems.engine.book.lexicon as lx
from ecosystems.engine.book.types import BIG_FIVE, Suggestion

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
MIN_WORDS = 150
TONE_MARGIN = 0.1  # sentiment above/below the cast's mean that the style mentions
Z_WEIGHT = 0.12
ADJECTIVE_WEIGHT = 0.08

_GOAL = re.compile(
    r"\bI\s+(?:am determined|am resolved|am resolved|mean|intend|hope|wish|want|long|shall try|"
    r"will try|am going|have a mind|must contrive)\s+to\s+"
    r"((?!be sure)[a-z][a-z' ,-]{6,70}?)(?=[.!?;:\"]|,\s(?:and|but|for|if|though)\b|$)",
)
_SECRET = re.compile(
    r"\b(?:secret|nobody (?:must|shall|should) know|no one (?:must|shall|should) know|do not tell|"
    r"don't tell|never tell|between ourselves|conceal|must not know|keep it to yourself)\b",
    re.I,
)

VALUE_GOALS = {
    "family": "See the family settled and safe",
    "wealth": "Secure a comfortable fortune",
    "status": "Keep or raise their standing in society",
    "love": "Marry for love, or not at all",
    "duty": "Do what is proper and expected of them",
    "honesty": "Find out the truth about the people around them",
    "reputation": "Protect their good name",
    "pleasure": "Enjoy every ball, party and amusement on offer",
    "knowledge": "Improve their mind",
    "independence": "Decide their own future",
}


def sentiment(text: str) -> float:
    """-1..1: (positive - negative) / (positive + negative + 2) over the general lexicon."""
    words = _WORD.findall(text.lower())
    pos = sum(1 for w in words if w in lx.POSITIVE)
    neg = sum(1 for w in words if w in lx.NEGATIVE)
    return (pos - neg) / (pos + neg + 2)


@dataclass
class Voice:
    words: list[str]
    sentences: int
    questions: int
    exclamations: int
    quotes: list[str]


def voice(quotes: list[str]) -> Voice:
    words: list[str] = []
    sentences = questions = exclamations = 0
    for q in quotes:
        words.extend(_WORD.findall(q.lower()))
        for s in _SENTENCE.findall(q):
            if not s.strip():
                continue
            sentences += 1
            if "?" in s:
                questions += 1
            if "!" in s:
                exclamations += 1
    return Voice(words, max(sentences, 1), questions, exclamations, quotes)


def speaking_style(v: Voice, tone_baseline: float = 0.0) -> str:
    """A sentence on how the person talks; tone is relative to the cast's (``tone_baseline``)."""
    if not v.quotes:
        return ""
    n = len(v.words)
    per_sentence = n / v.sentences
    length = (
        "long, elaborate"
        if per_sentence >= 22
        else "short, direct"
        if per_sentence <= 11
        else "measured"
    )
    parts = [f"Speaks in {length} sentences (about {per_sentence:.0f} words each)"]
    q_share = v.questions / v.sentences
    e_share = v.exclamations / v.sentences
    if q_share >= 0.2:
        parts.append(f"asks many questions ({q_share:.0%} of sentences)")
    if e_share >= 0.15:
        parts.append(f"is often exclamatory ({e_share:.0%})")
    formal = sum(1 for w in v.words if w in lx.FORMAL_WORDS)
    informal = sum(1 for w in v.words if w in lx.INFORMAL_WORDS)
    if n and (formal - informal) / n >= 0.012:
        parts.append("formal and ceremonious in vocabulary")
    elif n and (informal - formal) / n >= 0.004:
        parts.append("casual, gushing vocabulary")
    tone = sentiment(" ".join(v.quotes)) - tone_baseline
    if tone >= TONE_MARGIN:
        parts.append("warmer in tone than most")
    elif tone <= -TONE_MARGIN:
        parts.append("sharp or complaining in tone")
    return "; ".join(parts) + "."


def _rates(v: Voice) -> dict[str, float]:
    n = len(v.words)
    if n < MIN_WORDS:
        return {}
    counts = Counter(v.words)
    rates = {}
    for trait, (high, low) in lx.BIG_FIVE_MARKERS.items():
        rates[trait] = 1000 * (sum(counts[w] for w in high) - sum(counts[w] for w in low)) / n
    rates["extraversion"] += 40 * (v.exclamations + v.questions) / v.sentences
    tone = sentiment(" ".join(v.quotes))
    rates["neuroticism"] += 40 * (v.exclamations / v.sentences) * (1 if tone < 0.15 else 0.3)
    return rates


def big_five(
    voices: dict[int, Voice], descriptions: dict[int, list[str]]
) -> dict[int, dict[str, float]]:
    rates = {pid: _rates(v) for pid, v in voices.items()}
    stats = {}
    for trait in BIG_FIVE:
        values = [r[trait] for r in rates.values() if r]
        if len(values) >= 2:
            mean = sum(values) / len(values)
            std = math.sqrt(sum((x - mean) ** 2 for x in values) / len(values)) or 1.0
            stats[trait] = (mean, std)
    result: dict[int, dict[str, float]] = {}
    for pid in voices:
        scores = {}
        adjectives = Counter()
        for sentence in descriptions.get(pid, []):
            for w in _WORD.findall(sentence.lower()):
                if w in lx.TRAIT_ADJECTIVES:
                    trait, sign = lx.TRAIT_ADJECTIVES[w]
                    adjectives[trait] += sign
        for trait in BIG_FIVE:
            z = 0.0
            if rates[pid] and trait in stats:
                mean, std = stats[trait]
                z = max(-2.5, min(2.5, (rates[pid][trait] - mean) / std))
            adj = max(-0.3, min(0.3, ADJECTIVE_WEIGHT * adjectives[trait]))
            scores[trait] = round(max(0.05, min(0.95, 0.5 + Z_WEIGHT * z + adj)), 2)
        result[pid] = scores
    return result


def values(voices: dict[int, Voice]) -> dict[int, tuple[str, ...]]:
    counts: dict[int, dict[str, float]] = {}
    for pid, v in voices.items():
        n = len(v.words)
        c = Counter(v.words)
        counts[pid] = {k: sum(c[w] for w in ws) for k, ws in lx.VALUE_MARKERS.items()}
        counts[pid]["_n"] = n
    means = {}
    for k in lx.VALUE_MARKERS:
        rates = [c[k] / c["_n"] for c in counts.values() if c["_n"] >= MIN_WORDS]
        means[k] = sum(rates) / len(rates) if rates else 0.0
    out: dict[int, tuple[str, ...]] = {}
    for pid, c in counts.items():
        if c["_n"] == 0:
            out[pid] = ()
            continue
        ranked = sorted(
            (k for k in lx.VALUE_MARKERS if c[k] >= 2 and c[k] / c["_n"] > means[k]),
            key=lambda k: -(c[k] / c["_n"]) / (means[k] or 1e-6),
        )
        out[pid] = tuple(ranked[:3])
    return out


def goals(v: Voice, person_values: tuple[str, ...]) -> tuple[Suggestion, ...]:
    found: list[Suggestion] = []
    seen = set()
    for q in v.quotes:
        for match in _GOAL.finditer(q):
            phrase = match.group(1).strip().rstrip(",")
            key = phrase[:30].lower()
            if key in seen or len(found) >= 2:
                continue
            seen.add(key)
            found.append(
                Suggestion(text=f"To {phrase}", evidence=match.group(0)[:200], source="rules")
            )
    if person_values:
        found.append(
            Suggestion(
                text=VALUE_GOALS[person_values[0]],
                evidence=f"values {person_values[0]} in speech",
                source="rules",
            )
        )
    return tuple(found[:3])


def secrets(v: Voice) -> tuple[Suggestion, ...]:
    found: list[Suggestion] = []
    for q in v.quotes:
        for s in _SENTENCE.findall(q):
            if _SECRET.search(s) and len(found) < 2:
                found.append(
                    Suggestion(
                        text="Keeps something from the others",
                        evidence=s.strip()[:200],
                        source="rules",
                    )
                )
    return tuple(found)
