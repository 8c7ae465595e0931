"""What the world commands share: finding the world a command line names."""

from __future__ import annotations

from django.core.management.base import CommandError

from ecosystems.models import Ecosystem


def world_named(name_or_id: str) -> Ecosystem:
    """The one world called ``name_or_id``, or the world with that id; a CommandError that
    says what to pass when none or several match."""
    worlds = Ecosystem.objects.filter(name=name_or_id)
    if not worlds and len(name_or_id) == 36:
        worlds = Ecosystem.objects.filter(pk=name_or_id)
    if len(worlds) != 1:
        found = "no world" if not worlds else f"{len(worlds)} worlds"
        raise CommandError(f"{found} named {name_or_id!r}; pass the world's id instead.")
    return worlds[0]
