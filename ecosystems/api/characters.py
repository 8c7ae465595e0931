"""Characters of a world: list (``?name=``), create within the plan, read, change, delete;
a character's memories searched by meaning (``?q=&limit=``); its Character Card V3 as PNG or
JSON, and a new character from a card file (``characters.cards``)."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from characters.card_formats import card_json_bytes
from characters.cards import card_export, card_import, card_png, card_read
from characters.selectors import memories_recent, memories_search
from characters.services import character_create, character_delete, character_update
from core.api.exceptions import RequestTooLarge
from core.api.parsers import BoundedJSONParser
from core.errors import InvalidInput
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


class CardQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["png", "json"], default="png")


class CharacterCardView(APIView):
    @extend_schema(
        operation_id="characters_card",
        parameters=[CardQuerySerializer],
        responses={
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
        },
        description="The character as a Character Card V3 (chara_card_v3): a PNG portrait with "
        "`ccv3` and `chara` (V2 backfill) tEXt chunks, or the JSON card. Owner only: a card "
        "carries the character's secrets.",
    )
    def get(self, request: Request, character_id: UUID) -> HttpResponse:
        character = character_for(request.user, character_id, edit=True)
        query = CardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        fmt = query.validated_data["format"]
        if fmt == "png":
            response = HttpResponse(card_png(character=character), content_type="image/png")
        else:
            body = card_json_bytes(card_export(character=character))
            response = HttpResponse(body, content_type="application/json")
        name = slugify(character.name) or "character"
        response["Content-Disposition"] = f'attachment; filename="{name}.card.{fmt}"'
        return response


class CardUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A character card: PNG, JSON or CHARX (V2 or V3).")


class CharacterImportView(APIView):
    parser_classes = [MultiPartParser, BoundedJSONParser]

    @extend_schema(
        operation_id="ecosystems_characters_import",
        request={
            "multipart/form-data": CardUploadSerializer,
            "application/json": OpenApiTypes.OBJECT,
        },
        responses={201: CharacterSerializer},
        description="A new character from a Character Card (V2 or V3; PNG, JSON or CHARX) sent "
        "as the multipart field `file`, or a JSON card as the body. 400 says what is wrong with "
        "the card, 413 past the size cap, 402 when the plan's character limit is reached.",
    )
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        limit = settings.CARD_UPLOAD_MAX_BYTES
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.isdigit() and int(declared) > limit + 64 * 1024:  # room for the form's parts
            raise RequestTooLarge(
                f"The upload is {int(declared):,} bytes; a character card may be at most "
                f"{limit:,} bytes."
            )
        upload = request.FILES.get("file")
        if upload is not None:
            if upload.size > limit:
                raise RequestTooLarge(
                    f"The card is {upload.size:,} bytes; at most {limit:,} are accepted."
                )
            card = card_read(data=upload.read(limit + 1), filename=upload.name or "")
        elif isinstance(request.data, dict) and request.data and "file" not in request.data:
            card = request.data
        else:
            raise InvalidInput(
                "Send the card file as the multipart field 'file' (PNG, JSON or CHARX).",
                details={"file": ["No file was submitted."]},
            )
        character = card_import(ecosystem=world, card=card)
        body = CharacterSerializer(character, context=OWNER_VIEW).data
        return Response(body, status=status.HTTP_201_CREATED)
