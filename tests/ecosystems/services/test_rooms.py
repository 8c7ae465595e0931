"""Rooms: several people under their own personas talk with several characters in one
conversation; joining and leaving are lines everyone sees; a room holds its capacity."""

from __future__ import annotations

import pytest

from billing.models import Plan
from core.errors import InvalidInput, InvalidTransition, PlanLimitReached
from ecosystems.models import Conversation, ConversationMessage, ConversationParticipant
from ecosystems.services.conversations import (
    conversation_messages_this_month,
    conversations_search,
    message_send,
)
from ecosystems.services.rooms import RoomFull, room_create, room_join, room_leave
from tests.factories import CharacterFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.7)


@pytest.fixture
def room(owner, world, alice, bob) -> Conversation:
    return room_create(
        user=owner, ecosystem=world, title="The tea party", character_ids=[alice.pk, bob.pk],
        capacity=2,
    )  # fmt: skip


def _lines(room: Conversation) -> list[tuple[str, str]]:
    return list(room.messages.order_by("seq").values_list("speaker_kind", "text"))


def test_a_room_is_a_conversation_of_kind_room_with_nobody_in_it_yet(room, alice, bob):
    assert room.kind == Conversation.Kind.ROOM
    assert room.persona is None
    assert set(room.characters.all()) == {alice, bob}
    assert not room.participants.exists()


def test_joining_writes_one_joined_line_and_joining_again_changes_nothing(owner, room):
    first = room_join(room=room, user=owner, persona_name="Tom")
    again = room_join(room=room, user=owner, persona_name="Tom")

    assert again.pk == first.pk
    assert first.persona.persona_of == owner
    assert _lines(room) == [("system", "Tom joined the room.")]


def test_a_full_room_says_how_full_it_is(owner, stranger, room):
    room_join(room=room, user=owner, persona_name="Tom")
    room_join(room=room, user=stranger, persona_name="Sue")

    with pytest.raises(RoomFull, match=r"The room is full \(2 of 2\)"):
        room_join(room=room, user=UserFactory(), persona_name="Max")


def test_leaving_frees_a_seat_and_is_a_line_everyone_sees(owner, stranger, room):
    room_join(room=room, user=owner, persona_name="Tom")
    room_join(room=room, user=stranger, persona_name="Sue")

    assert room_leave(room=room, user=stranger) is True
    assert room_leave(room=room, user=stranger) is False  # not in it any more: nothing written
    room_join(room=room, user=UserFactory(), persona_name="Max")

    assert _lines(room)[-2:] == [
        ("system", "Sue left the room."),
        ("system", "Max joined the room."),
    ]
    assert ConversationParticipant.objects.filter(conversation=room, left_at=None).count() == 2


def test_each_person_speaks_under_their_own_persona_and_gets_their_own_replies(
    owner, stranger, room, alice, bob
):
    tom = room_join(room=room, user=owner, persona_name="Tom").persona
    sue = room_join(room=room, user=stranger, persona_name="Sue").persona

    message_send(conversation=room, user=owner, text="You look lovely today, Alice.")
    sent = message_send(conversation=room, user=stranger, text="You are a liar.")

    said = room.messages.filter(speaker_kind="person").order_by("seq")
    assert [(m.persona_id, m.text) for m in said] == [
        (tom.pk, "You look lovely today, Alice."),
        (sue.pk, "You are a liar."),
    ]
    assert {r["character_id"] for r in sent["replies"]} == {str(alice.pk), str(bob.pk)}
    # Each character's feeling is toward the person who spoke to it.
    assert alice.relationships_out.get(target=tom).strength > 0
    assert alice.relationships_out.get(target=sue).strength < 0


def test_someone_not_in_the_room_cannot_speak_in_it(owner, stranger, room):
    room_join(room=room, user=owner, persona_name="Tom")

    with pytest.raises(InvalidTransition, match="You are not in this room"):
        message_send(conversation=room, user=stranger, text="Hello!")


def test_the_speaker_pays_for_their_lines(owner, stranger, room):
    room_join(room=room, user=owner, persona_name="Tom")
    room_join(room=room, user=stranger, persona_name="Sue")
    message_send(conversation=room, user=stranger, text="Hello Alice.")

    assert conversation_messages_this_month(user=stranger) == 1
    assert conversation_messages_this_month(user=owner) == 0


def test_the_speakers_plan_stops_their_next_line(owner, stranger, room):
    Plan.objects.filter(code="free").update(conversation_messages_per_month=1)
    room_join(room=room, user=stranger, persona_name="Sue")
    message_send(conversation=room, user=stranger, text="Hello Alice.")

    with pytest.raises(PlanLimitReached):
        message_send(conversation=room, user=stranger, text="Hello again.")


@pytest.mark.parametrize(
    ("title", "capacity", "field"),
    [("", 8, "title"), ("Tea", 0, "capacity"), ("Tea", 101, "capacity"), ("x" * 121, 8, "title")],
)
def test_a_room_needs_a_title_and_a_capacity_of_1_to_100(
    owner, world, alice, title, capacity, field
):
    with pytest.raises(InvalidInput) as error:
        room_create(user=owner, ecosystem=world, title=title, character_ids=[alice.pk],
                    capacity=capacity)  # fmt: skip
    assert field in error.value.details


def test_system_lines_are_not_person_lines(owner, room):
    room_join(room=room, user=owner, persona_name="Tom")
    assert not room.messages.filter(speaker_kind=ConversationMessage.Speaker.PERSON).exists()


def test_search_finds_what_was_said_in_a_room_i_am_in_but_not_in_others(owner, stranger, room):
    room_join(room=room, user=owner, persona_name="Tom")
    room_join(room=room, user=stranger, persona_name="Sue")
    message_send(conversation=room, user=stranger, text="I grew roses in my garden in Kent.")

    found = conversations_search(user=owner, q="roses")

    assert "I grew roses in my garden in Kent." in [m.text for m in found]
    assert conversations_search(user=UserFactory(), q="roses") == []
