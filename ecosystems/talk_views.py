"""The talk page, ``/worlds/<id>/talk/<character id>/``: start a conversation with a character
under a persona (and a goal), then talk: the history, a text box, the three options as buttons
that send their text, the goal's progress and the emotional arc (a chart over a table that says
the same). Plain forms that post and redirect, so it works without JavaScript.
``/conversations/`` lists and searches all of mine."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from characters.engine.emotions import mood_name
from characters.models import PLUTCHIK, Character
from core.errors import DomainError
from ecosystems import access
from ecosystems.models import Conversation, ConversationMessage
from ecosystems.selectors import conversation_messages, conversations_of
from ecosystems.services.conversations import (
    MAX_MESSAGE_CHARS,
    conversation_start,
    conversations_search,
    message_send,
)
from ecosystems.views import render_world, world_for

RECENT_SHOWN = 50  # conversations listed on /conversations/ (search reaches all of them)


def _character(request: HttpRequest, ecosystem_id: UUID, character_id: UUID) -> Character:
    world = world_for(request, ecosystem_id, act=True)  # talking changes the world
    return get_object_or_404(
        Character.objects.select_related("ecosystem"),
        pk=character_id,
        ecosystem=world,
        persona_of=None,
    )


def _page(world_id: UUID, character_id: UUID, conversation: Conversation | None = None) -> str:
    url = reverse("talk", args=[world_id, character_id])
    return f"{url}?c={conversation.pk}#latest" if conversation else url


def _current(request: HttpRequest, character: Character) -> Conversation | None:
    """The conversation the page shows: ``?c=`` if it is mine and with this character, else
    my latest active one with it; ``?new=1`` shows the start form instead."""
    if request.GET.get("new"):
        return None
    mine = Conversation.objects.filter(user=request.user, characters=character).select_related(
        "persona"
    )
    wanted = request.GET.get("c")
    if wanted:
        try:
            return mine.filter(pk=UUID(wanted)).first()
        except ValueError:
            return None
    return mine.filter(status=Conversation.Status.ACTIVE).order_by("-created_at").first()


@login_required
def talk(request: HttpRequest, ecosystem_id: UUID, character_id: UUID) -> HttpResponse:
    character = _character(request, ecosystem_id, character_id)
    world = character.ecosystem
    conversation = _current(request, character)
    turns = list(conversation_messages(conversation=conversation)) if conversation else []
    arc = [
        {
            "seq": m.seq,
            "turn": i,
            "sentiment": round(m.sentiment, 3),
            "mood": mood_name(m.emotions),
            **{e: round(float(m.emotions.get(e, 0.0)), 3) for e in PLUTCHIK},
        }
        for i, m in enumerate(
            (t for t in turns if t.speaker_kind == ConversationMessage.Speaker.CHARACTER), 1
        )
    ]
    options = next(
        (t.options for t in reversed(turns) if t.speaker_kind == "character" and t.options), []
    )
    personas = list(
        Character.objects.filter(ecosystem=world, persona_of=request.user).values_list(
            "name", flat=True
        )
    )
    context: dict[str, Any] = {
        "world": world,
        "is_owner": access.can_edit(request.user, world),
        "character": character,
        "conversation": conversation,
        "turns": turns,
        "options": options,
        "arc": arc,
        "emotion_names": PLUTCHIK,
        "personas": personas,
        "max_chars": MAX_MESSAGE_CHARS,
        "archived": conversation is not None
        and conversation.status == Conversation.Status.ARCHIVED,
    }
    return render_world(request, world, "ecosystems/talk.html", context)


@login_required
@require_POST
def talk_start(request: HttpRequest, ecosystem_id: UUID, character_id: UUID) -> HttpResponse:
    character = _character(request, ecosystem_id, character_id)
    try:
        conversation = conversation_start(
            user=request.user,
            ecosystem=character.ecosystem,
            character_ids=[character.pk],
            persona_name=request.POST.get("persona_name", ""),
            persona_description=request.POST.get("persona_description", "")[:1000],
            goal=request.POST.get("goal", "")[:300],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"{_page(ecosystem_id, character_id)}?new=1")
    return redirect(_page(ecosystem_id, character_id, conversation))


@login_required
@require_POST
def talk_say(request: HttpRequest, ecosystem_id: UUID, character_id: UUID) -> HttpResponse:
    character = _character(request, ecosystem_id, character_id)
    try:
        conversation_id = UUID(request.POST.get("conversation", ""))
    except ValueError:
        raise Http404("No conversation with this id is yours.") from None
    conversation = get_object_or_404(
        Conversation.objects.filter(user=request.user, characters=character), pk=conversation_id
    )
    try:
        message_send(conversation=conversation, user=request.user, text=request.POST.get("text"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_page(ecosystem_id, character_id, conversation))


@login_required
def conversations_page(request: HttpRequest) -> HttpResponse:
    """``/conversations/``: everything I said to characters, across my worlds, newest first;
    ``?q=`` searches it by words and by meaning, each hit linking back to its turn."""
    query = request.GET.get("q", "").strip()[:200]
    hits = conversations_search(user=request.user, q=query) if query else None
    found = [
        {"message": m, "url": _turn_url(m.conversation, m)} for m in hits or []
    ]  # fmt: skip
    recent = [
        {"conversation": c, "url": _turn_url(c, None)}
        for c in conversations_of(user=request.user).select_related("ecosystem")[:RECENT_SHOWN]
    ]
    context = {"query": query, "found": found if hits is not None else None, "recent": recent}
    return render(request, "ecosystems/conversations.html", context)


def _turn_url(conversation: Conversation, message: ConversationMessage | None) -> str:
    """The talk page of ``conversation`` (with its first character), or its room's page, at
    ``message``."""
    anchor = f"#turn-{message.seq}" if message else "#latest"
    if conversation.kind == Conversation.Kind.ROOM:
        return reverse("room", args=[conversation.ecosystem_id, conversation.pk]) + anchor
    character = message.character if message and message.character_id else None
    if character is None:
        character = conversation.characters.order_by("name").first()
    if character is None:  # every character of it was deleted
        return reverse("observatory", args=[conversation.ecosystem_id])
    url = reverse("talk", args=[conversation.ecosystem_id, character.pk])
    return f"{url}?c={conversation.pk}{anchor}"
