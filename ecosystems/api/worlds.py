"""Worlds: list, create, read, change, delete; run control (start, pause, tick N now)."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import InvalidTransition
from ecosystems.access import editable_worlds, visible_worlds, world_for
from ecosystems.models import Ecosystem
from ecosystems.selectors import tick_runs_for_world
from ecosystems.serializers import (
    EcosystemSerializer,
    EcosystemWriteSerializer,
    TickRequestSerializer,
    TickResponseSerializer,
    TickRunQuerySerializer,
    TickRunSerializer,
)
from ecosystems.services import (
    ecosystem_create,
    ecosystem_pause,
    ecosystem_save,
    ecosystem_start,
)
from ecosystems.services.authoring import ecosystem_delete
from ecosystems.services.ticks import tick_run_execute, tick_run_start


class EcosystemListView(GenericAPIView):
    serializer_class = EcosystemSerializer

    @extend_schema(
        operation_id="ecosystems_list",
        parameters=[
            OpenApiParameter("public", bool, description="true: also other people's public worlds.")
        ],
        responses=EcosystemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        with_public = request.query_params.get("public", "").lower() in {"1", "true", "yes"}
        worlds = (visible_worlds if with_public else editable_worlds)(request.user)
        worlds = worlds.select_related("owner").order_by("-created_at")
        page = self.paginate_queryset(worlds)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="ecosystems_create",
        request=EcosystemWriteSerializer,
        responses={201: EcosystemSerializer},
    )
    def post(self, request: Request) -> Response:
        data = EcosystemWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        world = ecosystem_create(owner=request.user, **data.validated_data)
        return Response(self.get_serializer(world).data, status=status.HTTP_201_CREATED)


class EcosystemDetailView(APIView):
    @extend_schema(operation_id="ecosystems_retrieve", responses=EcosystemSerializer)
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        return Response(EcosystemSerializer(world, context={"request": request}).data)

    @extend_schema(
        operation_id="ecosystems_partial_update",
        request=EcosystemWriteSerializer,
        responses=EcosystemSerializer,
    )
    def patch(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        data = EcosystemWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        for name, value in data.validated_data.items():
            setattr(world, name, value)
        world = ecosystem_save(ecosystem=world)
        return Response(EcosystemSerializer(world, context={"request": request}).data)

    @extend_schema(operation_id="ecosystems_destroy", responses={204: None})
    def delete(self, request: Request, ecosystem_id: UUID) -> Response:
        ecosystem_delete(ecosystem=world_for(request.user, ecosystem_id, edit=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EcosystemStartView(APIView):
    @extend_schema(
        operation_id="ecosystems_start",
        request=None,
        responses=EcosystemSerializer,
        description="Run the world (ticks by itself). 409 if it is running already or archived.",
    )
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        if world.status == Ecosystem.Status.RUNNING:
            raise InvalidTransition(
                f"World {world.name!r} is already running. Pause it first to restart it."
            )
        world = ecosystem_start(ecosystem=world)
        return Response(EcosystemSerializer(world, context={"request": request}).data)


class EcosystemPauseView(APIView):
    @extend_schema(
        operation_id="ecosystems_pause",
        request=None,
        responses=EcosystemSerializer,
        description="Stop ticking. 409 for a draft or archived world.",
    )
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = ecosystem_pause(ecosystem=world_for(request.user, ecosystem_id, edit=True))
        return Response(EcosystemSerializer(world, context={"request": request}).data)


class EcosystemTickView(APIView):
    @extend_schema(
        operation_id="ecosystems_tick",
        request=TickRequestSerializer,
        responses=TickResponseSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER,
                description="Your id for this batch (e.g. a UUID): a retry with the same key "
                "runs nothing again and answers what the first one did.",
            )
        ],
        description="Run N ticks now, synchronously (1 to 100), e.g. from tests and scripts. "
        "The run is recorded: its id is in the body and the Location header, and "
        "GET …/tick-runs/{run_id}/ tells how many ran, also if this connection dropped.",
    )  # fmt: skip
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        data = TickRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run, fresh = tick_run_start(
            ecosystem=world,
            ticks=data.validated_data["ticks"],
            requested_by=request.user,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        results = tick_run_execute(run=run) if fresh else []
        world.refresh_from_db()
        body = {
            "ecosystem": EcosystemSerializer(world, context={"request": request}).data,
            "run": TickRunSerializer(run).data,
            "replayed": not fresh,
            "ticks": [
                {
                    "number": r.number,
                    "ran": r.ran,
                    "interactions": r.interactions,
                    "events": r.events,
                    "duration_ms": r.duration_ms,
                }
                for r in results
            ],
        }
        location = reverse("api-tick-run", args=[world.pk, run.pk])
        return Response(body, headers={"Location": location, "X-Tick-Run-Id": str(run.pk)})


class TickRunListView(GenericAPIView):
    serializer_class = TickRunSerializer

    @extend_schema(
        operation_id="ecosystems_tick_runs_list",
        parameters=[TickRunQuerySerializer],
        responses=TickRunSerializer(many=True),
        description="The world's tick batches, newest first; ?idempotency_key= finds yours.",
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        query = TickRunQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        runs = tick_runs_for_world(
            ecosystem=world, idempotency_key=query.validated_data.get("idempotency_key")
        )
        page = self.paginate_queryset(runs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TickRunDetailView(APIView):
    @extend_schema(operation_id="ecosystems_tick_runs_retrieve", responses=TickRunSerializer)
    def get(self, request: Request, ecosystem_id: UUID, run_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        run = tick_runs_for_world(ecosystem=world).filter(pk=run_id).first()
        if run is None:
            raise Http404("No tick run with this id in this world.")
        return Response(TickRunSerializer(run).data)
