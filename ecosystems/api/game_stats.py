"""A game's stats for its owner: ``GET /api/v1/games/{id}/stats/?window=&rolling=``."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecosystems.game_stats import DEFAULT_ROLLING, DEFAULT_WINDOW, game_stats
from ecosystems.selectors import game_for


class GameStatsQuerySerializer(serializers.Serializer):
    window = serializers.IntegerField(min_value=1, max_value=10_000, default=DEFAULT_WINDOW)
    rolling = serializers.IntegerField(min_value=1, max_value=10_000, default=DEFAULT_ROLLING)


class GameStatsView(APIView):
    @extend_schema(
        operation_id="games_stats",
        parameters=[GameStatsQuerySerializer],
        responses=OpenApiTypes.OBJECT,
        description="Decisions, latency p50/p95, effectiveness by action, by context cluster "
        "(difficulty/environment) and over windows of decisions, the learning curve (rolling "
        "mean reward) and, with A/B, the B - A interval of effectiveness.",
    )
    def get(self, request: Request, game_id: UUID) -> Response:
        game = game_for(request.user, game_id)
        query = GameStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(game_stats(game, **query.validated_data))
