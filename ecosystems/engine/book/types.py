"""What a book's analysis produces: the contract between the NLP engine and the import product.

Pure dataclasses, no Django. Names are canonical (the merged person's display name, e.g.
"Elizabeth Bennet"); every reference between records uses that name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# progress(fraction 0..1, stage label): called by the engine as it works
Progress = Callable[[float, str], None]

BIG_FIVE = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None  # canonical name, None when nobody could be named
    addressee: str | None
    offset: int  # character offset in the cleaned text
    method: str  # "said-verb", "adjacency", "turn-order" or "unknown"
    sentiment: float = 0.0  # -1..1


@dataclass(frozen=True)
class Suggestion:
    """A goal or a secret proposed for a character; never applied without the creator."""

    text: str
    evidence: str = ""
    source: str = "rules"  # "rules" or "model"


@dataclass(frozen=True)
class CastMember:
    name: str
    aliases: tuple[str, ...]
    mentions: int
    speech_count: int
    gender: str | None = None  # "female", "male" or None
    sample_quotes: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()  # sentences that describe the person (evidence)
    speaking_style: str = ""
    big_five: dict[str, float] = field(default_factory=dict)  # keys BIG_FIVE, 0..1
    values: tuple[str, ...] = ()
    goals: tuple[Suggestion, ...] = ()
    secrets: tuple[Suggestion, ...] = ()
    trait_method: str = "lexicon"  # "lexicon" or "model"


@dataclass(frozen=True)
class Pair:
    """A directed relationship proposal from source to target."""

    source: str
    target: str
    weight: float  # 0..1, the strongest pair of the book is near 1
    kind: str  # an ecosystems Relationship.Kind value or "family"/"spouse" cue mapped to one
    cooccurrences: int = 0
    exchanges: int = 0  # quotes from source addressed to target
    sentiment: float = 0.0  # -1..1 of source's words to/about target
    cues: tuple[str, ...] = ()  # e.g. ("her sister",)


@dataclass(frozen=True)
class BookAnalysis:
    title: str
    author: str
    words: int
    cast: tuple[CastMember, ...]  # ranked: most important first
    relationships: tuple[Pair, ...]  # strongest first
    quotes: tuple[Quote, ...] = ()
    warnings: tuple[str, ...] = ()  # e.g. "no people found"
