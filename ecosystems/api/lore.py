"""A world's lore over the API: list and search (words and meaning), write or propose, vote,
and the owner's review."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import InvalidInput
from core.serializers import StrictSerializer
from ecosystems.access import can_edit, world_for
from ecosystems.models import LORE_TEXT_CHARS, LORE_TITLE_CHARS, LoreEntry
from ecosystems.redaction import Redactor, redactor_for
from ecosystems.selectors import lore_entry_for, lore_for_viewer, lore_search, lore_votes_of
from ecosystems.services.lore import lore_create, lore_review, lore_vote


class LoreEntrySerializer(serializers.Serializer):
    """An entry as its reader may see it (the ``redactor`` in the context): a secret entry's
    text and who knows it are the owner's only."""

    id = serializers.UUIDField()
    ecosystem_id = serializers.UUIDField()
    title = serializers.CharField()
    text = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    visibility = serializers.ChoiceField(choices=LoreEntry.Visibility.choices)
    group = serializers.CharField(help_text="For group lore: the alliance whose members know it.")
    knowers = serializers.ListField(
        child=serializers.DictField(), help_text="For secret lore: [{id, name}] (owner only)."
    )
    status = serializers.ChoiceField(choices=LoreEntry.Status.choices)
    author = serializers.CharField(allow_null=True)
    score = serializers.IntegerField()
    my_vote = serializers.IntegerField(allow_null=True)
    similarity = serializers.FloatField(
        allow_null=True, help_text="For a search by meaning: cosine similarity to the query."
    )
    created_at = serializers.DateTimeField()

    def to_representation(self, entry: LoreEntry) -> dict[str, Any]:
        redactor: Redactor = self.context["redactor"]
        votes: dict[Any, int] = self.context.get("votes", {})
        secret = entry.visibility == LoreEntry.Visibility.SECRET
        knowers = [] if redactor.visitor else [
            {"id": str(c.pk), "name": c.name} for c in entry.knowers.all()
        ]  # fmt: skip
        return {
            "id": str(entry.pk),
            "ecosystem_id": str(entry.ecosystem_id),
            "title": redactor.text(entry.title),
            "text": redactor.lore_text(entry.text, secret=secret),
            "tags": list(entry.tags),
            "visibility": entry.visibility,
            "group": entry.group,
            "knowers": knowers,
            "status": entry.status,
            "author": entry.author.username if entry.author_id and entry.author else None,
            "score": entry.score,
            "my_vote": votes.get(entry.pk),
            "similarity": getattr(entry, "similarity", None),
            "created_at": serializers.DateTimeField().to_representation(entry.created_at),
        }


class LoreWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=LORE_TITLE_CHARS)
    text = serializers.CharField(max_length=LORE_TEXT_CHARS)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, default=list, max_length=50
    )
    visibility = serializers.ChoiceField(
        choices=LoreEntry.Visibility.choices, required=False, default="public"
    )
    group = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    knower_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=200,
        help_text="For secret lore: the characters who know it.",
    )  # fmt: skip


class LoreVoteSerializer(StrictSerializer):
    value = serializers.IntegerField(help_text="1 (up) or -1 (down); a second vote replaces it.")


def _body(request: Request, entry: LoreEntry) -> dict[str, Any]:
    redactor = redactor_for(user=request.user, world=entry.ecosystem)
    context = {"redactor": redactor, "votes": lore_votes_of(user=request.user, entries=[entry])}
    return LoreEntrySerializer(entry, context=context).data


class LoreListView(APIView):
    @extend_schema(
        operation_id="ecosystems_lore_list",
        parameters=[
            OpenApiParameter("q", str, description="Words, or what it means (by embedding)."),
            OpenApiParameter("tag", str, description="Only entries with this tag."),
            OpenApiParameter("status", str, enum=LoreEntry.Status.values),
        ],
        responses=LoreEntrySerializer(many=True),
        description="The world's lore you may see: approved entries, and your own proposals "
        "(the owner sees every entry). With q: entries holding its words first, then those "
        "close in meaning (each with its similarity).",
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        found = lore_search(
            entries=lore_for_viewer(ecosystem=world, user=request.user),
            q=str(request.query_params.get("q", ""))[:500],
            tag=str(request.query_params.get("tag", ""))[:64],
            status=_status(request.query_params.get("status", "")),
            visitor=not can_edit(request.user, world),
        )
        context = {
            "redactor": redactor_for(user=request.user, world=world),
            "votes": lore_votes_of(user=request.user, entries=found),
        }
        return Response(LoreEntrySerializer(found, many=True, context=context).data)

    @extend_schema(
        operation_id="ecosystems_lore_create",
        request=LoreWriteSerializer,
        responses={201: LoreEntrySerializer},
        description="The owner's entry is approved at once; a visitor of a public world "
        "proposes one (status proposed) for the owner to approve or reject.",
    )
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id)
        data = LoreWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = lore_create(ecosystem=world, author=request.user, **data.validated_data)
        entry = lore_entry_for(request.user, entry.pk)
        return Response(_body(request, entry), status=status.HTTP_201_CREATED)


def _status(value: Any) -> str:
    value = str(value or "")
    if value and value not in LoreEntry.Status.values:
        raise InvalidInput(f"status must be one of: {', '.join(LoreEntry.Status.values)}.")
    return value


class LoreVoteView(APIView):
    @extend_schema(
        operation_id="lore_vote",
        request=LoreVoteSerializer,
        responses=LoreEntrySerializer,
        description="Vote an entry up (1) or down (-1); voting again replaces your vote.",
    )
    def post(self, request: Request, entry_id: UUID) -> Response:
        entry = lore_entry_for(request.user, entry_id)
        data = LoreVoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = lore_vote(entry=entry, user=request.user, value=data.validated_data["value"])
        return Response(_body(request, entry))


class LoreReviewView(APIView):
    decision = ""

    @extend_schema(
        request=None,
        responses=LoreEntrySerializer,
        description="The owner's review: approve a proposal (characters come to know it) or "
        "reject it. 409 when it already is so.",
    )
    def post(self, request: Request, entry_id: UUID) -> Response:
        entry = lore_entry_for(request.user, entry_id)
        world_for(request.user, entry.ecosystem_id, edit=True)
        entry = lore_review(entry=entry, decision=self.decision)
        return Response(_body(request, entry))


class LoreApproveView(LoreReviewView):
    decision = "approve"

    @extend_schema(operation_id="lore_approve", request=None, responses=LoreEntrySerializer)
    def post(self, request: Request, entry_id: UUID) -> Response:
        return super().post(request, entry_id)


class LoreRejectView(LoreReviewView):
    decision = "reject"

    @extend_schema(operation_id="lore_reject", request=None, responses=LoreEntrySerializer)
    def post(self, request: Request, entry_id: UUID) -> Response:
        return super().post(request, entry_id)
