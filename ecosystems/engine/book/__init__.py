"""From a book's text to a proposed cast, voices and relationships (pure, offline).

``analyse(text, progress=...)`` is the entry point; the contract is in ``types``.
"""

from ecosystems.engine.book.analyse import analyse
from ecosystems.engine.book.types import (
    BIG_FIVE,
    BookAnalysis,
    CastMember,
    Pair,
    Progress,
    Quote,
    Suggestion,
)

__all__ = [
    "BIG_FIVE",
    "BookAnalysis",
    "CastMember",
    "Pair",
    "Progress",
    "Quote",
    "Suggestion",
    "analyse",
]
