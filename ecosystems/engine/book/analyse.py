"""``analyse(text)``: a book's text in, a proposed cast, voices and relationships out.

Stages (each reported to ``progress``): cleaning (Gutenberg header/licence stripped, see
clean.py), people (rules + spaCy NER, aliases merged, see people.py), quotes (said-verbs,
adjacency, turn order, see quotes.py), traits (speaking style, Big Five, values, goals and
secrets by a documented lexicon method, see traits.py), relationships (scenes, exchanges,
sentiment, family and marriage cues, see relations.py).
"""

from __future__ import annotations

import re
from collections import defaultdict

import ecosystems.engine.book.lexicon as lx
import ecosystems.engine.book.nlp as nlp
from ecosystems.engine.book.clean import clean
from ecosystems.engine.book.people import find_people
from ecosystems.engine.book.quotes import Attributor, find_turns, kin_references
from ecosystems.engine.book.relations import relationships
from ecosystems.engine.book.traits import (
    big_five,
    goals,
    secrets,
    sentiment,
    speaking_style,
    values,
    voice,
)
from ecosystems.engine.book.types import BookAnalysis, CastMember, Progress, Quote

MAX_CAST = 40  # people proposed at most (ranked), so the review page stays readable
MIN_MENTIONS = 3
SAMPLE_QUOTES = 5
_WORDS = re.compile(r"\b\w+\b")
_SENT_END = re.compile(r"[.!?]")


def _noop(_fraction: float, _stage: str) -> None:
    return None


def analyse(text: str, *, progress: Progress | None = None, use_ner: bool = True) -> BookAnalysis:
    report = progress or _noop
    report(0.0, "cleaning")
    cleaned = clean(text)
    body = cleaned.text
    words = len(_WORDS.findall(body))
    warnings: list[str] = []
    if words == 0:
        report(1.0, "done")
        return BookAnalysis(
            title=cleaned.title,
            author=cleaned.author,
            words=0,
            cast=(),
            relationships=(),
            warnings=("the text is empty",),
        )
    report(0.1, "people")
    model = nlp.load() if use_ner else None
    ner = (lambda paragraphs: nlp.entity_labels(model, paragraphs)) if model is not None else None
    found = find_people(body, cleaned.paragraphs, ner, min_mentions=MIN_MENTIONS)
    warnings.extend(found.warnings)
    people, mentions = found.people, found.mentions
    report(0.45, "quotes")
    turns = find_turns(body, cleaned.paragraphs)
    attributor = Attributor(body, cleaned.paragraphs, people, mentions)
    attributor.attribute(turns)
    report(0.6, "traits")
    speech: dict[int, list[str]] = defaultdict(list)
    for t in turns:
        if t.speaker is not None:
            speech[t.speaker].append(t.text)
    for pid, n in kin_references(attributor, turns).items():
        people[pid].mentions += n
    ranked = sorted(people, key=lambda p: (-(p.mentions + len(speech[p.pid])), p.first_offset))
    ranked = ranked[:MAX_CAST]
    cast_ids = {p.pid for p in ranked}
    descriptions = _descriptions(body, mentions, attributor.in_quote, cast_ids)
    voices = {p.pid: voice(speech[p.pid]) for p in ranked}
    five = big_five(voices, descriptions)
    vals = values(voices)
    tones = [sentiment(" ".join(v.quotes)) for v in voices.values() if len(v.words) >= 150]
    tone_baseline = sum(tones) / len(tones) if tones else 0.0
    cast: list[CastMember] = []
    for p in ranked:
        v = voices[p.pid]
        samples = sorted(speech[p.pid], key=lambda q: -min(len(q), 240))[:SAMPLE_QUOTES]
        cast.append(
            CastMember(
                name=p.name,
                aliases=p.aliases,
                mentions=p.mentions,
                speech_count=len(speech[p.pid]),
                gender=p.gender,
                sample_quotes=tuple(q[:400] for q in samples),
                descriptions=tuple(descriptions.get(p.pid, [])[:5]),
                speaking_style=speaking_style(v, tone_baseline),
                big_five=five[p.pid],
                values=vals[p.pid],
                goals=goals(v, vals[p.pid]),
                secrets=secrets(v),
                trait_method="lexicon",
            )
        )
    report(0.8, "relationships")
    pairs = relationships(
        body, cleaned.paragraphs, people, mentions, turns, cast_ids, attributor._antecedent
    )
    names = {p.pid: p.name for p in people}
    quotes = tuple(
        Quote(
            text=t.text,
            speaker=names.get(t.speaker) if t.speaker is not None else None,
            addressee=names.get(t.addressee) if t.addressee is not None else None,
            offset=t.start,
            method=t.method,
            sentiment=round(sentiment(t.text), 3),
        )
        for t in turns
    )
    if not cast:
        warnings.append("no people found: the text names nobody who acts or speaks")
    report(1.0, "done")
    return BookAnalysis(
        title=cleaned.title,
        author=cleaned.author,
        words=words,
        cast=tuple(cast),
        relationships=tuple(pairs),
        quotes=quotes,
        warnings=tuple(warnings),
    )


def _descriptions(text: str, mentions, in_quote: set[int], cast: set[int]) -> dict[int, list[str]]:
    """Narration sentences where a trait adjective follows the person's name closely."""
    out: dict[int, list[str]] = defaultdict(list)
    for m in mentions:
        if m.person not in cast or m.start in in_quote or len(out[m.person]) >= 12:
            continue
        tail = text[m.end : m.end + 80]
        stop = _SENT_END.search(tail)
        tail = tail[: stop.start()] if stop else tail
        hit = [w for w in re.findall(r"[a-z-]+", tail.lower())[:6] if w in lx.TRAIT_ADJECTIVES]
        if hit:
            start = max(text.rfind(". ", 0, m.start), text.rfind("\n", 0, m.start)) + 1
            end = text.find(".", m.end)
            out[m.person].append(text[start : end + 1 if end != -1 else m.end + 80].strip())
    return out
