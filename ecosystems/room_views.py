"""The room pages: ``/worlds/<id>/rooms/`` (the world's rooms and a form to open one) and
``/worlds/<id>/rooms/<room id>/`` (a join form with a persona name; then the live room: the
messages, who is here, who is typing or composing, and a text box). Plain forms that post and
redirect, so it all works without JavaScript; ``static/js/room.js`` makes it live over
``/ws/conversations/<id>/`` (reconnecting and resuming from the last seq it saw)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from characters.models import Character
from core.errors import DomainError
from ecosystems import access
from ecosystems.models import Conversation, ConversationParticipant
from ecosystems.selectors import conversation_messages_after, room_participants, rooms_of_world
from ecosystems.services.conversations import MAX_MESSAGE_CHARS, message_send
from ecosystems.services.rooms import MAX_CAPACITY, room_create, room_join, room_leave
from ecosystems.views import render_world, world_for

HISTORY_SHOWN = 500  # messages a page renders; the socket replays from the last of them


def _room(request: HttpRequest, ecosystem_id: UUID, room_id: UUID) -> Conversation:
    room = access.room_for(request.user, room_id)
    if str(room.ecosystem_id) != str(ecosystem_id):
        raise Http404("No room with this id is in this world.")
    return room


def _seat(request: HttpRequest, room: Conversation) -> ConversationParticipant | None:
    return (
        ConversationParticipant.objects.filter(
            conversation=room, user=request.user, left_at__isnull=True
        )
        .select_related("persona")
        .first()
    )


@login_required
def rooms(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    world = world_for(request, ecosystem_id)
    context: dict[str, Any] = {
        "world": world,
        "is_owner": access.can_edit(request.user, world),
        "rooms": list(rooms_of_world(ecosystem=world)),
        "cast": list(
            Character.objects.filter(ecosystem=world, persona_of=None, is_active=True)
            .order_by("name")
            .only("pk", "name")
        ),
        "max_capacity": MAX_CAPACITY,
    }
    return render_world(request, world, "ecosystems/rooms.html", context)


@login_required
@require_POST
def rooms_create(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    world = world_for(request, ecosystem_id)
    try:
        capacity = int(request.POST.get("capacity") or 8)
    except ValueError:
        capacity = -1  # the service says what a capacity must be
    try:
        room = room_create(
            user=request.user,
            ecosystem=world,
            title=request.POST.get("title", ""),
            character_ids=request.POST.getlist("character_ids"),
            capacity=capacity,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("rooms", world.pk)
    return redirect("room", world.pk, room.pk)


@login_required
def room(request: HttpRequest, ecosystem_id: UUID, room_id: UUID) -> HttpResponse:
    the_room = _room(request, ecosystem_id, room_id)
    world = the_room.ecosystem
    seat = _seat(request, the_room)
    lines = []
    if seat is not None:
        lines = list(
            conversation_messages_after(
                conversation_id=the_room.pk,
                after=max(0, the_room.last_message_seq - HISTORY_SHOWN),
                limit=HISTORY_SHOWN,
            )
        )
    last_seq = lines[-1].seq if lines else 0
    context: dict[str, Any] = {
        "world": world,
        "is_owner": access.can_edit(request.user, world),
        "room": the_room,
        "seat": seat,
        "lines": lines,
        "people": list(room_participants(room=the_room)),
        "characters": list(the_room.characters.order_by("name")),
        "personas": list(
            Character.objects.filter(ecosystem=world, persona_of=request.user).values_list(
                "name", flat=True
            )
        ),
        "max_chars": MAX_MESSAGE_CHARS,
        "live": {
            "path": f"/ws/conversations/{the_room.pk}/",
            "after": last_seq,
            "me": seat.persona.name if seat else "",
        },
    }
    return render_world(request, world, "ecosystems/room.html", context)


@login_required
@require_POST
def room_join_view(request: HttpRequest, ecosystem_id: UUID, room_id: UUID) -> HttpResponse:
    the_room = _room(request, ecosystem_id, room_id)
    try:
        room_join(
            room=the_room,
            user=request.user,
            persona_name=request.POST.get("persona_name", ""),
            persona_description=request.POST.get("persona_description", "")[:1000],
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("room", the_room.ecosystem_id, the_room.pk)


@login_required
@require_POST
def room_say(request: HttpRequest, ecosystem_id: UUID, room_id: UUID) -> HttpResponse:
    the_room = _room(request, ecosystem_id, room_id)
    try:
        message_send(conversation=the_room, user=request.user, text=request.POST.get("text"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("room", args=[the_room.ecosystem_id, the_room.pk]) + "#latest")


@login_required
@require_POST
def room_leave_view(request: HttpRequest, ecosystem_id: UUID, room_id: UUID) -> HttpResponse:
    the_room = _room(request, ecosystem_id, room_id)
    room_leave(room=the_room, user=request.user)
    return redirect("rooms", the_room.ecosystem_id)
