"""Views are counted per listing and day, in one upsert."""

from __future__ import annotations

import datetime as dt

import pytest

from marketplace.models import Listing, ListingDay
from marketplace.services import listing_viewed
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_views_add_up_per_day():
    listing = ListingFactory(status=Listing.Status.APPROVED)
    monday, tuesday = dt.date(2026, 12, 7), dt.date(2026, 12, 8)

    for day in (monday, monday, tuesday):
        listing_viewed(listing=listing, day=day)

    days = ListingDay.objects.filter(listing=listing).values_list("day", "views", "installs")
    assert list(days) == [(monday, 2, 0), (tuesday, 1, 0)]


def test_a_view_without_a_day_counts_today():
    listing = ListingFactory(status=Listing.Status.APPROVED)

    listing_viewed(listing=listing)

    assert ListingDay.objects.get(listing=listing).views == 1
