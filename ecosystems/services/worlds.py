"""Ecosystem writes: create a world, start it, pause it, and pause or resume an owner's worlds
when their plan changes (``ecosystems_plan_apply``, on billing's ``plan_changed``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from billing.limits import over_limits, plan_within_check
from billing.models import Plan
from billing.selectors import plan_of
from core.errors import InvalidTransition
from ecosystems.events import access_changed_after_commit, builders, publish
from ecosystems.models import Ecosystem, PlanHold

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


RUN_STATE_FIELDS = ("status", "next_tick_at", "paused_by_plan", "updated_at")


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
    nothing; an archived world raises ``InvalidTransition``; ``PlanLimitReached`` while the
    owner holds more than their plan allows (after a downgrade), saying what to remove."""
    locked = Ecosystem.objects.select_for_update().get(id=ecosystem.id)
    if locked.status == Ecosystem.Status.ARCHIVED:
        raise InvalidTransition(
            f"World {locked.name!r} is archived and cannot be started. "
            "Set its status back to paused first."
        )
    changed = locked.status != Ecosystem.Status.RUNNING
    if changed:
        plan_within_check(owner=locked.owner)
        # Within the plan (or never held): a hold left from a downgrade has been worked off.
        PlanHold.objects.filter(owner_id=locked.owner_id).delete()
        locked.status = Ecosystem.Status.RUNNING
        locked.next_tick_at = timezone.now()
        locked.paused_by_plan = False
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


@transaction.atomic
def ecosystems_plan_apply(*, owner: AbstractBaseUser, plan: Plan | None = None) -> list[Ecosystem]:
    """Make ``owner``'s worlds agree with ``plan`` (default: their plan in force); returns the
    worlds whose run state changed. Called on ``billing.signals.plan_changed``.

    A downgrade deletes nothing. Over any kept limit (more characters or relationships than the
    plan allows): the owner is held (``PlanHold``) and every running world is paused with
    ``paused_by_plan`` set; until the owner removes the excess or upgrades, starting, ticking,
    directing and authoring are refused (``billing.limits.plan_within_check``); reading,
    exporting and deleting stay open.

    Within the limits again, this resumes by itself: the hold is lifted and every world the plan
    paused (and that is still paused, not archived or started since) runs again, first tick due
    now. A world the owner paused by hand is never resumed. An owner who gets back within the
    limits by removing things (no plan change) starts their worlds themselves: ``ecosystem_start``
    then allows it and lifts the hold.
    """
    plan = plan if plan is not None else plan_of(user=owner)
    over = over_limits(user=owner, plan=plan)
    if over:
        PlanHold.objects.update_or_create(owner=owner, defaults={"plan": plan})
        worlds = Ecosystem.objects.select_for_update().filter(
            owner=owner, status=Ecosystem.Status.RUNNING
        )
    else:
        PlanHold.objects.filter(owner=owner).delete()
        worlds = Ecosystem.objects.select_for_update().filter(
            owner=owner, status=Ecosystem.Status.PAUSED, paused_by_plan=True
        )
    changed = []
    for world in worlds.order_by("created_at"):
        if over:
            world.status, world.next_tick_at = Ecosystem.Status.PAUSED, None
            world.paused_by_plan = True
        else:
            world.status, world.next_tick_at = Ecosystem.Status.RUNNING, timezone.now()
            world.paused_by_plan = False
        changed.append(_run_state_saved(ecosystem=world, locked=world, changed=True))
    return changed
