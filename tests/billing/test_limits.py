"""The one plan-limit check: apps register what a plan counts; billing names none of them."""

from __future__ import annotations

import pytest
from django.db import transaction

from billing import limits
from billing.limits import (
    Usage,
    over_limits,
    over_limits_message,
    plan_limit_check,
    plan_room,
    plan_within_check,
    usage_register,
    usages,
)
from billing.models import Plan
from core.errors import PlanLimitReached
from tests.factories import UserFactory


def test_the_apps_register_what_the_plans_count() -> None:
    assert {"characters", "relationships", "story_exports"} <= set(usages())
    assert usages()["story_exports"].limit == "story_exports_per_month"
    assert usages()["characters"].kept and not usages()["story_exports"].kept  # monthly


@pytest.mark.django_db
def test_a_registered_usage_is_checked_against_its_plan_field(monkeypatch) -> None:
    monkeypatch.setattr(limits, "_USAGES", dict(limits._USAGES))  # registered for this test only
    owner = UserFactory()
    calls: list[int] = []

    def counted(*, user: object) -> int:
        calls.append(1)
        return 5

    usage_register(Usage(name="test_widgets", limit="max_characters", noun="widgets",
                         count=counted, hint="Remove a widget."))  # fmt: skip
    with transaction.atomic():
        plan, room = plan_room(owner=owner, usage="test_widgets")
        assert room == max(0, plan.max_characters - 5)
        with pytest.raises(PlanLimitReached) as raised:
            plan_limit_check(owner=owner, usage="test_widgets", adding=plan.max_characters)
    assert "allows" in raised.value.message and raised.value.message.endswith("Remove a widget.")
    assert raised.value.details == {"test_widgets": [f"5 of {plan.max_characters} used."]}
    assert calls


@pytest.mark.django_db
def test_over_limits_names_each_kept_usage_held_over_the_plan_and_by_how_much(monkeypatch):
    monkeypatch.setattr(limits, "_USAGES", {})  # only this test's usages
    owner = UserFactory()
    usage_register(Usage(name="widgets", limit="max_characters", noun="widgets",
                         count=lambda *, user: 8))  # fmt: skip
    usage_register(Usage(name="gadgets", limit="max_relationships", noun="gadgets",
                         count=lambda *, user: 11))  # fmt: skip
    usage_register(Usage(name="exports", limit="story_exports_per_month", noun="exports",
                         count=lambda *, user: 99, kept=False))  # fmt: skip
    free = Plan.objects.get(code="free")  # 5 characters, 10 relationships, 3 exports

    over = over_limits(user=owner, plan=free)

    assert [(o.usage, o.count, o.allowed, o.excess) for o in over] == [
        ("widgets", 8, 5, 3),
        ("gadgets", 11, 10, 1),
    ]
    assert over_limits_message(plan=free, over=over) == (
        "Your plan 'Free' allows 5 widgets; you have 8. Remove 3 widgets or upgrade at "
        "/pricing/. Your plan 'Free' allows 10 gadgets; you have 11. Remove 1 gadget or "
        "upgrade at /pricing/."
    )
    assert over_limits(user=owner, plan=Plan.objects.get(code="enterprise")) == []


@pytest.mark.django_db
def test_only_an_owner_a_plan_change_left_over_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "_USAGES", {})
    monkeypatch.setattr(limits, "_HELD", [])
    owner = UserFactory()
    usage_register(Usage(name="widgets", limit="max_characters", noun="widgets",
                         count=lambda *, user: 8))  # fmt: skip
    plan_within_check(owner=owner)  # over, but no plan change put them there: not refused

    limits.plan_hold_register(lambda *, user: True)
    with pytest.raises(PlanLimitReached) as raised:
        plan_within_check(owner=owner)
    assert raised.value.message.startswith(
        "Your plan 'Free' allows 5 widgets; you have 8. Remove 3 widgets or upgrade at /pricing/."
    )
    assert raised.value.details == {"widgets": ["8 of 5 used."]}
