"""Listings in review, rejected or taken down are their publisher's and staff's alone."""

from __future__ import annotations

import uuid

import pytest

from core.errors import NotFound
from marketplace.models import Listing
from marketplace.selectors_access import listing_visible
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

Status = Listing.Status
HIDDEN = [Status.DRAFT, Status.PENDING_REVIEW, Status.REJECTED, Status.REMOVED]


@pytest.mark.parametrize("status", HIDDEN)
def test_an_unpublished_listing_is_not_found_by_others(status, owner, stranger, staff):
    listing = ListingFactory(publisher=owner, status=status)

    with pytest.raises(NotFound):
        listing_visible(listing_id=listing.pk, user=stranger)
    assert listing_visible(listing_id=listing.pk, user=owner) == listing
    assert listing_visible(listing_id=listing.pk, user=staff) == listing


@pytest.mark.parametrize("status", [Status.APPROVED, Status.UNLISTED])
def test_a_published_listing_is_seen_by_everyone_signed_in(status, stranger):
    listing = ListingFactory(status=status)

    assert listing_visible(listing_id=listing.pk, user=stranger) == listing


@pytest.mark.parametrize("listing_id", [uuid.uuid4(), "not-a-uuid"])
def test_no_such_listing_is_not_found(listing_id, stranger):
    with pytest.raises(NotFound):
        listing_visible(listing_id=listing_id, user=stranger)
