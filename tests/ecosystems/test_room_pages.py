"""The room pages work without JavaScript: open a room, join under a persona, say something
and see the replies, leave; a full room says so; a private world's rooms are a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecosystems.models import Conversation, Ecosystem
from ecosystems.services.rooms import room_create, room_join
from tests.factories import CharacterFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def test_a_room_is_opened_joined_spoken_in_and_left_by_forms(owner_client, world, alice, bob):
    listing = owner_client.get(reverse("rooms", args=[world.pk])).content.decode()
    assert 'aria-current="page">Rooms</a>' in listing and "No rooms yet" in listing

    opened = owner_client.post(
        reverse("rooms-create", args=[world.pk]),
        {"title": "The tea party", "character_ids": [str(alice.pk), str(bob.pk)], "capacity": "4"},
    )
    room = Conversation.objects.get(kind="room")
    assert opened.url == reverse("room", args=[world.pk, room.pk])
    assert 'name="persona_name"' in owner_client.get(opened.url).content.decode()

    owner_client.post(reverse("room-join", args=[world.pk, room.pk]), {"persona_name": "Tom"})
    owner_client.post(reverse("room-say", args=[world.pk, room.pk]), {"text": "Hello, both."})
    page = owner_client.get(opened.url).content.decode()
    assert "Tom joined the room." in page and "<strong>Tom:</strong> Hello, both." in page
    assert page.count('class="turn turn-character"') == 2
    assert 'id="room-config"' in page and "Say something" in page

    owner_client.post(reverse("room-leave", args=[world.pk, room.pk]))
    assert 'name="persona_name"' in owner_client.get(opened.url).content.decode()


def test_joining_a_full_room_says_how_full_it_is(client, owner, world, alice):
    world.visibility = Ecosystem.Visibility.PUBLIC
    world.save(update_fields=["visibility"])
    room = room_create(user=owner, ecosystem=world, title="Tiny", character_ids=[alice.pk],
                       capacity=1)  # fmt: skip
    room_join(room=room, user=owner, persona_name="Tom")
    client.force_login(UserFactory())

    page = client.post(
        reverse("room-join", args=[world.pk, room.pk]), {"persona_name": "Sue"}, follow=True
    )

    assert "The room is full (1 of 1)" in page.content.decode()


def test_a_private_worlds_rooms_are_a_404_to_a_stranger(client, stranger, owner, world, alice):
    room = room_create(user=owner, ecosystem=world, title="Mine", character_ids=[alice.pk])
    client.force_login(stranger)
    assert client.get(reverse("rooms", args=[world.pk])).status_code == 404
    assert client.get(reverse("room", args=[world.pk, room.pk])).status_code == 404
