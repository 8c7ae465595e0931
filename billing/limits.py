"""Plan limits: one check for everything a plan counts, with the counting registered by the apps
that own the counted things (billing sits at the bottom and imports none of them).

An app registers a usage in its ``AppConfig.ready()``::

    usage_register(Usage(name="characters", limit="max_characters", noun="characters",
                         count=characters_used))

and its services call ``plan_limit_check(owner=..., usage="characters")`` inside the transaction
that creates the counted rows. ``GET /api/v1/billing/usage/`` reports every registered usage.
The limits are the owner's plan's fields (``None`` is unlimited).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from billing.models import Plan, Subscription
from billing.selectors import plan_of
from core.errors import PlanLimitReached

UPGRADE_HINT = "Upgrade at /billing/ or remove one."


@dataclass(frozen=True)
class Usage:
    """Something a plan limits: ``count(user=...)`` of it against ``Plan.<limit>``."""

    name: str  # the key in errors' details and in the usage report
    limit: str  # the Plan field
    noun: str  # "characters", "story exports a month"
    count: Callable[..., int]
    counted: str = "across your worlds"  # how ``count`` counts, for the message
    hint: str | Callable[[], str] = UPGRADE_HINT  # what to do; a callable for dated hints


_USAGES: dict[str, Usage] = {}


def usage_register(usage: Usage) -> None:
    """Register (or re-register, e.g. on a reloaded app) a counted usage."""
    _USAGES[usage.name] = usage


def usages() -> dict[str, Usage]:
    return dict(_USAGES)


def plan_locked(*, owner: AbstractBaseUser) -> Plan:
    """The owner's plan, with the subscription row locked until the transaction ends: two
    concurrent creations for one owner count one after the other, so neither slips past."""
    subscription = (
        Subscription.objects.select_for_update().select_related("plan").filter(user=owner).first()
    )
    return subscription.plan if subscription is not None else plan_of(user=owner)


def plan_room(*, owner: AbstractBaseUser, usage: str) -> tuple[Plan, int | None]:
    """The owner's plan and how many more of ``usage`` it allows (``None``: unlimited), with
    the subscription locked as for ``plan_limit_check``."""
    spec = _USAGES[usage]
    plan = plan_locked(owner=owner)
    allowed = getattr(plan, spec.limit)
    if allowed is None:
        return plan, None
    return plan, max(0, allowed - spec.count(user=owner))


def plan_limit_check(*, owner: AbstractBaseUser, usage: str, adding: int = 1) -> None:
    """Raise ``PlanLimitReached`` if ``owner``'s plan does not allow ``adding`` more of
    ``usage``. Call inside the transaction that makes them: the count is taken after the
    owner's subscription is locked."""
    spec = _USAGES[usage]
    plan = plan_locked(owner=owner)
    allowed = getattr(plan, spec.limit)
    if allowed is None:
        return
    count = spec.count(user=owner)
    if count + adding > allowed:
        hint = spec.hint() if callable(spec.hint) else spec.hint
        raise PlanLimitReached(
            f"Plan {plan.name!r} allows {allowed} {spec.noun}; you have {count} {spec.counted}. "
            f"{hint}",
            details={spec.name: [f"{count} of {allowed} used."]},
        )


@dataclass(frozen=True)
class UsageRow:
    """One bar of the billing page: how much of a limit is used."""

    name: str
    label: str
    used: int
    limit: int | None  # None: unlimited

    @property
    def percent(self) -> int:
        """Share of the limit used, 0..100 (0 when unlimited)."""
        if not self.limit:
            return 100 if self.limit == 0 and self.used else 0
        return min(100, round(self.used * 100 / self.limit))

    @property
    def full(self) -> bool:
        return self.limit is not None and self.used >= self.limit

    @property
    def over(self) -> int:
        """How many are over the limit (after a downgrade: kept, paused and read-only)."""
        return max(0, self.used - self.limit) if self.limit is not None else 0


USAGE_LABELS = {
    "characters": "Characters",
    "relationships": "Relationships",
    "story_exports": "Story exports this month",
}


def usage_report(*, user: AbstractBaseUser) -> list[UsageRow]:
    """Every registered usage against the user's plan, and this month's API calls: what
    ``GET /api/v1/billing/usage/`` reports, as rows for the billing page."""
    from billing.metering import api_calls_this_month

    plan = plan_of(user=user)
    rows = [
        UsageRow(
            name=name,
            label=USAGE_LABELS.get(name, spec.noun.capitalize()),
            used=spec.count(user=user),
            limit=getattr(plan, spec.limit),
        )
        for name, spec in sorted(usages().items(), key=lambda item: _label_order(item[0]))
    ]
    rows.append(
        UsageRow(
            name="api_calls",
            label="API calls this month",
            used=api_calls_this_month(user_id=user.pk),
            limit=plan.api_calls_per_month,
        )
    )
    return rows


def _label_order(name: str) -> int:
    order = list(USAGE_LABELS)
    return order.index(name) if name in order else len(order)
