"""Publishing and installing over the API: a world submitted, approved by staff, installed by
another user as their own copy, which then runs; plan limits as 402 with nothing created."""

from __future__ import annotations

import pytest

from ecosystems.models import Ecosystem
from marketplace.models import Install, Listing
from tests.api.conftest import client_with_key, error_of
from tests.factories import CharacterFactory, EcosystemFactory, ScenarioFactory

pytestmark = pytest.mark.django_db

LISTINGS = "/api/v1/marketplace/listings/"


@pytest.fixture
def garden(owner):
    world = EcosystemFactory(owner=owner, name="The Garden Party")
    alice = CharacterFactory(ecosystem=world, name="Alice", secrets=["The locket is mine."])
    bob = CharacterFactory(ecosystem=world, name="Bob")
    ScenarioFactory(
        ecosystem=world,
        title="Tea",
        characters=[alice, bob],
        objectives={"primary": "Pour tea", "hidden": ["Find the locket in the attic."]},
    )
    return world


@pytest.fixture
def published(as_owner, staff, garden) -> dict:
    body = {
        "kind": "world",
        "source_id": str(garden.pk),
        "title": "The Garden Party",
        "summary": "Roses and rivals.",
        "tags": ["romance"],
        "licence": "cc-by-4.0",
    }
    created = as_owner.post(LISTINGS, body, format="json")
    assert created.status_code == 201, created.content
    listing = created.json()
    assert listing["status"] == "pending_review"
    approved = client_with_key(staff).post(
        f"{LISTINGS}{listing['id']}/moderate/", {"decision": "approve"}, format="json"
    )
    assert approved.status_code == 200, approved.content
    return approved.json()


def test_a_world_is_published_approved_installed_and_runs(published, stranger, as_stranger):
    response = as_stranger.post(f"{LISTINGS}{published['id']}/install/", {}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == "1.0" and body["character_id"] is None
    copy = Ecosystem.objects.get(pk=body["ecosystem_id"])
    assert copy.owner == stranger
    world = as_stranger.get(f"/api/v1/ecosystems/{copy.pk}/").json()
    assert world["origin"] == "Installed from The Garden Party v1.0"
    ticked = as_stranger.post(f"/api/v1/ecosystems/{copy.pk}/tick/", {"ticks": 1}, format="json")
    assert ticked.status_code == 200, ticked.content

    details = as_stranger.get(f"{LISTINGS}{published['id']}/").json()
    assert details["install_count"] == 1
    assert "locket" not in str(details)  # the listing keeps the secrets from browsers
    assert (
        as_stranger.post(
            f"{LISTINGS}{published['id']}/reviews/", {"rating": 5, "text": "Lovely."}, format="json"
        ).status_code
        == 201
    )


def test_the_publisher_sees_the_secrets_in_the_preview(published, as_owner):
    preview = as_owner.get(f"{LISTINGS}{published['id']}/").json()["preview"]

    alice = next(p for p in preview["cast"] if p["name"] == "Alice")
    assert alice["secrets"] == ["The locket is mine."]
    assert preview["scenarios"][0]["objectives"]["hidden"] == ["Find the locket in the attic."]


def test_an_install_over_the_plan_is_a_402_and_creates_nothing(published, stranger, as_stranger):
    mine = EcosystemFactory(owner=stranger)
    for n in range(5):
        CharacterFactory(ecosystem=mine, name=f"Mine {n}")

    response = as_stranger.post(f"{LISTINGS}{published['id']}/install/", {}, format="json")

    assert response.status_code == 402
    error = error_of(response)
    assert error["code"] == "plan_limit" and "Upgrade" in error["message"]
    assert list(Ecosystem.objects.filter(owner=stranger)) == [mine]
    assert not Install.objects.exists()
    assert Listing.objects.get(pk=published["id"]).install_count == 0


def test_installing_into_someone_elses_world_is_refused(published, owner, as_stranger):
    theirs = EcosystemFactory(owner=owner, visibility="public")

    response = as_stranger.post(
        f"{LISTINGS}{published['id']}/install/", {"ecosystem_id": str(theirs.pk)}, format="json"
    )

    assert response.status_code == 403  # a public world of someone else: read, not changed
    assert not Install.objects.exists()


def test_the_publisher_publishes_an_update_over_the_api(published, as_owner, garden):
    CharacterFactory(ecosystem=garden, name="Carol")

    response = as_owner.post(
        f"{LISTINGS}{published['id']}/versions/", {"changelog": "Carol joins."}, format="json"
    )

    assert response.status_code == 201, response.content
    assert (response.json()["number"], response.json()["status"]) == ("1.1", "pending_review")
    details = as_owner.get(f"{LISTINGS}{published['id']}/").json()
    assert details["current_version"] == "1.0"
    assert [v["number"] for v in details["versions"]] == ["1.1", "1.0"]
