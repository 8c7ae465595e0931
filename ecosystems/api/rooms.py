"""Rooms: open one in a world, list a world's rooms, join one under a persona, leave it. What
is said goes through ``POST /api/v1/conversations/{id}/messages/`` like any conversation, and
live through ``/ws/conversations/{id}/``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.serializers import CharacterRefSerializer, StrictSerializer
from ecosystems.access import room_for, world_for
from ecosystems.api.conversations import PersonaSerializer
from ecosystems.models import Conversation, ConversationParticipant
from ecosystems.selectors import room_participants, rooms_of_world
from ecosystems.services.rooms import (
    DEFAULT_CAPACITY,
    MAX_CAPACITY,
    room_create,
    room_join,
    room_leave,
)


class RoomCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=120, help_text='E.g. "The tea party".')
    character_ids = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    capacity = serializers.IntegerField(
        required=False, default=DEFAULT_CAPACITY, min_value=1, max_value=MAX_CAPACITY,
        help_text=f"How many people it holds at once (1-{MAX_CAPACITY}).",
    )  # fmt: skip


class RoomSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    ecosystem_id = serializers.UUIDField()
    title = serializers.CharField()
    capacity = serializers.IntegerField()
    people = serializers.IntegerField(help_text="How many people are in it now.")
    characters = CharacterRefSerializer(many=True)
    status = serializers.ChoiceField(choices=Conversation.Status.choices)
    last_message_seq = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class RoomListSerializer(serializers.Serializer):
    results = RoomSerializer(many=True)


class JoinSerializer(StrictSerializer):
    persona = PersonaSerializer()


class ParticipantSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    room_id = serializers.UUIDField()
    persona = CharacterRefSerializer()
    joined_at = serializers.DateTimeField()
    people = CharacterRefSerializer(many=True, help_text="Everyone in the room now.")


class LeaveSerializer(serializers.Serializer):
    left = serializers.BooleanField(help_text="False when you were not in the room.")


def room_data(room: Conversation, *, people: int | None = None) -> dict[str, Any]:
    return {
        "id": room.pk,
        "ecosystem_id": room.ecosystem_id,
        "title": room.title,
        "capacity": room.capacity,
        "people": people if people is not None else getattr(room, "people", 0),
        "characters": [{"id": c.pk, "name": c.name} for c in room.characters.all()],
        "status": room.status,
        "last_message_seq": room.last_message_seq,
        "created_at": room.created_at,
    }


class RoomsView(APIView):
    @extend_schema(
        operation_id="ecosystems_rooms_list",
        responses=RoomListSerializer,
        description="The world's rooms, newest first, with how many people are in each.",
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        rooms = [room_data(r) for r in rooms_of_world(ecosystem=world)]
        return Response(RoomListSerializer({"results": rooms}).data)

    @extend_schema(
        operation_id="ecosystems_rooms_create",
        request=RoomCreateSerializer,
        responses={201: RoomSerializer},
        description="Open a room where several people talk live with these characters. The "
        "world's owner, or any signed-in visitor of a public world. Nobody is in it until "
        "they join. 422 when a character is inactive.",
    )
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        data = RoomCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        room = room_create(user=request.user, ecosystem=world, **data.validated_data)
        body = RoomSerializer(room_data(room, people=0)).data
        return Response(body, status=status.HTTP_201_CREATED)


class RoomJoinView(APIView):
    @extend_schema(
        operation_id="conversations_join",
        request=JoinSerializer,
        responses={201: ParticipantSerializer},
        description="Enter the room under a persona (yours of that name in this world, or a "
        "new one); everyone in it sees you join. Joining again while in it changes nothing. "
        "409 room_full when it holds its capacity.",
    )
    def post(self, request: Request, conversation_id: UUID) -> Response:
        room = room_for(request.user, conversation_id)
        data = JoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        participant = room_join(
            room=room,
            user=request.user,
            persona_name=data.validated_data["persona"]["name"],
            persona_description=data.validated_data["persona"]["description"],
        )
        return Response(
            ParticipantSerializer(participant_data(participant)).data,
            status=status.HTTP_201_CREATED,
        )


class RoomLeaveView(APIView):
    @extend_schema(
        operation_id="conversations_leave",
        request=None,
        responses=LeaveSerializer,
        description="Leave the room; everyone in it sees you go and your sockets close.",
    )
    def post(self, request: Request, conversation_id: UUID) -> Response:
        room = room_for(request.user, conversation_id)
        return Response(LeaveSerializer({"left": room_leave(room=room, user=request.user)}).data)


def participant_data(participant: ConversationParticipant) -> dict[str, Any]:
    room = participant.conversation
    return {
        "id": participant.pk,
        "room_id": room.pk,
        "persona": {"id": participant.persona.pk, "name": participant.persona.name},
        "joined_at": participant.joined_at,
        "people": [
            {"id": p.persona.pk, "name": p.persona.name} for p in room_participants(room=room)
        ],
    }
