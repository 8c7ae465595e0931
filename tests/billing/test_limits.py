"""The one plan-limit check: apps register what a plan counts; billing names none of them."""

from __future__ import annotations

import pytest
from django.db import transaction

from billing import limits
from billing.limits import Usage, plan_limit_check, plan_room, usage_register, usages
from core.errors import PlanLimitReached
from tests.factories import UserFactory


def test_the_apps_register_what_the_plans_count() -> None:
    assert {"characters", "relationships", "story_exports"} <= set(usages())
    assert usages()["story_exports"].limit == "story_exports_per_month"


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
