"""Characters of a world: list (``?name=``), create within the plan, read, change, delete;
and a character's memories searched by meaning (``?q=&limit=``)."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from characters.selectors import memories_recent, memories_search
from characters.services import character_create, character_delete, character_update
from ecosystems.access import character_for, world_for
from ecosystems.redaction import OWNER_VIEW, redactor_for
from ecosystems.selectors import characters_for_world
from ecosystems.serializers import (
    CharacterQuerySerializer,
    CharacterSerializer,
    CharacterWriteSerializer,
    MemoryQuerySerializer,
    MemorySearchSerializer,
    MemorySerializer,
)


class CharacterListView(GenericAPIView):
    serializer_class = CharacterSerializer

    @extend_schema(
        operation_id="ecosystems_characters_list",
        parameters=[OpenApiParameter("name", str, description="Names containing this (any case).")],
        responses=CharacterSerializer(many=True),
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        query = CharacterQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        characters = characters_for_world(ecosystem=world)
        if name := query.validated_data.get("name"):
            characters = characters.filter(name__icontains=name)
        page = self.paginate_queryset(characters)
        view = {"redactor": redactor_for(user=request.user, world=world)}
        data = CharacterSerializer(page, many=True, context=view)
        return self.get_paginated_response(data.data)

    @extend_schema(
        operation_id="ecosystems_characters_create",
        request=CharacterWriteSerializer,
        responses={201: CharacterSerializer},
        description="402 when the plan's character limit is reached (6th character on free).",
    )
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        data = CharacterWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        character = character_create(ecosystem=world, **data.validated_data)
        body = CharacterSerializer(character, context=OWNER_VIEW).data
        return Response(body, status=status.HTTP_201_CREATED)


class CharacterDetailView(APIView):
    @extend_schema(operation_id="characters_retrieve", responses=CharacterSerializer)
    def get(self, request: Request, character_id: UUID) -> Response:
        character = character_for(request.user, character_id)
        view = {"redactor": redactor_for(user=request.user, world=character.ecosystem)}
        return Response(CharacterSerializer(character, context=view).data)

    @extend_schema(
        operation_id="characters_partial_update",
        request=CharacterWriteSerializer,
        responses=CharacterSerializer,
    )
    def patch(self, request: Request, character_id: UUID) -> Response:
        character = character_for(request.user, character_id, edit=True)
        data = CharacterWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        character = character_update(character=character, **data.validated_data)
        return Response(CharacterSerializer(character, context=OWNER_VIEW).data)

    @extend_schema(operation_id="characters_destroy", responses={204: None})
    def delete(self, request: Request, character_id: UUID) -> Response:
        character_delete(character=character_for(request.user, character_id, edit=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemoryListView(APIView):
    @extend_schema(
        operation_id="characters_memories_list",
        parameters=[MemoryQuerySerializer],
        responses=MemorySearchSerializer,
        description="With ?q=: the memories nearest in meaning, nearest first, with their "
        "similarity (-1..1). Without: the most recent.",
    )
    def get(self, request: Request, character_id: UUID) -> Response:
        character = character_for(request.user, character_id)
        query = MemoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text, limit = query.validated_data["q"], query.validated_data["limit"]
        redactor = redactor_for(user=request.user, world=character.ecosystem)
        if text.strip():
            found = memories_search(character=character, text=text, limit=limit)
            memories = redactor.search_results(found)
        else:
            # Not the 256-d embedding: parsing it cost more than the rest of the row.
            memories = list(memories_recent(character=character).defer("embedding")[:limit])
        view = {"redactor": redactor}
        return Response(
            {"query": text, "results": MemorySerializer(memories, many=True, context=view).data},
        )
