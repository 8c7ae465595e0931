"""/api/v1/ecosystems/{id}/lore/ and /api/v1/lore/{id}/vote|approve|reject/: the owner writes,
a visitor of a public world proposes and votes, nobody else learns a private world's lore,
secret lore reaches only the owner, and errors come in the one envelope."""

from __future__ import annotations

import pytest

from ecosystems.models import Ecosystem, LoreEntry
from ecosystems.services.lore import lore_create
from tests.api.conftest import error_of
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db

LOCKET = "The locket lies at the bottom of the lily pond, where Bob threw it."


@pytest.fixture
def town(owner):
    world = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC, name="Town")
    alice = CharacterFactory(ecosystem=world, name="Alice")
    fountain = lore_create(
        ecosystem=world, author=owner, title="The Ancient Fountain", tags=["places"],
        text="The fountain is older than the town.",
    )  # fmt: skip
    secret = lore_create(ecosystem=world, author=owner, title="Under the Pond", text=LOCKET,
                         visibility="secret", knower_ids=[alice.pk])  # fmt: skip
    return world, alice, fountain, secret


def lore_url(world) -> str:
    return f"/api/v1/ecosystems/{world.pk}/lore/"


def test_the_owner_writes_an_entry_approved_at_once(as_owner, town):
    world, _, _, _ = town

    response = as_owner.post(lore_url(world), {
        "title": "The Pact", "text": "They meet at the gazebo.", "tags": ["Groups"],
        "visibility": "group", "group": "The Rose Garden Pact",
    }, format="json")  # fmt: skip

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["tags"], body["group"]) == (
        "approved", ["groups"], "The Rose Garden Pact",
    )  # fmt: skip
    assert body["author"] == "owner" and body["score"] == 0 and body["my_vote"] is None


def test_a_visitor_proposes_sees_their_proposal_and_others_do_not(
    as_owner, as_stranger, town, client_for_another
):
    world, _, _, _ = town

    created = as_stranger.post(
        lore_url(world), {"title": "The Mill", "text": "It burned down."}, format="json"
    ).json()

    assert created["status"] == "proposed"
    assert "The Mill" in [e["title"] for e in as_stranger.get(lore_url(world)).json()]
    assert "The Mill" in [e["title"] for e in as_owner.get(lore_url(world)).json()]
    assert "The Mill" not in [e["title"] for e in client_for_another.get(lore_url(world)).json()]
    response = client_for_another.post(f"/api/v1/lore/{created['id']}/vote/", {"value": 1},
                                       format="json")  # fmt: skip
    assert response.status_code == 404


def test_the_owner_approves_and_a_stranger_may_not(as_owner, as_stranger, town):
    world, _, _, _ = town
    created = as_stranger.post(
        lore_url(world), {"title": "The Mill", "text": "It burned down."}, format="json"
    ).json()

    refused = as_stranger.post(f"/api/v1/lore/{created['id']}/approve/")
    approved = as_owner.post(f"/api/v1/lore/{created['id']}/approve/")
    again = as_owner.post(f"/api/v1/lore/{created['id']}/approve/")

    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert again.status_code == 409 and error_of(again)["code"] == "conflict"
    rejected = as_owner.post(f"/api/v1/lore/{created['id']}/reject/").json()
    assert rejected["status"] == "rejected"


def test_a_second_vote_replaces_the_first(as_stranger, as_owner, town):
    _, _, fountain, _ = town
    url = f"/api/v1/lore/{fountain.pk}/vote/"

    assert as_stranger.post(url, {"value": 1}, format="json").json()["score"] == 1
    assert as_owner.post(url, {"value": 1}, format="json").json()["score"] == 2
    second = as_stranger.post(url, {"value": -1}, format="json").json()

    assert (second["score"], second["my_vote"]) == (0, -1)
    assert LoreEntry.objects.get(pk=fountain.pk).votes.count() == 2


def test_a_vote_must_be_one_or_minus_one(as_stranger, town):
    _, _, fountain, _ = town
    for body in ({"value": 5}, {"value": 0}, {}, {"value": 1, "extra": True}):
        response = as_stranger.post(f"/api/v1/lore/{fountain.pk}/vote/", body, format="json")
        assert response.status_code == 400, body
        assert error_of(response)["code"] == "invalid"


def test_a_stranger_voting_on_a_private_worlds_lore_gets_404(owner, as_stranger):
    private = EcosystemFactory(owner=owner)
    entry = lore_create(ecosystem=private, author=owner, title="Hidden", text="Nobody knows.")

    response = as_stranger.post(f"/api/v1/lore/{entry.pk}/vote/", {"value": 1}, format="json")

    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    assert as_stranger.get(lore_url(private)).status_code == 404
    assert LoreEntry.objects.get(pk=entry.pk).score == 0


def test_a_megabyte_of_lore_is_refused_with_what_to_do(as_owner, town):
    world, _, _, _ = town

    huge = as_owner.post(lore_url(world), {"title": "Long", "text": "x" * 1_000_000}, format="json")
    long = as_owner.post(lore_url(world), {"title": "Long", "text": "x" * 20_000}, format="json")

    assert huge.status_code == 413 and error_of(huge)["code"] == "request_too_large"
    assert long.status_code == 400
    error = error_of(long)
    assert error["code"] == "invalid" and "10000" in str(error["details"]["text"])
    assert not LoreEntry.objects.filter(title="Long").exists()


def test_secret_lore_is_the_owners_alone(as_owner, as_stranger, town):
    world, alice, _, secret = town

    mine = {e["title"]: e for e in as_owner.get(lore_url(world)).json()}
    theirs = {e["title"]: e for e in as_stranger.get(lore_url(world)).json()}

    assert mine["Under the Pond"]["text"] == LOCKET
    assert mine["Under the Pond"]["knowers"] == [{"id": str(alice.pk), "name": "Alice"}]
    assert theirs["Under the Pond"]["text"] == "[a secret]"
    assert theirs["Under the Pond"]["knowers"] == []
    searched = as_stranger.get(lore_url(world), {"q": "bottom of the lily pond"}).json()
    assert "Under the Pond" not in [e["title"] for e in searched]
    voted = as_stranger.post(f"/api/v1/lore/{secret.pk}/vote/", {"value": 1}, format="json")
    assert LOCKET not in voted.content.decode()


def test_search_by_words_tag_and_meaning(as_owner, town):
    world, _, _, _ = town

    def titles(**params):
        return [e["title"] for e in as_owner.get(lore_url(world), params).json()]

    assert titles(q="fountain") == ["The Ancient Fountain"]
    assert titles(tag="places") == ["The Ancient Fountain"]
    assert titles(q="croquet tournament results") == []
    [near] = as_owner.get(lore_url(world), {"q": "a fountain of great age"}).json()
    assert near["title"] == "The Ancient Fountain"
    response = as_owner.get(lore_url(world), {"status": "lost"})
    assert response.status_code == 400 and error_of(response)["code"] == "invalid"
