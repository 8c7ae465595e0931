"""What search reads off a listing: a weighted full-text vector and the title's trigrams.

The embedded PostgreSQL has no ``pg_trgm``, so trigram similarity is done with core arrays:
``title_trigrams`` holds the title's trigrams as pg_trgm makes them (lower case, each word
padded with two spaces before and one after), a GIN index finds the titles sharing any with
the query, and similarity is shared / (|a| + |b| - shared), pg_trgm's own measure.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchVector
from django.db.models import Value

from marketplace.models import Listing

SEARCH_CONFIG = "english"
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def trigrams(text: str) -> list[str]:
    """pg_trgm's trigrams of ``text``: sorted, each once."""
    found: set[str] = set()
    for word in WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return sorted(found)


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity of two texts, 0..1 (for tests and explanations)."""
    x, y = set(trigrams(a)), set(trigrams(b))
    if not x or not y:
        return 0.0
    shared = len(x & y)
    return shared / (len(x) + len(y) - shared)


def listing_reindex(*, listing: Listing) -> None:
    """Recompute the listing's search fields from its title, tags, genre, summary and
    description (call after any of them changes)."""
    tags = " ".join(listing.tags or [])
    vector = (
        SearchVector(Value(listing.title), weight="A", config=SEARCH_CONFIG)
        + SearchVector(Value(f"{tags} {listing.genre}"), weight="B", config=SEARCH_CONFIG)
        + SearchVector(Value(listing.summary), weight="C", config=SEARCH_CONFIG)
        + SearchVector(Value(listing.description), weight="D", config=SEARCH_CONFIG)
    )
    listing.title_trigrams = trigrams(listing.title)
    Listing.objects.filter(pk=listing.pk).update(
        search_vector=vector, title_trigrams=listing.title_trigrams
    )
