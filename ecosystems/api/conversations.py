"""Conversations: start one with characters of a world under a persona, send a message (the
characters answer, with three options, the relationship change and the goal's progress), read
one back with its emotional arc, list or search all of mine."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from characters.engine.emotions import mood_name
from core.serializers import CharacterRefSerializer, StrictSerializer
from ecosystems.access import conversation_for, world_for
from ecosystems.models import Conversation, ConversationMessage
from ecosystems.selectors import conversation_messages, conversations_of
from ecosystems.services.conversations import (
    MAX_MESSAGE_CHARS,
    conversation_start,
    conversations_search,
    message_send,
)


class PersonaSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100, help_text="Who the characters know you as.")
    description = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=1000)  # fmt: skip


class ConversationStartSerializer(StrictSerializer):
    character_ids = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    persona = PersonaSerializer()
    goal = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=300,
        help_text='E.g. "win Bob\'s trust", "find out who has the locket", "make Eve laugh".',
    )


class MessageRequestSerializer(StrictSerializer):
    # The service says what is wrong with an empty or long text (and the limit).
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text=f"At most {MAX_MESSAGE_CHARS} chars."
    )


class ReplySerializer(serializers.Serializer):
    message_id = serializers.UUIDField()
    character_id = serializers.UUIDField()
    name = serializers.CharField()
    text = serializers.CharField()
    emotion = serializers.CharField(help_text="The character's mood after replying.")
    intent = serializers.CharField()


class MessageResponseSerializer(serializers.Serializer):
    message_id = serializers.UUIDField()
    intent = serializers.CharField(help_text="How your words read (compliment, question...).")
    replies = ReplySerializer(many=True)
    options = serializers.ListField(
        child=serializers.CharField(), min_length=3, max_length=3, help_text="Things to say next."
    )
    relationship_change = serializers.DictField(
        help_text="The character's axes deltas toward your persona (by_character in a group)."
    )
    goal_progress = serializers.FloatField(min_value=0.0, max_value=1.0)


class MessageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    seq = serializers.IntegerField()
    speaker_kind = serializers.ChoiceField(choices=ConversationMessage.Speaker.choices)
    character_id = serializers.UUIDField(allow_null=True)
    persona_id = serializers.UUIDField(allow_null=True, help_text="Which person spoke.")
    text = serializers.CharField()
    intent = serializers.CharField(allow_blank=True)
    sentiment = serializers.FloatField()
    emotions = serializers.DictField(child=serializers.FloatField())
    emotion = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


class ArcPointSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    character_id = serializers.UUIDField()
    sentiment = serializers.FloatField()
    emotions = serializers.DictField(child=serializers.FloatField())
    emotion = serializers.CharField()


class ConversationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    ecosystem_id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Conversation.Kind.choices)
    title = serializers.CharField(allow_blank=True, help_text="A room's title.")
    persona = CharacterRefSerializer(allow_null=True, help_text="Empty for a room.")
    characters = CharacterRefSerializer(many=True)
    goal = serializers.CharField(allow_blank=True)
    goal_progress = serializers.FloatField()
    goal_completed_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=Conversation.Status.choices)
    last_message_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class ConversationDetailSerializer(ConversationSerializer):
    messages = MessageSerializer(many=True)
    arc = ArcPointSerializer(many=True, help_text="Each reply's sentiment and emotions.")


class SearchHitSerializer(serializers.Serializer):
    conversation_id = serializers.UUIDField()
    ecosystem_id = serializers.UUIDField()
    message = MessageSerializer()
    score = serializers.FloatField()
    matched = serializers.ChoiceField(choices=["words", "meaning", "both"])


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = SearchHitSerializer(many=True)


class ConversationPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ConversationSerializer(many=True)


class ConversationQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


def _ref(character: Any) -> dict[str, Any]:
    return {"id": character.pk, "name": character.name}


def conversation_data(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.pk,
        "ecosystem_id": conversation.ecosystem_id,
        "kind": conversation.kind,
        "title": conversation.title,
        "persona": _ref(conversation.persona) if conversation.persona else None,
        "characters": [_ref(c) for c in conversation.characters.all()],
        "goal": conversation.goal,
        "goal_progress": conversation.goal_progress,
        "goal_completed_at": conversation.goal_completed_at,
        "status": conversation.status,
        "last_message_at": conversation.last_message_at,
        "created_at": conversation.created_at,
    }


def message_data(message: ConversationMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "seq": message.seq,
        "speaker_kind": message.speaker_kind,
        "character_id": message.character_id,
        "persona_id": message.persona_id,
        "text": message.text,
        "intent": message.intent,
        "sentiment": message.sentiment,
        "emotions": message.emotions,
        "emotion": mood_name(message.emotions) if message.emotions else "",
        "options": message.options,
        "created_at": message.created_at,
    }


def arc_data(messages: list[ConversationMessage]) -> list[dict[str, Any]]:
    return [
        {
            "seq": m.seq,
            "character_id": m.character_id,
            "sentiment": m.sentiment,
            "emotions": m.emotions,
            "emotion": mood_name(m.emotions),
        }
        for m in messages
        if m.speaker_kind == ConversationMessage.Speaker.CHARACTER and m.character_id
    ]


class ConversationStartView(APIView):
    @extend_schema(
        operation_id="ecosystems_conversations_create",
        request=ConversationStartSerializer,
        responses={201: ConversationSerializer},
        description="Talk with characters of your world under a persona (reused by name). "
        "422 when a character is inactive.",
    )
    def post(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        data = ConversationStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = conversation_start(
            user=request.user,
            ecosystem=world,
            character_ids=data.validated_data["character_ids"],
            persona_name=data.validated_data["persona"]["name"],
            persona_description=data.validated_data["persona"]["description"],
            goal=data.validated_data["goal"],
        )
        body = ConversationSerializer(conversation_data(conversation)).data
        return Response(body, status=status.HTTP_201_CREATED)


class MessageCreateView(APIView):
    @extend_schema(
        operation_id="conversations_messages_create",
        request=MessageRequestSerializer,
        responses={201: MessageResponseSerializer},
        description=f"Say something (in a room: as the persona you joined under); every "
        f"character of the conversation answers, and the room's sockets get every message. "
        f"400 for an "
        f"empty message or one over {MAX_MESSAGE_CHARS:,} characters, 409 when archived, 422 "
        "when a character is inactive, 402 past the plan's messages a month.",
    )
    def post(self, request: Request, conversation_id: UUID) -> Response:
        conversation = conversation_for(request.user, conversation_id)
        data = MessageRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent = message_send(
            conversation=conversation, user=request.user, text=data.validated_data["text"]
        )
        return Response(MessageResponseSerializer(sent).data, status=status.HTTP_201_CREATED)


class ConversationDetailView(APIView):
    @extend_schema(operation_id="conversations_retrieve", responses=ConversationDetailSerializer)
    def get(self, request: Request, conversation_id: UUID) -> Response:
        conversation = conversation_for(request.user, conversation_id)
        messages = list(conversation_messages(conversation=conversation))
        body = {
            **conversation_data(conversation),
            "messages": [message_data(m) for m in messages],
            "arc": arc_data(messages),
        }
        return Response(ConversationDetailSerializer(body).data)


class ConversationListView(GenericAPIView):
    serializer_class = ConversationSerializer

    @extend_schema(
        operation_id="conversations_list",
        parameters=[
            OpenApiParameter(
                "q", str, description="Search my messages by words and by meaning instead."
            )
        ],
        responses=PolymorphicProxySerializer(
            component_name="ConversationsOrSearch",
            serializers=[ConversationPageSerializer, SearchResultSerializer],
            resource_type_field_name=None,
        ),
        description="My conversations, newest first (paginated); with ?q= my messages that "
        "match by words or by meaning, best first: {query, results: [{conversation_id, "
        "ecosystem_id, message, score, matched}]}.",
    )
    def get(self, request: Request) -> Response:
        query = ConversationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if q := query.validated_data["q"].strip():
            hits = conversations_search(user=request.user, q=q)
            body = {
                "query": q,
                "results": [
                    {
                        "conversation_id": m.conversation_id,
                        "ecosystem_id": m.conversation.ecosystem_id,
                        "message": message_data(m),
                        "score": round(m.score, 4),
                        "matched": m.matched,
                    }
                    for m in hits
                ],
            }
            return Response(SearchResultSerializer(body).data)
        page = self.paginate_queryset(conversations_of(user=request.user))
        data = ConversationSerializer([conversation_data(c) for c in page], many=True)
        return self.get_paginated_response(data.data)
