"""Games (issue 18) over the API: register a game, make characters its NPCs, ask an NPC what
it does now, and report the outcomes it learns from. Another's game is a 404.

The work is the services' (``ecosystems.services.games``): they validate the vocabulary,
config, context and outcomes and say what is wrong (400), and the API's body limit refuses a
body over ``API_MAX_BODY_BYTES`` with 413 before it is parsed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import InvalidInput
from core.serializers import StrictSerializer
from ecosystems.models import GAME_NAME_CHARS, GAME_SESSION_CHARS, Game, GameNPC
from ecosystems.selectors import game_for, games_of
from ecosystems.services.games import (
    game_create,
    game_decide,
    game_npc_add,
    game_outcomes_record,
)


class GameSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    vocabulary = serializers.JSONField(help_text="The actions, environments, difficulty levels.")
    config = serializers.JSONField(help_text="Strategy, bandit, features, rules, exploration, ab.")
    npc_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def to_representation(self, game: Game) -> dict[str, Any]:
        return {
            "id": str(game.pk),
            "name": game.name,
            "vocabulary": game.vocabulary,
            "config": game.config,
            "npc_count": getattr(game, "npc_count", 0),
            "created_at": serializers.DateTimeField().to_representation(game.created_at),
        }


class GameWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=GAME_NAME_CHARS)
    vocabulary = serializers.JSONField(
        help_text='{"actions": [{"name", "type"}, ...], "environments": [...], '
        '"difficulty_levels": [...]}; action names are unique.'
    )
    config = serializers.JSONField(required=False, default=dict)


class NPCSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    game_id = serializers.UUIDField()
    character_id = serializers.UUIDField()
    name = serializers.CharField()
    number = serializers.IntegerField()

    def to_representation(self, npc: GameNPC) -> dict[str, Any]:
        return {
            "id": str(npc.pk),
            "game_id": str(npc.game_id),
            "character_id": str(npc.character_id),
            "name": npc.character.name,
            "number": npc.number,
        }


class NPCAddSerializer(StrictSerializer):
    character_id = serializers.UUIDField(help_text="A character of one of your worlds.")


class DecideSerializer(StrictSerializer):
    npc_id = serializers.UUIDField()
    session_id = serializers.CharField(max_length=GAME_SESSION_CHARS)
    context = serializers.JSONField(help_text="The game's view of this moment (finite numbers).")


DecisionSerializer = inline_serializer(
    "GameDecision",
    {
        "decision_id": serializers.UUIDField(),
        "action": serializers.CharField(),
        "confidence": serializers.FloatField(),
        "reason": serializers.CharField(),
        "strategy": serializers.CharField(),
        "mode": serializers.CharField(),
        "arm": serializers.CharField(allow_blank=True),
        "latency_ms": serializers.FloatField(),
    },
)


class GameListView(GenericAPIView):
    serializer_class = GameSerializer

    @extend_schema(operation_id="games_list", responses=GameSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(games_of(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="games_create",
        request=GameWriteSerializer,
        responses={201: GameSerializer},
        description="Register a game: its name, vocabulary of actions and engine config.",
    )
    def post(self, request: Request) -> Response:
        data = GameWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        game = game_create(request.user, **data.validated_data)
        return Response(
            GameSerializer(game_for(request.user, game.pk)).data, status=status.HTTP_201_CREATED
        )


class GameDetailView(APIView):
    @extend_schema(operation_id="games_retrieve", responses=GameSerializer)
    def get(self, request: Request, game_id: UUID) -> Response:
        return Response(GameSerializer(game_for(request.user, game_id)).data)


class GameNPCListView(APIView):
    @extend_schema(
        operation_id="games_npcs_create",
        request=NPCAddSerializer,
        responses={201: NPCSerializer},
        description="Make a character of one of your worlds an NPC of the game (409 when it "
        "already is one).",
    )
    def post(self, request: Request, game_id: UUID) -> Response:
        game = game_for(request.user, game_id)
        data = NPCAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        npc = game_npc_add(game, character_id=data.validated_data["character_id"])
        return Response(NPCSerializer(npc).data, status=status.HTTP_201_CREATED)


class GameDecideView(APIView):
    @extend_schema(
        operation_id="games_decide",
        request=DecideSerializer,
        responses=DecisionSerializer,
        description="What the NPC does now in this context, and why.",
    )
    def post(self, request: Request, game_id: UUID) -> Response:
        game = game_for(request.user, game_id)
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        context = data.validated_data["context"]
        if not isinstance(context, Mapping):
            raise InvalidInput(
                "context must be an object.", details={"context": ["An object of values."]}
            )
        answer = game_decide(
            game,
            npc_id=data.validated_data["npc_id"],
            session_id=data.validated_data["session_id"],
            context=dict(context),
        )
        return Response(answer)


class GameOutcomesView(APIView):
    @extend_schema(
        operation_id="games_outcomes_create",
        request=OpenApiTypes.OBJECT,
        responses=inline_serializer(
            "GameOutcomes", {"updates": serializers.ListField(child=serializers.DictField())}
        ),
        description='One outcome {"decision_id", "outcome": "success"|"failure", '
        '"effectiveness", "damage", "metrics", "action"} or a batch {"outcomes": [...]}, '
        "learned at once, all or none. 404 for a decision not of this game, 409 for one "
        "that already has its outcome.",
    )
    def post(self, request: Request, game_id: UUID) -> Response:
        game = game_for(request.user, game_id)
        body = request.data
        if not isinstance(body, Mapping):
            raise InvalidInput('Send one outcome object or {"outcomes": [...]}.')
        outcomes = body["outcomes"] if "outcomes" in body and len(body) == 1 else [body]
        if not isinstance(outcomes, list):
            raise InvalidInput(
                "outcomes must be a non-empty list.", details={"outcomes": ["A list."]}
            )
        return Response({"updates": game_outcomes_record(game, outcomes)})
