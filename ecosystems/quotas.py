"""What a creator's plan counts in their worlds: relationships across all the owner's worlds,
registered with ``billing.limits`` (the one plan-limit check) at start-up (characters are
counted by ``characters.services``), and whether a plan change left the owner over their plan
(``PlanHold``: their worlds are read-only until they fit again).

The authoring services (``services/authoring.py``), which the REST API and the studio both call,
check them, so both refuse the same sixth character on free. What the simulation itself forms
(two strangers who meet become an acquaintance) is never refused: a world's life does not stop
at a billing limit, only new authoring does.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from billing.limits import Usage, plan_hold_register, plan_limit_check, usage_register
from ecosystems.models import PlanHold, Relationship


def relationships_used(*, user: AbstractBaseUser) -> int:
    # Ties to a person's persona are formed by talking, not authored: they never count.
    return (
        Relationship.objects.filter(ecosystem__owner=user)
        .exclude(source__persona_of__isnull=False)
        .exclude(target__persona_of__isnull=False)
        .count()
    )


def plan_held(*, user: AbstractBaseUser) -> bool:
    """A plan change left ``user`` over their plan (``PlanHold``, kept by
    ``ecosystems_plan_apply``)."""
    return PlanHold.objects.filter(owner=user).exists()


def usages_register() -> None:
    """Called from ``EcosystemsConfig.ready()``."""
    usage_register(Usage(name="relationships", limit="max_relationships", noun="relationships",
                         count=relationships_used))  # fmt: skip
    plan_hold_register(plan_held)
    from ecosystems.services.conversations import conversation_messages_this_month

    usage_register(
        Usage(
            name="conversation_messages",
            limit="conversation_messages_per_month",
            noun="conversation messages a month",
            count=conversation_messages_this_month,
            counted="this month",
            hint=_messages_hint,
            kept=False,  # a monthly quota: used up, never held over after a downgrade
        )
    )


def _messages_hint() -> str:
    from billing.metering import next_month_start

    return f"Upgrade at /pricing/ or wait until {next_month_start():%B} 1."


def relationship_limit_check(*, owner: AbstractBaseUser, adding: int = 1) -> None:
    """Raise ``PlanLimitReached`` if ``owner`` may not author ``adding`` more relationships."""
    plan_limit_check(owner=owner, usage="relationships", adding=adding)
