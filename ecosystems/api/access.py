"""Who may read and write which world (see the package docstring)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request

from characters.models import Character
from ecosystems.models import Ecosystem, Scenario

READ_ONLY_MESSAGE = "This public world belongs to someone else: you may read it, not change it."


def _visible(request: Request) -> Q:
    return Q(owner=request.user) | Q(visibility=Ecosystem.Visibility.PUBLIC)


def _check_write(request: Request, world: Ecosystem) -> None:
    if world.owner_id != request.user.pk:
        raise PermissionDenied(READ_ONLY_MESSAGE)


def world_for(
    request: Request, ecosystem_id: Any, *, write: bool = False, with_owner: bool = False
) -> Ecosystem:
    """The world if ``request.user`` may see it (404 otherwise); 403 for a write by a reader.
    ``with_owner`` joins the owner (to show their name)."""
    worlds = Ecosystem.objects.filter(_visible(request), pk=ecosystem_id)
    world = (worlds.select_related("owner") if with_owner else worlds).first()
    if world is None:
        raise NotFound("No world with this id is visible to you.")
    if write:
        _check_write(request, world)
    return world


def character_for(request: Request, character_id: Any, *, write: bool = False) -> Character:
    character = (
        Character.objects.filter(
            Q(ecosystem__owner=request.user) | Q(ecosystem__visibility=Ecosystem.Visibility.PUBLIC),
            pk=character_id,
        )
        .select_related("ecosystem", "ecosystem__owner")
        .first()
    )
    if character is None:
        raise NotFound("No character with this id is visible to you.")
    if write:
        _check_write(request, character.ecosystem)
    return character


def scenario_for(request: Request, scenario_id: Any, *, write: bool = False) -> Scenario:
    scenario = (
        Scenario.objects.filter(
            Q(ecosystem__owner=request.user) | Q(ecosystem__visibility=Ecosystem.Visibility.PUBLIC),
            pk=scenario_id,
        )
        .select_related("ecosystem")
        .first()
    )
    if scenario is None:
        raise NotFound("No scenario with this id is visible to you.")
    if write:
        _check_write(request, scenario.ecosystem)
    return scenario


def is_owner(request: Request, world: Ecosystem) -> bool:
    return world.owner_id == request.user.pk
