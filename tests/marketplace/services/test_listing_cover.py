"""A listing's cover: its publisher sets, replaces and removes it; nobody else does; a refused
picture leaves the listing as it was, and a refused cover on publishing leaves no listing."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, InvalidInput, InvalidTransition
from marketplace.models import Listing, ModerationAction
from marketplace.services import listing_cover_clear, listing_cover_set, listing_create
from tests.factories import ApprovedListingFactory, EcosystemFactory
from tests.marketplace.pictures import opened, picture, truncated_png

pytestmark = pytest.mark.django_db


def test_the_publisher_sets_a_cover_stored_scaled_down(owner):
    listing = ApprovedListingFactory(publisher=owner)

    listing_cover_set(listing=listing, publisher=owner, data=picture((2400, 1350)))

    listing.refresh_from_db()
    assert listing.cover_type == "image/png"
    assert opened(bytes(listing.cover)).size == (1200, 675)


def test_a_new_cover_replaces_the_old_one(owner):
    listing = ApprovedListingFactory(publisher=owner)
    listing_cover_set(listing=listing, publisher=owner, data=picture((400, 300)))

    listing_cover_set(listing=listing, publisher=owner, data=picture((800, 600), "JPEG"))

    listing.refresh_from_db()
    assert listing.cover_type == "image/jpeg"
    assert opened(bytes(listing.cover)).size == (800, 600)


def test_every_cover_change_goes_into_the_audit_trail_for_staff(owner):
    listing = ApprovedListingFactory(publisher=owner)
    listing_cover_set(listing=listing, publisher=owner, data=picture((400, 300)))
    listing_cover_clear(listing=listing, publisher=owner)

    trail = ModerationAction.objects.filter(listing=listing, action=ModerationAction.Action.COVER)
    assert [(a.actor, a.reason) for a in trail.order_by("created_at")] == [
        (owner, "New cover uploaded."),
        (owner, "Cover removed."),
    ]


def test_someone_else_may_not_change_the_cover(owner, stranger, staff):
    listing = ApprovedListingFactory(publisher=owner)

    for user in (stranger, staff):
        with pytest.raises(Forbidden, match="Only the listing's publisher"):
            listing_cover_set(listing=listing, publisher=user, data=picture((100, 100)))
        with pytest.raises(Forbidden):
            listing_cover_clear(listing=listing, publisher=user)

    listing.refresh_from_db()
    assert listing.cover is None and listing.cover_type == ""


def test_a_refused_picture_keeps_the_cover_there_was(owner):
    listing = ApprovedListingFactory(publisher=owner)
    listing_cover_set(listing=listing, publisher=owner, data=picture((400, 300)))

    with pytest.raises(InvalidInput, match="cut short"):
        listing_cover_set(listing=listing, publisher=owner, data=truncated_png())

    listing.refresh_from_db()
    assert listing.cover_type == "image/png"
    assert opened(bytes(listing.cover)).size == (400, 300)


def test_the_publisher_removes_the_cover(owner):
    listing = ApprovedListingFactory(publisher=owner)
    listing_cover_set(listing=listing, publisher=owner, data=picture((400, 300)))

    listing_cover_clear(listing=listing, publisher=owner)

    listing.refresh_from_db()
    assert listing.cover is None and listing.cover_type == ""


def test_a_taken_down_listing_keeps_its_cover(owner):
    listing = ApprovedListingFactory(publisher=owner, status=Listing.Status.REMOVED)

    with pytest.raises(InvalidTransition, match="taken down"):
        listing_cover_set(listing=listing, publisher=owner, data=picture((400, 300)))


def test_a_listing_is_published_with_its_cover(owner):
    world = EcosystemFactory(owner=owner)

    listing = listing_create(
        publisher=owner,
        kind="world",
        source_id=world.pk,
        title="The Garden Party",
        cover=picture((1920, 1080), "JPEG"),
        cover_type_hint="image/jpeg",
    )

    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING_REVIEW
    assert listing.cover_type == "image/jpeg"
    assert opened(bytes(listing.cover)).size == (1200, 675)


def test_a_refused_cover_on_publishing_leaves_no_listing(owner):
    world = EcosystemFactory(owner=owner)

    with pytest.raises(InvalidInput, match="not an image"):
        listing_create(
            publisher=owner,
            kind="world",
            source_id=world.pk,
            title="The Garden Party",
            cover=b"not a picture",
        )

    assert not Listing.objects.exists()
