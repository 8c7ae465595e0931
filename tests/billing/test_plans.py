import pytest

from billing.models import Plan
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_three_plans_are_seeded_with_the_design_limits():
    plans = {plan.code: plan for plan in Plan.objects.all()}
    assert set(plans) == {"free", "pro", "enterprise"}
    free, pro, enterprise = plans["free"], plans["pro"], plans["enterprise"]
    assert (free.max_characters, free.max_relationships) == (5, 10)
    assert (free.story_exports_per_month, free.api_calls_per_month) == (3, 1_000)
    assert (pro.max_characters, pro.max_relationships, pro.api_calls_per_month) == (50, 200, 50_000)
    assert pro.story_exports_per_month is None and pro.priority_processing
    assert enterprise.max_characters is None and enterprise.api_calls_per_month is None
    assert enterprise.white_label and enterprise.custom_models and enterprise.dedicated_support


@pytest.mark.django_db
def test_every_new_user_starts_on_free():
    user = UserFactory()
    assert user.subscription.plan.code == "free"
