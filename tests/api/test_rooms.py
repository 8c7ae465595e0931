"""The rooms API: open a room in a world, list them with how many are in each, join under a
persona (a full room is a 409 that says how full), speak as that persona, leave."""

from __future__ import annotations

import pytest

from ecosystems.models import Ecosystem
from tests.api.conftest import error_of
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.7)


def _open(client, world, *characters, **body):
    body = {"title": "The tea party", "character_ids": [str(c.pk) for c in characters], **body}
    return client.post(f"/api/v1/ecosystems/{world.pk}/rooms/", body, format="json")


def _join(client, room_id, name):
    return client.post(
        f"/api/v1/conversations/{room_id}/join/", {"persona": {"name": name}}, format="json"
    )


def test_a_room_is_opened_listed_joined_spoken_in_and_left(as_owner, world, alice, bob):
    opened = _open(as_owner, world, alice, bob, capacity=3)
    assert opened.status_code == 201, opened.content
    room = opened.json()
    assert (room["title"], room["capacity"], room["people"]) == ("The tea party", 3, 0)

    joined = _join(as_owner, room["id"], "Tom")
    assert joined.status_code == 201, joined.content
    assert [p["name"] for p in joined.json()["people"]] == ["Tom"]
    listed = as_owner.get(f"/api/v1/ecosystems/{world.pk}/rooms/").json()["results"]
    assert [(r["id"], r["people"]) for r in listed] == [(room["id"], 1)]

    said = as_owner.post(
        f"/api/v1/conversations/{room['id']}/messages/", {"text": "Hello, both."}, format="json"
    )
    assert said.status_code == 201, said.content
    assert {r["name"] for r in said.json()["replies"]} == {"Alice", "Bob"}
    detail = as_owner.get(f"/api/v1/conversations/{room['id']}/").json()
    assert detail["kind"] == "room"
    assert [m["speaker_kind"] for m in detail["messages"]] == ["system", "person", "character",
                                                               "character"]  # fmt: skip

    left = as_owner.post(f"/api/v1/conversations/{room['id']}/leave/")
    assert left.json() == {"left": True}
    assert as_owner.get(f"/api/v1/conversations/{room['id']}/").status_code == 404


def test_a_full_room_is_a_409_that_says_how_full(as_owner, as_stranger, owner, alice):
    world = alice.ecosystem
    world.visibility = Ecosystem.Visibility.PUBLIC
    world.save(update_fields=["visibility"])
    room = _open(as_owner, world, alice, capacity=1).json()
    assert _join(as_owner, room["id"], "Tom").status_code == 201

    full = _join(as_stranger, room["id"], "Sue")

    assert full.status_code == 409
    assert error_of(full)["code"] == "room_full"
    assert error_of(full)["message"].startswith("The room is full (1 of 1)")


def test_a_visitor_of_a_public_world_speaks_in_a_room_under_their_persona(
    as_owner, as_stranger, alice
):
    world = alice.ecosystem
    world.visibility = Ecosystem.Visibility.PUBLIC
    world.save(update_fields=["visibility"])
    room = _open(as_owner, world, alice).json()
    _join(as_owner, room["id"], "Tom")
    assert _join(as_stranger, room["id"], "Sue").status_code == 201

    said = as_stranger.post(
        f"/api/v1/conversations/{room['id']}/messages/", {"text": "Hello Alice."}, format="json"
    )

    assert said.status_code == 201, said.content
    lines = as_owner.get(f"/api/v1/conversations/{room['id']}/").json()["messages"]
    assert [m["text"] for m in lines[:3]] == ["Tom joined the room.", "Sue joined the room.",
                                               "Hello Alice."]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 101}, "capacity"),
        ({"character_ids": []}, "character_ids"),
    ],
)
def test_a_room_needs_a_title_characters_and_a_capacity_of_1_to_100(as_owner, world, alice,
                                                                   body, field):  # fmt: skip
    response = _open(as_owner, world, alice, **body)
    assert response.status_code == 400
    assert field in error_of(response)["details"]


def test_a_room_of_someone_elses_private_world_is_a_404(as_owner, as_stranger, world, alice):
    room = _open(as_owner, world, alice).json()
    assert _join(as_stranger, room["id"], "Sue").status_code == 404
    assert as_stranger.get(f"/api/v1/ecosystems/{world.pk}/rooms/").status_code == 404
