"""The event log of a world, read with a cursor: ``?after=<seq>&limit=``."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecosystems.access import world_for
from ecosystems.redaction import redactor_for
from ecosystems.selectors import events_after
from ecosystems.serializers import EventPageSerializer, EventQuerySerializer, EventSerializer


class EventListView(APIView):
    @extend_schema(
        operation_id="ecosystems_events_list",
        parameters=[EventQuerySerializer],
        responses=EventPageSerializer,
        description="Events with seq > after, oldest first. Continue with ?after=<next_after> "
        "while has_more; the WebSocket stream takes the same seq to resume.",
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        query = EventQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data["after"], query.validated_data["limit"]
        events = list(events_after(ecosystem_id=world.pk, after=after, limit=limit + 1))
        has_more = len(events) > limit
        view = {"redactor": redactor_for(user=request.user, world=world)}
        events = events[:limit]
        return Response(
            {
                "events": EventSerializer(events, many=True, context=view).data,
                "next_after": events[-1].seq if events else after,
                "has_more": has_more,
            }
        )
