"""Plan limits on what a creator authors: characters and relationships across all their worlds
(and ``plan_limit_check``, which apps above use for limits of their own, e.g. story exports).

The limits are the owner's plan's (``billing.Plan``; ``None`` is unlimited) and count everything
in the owner's worlds. They are checked by the authoring services (``services/authoring.py``),
which the REST API and the studio both call, so both refuse the same sixth character on free.
What the simulation itself forms (two strangers who meet become an acquaintance) is never
refused: a world's life does not stop at a billing limit, only new authoring does.
"""

from __future__ import annotations

from collections.abc import Callable

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


def characters_room(*, owner: AbstractBaseUser) -> tuple[Plan, int | None]:
    """The owner's plan and how many more characters it allows (``None``: unlimited), with the
    subscription locked as for the checks below."""
    plan = _owner_plan_locked(owner)
    if plan.max_characters is None:
        return plan, None
    return plan, max(0, plan.max_characters - characters_used(user=owner))


def plan_limit_check(
    *,
    owner: AbstractBaseUser,
    limit: str,
    noun: str,
    used: Callable[[], int],
    adding: int = 1,
    counted: str = "across your worlds",
    hint: str = UPGRADE_HINT,
    key: str | None = None,
) -> None:
    """Raise ``PlanLimitReached`` if ``owner``'s plan (its field ``limit``; ``None`` is
    unlimited) does not allow ``adding`` more ``noun`` beyond ``used()``. Call inside the
    transaction that makes them: ``used`` is counted after the owner's subscription is locked.
    ``key`` names the limit in the error's details (default: ``noun``)."""
    plan = _owner_plan_locked(owner)
    allowed = getattr(plan, limit)
    if allowed is None:
        return
    count = used()
    if count + adding > allowed:
        raise PlanLimitReached(
            f"Plan {plan.name!r} allows {allowed} {noun}; you have {count} {counted}. {hint}",
            details={key or noun: [f"{count} of {allowed} used."]},
        )


def character_limit_check(*, owner: AbstractBaseUser, adding: int = 1) -> None:
    """Raise ``PlanLimitReached`` if ``owner`` may not author ``adding`` more characters."""
    plan_limit_check(owner=owner, limit="max_characters", noun="characters", adding=adding,
                     used=lambda: characters_used(user=owner))  # fmt: skip


def relationship_limit_check(*, owner: AbstractBaseUser, adding: int = 1) -> None:
    """Raise ``PlanLimitReached`` if ``owner`` may not author ``adding`` more relationships."""
    plan_limit_check(owner=owner, limit="max_relationships", noun="relationships",
                     adding=adding, used=lambda: relationships_used(user=owner))  # fmt: skip
