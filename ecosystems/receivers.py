"""What the world does when billing says something changed (billing imports none of this)."""

from __future__ import annotations

from typing import Any

from billing.models import Plan
from ecosystems.services.worlds import ecosystems_plan_apply


def plan_changed_apply(
    sender: Any,
    *,
    user: Any,
    old_plan: Plan | None = None,
    new_plan: Plan | None = None,
    **kwargs: Any,
) -> None:
    """``billing.signals.plan_changed``: pause the owner's running worlds when the new plan's
    limits no longer cover what they hold, resume the ones it paused when they do again
    (``ecosystems_plan_apply``). Sent after the plan change commits, so this is its own
    transaction."""
    ecosystems_plan_apply(owner=user, plan=new_plan)
