"""Who may read and who may change which world: the one access module.

Pages, the REST API, the WebSocket stream and the studio all decide through these functions,
which rest on the two rules of ``EcosystemQuerySet`` (``visible_to`` and ``editable_by``):

- the owner reads and changes their world;
- any signed-in user reads a public world, as a *visitor*: they see what the owner would
  show (``ecosystems.redaction`` hides secrets and hidden objectives), never change it;
- nobody else learns that a world exists: 404, never 403.

The lookups raise Django's ``Http404`` and ``PermissionDenied`` with a message that says
what to do; pages render them, the API's error handler turns them into its envelope.
"""

from __future__ import annotations

import enum
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from characters.models import Character
from ecosystems.models import Conversation, Ecosystem, Scenario

READ_ONLY_MESSAGE = "This public world belongs to someone else: you may read it, not change it."


class Audience(enum.Enum):
    """How much of a world a reader sees."""

    OWNER = "owner"  # everything
    VISITOR = "visitor"  # a public world of someone else: secrets redacted


def visible_worlds(user: Any) -> QuerySet[Ecosystem]:
    return Ecosystem.objects.visible_to(user)


def editable_worlds(user: Any) -> QuerySet[Ecosystem]:
    return Ecosystem.objects.editable_by(user)


def can_edit(user: Any, world: Ecosystem) -> bool:
    """``user`` may change, run and direct ``world`` (the rule of ``editable_by``, on a loaded
    row)."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and world.owner_id == user.pk
    )


def audience(user: Any, world: Ecosystem) -> Audience:
    """What ``user``, who may see ``world``, is shown of it."""
    return Audience.OWNER if can_edit(user, world) else Audience.VISITOR


def viewer_now(*, user_id: Any, ecosystem_id: Any) -> tuple[Any, Ecosystem | None] | None:
    """The user, if still active, and the world, if they may still see it: what a live
    socket asks at its handshake and at every re-check. ``None`` for the world when it is
    gone or private to them; ``None`` altogether when the user is gone or deactivated."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    world = visible_worlds(user).filter(pk=ecosystem_id).only("pk", "owner_id").first()
    return user, world


def _check_edit(user: Any, world: Ecosystem) -> None:
    if not can_edit(user, world):
        raise PermissionDenied(READ_ONLY_MESSAGE)


def world_for(user: Any, ecosystem_id: Any, *, edit: bool = False) -> Ecosystem:
    """The world, its owner joined, if ``user`` may see it (``Http404`` otherwise);
    ``PermissionDenied`` when ``edit`` and ``user`` only reads it."""
    world = visible_worlds(user).filter(pk=ecosystem_id).select_related("owner").first()
    if world is None:
        raise Http404("No world with this id is visible to you.")
    if edit:
        _check_edit(user, world)
    return world


def character_for(user: Any, character_id: Any, *, edit: bool = False) -> Character:
    """A character of a world ``user`` may see, its world and owner joined."""
    character = (
        Character.objects.filter(ecosystem__in=visible_worlds(user), pk=character_id)
        .select_related("ecosystem", "ecosystem__owner")
        .first()
    )
    if character is None:
        raise Http404("No character with this id is visible to you.")
    if edit:
        _check_edit(user, character.ecosystem)
    return character


def scenario_for(user: Any, scenario_id: Any, *, edit: bool = False) -> Scenario:
    """A scenario of a world ``user`` may see, its world joined."""
    scenario = (
        Scenario.objects.filter(ecosystem__in=visible_worlds(user), pk=scenario_id)
        .select_related("ecosystem")
        .first()
    )
    if scenario is None:
        raise Http404("No scenario with this id is visible to you.")
    if edit:
        _check_edit(user, scenario.ecosystem)
    return scenario


def conversation_for(user: Any, conversation_id: Any) -> Conversation:
    """One of ``user``'s own conversations, in a world they may still see (``Http404``
    otherwise: someone else's conversation is never revealed)."""
    conversation = (
        Conversation.objects.filter(
            Q(kind=Conversation.Kind.CONVERSATION, user=user)
            | Q(
                kind=Conversation.Kind.ROOM,
                participants__user=user,
                participants__left_at__isnull=True,
            ),
            pk=conversation_id,
            ecosystem__in=visible_worlds(user),
        )
        .select_related("ecosystem", "persona")
        .first()
        if user is not None and user.is_authenticated
        else None
    )
    if conversation is None:
        raise Http404("No conversation with this id is yours (a room: join it first).")
    return conversation


def room_for(user: Any, room_id: Any) -> Conversation:
    """A room of a world ``user`` may see (the owner's, or a public one): what one may join
    or leave. ``Http404`` otherwise."""
    room = (
        Conversation.objects.filter(
            pk=room_id, kind=Conversation.Kind.ROOM, ecosystem__in=visible_worlds(user)
        )
        .select_related("ecosystem", "ecosystem__owner")
        .first()
        if user is not None and user.is_authenticated
        else None
    )
    if room is None:
        raise Http404("No room with this id is visible to you.")
    return room
