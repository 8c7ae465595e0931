"""Search fields of a listing: pg_trgm's trigrams in core arrays, and the weighted vector."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery

from marketplace.models import Listing
from marketplace.search import listing_reindex, similarity, trigrams
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_trigrams_are_made_as_pg_trgm_makes_them():
    assert trigrams("Cat") == ["  c", " ca", "at ", "cat"]
    assert trigrams("Garden Party") == sorted(set(trigrams("garden")) | set(trigrams("party")))


def test_a_misspelt_title_is_still_similar():
    assert similarity("Garden Party", "Gardn Party") > 0.5
    assert similarity("Garden Party", "Space Pirates") < 0.1


def test_reindexing_fills_the_vector_and_the_trigrams():
    listing = Listing.objects.create(
        publisher=UserFactory(),
        kind=Listing.Kind.WORLD,
        title="The Garden Party",
        summary="Roses, rivals and a locket.",
        tags=["romance"],
    )

    listing_reindex(listing=listing)

    listing.refresh_from_db()
    assert "gar" in listing.title_trigrams
    found = Listing.objects.filter(search_vector=SearchQuery("lockets", config="english"))
    assert list(found) == [listing]  # stemmed: "lockets" finds "locket"
