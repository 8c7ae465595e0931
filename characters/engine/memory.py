"""The memory stream's maths (Generative Agents, Park et al. 2023), pure and deterministic.

Three jobs, each dataclasses in and out:

- **Retrieval scoring** (``rank_memories``): recency ``0.995 ** hours`` since last access,
  importance 1..10 and relevance (cosine similarity to the query), each min-max normalised to
  0..1 across the candidate set, then summed with named weights (1/1/1 as in the paper).
- **Reflection** (``reflection_due``, ``reflect``): once the importance of memories since the last
  reflection reaches a budget, the recent memories are grouped by the other character they are
  about and by the sentiment of the exchange, and the most salient groups become 1-3 insights
  in the first person, each citing the indices of its evidence.
- **Consolidation** (``consolidate``): a batch of old, low-importance memories becomes a few
  sentences for the character's summary, and lived experience nudges the Big Five a little
  (bounded per consolidation and in total from the authored value).

Memories are read from the sentences the interaction service writes ("I insulted Bob: ...",
"Bob helped me: ...", built from the catalogue's verbs); any other sentence that names a
character of the world still counts as being about them, with no sentiment.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from characters.engine.interactions import CATALOGUE
from characters.engine.types import BIG_FIVE, clamp

# --- Retrieval ----------------------------------------------------------------------------------

# Per simulated hour since last access (Park et al. 2023, section 4.1: "exponential decay
# function over the number of sandbox game hours since the memory was last retrieved", 0.995).
RECENCY_DECAY_PER_HOUR = 0.995
# Value given to every candidate on a component whose values are all equal (or to the only
# candidate): the midpoint, as the paper's reference code does (normalize_dict_floats).
FLAT_COMPONENT_SCORE = 0.5
_FLAT_EPSILON = 1e-12


@dataclass(frozen=True, slots=True)
class RetrievalWeights:
    """How much each normalised component counts; the paper weighs all three 1."""

    recency: float = 1.0
    importance: float = 1.0
    relevance: float = 1.0


DEFAULT_WEIGHTS = RetrievalWeights()


@dataclass(frozen=True, slots=True)
class MemoryCandidate:
    """A memory to score. ``hours_since_access`` is simulated hours (>= 0); ``similarity`` is
    the cosine similarity to the query (-1..1), ``None`` when there is no query or the memory is
    not embedded yet."""

    id: str
    importance: int
    hours_since_access: float
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class ScoredMemory:
    """A ranked candidate: the weighted ``score`` and its three normalised components (0..1),
    plus the raw recency factor ``0.995 ** hours`` before normalisation."""

    id: str
    score: float
    recency: float
    importance: float
    relevance: float
    raw_recency: float


def recency_factor(hours: float) -> float:
    """``0.995 ** hours``: 1 for a memory touched just now, 0.5 after ~138 simulated hours."""
    return RECENCY_DECAY_PER_HOUR ** max(0.0, hours)


def hours_between(*, now_tick: int, then_tick: int, minutes_per_tick: int) -> float:
    """Simulated hours from ``then_tick`` to ``now_tick`` (0 if ``then`` is not earlier)."""
    return max(0, now_tick - then_tick) * minutes_per_tick / 60.0


def normalise(values: Sequence[float]) -> list[float]:
    """Min-max to 0..1. Edge cases: no values gives ``[]``; one value, or all equal, gives
    ``FLAT_COMPONENT_SCORE`` for each (the component cannot tell them apart, so it must not
    favour any)."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high - low < _FLAT_EPSILON:
        return [FLAT_COMPONENT_SCORE] * len(values)
    return [(v - low) / (high - low) for v in values]


def _relevances(candidates: Sequence[MemoryCandidate]) -> list[float]:
    """Normalised relevance. Without any similarity (no query) every candidate gets 0: the
    component then ranks nothing. A candidate without one (not embedded yet) among others
    that have one counts as the least relevant."""
    present = [c.similarity for c in candidates if c.similarity is not None]
    if not present:
        return [0.0] * len(candidates)
    floor = min(present)
    return normalise([floor if c.similarity is None else c.similarity for c in candidates])


def rank_memories(
    candidates: Sequence[MemoryCandidate],
    *,
    weights: RetrievalWeights = DEFAULT_WEIGHTS,
    limit: int | None = None,
) -> list[ScoredMemory]:
    """Score every candidate against the others and return the best first.

    Normalisation is across ``candidates``, so a score means "how good within this set".
    Ties go to the more recent, then the more important, then the smaller id (stable output).
    """
    raw = [recency_factor(c.hours_since_access) for c in candidates]
    recency = normalise(raw)
    importance = normalise([float(c.importance) for c in candidates])
    relevance = _relevances(candidates)
    scored = [
        ScoredMemory(
            id=c.id,
            score=weights.recency * rec + weights.importance * imp + weights.relevance * rel,
            recency=rec,
            importance=imp,
            relevance=rel,
            raw_recency=r,
        )
        for c, r, rec, imp, rel in zip(candidates, raw, recency, importance, relevance, strict=True)
    ]
    scored.sort(key=lambda s: (-s.score, -s.raw_recency, -s.importance, s.id))
    return scored if limit is None else scored[:limit]


# --- Reading a memory ---------------------------------------------------------------------------

WARM = "warm"
CONFLICT = "conflict"
NEUTRAL = "neutral"
# Catalogue valence at or above which an exchange reads as warm (compliment, joke, confide,
# help, gift, flirt, apologise, share a secret, reconcile), and at or below which it reads as
# friction (disagree and every conflict kind). Greeting, small talk, gossip and teasing sit
# between: neutral. Chosen against the catalogue's hand-tuned valences.
WARM_VALENCE = 0.3
CONFLICT_VALENCE = -0.2
# Kinds that show the actor trusts the other ("I keep confiding in Charlie; I trust them").
TRUSTING_KINDS = frozenset({"confide", "share_secret"})
SELF_NAMES = ("I", "me")  # how the interaction service names the memory's owner


@dataclass(frozen=True, slots=True)
class MemoryNote:
    """A memory as the engine sees it: its sentence, importance (1..10) and forming tick."""

    content: str
    importance: int
    tick: int = 0


@dataclass(frozen=True, slots=True)
class MemoryReading:
    """What a memory says: whom it is about, which interaction kind (if a catalogue sentence),
    its tone (``WARM``, ``CONFLICT`` or ``NEUTRAL``) and who acted (``True``: the owner,
    ``False``: the other, ``None``: unknown)."""

    other: str | None
    kind: str | None
    tone: str
    by_me: bool | None


def _verb_pattern(verb: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[abs]\})", verb)
    body = "".join(
        f"(?P<{p[1]}>.+?)" if p in ("{a}", "{b}", "{s}") else re.escape(p) for p in parts
    )
    return re.compile(f"^{body}(?::|$)")


# Longest verbs first, so "{a} asked {b} for help" is tried before shorter patterns.
_VERB_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, _verb_pattern(t.verb))
    for kind, t in sorted(CATALOGUE.items(), key=lambda item: (-len(item[1].verb), item[0]))
)


def tone_of(kind: str) -> str:
    t = CATALOGUE[kind]
    if t.conflict or t.valence <= CONFLICT_VALENCE:
        return CONFLICT
    return WARM if t.valence >= WARM_VALENCE else NEUTRAL


def read_memory(content: str, names: Iterable[str] = ()) -> MemoryReading:
    """Read one memory sentence. ``names`` are the world's character names, used to find whom
    a sentence that is not the interaction service's is about (the longest name mentioned)."""
    head = content.split(":", 1)[0] if ":" in content else content
    for kind, pattern in _VERB_PATTERNS:
        match = pattern.match(head)
        if match is None:
            continue
        actor, acted_on = match.group("a").strip(), match.group("b").strip()
        if actor == "I" and acted_on not in SELF_NAMES:
            return MemoryReading(acted_on, kind, tone_of(kind), True)
        if acted_on == "me" and actor not in SELF_NAMES:
            return MemoryReading(actor, kind, tone_of(kind), False)
    mentioned = [n for n in names if n and re.search(rf"\b{re.escape(n)}\b", content)]
    other = max(mentioned, key=lambda n: (len(n), n)) if mentioned else None
    return MemoryReading(other, None, NEUTRAL, None)


# --- Reflection ---------------------------------------------------------------------------------

# Summed importance of new memories that triggers a reflection. Generative Agents used 150 on a
# stream of every perceived observation (mostly mundane, importance 2-3), which made agents
# reflect two or three times a simulated day. Our memories are social exchanges only, scored
# 1..10 from the catalogue's intensity (greeting ~2, help ~5, argue ~7, betrayal 10), about 4 on
# average; 50 is about a dozen ordinary exchanges (enough evidence to group by person) or five
# dramatic ones. At the default 15 simulated minutes per tick and a sociable character in an
# exchange every couple of ticks, that is again two to four reflections per simulated day.
REFLECTION_IMPORTANCE_BUDGET = 50
REFLECTION_WINDOW = 100  # most recent memories a reflection reads (the paper's 100 records)
MAX_INSIGHTS = 3
MIN_GROUP_EVIDENCE = 2  # memories a group needs to become an insight ...
SINGLE_EVIDENCE_IMPORTANCE = 7  # ... unless one memory alone is this important (a betrayal)
MIN_NEUTRAL_EVIDENCE = 3  # plain company needs more repetition to be worth a thought
MIXED_SHARE = 0.3  # warm and conflict each this share of a person's salience: "complicated"
INSIGHT_IMPORTANCE_BONUS = 2  # an insight matters more than the average of its evidence
GENERAL_EVIDENCE = 5  # memories cited by the fallback insight about life in general


@dataclass(frozen=True, slots=True)
class Insight:
    """One reflection: a first-person sentence, its importance (1..10), the indices of its
    evidence in the memories given to ``reflect``, whom it is about (``None``: life in general)
    and its tone (``WARM``, ``CONFLICT``, ``NEUTRAL`` or ``"mixed"``)."""

    content: str
    importance: int
    evidence: tuple[int, ...]
    about: str | None
    tone: str


MIXED = "mixed"

# (tone, direction) -> sentence variants; direction is "given" (the owner acted), "received"
# or "both". ``{o}`` is the other character.
INSIGHT_TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    (CONFLICT, "received"): (
        "{o} seems to resent me.",
        "{o} has it in for me; I should be careful around them.",
        "I don't know what I did to {o}, but they keep coming at me.",
    ),
    (CONFLICT, "given"): (
        "I keep clashing with {o}; I don't think I like them.",
        "{o} brings out the worst in me.",
    ),
    (CONFLICT, "both"): (
        "{o} and I can't stop quarrelling; we are at odds.",
        "Every time {o} and I meet, it ends badly.",
    ),
    (WARM, "received"): (
        "{o} has been kind to me; I think they like me.",
        "I can count on {o}.",
    ),
    (WARM, "given"): (
        "I keep seeking out {o}; I like them.",
        "I find myself going out of my way for {o}.",
    ),
    (WARM, "trusting"): (
        "I keep confiding in {o}; I trust them.",
        "{o} is the one I turn to; I trust them.",
    ),
    (WARM, "both"): (
        "{o} and I are growing close.",
        "{o} and I understand each other.",
    ),
    (MIXED, "any"): (
        "Things with {o} are complicated: warm one day, bitter the next.",
        "I can't make {o} out; kind one moment, cruel the next.",
    ),
    (NEUTRAL, "any"): (
        "I see a lot of {o} these days.",
        "{o} is around me more and more.",
    ),
}
GENERAL_TEMPLATES: dict[str, tuple[str, ...]] = {
    WARM: ("Lately my days have been mostly pleasant.", "People have been good to me lately."),
    CONFLICT: ("Lately everything seems to end in a quarrel.", "These have been hard days."),
    NEUTRAL: ("Nothing much has happened to me lately.", "My days have been quiet of late."),
}


def reflection_due(
    importance_since_reflection: int, *, budget: int = REFLECTION_IMPORTANCE_BUDGET
) -> bool:
    """Whether enough has happened since the last reflection to reflect again."""
    return importance_since_reflection >= budget


@dataclass
class _Group:
    other: str
    tone: str
    evidence: list[int] = field(default_factory=list)
    salience: int = 0
    given: int = 0
    received: int = 0
    trusting: int = 0

    def add(self, index: int, note: MemoryNote, reading: MemoryReading) -> None:
        self.evidence.append(index)
        self.salience += note.importance
        self.given += reading.by_me is True
        self.received += reading.by_me is False
        self.trusting += bool(reading.by_me and reading.kind in TRUSTING_KINDS)


def reflect(
    notes: Sequence[MemoryNote],
    *,
    names: Iterable[str] = (),
    rng: random.Random,
    max_insights: int = MAX_INSIGHTS,
) -> list[Insight]:
    """1..``max_insights`` insights from recent memories (none only when ``notes`` is empty).

    Memories about the same person with the same tone form a group; a person with both warm
    and conflict groups of real weight (each ``MIXED_SHARE`` of that person's salience) gets one
    "complicated" group instead. Groups with enough evidence are ranked by summed importance
    (ties by name, then tone) and the top ones become insights. With no such group, one insight
    about life in general cites the most important memories. ``rng`` only picks the phrasing.
    """
    if not notes:
        return []
    names = tuple(names)
    readings = [read_memory(n.content, names) for n in notes]
    groups = _groups(notes, readings)
    ranked = sorted(
        (g for g in groups if _qualifies(g, notes)),
        key=lambda g: (-g.salience, g.other, g.tone),
    )
    insights = [_insight(g, notes, rng) for g in ranked[:max_insights]]
    return insights or [_general_insight(notes, readings, rng)]


def _groups(notes: Sequence[MemoryNote], readings: Sequence[MemoryReading]) -> list[_Group]:
    by_key: dict[tuple[str, str], _Group] = {}
    for i, (note, reading) in enumerate(zip(notes, readings, strict=True)):
        if reading.other is None:
            continue
        key = (reading.other, reading.tone)
        by_key.setdefault(key, _Group(reading.other, reading.tone)).add(i, note, reading)
    groups: list[_Group] = []
    for other in sorted({other for other, _ in by_key}):
        warm, conflict = by_key.get((other, WARM)), by_key.get((other, CONFLICT))
        neutral = by_key.get((other, NEUTRAL))
        total = sum(g.salience for g in (warm, conflict) if g)
        if warm and conflict and min(warm.salience, conflict.salience) >= MIXED_SHARE * total:
            mixed = _Group(other, MIXED)
            for part in (warm, conflict):
                mixed.evidence.extend(part.evidence)
                mixed.salience += part.salience
                mixed.given += part.given
                mixed.received += part.received
            mixed.evidence.sort()
            groups.append(mixed)
        else:
            groups.extend(g for g in (warm, conflict) if g)
        if neutral:
            groups.append(neutral)
    return groups


def _qualifies(group: _Group, notes: Sequence[MemoryNote]) -> bool:
    if group.tone == NEUTRAL:
        return len(group.evidence) >= MIN_NEUTRAL_EVIDENCE
    if len(group.evidence) >= MIN_GROUP_EVIDENCE:
        return True
    return max(notes[i].importance for i in group.evidence) >= SINGLE_EVIDENCE_IMPORTANCE


def _direction(group: _Group) -> str:
    if group.tone in (MIXED, NEUTRAL):
        return "any"
    known = group.given + group.received
    if known == 0 or (3 * group.given > known and 3 * group.received > known):
        return "both"  # neither side did as much as two thirds
    if group.given < group.received:
        return "received"
    if group.tone == WARM and 2 * group.trusting >= group.given:
        return "trusting"
    return "given"


def _insight_importance(evidence: Sequence[int], notes: Sequence[MemoryNote]) -> int:
    mean = sum(notes[i].importance for i in evidence) / len(evidence)
    return int(clamp(round(mean) + INSIGHT_IMPORTANCE_BONUS, 1, 10))


def _insight(group: _Group, notes: Sequence[MemoryNote], rng: random.Random) -> Insight:
    template = rng.choice(INSIGHT_TEMPLATES[group.tone, _direction(group)])
    evidence = tuple(group.evidence)
    return Insight(
        content=_capitalise(template.format(o=group.other)),
        importance=_insight_importance(evidence, notes),
        evidence=evidence,
        about=group.other,
        tone=group.tone,
    )


def _general_insight(
    notes: Sequence[MemoryNote], readings: Sequence[MemoryReading], rng: random.Random
) -> Insight:
    warm = sum(n.importance for n, r in zip(notes, readings, strict=True) if r.tone == WARM)
    bad = sum(n.importance for n, r in zip(notes, readings, strict=True) if r.tone == CONFLICT)
    tone = WARM if warm > bad else CONFLICT if bad > warm else NEUTRAL
    top = sorted(range(len(notes)), key=lambda i: (-notes[i].importance, -notes[i].tick, i))
    evidence = tuple(sorted(top[:GENERAL_EVIDENCE]))
    return Insight(
        content=rng.choice(GENERAL_TEMPLATES[tone]),
        importance=_insight_importance(evidence, notes),
        evidence=evidence,
        about=None,
        tone=tone,
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Consolidation and personality drift --------------------------------------------------------

# Memories older than this (simulated hours) and at most this important may be consolidated;
# a consolidation takes at most a batch, and is not worth doing for fewer than the minimum.
# Tuning choices: a simulated day keeps the recent past verbatim; importance 4 and below is the
# everyday (greetings, small talk, a compliment, a tease), while quarrels, secrets and
# betrayals stay in the stream as they were.
CONSOLIDATION_MIN_AGE_HOURS = 24
CONSOLIDATION_MAX_IMPORTANCE = 4
CONSOLIDATION_BATCH = 200
CONSOLIDATION_MIN_MEMORIES = 10
# Personality drift. Adult Big Five scores move slowly: mean-level change is a few tenths of a
# standard deviation per decade (Roberts, Walton & Viechtbauer 2006), about 0.1 on a 0..1 scale
# where the SD is ~0.2. So each trait moves at most 0.01 per consolidation and never more than
# 0.15 from the authored value: a character ripens but stays who the author wrote.
MAX_DRIFT_PER_CONSOLIDATION = 0.01
MAX_DRIFT_FROM_AUTHORED = 0.15
DRIFT_MIN_EXPERIENCES = 5  # warm or conflict memories a batch needs before anything drifts
# Which way each kind of experience pushes each trait (a full push is one maximum step).
DRIFT_PUSH: dict[str, dict[str, float]] = {
    CONFLICT: {"neuroticism": 1.0, "agreeableness": -1.0},
    WARM: {"agreeableness": 1.0, "extraversion": 1.0},
}
SUMMARY_PEOPLE = 3  # people named in a summary
_DRIFT_DIGITS = 4


@dataclass(frozen=True, slots=True)
class ConsolidationOutcome:
    """A summary of the batch (a few sentences), the traits after drift, the change per trait
    (only traits that moved) and the authored anchor the bounds were measured from."""

    summary: str
    traits: dict[str, float]
    drift: dict[str, float]
    anchor: dict[str, float]
    warm: int
    conflict: int


def drift_personality(
    traits: Mapping[str, float],
    anchor: Mapping[str, float],
    *,
    warm: int,
    conflict: int,
    total: int,
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(traits after, change per trait, anchor used) for a batch of ``total`` memories with
    ``warm`` warm and ``conflict`` conflict ones.

    The push on a trait is the share of each kind of experience times ``DRIFT_PUSH``, limited to
    one step of ``MAX_DRIFT_PER_CONSOLIDATION``; the result stays within
    ``MAX_DRIFT_FROM_AUTHORED`` of the anchor and within 0..1. A missing anchor trait is the
    current value. A trait already further from the anchor than drift could take it was set by
    an author after the anchor was taken, so the anchor moves to it (re-anchoring).
    """
    current = {t: float(traits.get(t, 0.5)) for t in BIG_FIVE}
    anchor_used = {t: float(anchor.get(t, current[t])) for t in BIG_FIVE}
    for t in BIG_FIVE:
        if abs(current[t] - anchor_used[t]) > MAX_DRIFT_FROM_AUTHORED + 1e-9:
            anchor_used[t] = current[t]
    if warm + conflict < DRIFT_MIN_EXPERIENCES or total <= 0:
        return current, {}, anchor_used
    shares = {WARM: warm / total, CONFLICT: conflict / total}
    after = dict(current)
    drift: dict[str, float] = {}
    for t in BIG_FIVE:
        push = sum(shares[tone] * DRIFT_PUSH[tone].get(t, 0.0) for tone in shares)
        step = MAX_DRIFT_PER_CONSOLIDATION * clamp(push, -1.0, 1.0)
        low = max(0.0, anchor_used[t] - MAX_DRIFT_FROM_AUTHORED)
        high = min(1.0, anchor_used[t] + MAX_DRIFT_FROM_AUTHORED)
        value = round(clamp(current[t] + step, low, high), _DRIFT_DIGITS)
        if value != round(current[t], _DRIFT_DIGITS):
            after[t] = value
            drift[t] = round(value - current[t], _DRIFT_DIGITS)
    return after, drift, anchor_used


def consolidate(
    notes: Sequence[MemoryNote],
    *,
    traits: Mapping[str, float],
    anchor: Mapping[str, float],
    names: Iterable[str] = (),
    rng: random.Random,
) -> ConsolidationOutcome:
    """Summarise a batch of old memories and let them nudge the personality.

    The summary says the span of ticks, the people most present, the balance of warm and
    bitter moments and the most memorable of them; ``rng`` only picks the phrasing.
    """
    readings = [read_memory(n.content, tuple(names)) for n in notes]
    warm = sum(r.tone == WARM for r in readings)
    conflict = sum(r.tone == CONFLICT for r in readings)
    after, drift, anchor_used = drift_personality(
        traits, anchor, warm=warm, conflict=conflict, total=len(notes)
    )
    return ConsolidationOutcome(
        summary=_summary(notes, readings, warm, conflict, rng) if notes else "",
        traits=after,
        drift=drift,
        anchor=anchor_used,
        warm=warm,
        conflict=conflict,
    )


def _summary(
    notes: Sequence[MemoryNote],
    readings: Sequence[MemoryReading],
    warm: int,
    conflict: int,
    rng: random.Random,
) -> str:
    # In the character's own words: no tick numbers, no tallies in brackets.
    first, last = min(n.tick for n in notes), max(n.tick for n in notes)
    span = "In one sitting" if first == last else "Lately"
    counts: dict[str, int] = {}
    for r in readings:
        if r.other:
            counts[r.other] = counts.get(r.other, 0) + 1
    people = sorted(counts, key=lambda o: (-counts[o], o))[:SUMMARY_PEOPLE]
    moments = f"{len(notes)} everyday moment{'s' if len(notes) != 1 else ''}"
    company = f", mostly with {_join(people)}" if people else ""
    sentences = [f"{span} I had {moments}{company}."]
    if warm or conflict:
        sentences.append(
            f"{warm} {'was' if warm == 1 else 'were'} warm and {conflict} ended in friction."
        )
    else:
        sentences.append(rng.choice(("It was quiet, ordinary company.", "Nothing stood out.")))
    best = min(range(len(notes)), key=lambda i: (-notes[i].importance, -notes[i].tick, i))
    gist = notes[best].content.split(":", 1)[0].strip().rstrip(".")
    if gist:
        lead = rng.choice(("What stayed with me", "I remember best"))
        sentences.append(f"{lead}: {gist}.")
    return " ".join(sentences)


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
