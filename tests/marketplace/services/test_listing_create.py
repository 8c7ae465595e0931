"""Publishing: a creator's own world, character or scenario becomes a listing in review, its
content snapshotted into version 1.0; updates are new snapshots, reviewed again."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from marketplace.models import Listing, ListingVersion, ModerationAction
from marketplace.services import (
    listing_create,
    listing_moderate,
    listing_restore,
    listing_take_down,
    listing_unlist,
    listing_version_create,
)
from tests.factories import CharacterFactory, EcosystemFactory, ScenarioFactory

pytestmark = pytest.mark.django_db

Status = Listing.Status


@pytest.fixture
def garden(owner):
    world = EcosystemFactory(owner=owner, name="The Garden Party")
    alice = CharacterFactory(ecosystem=world, name="Alice", secrets=["The locket is mine."])
    bob = CharacterFactory(ecosystem=world, name="Bob")
    ScenarioFactory(ecosystem=world, title="Tea", characters=[alice, bob])
    return world


def publish(owner, world, **fields):
    fields.setdefault("title", "The Garden Party")
    return listing_create(publisher=owner, kind="world", source_id=world.pk, **fields)


def test_a_world_is_submitted_for_review_with_a_snapshot(owner, garden):
    listing = publish(
        owner, garden, summary="Roses and rivals.", tags=["Romance", " romance", "Drama"]
    )

    assert listing.status == Status.PENDING_REVIEW
    assert listing.tags == ["romance", "drama"]
    assert listing.source_ecosystem == garden
    version = listing.versions.get()
    assert (version.number, version.status) == ("1.0", ListingVersion.Status.PENDING_REVIEW)
    assert version.content["format"] == "dramatis.world"
    assert [c["name"] for c in version.content["characters"]] == ["Alice", "Bob"]
    action = listing.moderation.get()
    assert (action.action, action.actor, action.version) == (
        ModerationAction.Action.SUBMIT,
        owner,
        version,
    )
    listing.refresh_from_db()
    assert "gar" in listing.title_trigrams  # indexed for search


def test_someone_elses_world_is_not_found(stranger, garden):
    with pytest.raises(NotFound, match="your own world"):
        publish(stranger, garden)
    assert not Listing.objects.exists()


@pytest.mark.parametrize("source_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_no_such_source_is_not_found(owner, source_id):
    with pytest.raises(NotFound):
        listing_create(publisher=owner, kind="world", source_id=source_id, title="Nothing")


def test_an_unknown_kind_is_invalid(owner, garden):
    with pytest.raises(InvalidInput, match="kind"):
        listing_create(publisher=owner, kind="song", source_id=garden.pk, title="La")


def test_a_scenario_is_packaged_with_its_cast(owner, garden):
    tea = garden.scenarios.get()

    listing = listing_create(publisher=owner, kind="scenario", source_id=tea.pk, title="Tea")

    assert listing.source_scenario == tea and listing.source_ecosystem == garden
    content = listing.versions.get().content
    assert content["format"] == "dramatis.scenario"
    assert [r["name"] for r in content["roles"]] == ["Alice", "Bob"]


def test_an_update_is_a_new_snapshot_reviewed_while_the_old_stays(owner, staff, garden):
    listing = publish(owner, garden)
    listing_moderate(listing=listing, staff=staff, decision="approve")
    CharacterFactory(ecosystem=garden, name="Carol")

    update = listing_version_create(listing=listing, publisher=owner, changelog="Carol joins.")

    listing.refresh_from_db()
    assert update.number == "1.1" and update.changelog == "Carol joins."
    assert [c["name"] for c in update.content["characters"]] == ["Alice", "Bob", "Carol"]
    assert listing.status == Status.APPROVED
    assert listing.current_version.number == "1.0"
    assert len(listing.current_version.content["characters"]) == 2  # the snapshot stays


def test_one_update_in_review_at_a_time(owner, staff, garden):
    listing = publish(owner, garden)

    with pytest.raises(InvalidTransition, match="still in review"):
        listing_version_create(listing=listing, publisher=owner, changelog="Again.")


def test_a_chosen_number_must_be_higher(owner, staff, garden):
    listing = publish(owner, garden)
    listing_moderate(listing=listing, staff=staff, decision="approve")

    with pytest.raises(InvalidInput, match="not higher"):
        listing_version_create(listing=listing, publisher=owner, changelog="", number="0.9")
    assert (
        listing_version_create(
            listing=listing, publisher=owner, changelog="Big.", number="2.0"
        ).number
        == "2.0"
    )


def test_a_new_version_of_a_rejected_listing_goes_back_to_review(owner, staff, garden):
    listing = publish(owner, garden)
    listing_moderate(listing=listing, staff=staff, decision="reject", reason="No summary.")

    listing_version_create(listing=listing, publisher=owner, changelog="Summary added.")

    listing.refresh_from_db()
    assert (listing.status, listing.rejection_reason) == (Status.PENDING_REVIEW, "")


def test_only_the_publisher_publishes_updates(owner, stranger, staff, garden):
    listing = publish(owner, garden)
    listing_moderate(listing=listing, staff=staff, decision="approve")

    for user in (stranger, staff):
        with pytest.raises(Forbidden):
            listing_version_create(listing=listing, publisher=user, changelog="Mine now.")


def test_an_update_needs_the_source_to_still_exist(owner, staff, garden):
    listing = publish(owner, garden)
    listing_moderate(listing=listing, staff=staff, decision="approve")
    garden.delete()

    with pytest.raises(InvalidTransition, match="no longer exists"):
        listing_version_create(listing=listing, publisher=owner, changelog="")


def test_the_whole_lifecycle_leaves_its_trail(owner, staff, garden):
    listing = publish(owner, garden)  # draft → pending_review, in one transaction
    statuses = [listing.status]
    listing = listing_moderate(listing=listing, staff=staff, decision="reject", reason="Thin.")
    statuses.append(listing.status)
    listing_version_create(listing=listing, publisher=owner, changelog="Thicker.")
    listing.refresh_from_db()
    statuses.append(listing.status)
    listing = listing_moderate(listing=listing, staff=staff, decision="approve")
    statuses.append(listing.status)
    statuses.append(listing_unlist(listing=listing, actor=owner).status)
    statuses.append(listing_restore(listing=listing, staff=staff).status)
    statuses.append(listing_take_down(listing=listing, staff=staff, reason="Stolen.").status)

    assert statuses == [
        Status.PENDING_REVIEW,
        Status.REJECTED,
        Status.PENDING_REVIEW,
        Status.APPROVED,
        Status.UNLISTED,
        Status.APPROVED,
        Status.REMOVED,
    ]
    trail = listing.moderation.order_by("created_at").values_list("action", "actor", "reason")
    assert list(trail) == [
        ("submit", owner.pk, ""),
        ("reject", staff.pk, "Thin."),
        ("submit", owner.pk, ""),
        ("approve", staff.pk, ""),
        ("unlist", owner.pk, ""),
        ("restore", staff.pk, ""),
        ("take_down", staff.pk, "Stolen."),
    ]
