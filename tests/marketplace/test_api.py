"""The marketplace API: listing details with a preview that keeps secrets to the publisher and
staff, moderation for staff only, installer-only reviews, reports and updates."""

from __future__ import annotations

import uuid

import pytest

from marketplace.models import Install, Listing, ListingVersion, ModerationAction
from marketplace.services import listing_moderate
from tests.api.conftest import client_with_key, error_of
from tests.factories import EcosystemFactory, ListingFactory

pytestmark = pytest.mark.django_db

Status = Listing.Status
SECRET = "She hid the locket in the lining of her parasol."
HIDDEN = "Make Bob confess he took the locket from the attic."
CONTENT = {  # a world bundle's shape (ecosystems.bundles): characters by key
    "format": "dramatis.world",
    "version": 1,
    "world": {"name": "Garden"},
    "characters": [
        {
            "key": "alice",
            "name": "Alice",
            "personality": {"openness": 0.8, "agreeableness": 0.9},
            "speaking_style": "Warm and quick.",
            "backstory": f"Grew up by the sea. {SECRET}",
            "secrets": [SECRET],
        },
        {"key": "bob", "name": "Bob", "personality": {"openness": 0.2}, "secrets": []},
    ],
    "relationships": [{"source": "alice", "target": "bob", "kind": "friend"}],
    "scenarios": [
        {
            "title": "The Garden Party",
            "cast": ["alice", "bob"],
            "objectives": {"primary": "Host a party", "subplots": ["Rivals"], "hidden": [HIDDEN]},
        }
    ],
}


def url(listing: Listing, action: str = "") -> str:
    return f"/api/v1/marketplace/listings/{listing.pk}/{action + '/' if action else ''}"


@pytest.fixture
def as_staff(staff):
    return client_with_key(staff)


def test_a_public_listing_previews_its_cast_without_secrets_or_hidden_objectives(
    owner, as_stranger
):
    listing = ListingFactory(publisher=owner, status=Status.APPROVED, content=CONTENT)

    response = as_stranger.get(url(listing))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["current_version"] == "1.0" and body["publisher"] == "owner"
    alice = body["preview"]["cast"][0]
    assert alice["name"] == "Alice" and alice["traits"]["agreeableness"] == 0.9
    assert "secrets" not in alice
    assert alice["backstory"] == "Grew up by the sea. [a secret]"
    scenario = body["preview"]["scenarios"][0]
    assert scenario["cast"] == ["Alice", "Bob"]
    assert scenario["objectives"] == {"primary": "Host a party", "subplots": ["Rivals"]}
    assert "locket" not in response.content.decode()
    [relationship] = body["preview"]["relationships"]
    assert relationship.items() >= {"source": "Alice", "target": "Bob", "kind": "friend"}.items()
    # The page's parts ride along: the graph it draws, the trait words, the sample lines.
    assert body["preview"]["graph"]["edges"][0]["source"] == alice["id"]
    assert alice["words"] == ["curious", "warm"]


def test_the_publisher_and_staff_see_the_secrets(owner, as_owner, as_staff):
    listing = ListingFactory(publisher=owner, status=Status.APPROVED, content=CONTENT)

    for client in (as_owner, as_staff):
        preview = client.get(url(listing)).json()["preview"]
        assert preview["cast"][0]["secrets"] == [SECRET]
        assert preview["scenarios"][0]["objectives"]["hidden"] == [HIDDEN]


@pytest.mark.parametrize("status", [Status.PENDING_REVIEW, Status.REJECTED, Status.REMOVED])
def test_an_unpublished_listing_is_a_404_for_others(status, owner, as_owner, as_stranger):
    listing = ListingFactory(publisher=owner, status=status)

    for action, method in [("", "get"), ("install", "post"), ("report", "post")]:
        response = getattr(as_stranger, method)(url(listing, action), {}, format="json")
        assert response.status_code == 404, (action, response.content)
        assert error_of(response)["code"] == "not_found"
    assert as_owner.get(url(listing)).status_code == 200


def test_others_see_only_approved_versions_the_publisher_sees_the_reason(
    owner, as_owner, as_stranger
):
    listing = ListingFactory(publisher=owner, status=Status.APPROVED)
    ListingVersion.objects.create(
        listing=listing,
        number="1.1",
        content={},
        status=ListingVersion.Status.REJECTED,
        rejection_reason="Broken.",
    )

    theirs = as_stranger.get(url(listing)).json()["versions"]
    mine = as_owner.get(url(listing)).json()["versions"]

    assert [v["number"] for v in theirs] == ["1.0"]
    assert [(v["number"], v["rejection_reason"]) for v in mine] == [("1.1", "Broken."), ("1.0", "")]


def test_staff_approve_over_the_api(owner, staff, as_staff):
    listing = ListingFactory(publisher=owner)

    response = as_staff.post(url(listing, "moderate"), {"decision": "approve"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert listing.moderation.get().actor == staff


def test_a_rejection_without_a_reason_is_a_400(as_staff):
    listing = ListingFactory()

    response = as_staff.post(url(listing, "moderate"), {"decision": "reject"}, format="json")

    assert response.status_code == 400
    assert "reason" in error_of(response)["details"]


@pytest.mark.parametrize("status", [Status.PENDING_REVIEW, Status.APPROVED])
def test_nobody_but_staff_moderates_not_even_the_publisher(status, owner, as_owner, as_stranger):
    listing = ListingFactory(publisher=owner, status=status)

    for client in (as_owner, as_stranger):
        response = client.post(url(listing, "moderate"), {"decision": "approve"}, format="json")
        assert response.status_code == 403, response.content
        assert error_of(response)["code"] == "forbidden"
    assert not ModerationAction.objects.exists()


def test_moderating_an_unknown_listing_is_the_same_403_for_non_staff(as_stranger):
    response = as_stranger.post(
        f"/api/v1/marketplace/listings/{uuid.uuid4()}/moderate/",
        {"decision": "approve"},
        format="json",
    )

    assert response.status_code == 403


def test_reviews_are_for_installers_once_each(owner, stranger, as_stranger):
    listing = ListingFactory(publisher=owner, status=Status.APPROVED)
    body = {"rating": 4, "text": "Charming."}

    refused = as_stranger.post(url(listing, "reviews"), body, format="json")
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"

    Install.objects.create(listing=listing, version=listing.current_version, user=stranger)
    created = as_stranger.post(url(listing, "reviews"), body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["rating"] == 4 and created.json()["user"] == "stranger"

    again = as_stranger.post(url(listing, "reviews"), body, format="json")
    assert again.status_code == 409 and error_of(again)["code"] == "conflict"
    assert as_stranger.get(url(listing)).json()["rating"] == 4.0


@pytest.mark.parametrize("rating", [0, 6, "five"])
def test_a_rating_outside_one_to_five_is_a_400(rating, owner, stranger, as_stranger):
    listing = ListingFactory(publisher=owner, status=Status.APPROVED)
    Install.objects.create(listing=listing, version=listing.current_version, user=stranger)

    response = as_stranger.post(url(listing, "reviews"), {"rating": rating}, format="json")

    assert response.status_code == 400
    assert "rating" in error_of(response)["details"]


def test_a_user_reports_a_listing(as_stranger):
    listing = ListingFactory(status=Status.APPROVED)

    response = as_stranger.post(url(listing, "report"), {"reason": "Spam."}, format="json")

    assert response.status_code == 201, response.content
    assert listing.reports.get().reason == "Spam."
    empty = as_stranger.post(url(listing, "report"), {"reason": ""}, format="json")
    assert empty.status_code == 400


def test_only_the_publisher_publishes_updates(owner, as_stranger):
    listing = ListingFactory(publisher=owner, status=Status.APPROVED)

    response = as_stranger.post(url(listing, "versions"), {"changelog": "Mine!"}, format="json")

    assert response.status_code == 403
    assert listing.versions.count() == 1


def test_submitting_someone_elses_world_is_a_404(as_stranger, owner):
    world = EcosystemFactory(owner=owner, visibility="public")

    response = as_stranger.post(
        "/api/v1/marketplace/listings/",
        {"kind": "world", "source_id": str(world.pk), "title": "Stolen"},
        format="json",
    )

    assert response.status_code == 404
    assert "your own world" in error_of(response)["message"]
    assert not Listing.objects.exists()


def test_anonymous_requests_are_401(anonymous):
    listing = ListingFactory(status=Status.APPROVED)

    assert anonymous.get(url(listing)).status_code == 401
    assert anonymous.post(url(listing, "install"), {}, format="json").status_code == 401


def test_an_installer_is_told_when_an_update_is_approved(owner, staff, stranger, as_stranger):
    listing = ListingFactory(publisher=owner, status=Status.APPROVED)
    Install.objects.create(listing=listing, version=listing.current_version, user=stranger)
    ListingVersion.objects.create(listing=listing, number="1.1", content={})

    before = as_stranger.get(url(listing)).json()
    listing_moderate(listing=listing, staff=staff, decision="approve")
    after = as_stranger.get(url(listing)).json()

    assert (before["installed_version"], before["update_available"]) == ("1.0", None)
    assert (after["installed_version"], after["update_available"]) == ("1.0", "1.1")
