"""Authoring writes shared by the REST API and the studio: relationships (within the owner's
plan limits, see ``ecosystems/quotas.py``) and deleting a world. Characters are authored by
``characters.services`` (``character_create`` and friends)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from billing.limits import plan_within_check
from characters.models import Character
from core.errors import InvalidInput
from ecosystems.events import access_changed_after_commit
from ecosystems.models import Ecosystem, Relationship
from ecosystems.quotas import relationship_limit_check


@transaction.atomic
def relationship_create(
    *, ecosystem: Ecosystem, source: Character, target: Character, **fields: Any
) -> Relationship:
    """Author how ``source`` regards ``target`` (both of ``ecosystem``); ``PlanLimitReached``
    past the plan's limit, ``InvalidInput`` if it already exists."""
    if source.ecosystem_id != ecosystem.pk or target.ecosystem_id != ecosystem.pk:
        raise InvalidInput(
            "Both characters must belong to this world.",
            details={"target_id": ["Use characters of this world."]},
        )
    if source.pk == target.pk:
        raise InvalidInput(
            "A character cannot have a relationship with itself.",
            details={"target_id": ["Choose another character."]},
        )
    if Relationship.objects.filter(source=source, target=target).exists():
        raise InvalidInput(
            f"{source.name} already has a view of {target.name}; change that one instead.",
            details={"target_id": ["This relationship exists."]},
        )
    plan_within_check(owner=ecosystem.owner)  # over after a downgrade: read-only
    relationship_limit_check(owner=ecosystem.owner)
    relationship = Relationship(ecosystem=ecosystem, source=source, target=target, **fields)
    relationship.full_clean()
    relationship.save(force_insert=True)
    return relationship


@transaction.atomic
def ecosystem_delete(*, ecosystem: Ecosystem) -> None:
    """Delete a world and everything in it (a running world stops: its due ticks find nothing
    to claim); its live sockets are closed once the deletion commits."""
    Ecosystem.objects.filter(pk=ecosystem.pk).delete()
    access_changed_after_commit(ecosystem.pk)
