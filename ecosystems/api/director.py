"""The Director over the API: a world's scenarios (list, create) and starting one."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecosystems.access import scenario_for, world_for
from ecosystems.redaction import OWNER_VIEW, redactor_for
from ecosystems.selectors import scenarios_for_world
from ecosystems.serializers import ScenarioSerializer, ScenarioWriteSerializer
from ecosystems.services.director import scenario_create, scenario_start


class ScenarioListView(GenericAPIView):
    serializer_class = ScenarioSerializer

    @extend_schema(
        operation_id="ecosystems_scenarios_list", responses=ScenarioSerializer(many=True)
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        page = self.paginate_queryset(scenarios_for_world(ecosystem=world))
        context = {"redactor": redactor_for(user=request.user, world=world)}
        return self.get_paginated_response(
            ScenarioSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        operation_id="ecosystems_scenarios_create",
        request=ScenarioWriteSerializer,
        responses={201: ScenarioSerializer},
    )
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        data = ScenarioWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["character_ids"] = [str(c) for c in fields["character_ids"]]
        scenario = scenario_create(ecosystem=world, **fields)
        body = ScenarioSerializer(scenario, context=OWNER_VIEW).data
        return Response(body, status=status.HTTP_201_CREATED)


class ScenarioStartView(APIView):
    @extend_schema(
        operation_id="scenarios_start",
        request=None,
        responses=ScenarioSerializer,
        description="Start a draft scenario: its objectives become its characters' goals. "
        "409 for a template or a scenario already started.",
    )
    def post(self, request: Request, scenario_id: UUID) -> Response:
        scenario = scenario_start(scenario=scenario_for(request.user, scenario_id, edit=True))
        return Response(ScenarioSerializer(scenario, context=OWNER_VIEW).data)
