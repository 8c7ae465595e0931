"""A world's own model servers (plans with custom models): read and replace the chain."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.selectors import plan_of
from ecosystems.access import world_for
from ecosystems.models import Ecosystem
from ecosystems.selectors import model_servers_of
from ecosystems.serializers import ModelServersSerializer, ModelServersWriteSerializer
from ecosystems.services.model_servers import ModelServerEntry, world_model_servers_set


def _body(world: Ecosystem) -> dict[str, Any]:
    servers = list(model_servers_of(ecosystem=world))
    allows = plan_of(user=world.owner).custom_models
    body = {"servers": servers, "plan_allows": allows, "in_use": allows and bool(servers)}
    return ModelServersSerializer(body).data


class ModelServersView(APIView):
    @extend_schema(
        operation_id="ecosystems_model_servers_retrieve",
        responses=ModelServersSerializer,
        description="The world's own model-server chain (owner only). Keys show only their "
        "last 4 characters.",
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        return Response(_body(world_for(request.user, ecosystem_id, edit=True)))

    @extend_schema(
        operation_id="ecosystems_model_servers_update",
        request=ModelServersWriteSerializer,
        responses=ModelServersSerializer,
        description="Replace the chain, tried in order instead of the standard servers when "
        "the world's lines are voiced. 402 when the plan has no custom models (an empty list "
        "is always accepted: it clears the chain).",
    )
    def put(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        data = ModelServersWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        world_model_servers_set(
            ecosystem=world,
            servers=[ModelServerEntry(**entry) for entry in data.validated_data["servers"]],
        )
        return Response(_body(world))
