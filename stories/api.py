"""Stories over the REST API: a world's stories (``?status=``), one story, its export."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecosystems.access import visible_worlds, world_for
from ecosystems.redaction import redactor_for
from stories.analytics import analytics_world_for, world_analytics
from stories.models import Story
from stories.selectors import stories_for_world, story_with_beats
from stories.serializers import (
    AnalyticsQuerySerializer,
    AnalyticsSerializer,
    SocialQuerySerializer,
    SocialSerializer,
    StoryDetailSerializer,
    StoryExportQuerySerializer,
    StoryQuerySerializer,
    StorySerializer,
)
from stories.services import story_export
from stories.society import social_view


def _story_for(request: Request, story_id: UUID) -> Story:
    """A story of a world ``request.user`` may read (404 otherwise). Reading a public world's
    stories, and exporting them, is open to every signed-in user."""
    visible = Story.objects.filter(ecosystem__in=visible_worlds(request.user), pk=story_id).exists()
    story = story_with_beats(story_id=story_id) if visible else None
    if story is None:
        raise NotFound("No story with this id is visible to you.")
    return story


class StoryListView(GenericAPIView):
    serializer_class = StorySerializer

    @extend_schema(
        operation_id="ecosystems_stories_list",
        parameters=[StoryQuerySerializer],
        responses=StorySerializer(many=True),
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        query = StoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        stories = stories_for_world(ecosystem=world, status=query.validated_data.get("status"))
        # The list shows the cast from the story row; beats and participants are the detail's.
        page = self.paginate_queryset(stories.prefetch_related(None))
        data = StorySerializer(page, many=True).data
        redactor = redactor_for(user=request.user, world=world)
        return self.get_paginated_response(redactor.value(data))


class StoryDetailView(APIView):
    @extend_schema(operation_id="stories_retrieve", responses=StoryDetailSerializer)
    def get(self, request: Request, story_id: UUID) -> Response:
        story = _story_for(request, story_id)
        redactor = redactor_for(user=request.user, world=story.ecosystem)
        return Response(redactor.value(StoryDetailSerializer(story).data))


class StoryExportView(APIView):
    @extend_schema(
        operation_id="stories_export",
        parameters=[StoryExportQuerySerializer],
        responses={
            (200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR),
            (200, "text/html"): OpenApiResponse(OpenApiTypes.STR),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "application/epub+zip"): OpenApiResponse(OpenApiTypes.BINARY),
        },
        description="The story as a file. Counts against the plan's story exports a month "
        "(402 when they are used up).",
    )
    def get(self, request: Request, story_id: UUID) -> HttpResponse:
        story = _story_for(request, story_id)
        query = StoryExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        file = story_export(
            story=story,
            user=request.user,
            fmt=query.validated_data["format"],
            redactor=redactor_for(user=request.user, world=story.ecosystem),
        )
        response = HttpResponse(file.content, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response


class AnalyticsView(APIView):
    @extend_schema(
        operation_id="ecosystems_analytics_retrieve",
        parameters=[AnalyticsQuerySerializer],
        responses=AnalyticsSerializer,
        description="The world's figures day by day for its owner (and staff): stories by genre "
        "and status, brewing to climax (median and p90), interactions by day, tick and type, "
        "the most active characters, director interventions and conversations.",
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = analytics_world_for(request.user, ecosystem_id)
        query = AnalyticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        figures = world_analytics(ecosystem=world, days=query.validated_data["days"])
        return Response(figures.as_dict())


class SocialView(APIView):
    @extend_schema(
        operation_id="ecosystems_social_retrieve",
        parameters=[SocialQuerySerializer],
        responses=SocialSerializer,
        description="The world's social analytics (communities, influence, power, emotional "
        "contagion, brokers, isolates, alliances, an interaction heatmap, findings) from its "
        "latest snapshot, or the one `at` names, with the history of every snapshot's figures.",
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        query = SocialQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        view = social_view(ecosystem=world, at=query.validated_data.get("at"))
        if view is None:
            raise NotFound("No snapshot of this world at that id or tick; see `history`.")
        redactor = redactor_for(user=request.user, world=world)
        return Response(redactor.value(view.as_dict()))


urlpatterns = [
    path(
        "ecosystems/<uuid:ecosystem_id>/analytics/",
        AnalyticsView.as_view(),
        name="api-ecosystem-analytics",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/social/",
        SocialView.as_view(),
        name="api-ecosystem-social",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/stories/",
        StoryListView.as_view(),
        name="api-ecosystem-stories",
    ),
    path("stories/<uuid:story_id>/", StoryDetailView.as_view(), name="api-story"),
    path("stories/<uuid:story_id>/export/", StoryExportView.as_view(), name="api-story-export"),
]
