"""Society: the interaction catalogue, making an interaction happen, relationships and the
graph of a world."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from characters.engine.emotions import mood_name
from characters.engine.interactions import CATALOGUE
from characters.models import Character
from core.errors import InvalidInput
from ecosystems.access import character_for, world_for
from ecosystems.graph.services import graph_analytics, graph_configured
from ecosystems.selectors import characters_for_world, relationships_for_graph
from ecosystems.serializers import (
    GraphQuerySerializer,
    GraphSerializer,
    InteractionRequestSerializer,
    InteractionResponseSerializer,
    InteractionTypeSerializer,
    RelationshipSerializer,
    RelationshipWriteSerializer,
)
from ecosystems.services import interaction_process
from ecosystems.services.authoring import relationship_create

# What a relationship row needs from its two ends: their id and name, not the whole character.
RELATIONSHIP_COLUMNS = (
    "id", "kind", "strength", "trust", "familiarity", "attraction", "updated_at",
    "source__id", "source__name", "target__id", "target__name",
)  # fmt: skip


class InteractionTypesView(APIView):
    @extend_schema(
        operation_id="interactions_types_list", responses=InteractionTypeSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        types = [
            {
                "name": t.name,
                "label": t.label,
                "valence": t.valence,
                "intensity": t.intensity,
                "energy_cost": t.energy_cost,
                "conflict": t.conflict,
                "needs_subject": t.needs_subject,
                "needs_secret": t.needs_secret,
            }
            for t in CATALOGUE.values()
        ]
        return Response(InteractionTypeSerializer(types, many=True).data)


class InteractionCreateView(APIView):
    @extend_schema(
        operation_id="interactions_create",
        request=InteractionRequestSerializer,
        responses={201: InteractionResponseSerializer},
        description="The initiator does something to the target (same world, the initiator's "
        "owner only). 422 when the characters would not do it now (the message says why).",
    )
    def post(self, request: Request) -> Response:
        data = InteractionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiator = character_for(request.user, data.validated_data["initiator_id"], edit=True)
        target = Character.objects.filter(
            pk=data.validated_data["target_id"], ecosystem_id=initiator.ecosystem_id
        ).first()
        if target is None:
            raise InvalidInput(
                "target_id names no character of the initiator's world.",
                details={"target_id": ["Use a character of the same world."]},
            )
        result = interaction_process(
            initiator=initiator,
            target=target,
            interaction_type=data.validated_data["interaction_type"],
            content=data.validated_data["content"],
            context=data.validated_data["context"],
        )
        body = InteractionResponseSerializer(result).data
        return Response(body, status=status.HTTP_201_CREATED)


class RelationshipListView(GenericAPIView):
    serializer_class = RelationshipSerializer

    @extend_schema(
        operation_id="ecosystems_relationships_list", responses=RelationshipSerializer(many=True)
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        rows = relationships_for_graph(ecosystem=world).only(*RELATIONSHIP_COLUMNS)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RelationshipSerializer(page, many=True).data)

    @extend_schema(
        operation_id="ecosystems_relationships_create",
        request=RelationshipWriteSerializer,
        responses={201: RelationshipSerializer},
        description="Author how one character regards another. 402 past the plan's limit.",
    )
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        data = RelationshipWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        people = {
            c.pk: c
            for c in Character.objects.filter(
                ecosystem=world, pk__in=[fields["source_id"], fields["target_id"]]
            )
        }
        missing = [f for f in ("source_id", "target_id") if fields[f] not in people]
        if missing:
            raise InvalidInput(
                "Both characters must belong to this world.",
                details={f: ["No character of this world has this id."] for f in missing},
            )
        source, target = people[fields.pop("source_id")], people[fields.pop("target_id")]
        relationship = relationship_create(ecosystem=world, source=source, target=target, **fields)
        return Response(RelationshipSerializer(relationship).data, status=status.HTTP_201_CREATED)


class GraphView(APIView):
    @extend_schema(
        operation_id="ecosystems_graph_retrieve",
        parameters=[GraphQuerySerializer],
        responses=GraphSerializer,
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        query = GraphQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # Plain rows, not model instances: the graph needs a few columns of each, and building
        # full characters (backstory, goals...) cost most of the response time.
        people = characters_for_world(ecosystem=world).values(
            "id", "name", "is_active", "social_energy", "emotions", "persona_of_id"
        )
        nodes = [
            {
                "id": str(c["id"]),
                "name": c["name"],
                "is_active": c["is_active"],
                "social_energy": c["social_energy"],
                "mood": mood_name(c.pop("emotions")),
                "is_person": c["persona_of_id"] is not None,
            }
            for c in people
        ]
        edges = [
            {
                "id": str(e["id"]),
                "source": str(e.pop("source_id")),
                "target": str(e.pop("target_id")),
                **{k: v for k, v in e.items() if k != "id"},
            }
            for e in relationships_for_graph(ecosystem=world).values(
                "id", "source_id", "target_id", "kind", "strength", "trust", "familiarity",
                "attraction",
            )
        ]  # fmt: skip
        body: dict = {"nodes": nodes, "edges": edges}  # the shape of GraphSerializer
        if graph_configured():
            path = query.validated_data
            body["graph_db"] = graph_analytics(
                ecosystem=world,
                path_from=str(path["path_from"]) if "path_from" in path else None,
                path_to=str(path["path_to"]) if "path_to" in path else None,
            )
        return Response(body)
