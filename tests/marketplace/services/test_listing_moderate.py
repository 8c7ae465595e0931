"""Staff review what publishers submit: approve, reject with a reason, updates reviewed again."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, InvalidInput, InvalidTransition
from marketplace.models import Listing, ListingVersion, ModerationAction
from marketplace.services import listing_moderate
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

Status = Listing.Status


def test_approving_publishes_the_listing_with_its_version(staff):
    listing = ListingFactory()
    version = listing.versions.get()

    listing = listing_moderate(listing=listing, staff=staff, decision="approve")

    version.refresh_from_db()
    assert listing.status == Status.APPROVED
    assert listing.current_version == version
    assert listing.approved_at is not None
    assert version.status == ListingVersion.Status.APPROVED
    assert version.reviewed_by == staff


def test_rejecting_needs_a_reason_the_publisher_reads(staff):
    listing = ListingFactory()

    with pytest.raises(InvalidInput, match="Say why"):
        listing_moderate(listing=listing, staff=staff, decision="reject", reason="  ")

    listing = listing_moderate(
        listing=listing, staff=staff, decision="reject", reason="The summary is empty."
    )
    assert listing.status == Status.REJECTED
    assert listing.rejection_reason == "The summary is empty."
    assert listing.versions.get().rejection_reason == "The summary is empty."


def test_nobody_but_staff_moderates(owner, stranger):
    listing = ListingFactory(publisher=owner)

    for user in (owner, stranger):
        with pytest.raises(Forbidden):
            listing_moderate(listing=listing, staff=user, decision="approve")

    listing.refresh_from_db()
    assert listing.status == Status.PENDING_REVIEW
    assert not ModerationAction.objects.filter(action=ModerationAction.Action.APPROVE).exists()


def test_an_unknown_decision_is_invalid(staff):
    with pytest.raises(InvalidInput, match="approve or reject"):
        listing_moderate(listing=ListingFactory(), staff=staff, decision="maybe")


def test_nothing_pending_is_a_conflict(staff):
    listing = ListingFactory(status=Status.APPROVED)

    with pytest.raises(InvalidTransition, match="Nothing"):
        listing_moderate(listing=listing, staff=staff, decision="approve")


def test_a_rejected_update_leaves_the_approved_version_installable(staff):
    listing = ListingFactory(status=Status.APPROVED)
    first = listing.current_version
    update = ListingVersion.objects.create(listing=listing, number="1.1", content={})

    listing = listing_moderate(
        listing=listing, staff=staff, decision="reject", reason="Broken cast."
    )

    update.refresh_from_db()
    assert update.status == ListingVersion.Status.REJECTED
    assert listing.status == Status.APPROVED
    assert listing.current_version == first
    assert listing.rejection_reason == ""


def test_an_approved_update_becomes_what_installs_get(staff):
    listing = ListingFactory(status=Status.APPROVED)
    approved_at = listing.approved_at
    update = ListingVersion.objects.create(listing=listing, number="1.1", content={})

    listing = listing_moderate(listing=listing, staff=staff, decision="approve")

    assert listing.current_version == update
    assert listing.approved_at == approved_at  # first published, not last updated


def test_an_unlisted_listing_stays_unlisted_when_its_update_is_approved(staff):
    listing = ListingFactory(status=Status.UNLISTED)
    ListingVersion.objects.create(listing=listing, number="1.1", content={})

    listing = listing_moderate(listing=listing, staff=staff, decision="approve")

    assert listing.status == Status.UNLISTED
    assert listing.current_version.number == "1.1"


def test_a_taken_down_listing_is_not_reviewed(staff):
    listing = ListingFactory(status=Status.REMOVED)

    with pytest.raises(InvalidTransition, match="taken down"):
        listing_moderate(listing=listing, staff=staff, decision="approve")


def test_each_decision_is_in_the_audit_trail(staff):
    listing = ListingFactory()
    listing_moderate(listing=listing, staff=staff, decision="reject", reason="Typos.")
    ListingVersion.objects.create(listing=listing, number="1.1", content={})
    listing_moderate(listing=listing, staff=staff, decision="approve")

    trail = list(listing.moderation.order_by("created_at").values_list("action", "actor", "reason"))
    assert trail == [
        (ModerationAction.Action.REJECT, staff.pk, "Typos."),
        (ModerationAction.Action.APPROVE, staff.pk, ""),
    ]
