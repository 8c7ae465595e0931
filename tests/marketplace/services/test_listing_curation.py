"""After review: feature, take down (with a reason), unlist, restore; each in the audit trail."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, InvalidInput, InvalidTransition
from marketplace.models import Listing, ModerationAction
from marketplace.services import (
    listing_feature,
    listing_restore,
    listing_take_down,
    listing_unlist,
)
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

Status = Listing.Status
Action = ModerationAction.Action


def _actions(listing: Listing) -> list[tuple[str, int | None]]:
    return list(listing.moderation.order_by("created_at").values_list("action", "actor"))


def test_staff_feature_and_unfeature_an_approved_listing(staff):
    listing = ListingFactory(status=Status.APPROVED)

    assert listing_feature(listing=listing, staff=staff, featured=True).featured
    assert not listing_feature(listing=listing, staff=staff, featured=False).featured
    assert _actions(listing) == [(Action.FEATURE, staff.pk), (Action.UNFEATURE, staff.pk)]


def test_a_listing_in_review_is_not_featured(staff):
    with pytest.raises(InvalidTransition, match="approved"):
        listing_feature(listing=ListingFactory(), staff=staff, featured=True)


def test_the_publisher_does_not_feature_their_own_listing(owner):
    listing = ListingFactory(publisher=owner, status=Status.APPROVED)

    with pytest.raises(Forbidden):
        listing_feature(listing=listing, staff=owner, featured=True)
    assert not _actions(listing)


def test_a_take_down_removes_the_listing_with_the_reason_shown_to_the_publisher(staff):
    listing = ListingFactory(status=Status.APPROVED, featured=True)

    listing = listing_take_down(listing=listing, staff=staff, reason="Plagiarised.")

    assert listing.status == Status.REMOVED
    assert listing.rejection_reason == "Plagiarised."
    assert not listing.featured
    assert listing.moderation.get().reason == "Plagiarised."


def test_a_take_down_needs_a_reason(staff):
    with pytest.raises(InvalidInput):
        listing_take_down(listing=ListingFactory(status=Status.APPROVED), staff=staff, reason="")


def test_the_publisher_unlists_their_listing_and_staff_restore_it(owner, staff):
    listing = ListingFactory(publisher=owner, status=Status.APPROVED)

    assert listing_unlist(listing=listing, actor=owner).status == Status.UNLISTED
    assert listing_restore(listing=listing, staff=staff).status == Status.APPROVED
    assert _actions(listing) == [(Action.UNLIST, owner.pk), (Action.RESTORE, staff.pk)]


def test_staff_unlist_too_but_a_stranger_does_not(stranger, staff):
    listing = ListingFactory(status=Status.APPROVED)

    with pytest.raises(Forbidden):
        listing_unlist(listing=listing, actor=stranger)
    assert listing_unlist(listing=listing, actor=staff).status == Status.UNLISTED


def test_only_an_approved_listing_is_unlisted(owner):
    listing = ListingFactory(publisher=owner)

    with pytest.raises(InvalidTransition):
        listing_unlist(listing=listing, actor=owner)


def test_a_restored_listing_without_an_approved_version_goes_back_to_review(staff):
    listing = ListingFactory()
    listing = listing_take_down(listing=listing, staff=staff, reason="Spam?")

    assert listing_restore(listing=listing, staff=staff).status == Status.PENDING_REVIEW


def test_only_unlisted_or_removed_listings_are_restored(staff):
    with pytest.raises(InvalidTransition):
        listing_restore(listing=ListingFactory(status=Status.APPROVED), staff=staff)
