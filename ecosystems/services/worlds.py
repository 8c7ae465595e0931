"""Ecosystem writes: create a world, start it, pause it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.errors import InvalidTransition
from ecosystems.events import access_changed_after_commit, builders, publish
from ecosystems.models import Ecosystem

SLUG_MAX_LENGTH = Ecosystem._meta.get_field("slug").max_length


def ecosystem_slug_unique(
    *, owner: AbstractBaseUser, name: str, exclude_id: object | None = None
) -> str:
    """A slug from ``name`` that no other world of ``owner`` uses: "tea", "tea-2", "tea-3"..."""
    base = (slugify(name) or "world")[: SLUG_MAX_LENGTH - 6].strip("-") or "world"
    taken_qs = Ecosystem.objects.filter(owner=owner, slug__startswith=base)
    if exclude_id is not None:
        taken_qs = taken_qs.exclude(id=exclude_id)
    taken = set(taken_qs.values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


@transaction.atomic
def ecosystem_create(
    *,
    owner: AbstractBaseUser,
    name: str,
    description: str = "",
    setting: str = "",
    **fields: Any,
) -> Ecosystem:
    """Create a draft world for ``owner``; an empty slug is derived from the name."""
    ecosystem = Ecosystem(
        owner=owner, name=name, description=description, setting=setting, **fields
    )
    return ecosystem_save(ecosystem=ecosystem)


@transaction.atomic
def ecosystem_save(*, ecosystem: Ecosystem) -> Ecosystem:
    """Validate and save a new or edited world, filling an empty slug (unique per owner)."""
    if not ecosystem.slug:
        ecosystem.slug = ecosystem_slug_unique(
            owner=ecosystem.owner,
            name=ecosystem.name,
            exclude_id=None if ecosystem._state.adding else ecosystem.id,
        )
    ecosystem.full_clean()
    editing = not ecosystem._state.adding
    ecosystem.save()
    if editing:  # it may have been made private: visitors' sockets decide again
        access_changed_after_commit(ecosystem.pk)
    return ecosystem


RUN_STATE_FIELDS = ("status", "next_tick_at", "updated_at")


def _run_state_saved(*, ecosystem: Ecosystem, locked: Ecosystem, changed: bool) -> Ecosystem:
    """Save the run state of the locked row (if it changed) and mirror it on the caller's
    instance."""
    if changed:
        locked.save(update_fields=list(RUN_STATE_FIELDS))
        publish(
            ecosystem=locked,
            events=[builders.ecosystem_status(status=locked.status)],
        )
    for field in RUN_STATE_FIELDS:
        setattr(ecosystem, field, getattr(locked, field))
    return ecosystem


@transaction.atomic
def ecosystem_start(*, ecosystem: Ecosystem) -> Ecosystem:
    """Run the world: status running, first tick due now. Starting a running world changes
    nothing; an archived world raises ``InvalidTransition``."""
    locked = Ecosystem.objects.select_for_update().get(id=ecosystem.id)
    if locked.status == Ecosystem.Status.ARCHIVED:
        raise InvalidTransition(
            f"World {locked.name!r} is archived and cannot be started. "
            "Set its status back to paused first."
        )
    changed = locked.status != Ecosystem.Status.RUNNING
    if changed:
        locked.status = Ecosystem.Status.RUNNING
        locked.next_tick_at = timezone.now()
    return _run_state_saved(ecosystem=ecosystem, locked=locked, changed=changed)


@transaction.atomic
def ecosystem_pause(*, ecosystem: Ecosystem) -> Ecosystem:
    """Stop ticking a running world; its clock stays where it is until started again.
    Pausing a paused world changes nothing; a draft or archived world raises
    ``InvalidTransition``."""
    locked = Ecosystem.objects.select_for_update().get(id=ecosystem.id)
    if locked.status in (Ecosystem.Status.DRAFT, Ecosystem.Status.ARCHIVED):
        raise InvalidTransition(
            f"World {locked.name!r} is {locked.get_status_display().lower()} and not running, "
            "so there is nothing to pause."
        )
    changed = locked.status != Ecosystem.Status.PAUSED
    if changed:
        locked.status = Ecosystem.Status.PAUSED
        locked.next_tick_at = None
    return _run_state_saved(ecosystem=ecosystem, locked=locked, changed=changed)
