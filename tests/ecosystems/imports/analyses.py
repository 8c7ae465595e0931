"""Analyses as the engine returns them (``ecosystems.engine.book.types``), for the tests of what
the product does with one: review, world creation, the API's shapes."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils import timezone

from ecosystems.engine.book.types import BookAnalysis, CastMember, Pair, Suggestion
from ecosystems.models import BookImport

PEOPLE = [
    # name, aliases, mentions, speech, gender
    ("Mara Ellison", ("Mara",), 40, 12, "female"),
    ("Tobias Quill", ("Tobias", "Uncle Tobias"), 30, 9, "male"),
    ("Hester Bryce", ("Hester",), 20, 5, "female"),
    ("Captain Rourke", ("Rourke",), 12, 3, "male"),
    ("Old Finch", ("Finch",), 9, 2, "male"),
    ("Ada Quill", ("Ada",), 7, 1, "female"),
    ("The Ferryman", (), 5, 1, "male"),
    ("Mara E.", (), 3, 0, "female"),  # the same person as Mara, for the merge tests
]


def member(i: int) -> CastMember:
    name, aliases, mentions, speech, gender = PEOPLE[i]
    return CastMember(
        name=name,
        aliases=aliases,
        mentions=mentions,
        speech_count=speech,
        gender=gender,
        sample_quotes=(f"I am {name}, and this is line {i}.", f"Another thing {name} said."),
        descriptions=(f"{name} was brave and curious.", f"{name} lived by the sea."),
        speaking_style="Short, plain sentences; asks questions." if i == 0 else "Gruff.",
        big_five={
            "openness": 0.8 - i * 0.05,
            "conscientiousness": 0.6,
            "extraversion": 0.5,
            "agreeableness": 0.7 - i * 0.05,
            "neuroticism": 0.3,
        },
        values=("courage", "family") if i == 0 else ("duty",),
        goals=(Suggestion(text=f"Find what {name} lost", evidence="chapter 1"),),
        secrets=(Suggestion(text=f"{name} is afraid of the dark", source="rules"),)
        if i < 2
        else (),
    )


def pairs() -> tuple[Pair, ...]:
    return (
        Pair("Mara Ellison", "Tobias Quill", 1.0, "family", 20, 8, 0.4, ("her uncle",)),
        Pair("Tobias Quill", "Mara Ellison", 0.95, "family", 20, 6, 0.2, ("his niece",)),
        Pair("Hester Bryce", "Mara Ellison", 0.7, "friend", 10, 3, 0.6),
        Pair("Mara Ellison", "Hester Bryce", 0.65, "friend", 10, 2, 0.5),
        Pair("Tobias Quill", "Hester Bryce", 0.5, "acquaintance", 6, 2, -0.1),
        Pair("Captain Rourke", "Tobias Quill", 0.45, "rival", 5, 2, -0.6),
        Pair("Tobias Quill", "Captain Rourke", 0.4, "enemy", 5, 1, -0.7),
        Pair("Old Finch", "Mara Ellison", 0.3, "acquaintance", 3, 1, 0.1),
        Pair("Ada Quill", "Tobias Quill", 0.3, "spouse", 3, 1, 0.3, ("his wife",)),
        Pair("Tobias Quill", "Ada Quill", 0.3, "spouse", 3, 1, 0.3, ("his wife",)),
        Pair("The Ferryman", "Mara Ellison", 0.2, "stranger", 2, 1, 0.0),
        Pair("Mara E.", "Tobias Quill", 0.6, "family", 4, 2, 0.1, ("her uncle",)),
        Pair("Hester Bryce", "Mara E.", 0.2, "friend", 1, 0, 0.2),
        Pair("Mara E.", "Mara Ellison", 0.1, "acquaintance", 1, 0, 0.0),
        Pair("Old Finch", "Captain Rourke", 0.15, "ally", 1, 0, 0.2),
        Pair("Hester Bryce", "Tobias Quill", 0.35, "acquaintance", 6, 1, 0.0),
        Pair("Captain Rourke", "Mara Ellison", 0.25, "acquaintance", 2, 1, 0.1),
    )


def story_analysis(people: int = len(PEOPLE)) -> BookAnalysis:
    kept = {PEOPLE[i][0] for i in range(people)}
    return BookAnalysis(
        title="The Lighthouse Keeper's Niece",
        author="A. Test Writer",
        words=412,
        cast=tuple(member(i) for i in range(people)),
        relationships=tuple(p for p in pairs() if p.source in kept and p.target in kept),
        warnings=(),
    )


def result(people: int = len(PEOPLE)) -> dict[str, Any]:
    return dataclasses.asdict(story_analysis(people))


def analysed_import(owner, *, people: int = len(PEOPLE), **fields: Any) -> BookImport:
    """An import whose analysis is done."""
    values: dict[str, Any] = {
        "owner": owner,
        "filename": "lighthouse.txt",
        "format": "txt",
        "size_bytes": 2000,
        "text": "Mara Ellison came to Wrenfield.",
        "status": BookImport.Status.DONE,
        "progress": 1.0,
        "stage": "Done",
        "result": result(people),
        "finished_at": timezone.now(),
    }
    values.update(fields)
    return BookImport.objects.create(**values)
