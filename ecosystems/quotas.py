"""Plan limits on what a creator authors: characters and relationships across all their worlds.

The limits are the owner's plan's (``billing.Plan``; ``None`` is unlimited) and count everything
in the owner's worlds. They are checked by the authoring services (``services/authoring.py``),
which the REST API and the studio both call, so both refuse the same sixth character on free.
What the simulation itself forms (two strangers who meet become an acquaintance) is never
refused: a world's life does not stop at a billing limit, only new authoring does.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from billing.models import Plan, Subscription
from billing.selectors import plan_of
from characters.models import Character
from ecosystems.errors import PlanLimitReached
from ecosystems.models import Relationship

UPGRADE_HINT = "Upgrade at /billing/ or remove one."


def characters_used(*, user: AbstractBaseUser) -> int:
    return Character.objects.filter(ecosystem__owner=user).count()


def relationships_used(*, user: AbstractBaseUser) -> int:
    return Relationship.objects.filter(ecosystem__owner=user).count()


def _owner_plan_locked(owner: AbstractBaseUser) -> Plan:
    """The owner's plan, with the subscription row locked until the transaction ends: two
    concurrent creations for one owner count one after the other, so neither slips past."""
    subscription = (
        Subscription.objects.select_for_update().select_related("plan").filter(user=owner).first()
    )
    return subscription.plan if subscription is not None else plan_of(user=owner)


def character_limit_check(*, owner: AbstractBaseUser, adding: int = 1) -> None:
    """Raise ``PlanLimitReached`` if ``owner`` may not author ``adding`` more characters.
    Call inside the transaction that creates them."""
    plan = _owner_plan_locked(owner)
    limit = plan.max_characters
    if limit is None:
        return
    used = characters_used(user=owner)
    if used + adding > limit:
        raise PlanLimitReached(
            f"Plan {plan.name!r} allows {limit} characters; you have {used} across your "
            f"worlds. {UPGRADE_HINT}",
            details={"characters": [f"{used} of {limit} used."]},
        )


def relationship_limit_check(*, owner: AbstractBaseUser, adding: int = 1) -> None:
    """Raise ``PlanLimitReached`` if ``owner`` may not author ``adding`` more relationships."""
    plan = _owner_plan_locked(owner)
    limit = plan.max_relationships
    if limit is None:
        return
    used = relationships_used(user=owner)
    if used + adding > limit:
        raise PlanLimitReached(
            f"Plan {plan.name!r} allows {limit} relationships; you have {used} across your "
            f"worlds. {UPGRADE_HINT}",
            details={"relationships": [f"{used} of {limit} used."]},
        )
