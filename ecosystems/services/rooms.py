"""Rooms: several people, each under their own persona, talking live with several characters.

A room is a ``Conversation`` with ``kind="room"``: the same messages, the same
``message_send`` (the speaker's persona is the one they joined under, so every character
answers *that* person: its relationship, its memories of them), the same live socket
(``/ws/conversations/<id>/``). Who is in it is ``ConversationParticipant`` rows; joining and
leaving write a ``system`` line ("Tom joined the room."), which goes out to the room's
sockets after commit like every other message.

Who may open or join a room: the world's owner, and on a public world any signed-in visitor
(the caller has checked that ``user`` may see ``ecosystem``, through ``ecosystems.access``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from characters.models import Character
from core.errors import InvalidInput, InvalidTransition
from core.live import group_notify
from ecosystems.models import Conversation, ConversationMessage, ConversationParticipant, Ecosystem
from ecosystems.services.conversations import (
    _character_ids,
    _check_present,
    _message_add,
    _persona_for,
    conversation_group,
    message_frame,
    messages_broadcast,
)

DEFAULT_CAPACITY = 8  # a table of people; the model's default
MAX_CAPACITY = 100  # issue 15: "100 people in one room each get every message"
TITLE_MAX = Conversation._meta.get_field("title").max_length


class RoomFull(InvalidTransition):
    """The room holds as many people as its capacity (HTTP 409)."""

    code = "room_full"


@transaction.atomic
def room_create(
    *,
    user: AbstractBaseUser,
    ecosystem: Ecosystem,
    title: str,
    character_ids: Sequence[Any],
    capacity: int = DEFAULT_CAPACITY,
) -> Conversation:
    """Open a room in ``ecosystem`` with its characters; nobody is in it until they join
    (``room_join``), its opener included."""
    title = " ".join(str(title or "").split())
    if not title:
        raise InvalidInput(
            'Give the room a title, e.g. "The tea party".', details={"title": ["Required."]}
        )
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            f"A room's title has at most {TITLE_MAX} characters.",
            details={"title": [f"At most {TITLE_MAX} characters."]},
        )
    if (
        not isinstance(capacity, int)
        or isinstance(capacity, bool)
        or not (1 <= capacity <= MAX_CAPACITY)
    ):
        raise InvalidInput(
            f"A room holds 1 to {MAX_CAPACITY} people; you asked for {capacity!r}.",
            details={"capacity": [f"An integer from 1 to {MAX_CAPACITY}."]},
        )
    ids = _character_ids(character_ids)
    cast = list(Character.objects.filter(ecosystem=ecosystem, pk__in=ids, persona_of=None))
    if len(cast) != len(ids):
        raise InvalidInput(
            "character_ids names someone who is not a character of this world.",
            details={"character_ids": ["Use ids of this world's characters."]},
        )
    _check_present(cast)
    room = Conversation(
        ecosystem=ecosystem,
        user=user,
        persona=None,
        kind=Conversation.Kind.ROOM,
        title=title,
        capacity=capacity,
    )
    room.full_clean(exclude=["persona"])
    room.save(force_insert=True)
    room.characters.set(cast)
    return room


def room_join(
    *,
    room: Conversation,
    user: AbstractBaseUser,
    persona_name: str,
    persona_description: str = "",
) -> ConversationParticipant:
    """``user`` enters ``room`` under the persona ``persona_name`` (theirs in this world if
    they have one of that name, created otherwise, as ``conversation_start``). Joining again
    while in it changes nothing (and writes no second "joined" line); a full room is a 409
    that says how full. 409 for an archived room."""
    _check_room(room)
    with transaction.atomic():
        room = Conversation.objects.select_for_update(of=("self",)).get(pk=room.pk)
        if room.status == Conversation.Status.ARCHIVED:
            raise InvalidTransition("This room is archived; open a new one to talk again.")
        current = (
            ConversationParticipant.objects.filter(
                conversation=room, user=user, left_at__isnull=True
            )
            .select_related("persona")
            .first()
        )
        if current is not None:
            return current
        present = ConversationParticipant.objects.filter(
            conversation=room, left_at__isnull=True
        ).count()
        if present >= room.capacity:
            raise RoomFull(
                f"The room is full ({present} of {room.capacity}); try again when someone "
                "leaves, or open another room."
            )
        persona = _persona_for(
            user=user, ecosystem=room.ecosystem, name=persona_name, description=persona_description
        )
        try:
            with transaction.atomic():
                participant = ConversationParticipant.objects.create(
                    conversation=room, user=user, persona=persona
                )
        except IntegrityError:  # joined at the same moment from another tab
            return ConversationParticipant.objects.get(
                conversation=room, user=user, left_at__isnull=True
            )
        _system_line(room, persona, f"{persona.name} joined the room.")
        return participant


def room_leave(*, room: Conversation, user: AbstractBaseUser) -> bool:
    """``user`` leaves ``room`` (a "left" line for everyone); ``False`` when they were not in
    it (nothing is written)."""
    _check_room(room)
    with transaction.atomic():
        room = Conversation.objects.select_for_update(of=("self",)).get(pk=room.pk)
        participant = (
            ConversationParticipant.objects.filter(
                conversation=room, user=user, left_at__isnull=True
            )
            .select_related("persona")
            .first()
        )
        if participant is None:
            return False
        participant.left_at = timezone.now()
        participant.save(update_fields=["left_at"])
        _system_line(room, participant.persona, f"{participant.persona.name} left the room.")
        # Their open sockets check again and close: they are no longer in the room.
        group = conversation_group(room.pk)
        transaction.on_commit(lambda: group_notify(group, {"type": "access.changed"}))
        return True


def _check_room(room: Conversation) -> None:
    if not room.is_room:
        raise InvalidTransition(
            "This is a conversation, not a room: only the person who started it talks in it."
        )


def _system_line(room: Conversation, persona: Character, text: str) -> None:
    """A join/leave line, numbered with the room's messages and sent live after commit.
    Caller holds the room's lock."""
    message = _message_add(room, ConversationMessage.Speaker.SYSTEM, text, persona=persona)
    room.last_message_at = timezone.now()
    room.save(update_fields=["last_message_seq", "last_message_at"])
    messages_broadcast(conversation_id=room.pk, frames=[message_frame(message, name=persona.name)])


__all__ = ["RoomFull", "room_create", "room_join", "room_leave"]
