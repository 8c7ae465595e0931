"""Plan limits: one check for everything a plan counts, with the counting registered by the apps
that own the counted things (billing sits at the bottom and imports none of them).

An app registers a usage in its ``AppConfig.ready()``::

    usage_register(Usage(name="characters", limit="max_characters", noun="characters",
                         count=characters_used))

and its services call ``plan_limit_check(owner=..., usage="characters")`` inside the transaction
that creates the counted rows. ``GET /api/v1/billing/usage/`` reports every registered usage.
The limits are the owner's plan's fields (``None`` is unlimited).

A downgrade deletes nothing: an owner may hold more of a *kept* usage (characters,
relationships) than their new plan allows. ``over_limits`` says what is over and by how much.
The app that reacts to plan changes (ecosystems) records who a plan change left over and
registers how to ask (``plan_hold_register``); ``plan_within_check`` then refuses changes
while such an owner is still over (the apps call it before starting, ticking, directing or
authoring), with a message that says what to remove or where to upgrade.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from billing.models import Plan, Subscription
from billing.selectors import plan_of
from core.errors import PlanLimitReached

PRICING_URL = "/pricing/"  # the plans and their prices, where an upgrade starts
UPGRADE_HINT = f"Upgrade at {PRICING_URL} or remove one."


@dataclass(frozen=True)
class Usage:
    """Something a plan limits: ``count(user=...)`` of it against ``Plan.<limit>``."""

    name: str  # the key in errors' details and in the usage report
    limit: str  # the Plan field
    noun: str  # "characters", "story exports a month"
    count: Callable[..., int]
    counted: str = "across your worlds"  # how ``count`` counts, for the message
    hint: str | Callable[[], str] = UPGRADE_HINT  # what to do; a callable for dated hints
    # Kept things the owner holds (characters): a downgrade can leave more of them than the
    # plan allows. A monthly quota (story exports) is only used up, never over: not kept.
    kept: bool = True


@dataclass(frozen=True)
class OverLimit:
    """One kept usage an owner holds more of than their plan allows."""

    usage: str
    noun: str
    count: int
    allowed: int

    @property
    def excess(self) -> int:
        return self.count - self.allowed


_USAGES: dict[str, Usage] = {}
# Whether a plan change left ``user`` over their plan (registered by the app that records it).
_HELD: list[Callable[..., bool]] = []


def usage_register(usage: Usage) -> None:
    """Register (or re-register, e.g. on a reloaded app) a counted usage."""
    _USAGES[usage.name] = usage


def usages() -> dict[str, Usage]:
    return dict(_USAGES)


def plan_hold_register(held: Callable[..., bool]) -> None:
    """Register ``held(user=...)``: a plan change left this user over their plan. Registering
    the same function again (a reloaded app) keeps one."""
    if held not in _HELD:
        _HELD.append(held)


def plan_held(*, user: AbstractBaseUser) -> bool:
    return any(held(user=user) for held in _HELD)


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


def plan_limit_check(*, owner: AbstractBaseUser, usage: str, adding: int = 1) -> Plan:
    """Raise ``PlanLimitReached`` if ``owner``'s plan does not allow ``adding`` more of
    ``usage``; the plan otherwise (a caller that needs more of it reads it once). Call inside
    the transaction that makes them: the count is taken after the owner's subscription is
    locked."""
    spec = _USAGES[usage]
    plan = plan_locked(owner=owner)
    allowed = getattr(plan, spec.limit)
    if allowed is None:
        return plan
    count = spec.count(user=owner)
    if count + adding > allowed:
        hint = spec.hint() if callable(spec.hint) else spec.hint
        to_free = count + adding - allowed
        if hint == UPGRADE_HINT and to_free != 1:  # over after a downgrade, or adding many
            hint = f"Upgrade at {PRICING_URL} or remove {to_free} {spec.noun}."
        raise PlanLimitReached(
            f"Plan {plan.name!r} allows {allowed} {spec.noun}; you have {count} {spec.counted}. "
            f"{hint}",
            details={spec.name: [f"{count} of {allowed} used."]},
        )
    return plan


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
    "conversation_messages": "Conversation messages this month",
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


def over_limits(*, user: AbstractBaseUser, plan: Plan | None = None) -> list[OverLimit]:
    """The kept usages ``user`` holds more of than ``plan`` (default: their plan in force)
    allows, in registration order; empty when everything fits. A plain read (no lock): a
    refusal based on it is advice to the owner, not a count that must not be overshot."""
    plan = plan if plan is not None else plan_of(user=user)
    over = []
    for spec in _USAGES.values():
        allowed = getattr(plan, spec.limit)
        if not spec.kept or allowed is None:
            continue
        count = spec.count(user=user)
        if count > allowed:
            over.append(OverLimit(usage=spec.name, noun=spec.noun, count=count, allowed=allowed))
    return over


def over_limits_message(*, plan: Plan, over: list[OverLimit]) -> str:
    """What is over and what to do, e.g. "Your plan 'Free' allows 5 characters; you have 8.
    Remove 3 characters or upgrade at /pricing/." (one sentence pair per usage over)."""
    return " ".join(
        f"Your plan {plan.name!r} allows {o.allowed} {o.noun}; you have {o.count}. "
        f"Remove {o.excess} {_counted(o.noun, o.excess)} or upgrade at {PRICING_URL}."
        for o in over
    )


def _counted(noun: str, n: int) -> str:
    """Singular for one ("1 character", "3 characters"): kept usages' nouns are plain plurals."""
    return noun.removesuffix("s") if n == 1 else noun


def plan_within_check(*, owner: AbstractBaseUser) -> None:
    """Raise ``PlanLimitReached`` while a plan change has left ``owner`` holding more than their
    plan allows (``plan_held``) and they still do: their worlds are read-only until they remove
    the excess or upgrade. Removing (deleting characters, relationships, worlds) is never
    refused, so the way out stays open. Someone over without a plan change (seeded data, a
    limit edited in admin) is not refused here; ``plan_limit_check`` still stops them adding."""
    if not plan_held(user=owner):
        return
    plan = plan_of(user=owner)
    over = over_limits(user=owner, plan=plan)
    if over:
        raise PlanLimitReached(
            f"{over_limits_message(plan=plan, over=over)} Until then your worlds stay paused "
            "and read-only; nothing in them is deleted.",
            details={o.usage: [f"{o.count} of {o.allowed} used."] for o in over},
        )
