"""The creator's review of a proposed cast, applied to the analysis: who is kept, who is merged
into whom, what they are called and how they are described. Pure functions over the analysis
as stored (``dataclasses.asdict`` of ``ecosystems.engine.book.types.BookAnalysis``).

Merging B into A makes one person of them: A's place in the ranking, mentions and speech summed,
B's name and aliases become A's aliases, quotes and descriptions pooled, the Big Five averaged
weighted by mentions, values, goals and secrets pooled. Their relationships follow: a pair with
B is a pair with A (two pairs that become one keep the stronger weight and add their counts),
and a pair between A and B disappears.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.errors import InvalidInput

NAME_MAX_LENGTH = 100  # Character.name
SAMPLE_QUOTES_KEPT = 5
DESCRIPTIONS_KEPT = 6
DESCRIPTION_MAX_CHARS = 1200  # the default description: a few of the book's own sentences


@dataclass(frozen=True)
class CastChoice:
    """One person the creator keeps: ``name`` as the analysis named them, optionally renamed,
    described anew (``None``: the default description) and with others merged into them."""

    name: str
    rename: str = ""
    description: str | None = None
    merge: tuple[str, ...] = ()

    @property
    def final_name(self) -> str:
        return (self.rename or self.name).strip()


@dataclass
class Person:
    """A kept member of the cast after the review (a dict of the analysis' CastMember, merged)."""

    name: str  # what the character is called in the world
    source_name: str  # the analysis' canonical name
    rank: int  # the analysis' order (0: the most important)
    member: dict[str, Any]
    description: str
    merged: list[str] = field(default_factory=list)


@dataclass
class Tie:
    """A directed relationship between two kept people (by ``Person.name``)."""

    source: str
    target: str
    pair: dict[str, Any]


def cast_of(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list(result.get("cast") or [])


def description_default(member: Mapping[str, Any], *, title: str = "") -> str:
    """The book's own sentences about the person, as the description the review starts from."""
    parts = [f"A character of {title}." if title else ""]
    for sentence in list(member.get("descriptions") or [])[:DESCRIPTIONS_KEPT]:
        if sum(len(p) for p in parts) + len(sentence) > DESCRIPTION_MAX_CHARS:
            break
        parts.append(sentence.strip())
    return " ".join(p for p in parts if p)


def _problem(message: str) -> InvalidInput:
    return InvalidInput(message, details={"characters": [message]})


def cast_review_apply(
    *, result: Mapping[str, Any], choices: Sequence[CastChoice]
) -> tuple[list[Person], list[Tie]]:
    """The people kept (in the analysis' ranking) and the relationships among them, or
    ``InvalidInput`` naming what is wrong with the choices."""
    cast = cast_of(result)
    rank = {m["name"]: i for i, m in enumerate(cast)}
    by_name = {m["name"]: m for m in cast}
    if not choices:
        raise _problem("Choose at least one character for the world.")
    into: dict[str, str] = {}  # analysis name -> the analysis name of the person it is now
    for choice in choices:
        for name in (choice.name, *choice.merge):
            if name not in by_name:
                raise _problem(f"No one called {name!r} is in this book's cast.")
            if name in into:
                raise _problem(f"{name!r} is chosen twice; keep or merge each person once.")
            into[name] = choice.name
    finals: dict[str, str] = {}
    for choice in choices:
        final = choice.final_name
        if not final:
            raise _problem(f"Give {choice.name!r} a name.")
        if len(final) > NAME_MAX_LENGTH:
            raise _problem(f"{final[:40]!r}… is too long for a name (at most 100 characters).")
        if final.casefold() in finals:
            raise _problem(f"Two characters would be called {final!r}; rename one.")
        finals[final.casefold()] = choice.name
    title = str(result.get("title") or "")
    people = [
        _person(
            choice,
            [by_name[choice.name], *(by_name[n] for n in choice.merge)],
            rank=rank[choice.name],
            title=title,
        )
        for choice in choices
    ]
    people.sort(key=lambda p: p.rank)
    final_of = {p.source_name: p.name for p in people}
    ties = _ties(result.get("relationships") or [], into=into, final_of=final_of)
    return people, ties


def _person(choice: CastChoice, members: list[dict[str, Any]], *, rank: int, title: str) -> Person:
    first = dict(members[0])
    name = choice.final_name
    if len(members) > 1:
        first["mentions"] = sum(int(m.get("mentions") or 0) for m in members)
        first["speech_count"] = sum(int(m.get("speech_count") or 0) for m in members)
        for key in ("sample_quotes", "descriptions"):
            first[key] = _unique(q for m in members for q in m.get(key) or [])
        first["values"] = _unique(v for m in members for v in m.get("values") or [])
        for key in ("goals", "secrets"):
            seen: set[str] = set()
            pooled = []
            for m in members:
                for s in m.get(key) or []:
                    if s.get("text") not in seen:
                        seen.add(s.get("text"))
                        pooled.append(s)
            first[key] = pooled
        first["big_five"] = _weighted_big_five(members)
    others = [n for m in members[1:] for n in (m["name"], *(m.get("aliases") or []))]
    pooled = _unique([*(first.get("aliases") or []), *others, choice.name])
    first["aliases"] = [a for a in pooled if a.casefold() != name.casefold()]
    first["sample_quotes"] = list(first.get("sample_quotes") or [])[:SAMPLE_QUOTES_KEPT]
    description = (
        choice.description.strip()
        if choice.description is not None and choice.description.strip()
        else description_default(first, title=title)
    )
    return Person(
        name=name,
        source_name=choice.name,
        rank=rank,
        member=first,
        description=description,
        merged=[m["name"] for m in members[1:]],
    )


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold() if isinstance(item, str) else item
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _weighted_big_five(members: list[dict[str, Any]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    weights: dict[str, float] = {}
    for m in members:
        weight = max(1, int(m.get("mentions") or 0))
        for trait, value in (m.get("big_five") or {}).items():
            totals[trait] = totals.get(trait, 0.0) + weight * float(value)
            weights[trait] = weights.get(trait, 0.0) + weight
    return {trait: round(totals[trait] / weights[trait], 3) for trait in totals}


def _ties(
    pairs: Iterable[Mapping[str, Any]], *, into: Mapping[str, str], final_of: Mapping[str, str]
) -> list[Tie]:
    combined: dict[tuple[str, str], dict[str, Any]] = {}
    for pair in pairs:
        source, target = into.get(pair["source"]), into.get(pair["target"])
        if source is None or target is None or source == target:
            continue  # someone left out, or two people merged into one
        key = (final_of[source], final_of[target])
        seen = combined.get(key)
        if seen is None:
            combined[key] = dict(pair)
            continue
        stronger, weaker = (seen, pair) if seen["weight"] >= pair["weight"] else (pair, seen)
        merged = dict(stronger)
        for count in ("cooccurrences", "exchanges"):
            merged[count] = int(seen.get(count) or 0) + int(pair.get(count) or 0)
        merged["cues"] = _unique([*(stronger.get("cues") or []), *(weaker.get("cues") or [])])
        combined[key] = merged
    ties = [Tie(source=s, target=t, pair=p) for (s, t), p in combined.items()]
    ties.sort(key=lambda tie: -float(tie.pair.get("weight") or 0.0))
    return ties
