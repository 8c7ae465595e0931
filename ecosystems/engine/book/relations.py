"""Directed relationship proposals between the cast.

- **Scenes**: a person is present in a paragraph they are named in, speak in or are spoken
  to in; two people co-occur when present in the same paragraph or in neighbouring ones
  (a window of ``WINDOW`` paragraphs either side).
- **Exchanges**: quotes from source addressed to target.
- **Sentiment**: the general lexicon's valence of source's quotes to target and of source's
  sentences that name target.
- **Cues**: "her sister Jane", "Mr. Darcy, his friend", "his wife" as a said-verb subject:
  family (sister, mother, ...), marriage (wife, husband) and friendship words next to a name.
- **Weight** 0..1: half from the volume (co-occurrences + 2 x exchanges both ways + 3 x cues,
  over the book's largest), half from association (co-occurrences over the geometric mean of
  both people's presences, over the book's largest), so a pair that is always together ranks
  with a pair that is merely everywhere.
- **Kind**: marriage cue → partner; sibling → close_friend; other family → ally; friend cue →
  friend; else romance words (love, marry, heart, ...) in a strong pair of opposite genders →
  romantic_interest; clearly negative words → rival (enemy when strong); else by weight:
  close_friend ≥ 0.6, friend ≥ 0.3, acquaintance ≥ 0.08, stranger.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict

import ecosystems.engine.book.lexicon as lx
from ecosystems.engine.book.people import Mention, Person
from ecosystems.engine.book.quotes import Turn
from ecosystems.engine.book.traits import sentiment
from ecosystems.engine.book.types import Pair

WINDOW = 1
VOLUME_SHARE = 0.3
ROMANCE_RATE = 1.2  # times the book's median rate of romance words in shared paragraphs
SHRINK = 40  # association shrunk towards 0 for pairs seen together only a few times
_CUE = re.compile(
    r"\b(his|her|my|your|their)\s+(?:own\s+|dear\s+|eldest\s+|youngest\s+|younger\s+|elder\s+)?"
    r"(sister|brother|wife|husband|mother|father|daughter|son|aunt|uncle|cousin|niece|nephew|friend)"
    r"s?\b[, ]*$"
)
_ROMANCE = lx.words(
    """love loved lover marry married marriage heart hand proposal propose affection attachment
    admire admiration engaged engagement accepted refused"""
)
_WORD = re.compile(r"[a-z]+")
CUE_KIND = {
    "wife": "spouse",
    "husband": "spouse",
    "sister": "sibling",
    "brother": "sibling",
    "mother": "family",
    "father": "family",
    "daughter": "family",
    "son": "family",
    "aunt": "family",
    "uncle": "family",
    "cousin": "family",
    "niece": "family",
    "nephew": "family",
    "friend": "friend",
}


def relationships(
    text: str,
    spans: tuple[tuple[int, int], ...],
    people: list[Person],
    mentions: list[Mention],
    turns: list[Turn],
    cast: set[int],
    antecedent,
) -> list[Pair]:
    presence: dict[int, set[int]] = defaultdict(set)
    for m in mentions:
        if m.person in cast:
            presence[m.person].add(m.para)
    for t in turns:
        for pid in (t.speaker, t.addressee):
            if pid in cast:
                presence[pid].add(t.para)
    by_para: dict[int, set[int]] = defaultdict(set)
    for pid, paras in presence.items():
        for p in paras:
            by_para[p].add(pid)
    cooc: Counter[tuple[int, int]] = Counter()
    for p, here in by_para.items():
        near = set(here)
        for d in range(1, WINDOW + 1):
            near |= by_para.get(p - d, set()) | by_para.get(p + d, set())
        for a in here:
            for b in near:
                if a != b:
                    cooc[(a, b)] += 1
    exchanges: Counter[tuple[int, int]] = Counter()
    said: dict[tuple[int, int], list[str]] = defaultdict(list)
    for t in turns:
        if t.speaker in cast and t.addressee in cast and t.speaker != t.addressee:
            exchanges[(t.speaker, t.addressee)] += 1
            said[(t.speaker, t.addressee)].append(t.text)
    starts = [m.start for m in mentions]
    turn_starts = [t.start for t in turns]
    for t in turns:
        if t.speaker not in cast:
            continue
        for s, e in t.segments:
            for m in mentions[bisect_left(starts, s) : bisect_left(starts, e)]:
                if m.person in cast and m.person != t.speaker:
                    said[(t.speaker, m.person)].append(_sentence_around(text, m.start, s, e))
    cues: dict[tuple[int, int], list[str]] = defaultdict(list)
    for m in mentions:
        if m.person not in cast:
            continue
        before = text[max(0, m.start - 40) : m.start]
        match = _CUE.search(before)
        if not match:
            continue
        owner_word, noun = match.group(1), match.group(2)
        owner = None
        if owner_word in ("his", "her"):
            owner = antecedent(
                m.start - len(before) + match.start(),
                "male" if owner_word == "his" else "female",
                {m.person},
                m.para,
            )
        elif owner_word == "my":
            owner = _speaker_at(turns, turn_starts, m.start)
        if owner is not None and owner in cast and owner != m.person:
            phrase = f"{owner_word} {noun}"
            cues[(owner, m.person)].append(phrase)
            cues[(m.person, owner)].append(phrase)
    romance: Counter[tuple[int, int]] = Counter()
    for (a, b), n in cooc.items():
        if n >= 3:
            shared = presence[a] & presence[b]
            hits = 0
            for p in list(shared)[:400]:
                ps, pe = spans[p]
                hits += sum(1 for w in _WORD.findall(text[ps:pe].lower()) if w in _ROMANCE)
            romance[(a, b)] = hits
    for a, b in list(cooc):  # "Mr. Bennet" and "Mrs. Bennet": one family, husband and wife
        pa, pb = people[a], people[b]
        if pa.surname and pa.surname == pb.surname and cooc[(a, b)] >= 3:
            cues[(a, b)].append(_surname_cue(pa, pb))
    candidates = {k for k, n in cooc.items() if n >= 3} | set(exchanges) | set(cues)
    if not candidates:
        return []
    volume = {
        (a, b): cooc[(a, b)] + 2 * (exchanges[(a, b)] + exchanges[(b, a)]) + 3 * len(cues[(a, b)])
        for a, b in candidates
    }
    assoc = {
        (a, b): cooc[(a, b)]
        / math.sqrt(max(1, len(presence[a])) * max(1, len(presence[b])))
        * cooc[(a, b)]
        / (cooc[(a, b)] + SHRINK)
        for a, b in candidates
    }
    rates = sorted(romance[k] / cooc[k] for k in romance if cooc[k])
    median = rates[len(rates) // 2] if rates else 0.0
    family_pairs = {
        k for k, v in cues.items() if any(_cue_kind(c) != "friend" for c in _trusted(v))
    }
    best: dict[int, tuple[float, int]] = {}
    for a, b in candidates:
        ga, gb = people[a].gender, people[b].gender
        if (
            ga
            and gb
            and ga != gb
            and (a, b) not in family_pairs
            and assoc[(a, b)] > best.get(a, (0.0, -1))[0]
        ):
            best[a] = (assoc[(a, b)], b)
    couples = {(a, b) for a, (_, b) in best.items() if best.get(b, (0.0, -1))[1] == a}
    vmax = max(volume.values()) or 1
    amax = max(assoc.values()) or 1
    pairs: list[Pair] = []
    for a, b in candidates:
        share = VOLUME_SHARE
        weight = round(share * volume[(a, b)] / vmax + (1 - share) * assoc[(a, b)] / amax, 3)
        texts = said.get((a, b), [])
        tone = round(sentiment(" ".join(texts)), 3) if texts else 0.0
        kinds = [_cue_kind(c) for c in _trusted(cues.get((a, b), []))]
        rate = romance[(a, b)] / cooc[(a, b)] if cooc[(a, b)] else 0.0
        romantic = (a, b) in couples or (
            people[a].gender != people[b].gender and rate >= ROMANCE_RATE * median > 0
        )
        kind = _kind(weight, tone, kinds, romantic)
        pairs.append(
            Pair(
                source=people[a].name,
                target=people[b].name,
                weight=min(1.0, weight),
                kind=kind,
                cooccurrences=cooc[(a, b)],
                exchanges=exchanges[(a, b)],
                sentiment=tone,
                cues=tuple(dict.fromkeys(cues.get((a, b), [])))[:5],
            )
        )
    pairs.sort(key=lambda p: (-p.weight, p.source, p.target))
    return pairs


def _trusted(cues: list[str]) -> list[str]:
    """A cue in speech ("my cousin Jane") counts once said twice: a misattributed quote
    would otherwise make a family."""
    counts = Counter(cues)
    return [c for c in cues if not c.startswith("my ") or counts[c] >= 2]


def _surname_cue(a: Person, b: Person) -> str:
    if {a.gender, b.gender} == {"male", "female"}:
        wife = a if a.gender == "female" else b
        if wife.married:
            return "same surname: husband and wife"
    if a.given and b.given and not a.married and not b.married:
        return "same surname: siblings"
    return "same surname: family"


def _cue_kind(cue: str) -> str:
    if cue.startswith("same surname"):
        return {"husband and wife": "spouse", "siblings": "sibling"}.get(
            cue.split(": ")[1], "family"
        )
    return CUE_KIND[cue.split()[1]]


def _kind(weight: float, tone: float, kinds: list[str], romantic: bool) -> str:
    counted = Counter(kinds)
    if counted["spouse"] >= 1 and counted["spouse"] >= counted["sibling"]:
        return "partner"
    if counted["sibling"]:
        return "close_friend"
    if counted["family"]:
        return "ally"
    if romantic and weight >= 0.3:
        return "romantic_interest"
    if tone <= -0.15 and weight >= 0.1:
        return "enemy" if weight >= 0.5 and tone <= -0.3 else "rival"
    if counted["friend"]:
        return "friend"
    if weight >= 0.6:
        return "close_friend"
    if weight >= 0.3:
        return "friend"
    if weight >= 0.08:
        return "acquaintance"
    return "stranger"


def _sentence_around(text: str, offset: int, lo: int, hi: int) -> str:
    s = max(lo, max(text.rfind(c, lo, offset) for c in ".!?") + 1)
    ends = [i for i in (text.find(c, offset, hi) for c in ".!?") if i != -1]
    e = min(ends) + 1 if ends else hi
    return text[s:e]


def _speaker_at(turns: list[Turn], starts: list[int], offset: int) -> int | None:
    i = bisect_right(starts, offset) - 1
    if i >= 0:
        t = turns[i]
        if any(s <= offset < e for s, e in t.segments):
            return t.speaker
    return None
