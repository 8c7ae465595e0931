"""Billing reads that other apps ask: which users' plans have priority processing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import Plan, Subscription
from billing.selectors import users_with_priority_processing
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def on_plan(code: str):
    user = UserFactory()
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code=code))
    return user


def test_pro_and_enterprise_have_priority_processing_and_free_has_not():
    free, pro, enterprise = on_plan("free"), on_plan("pro"), on_plan("enterprise")

    assert users_with_priority_processing(user_ids=[free.pk, pro.pk, enterprise.pk]) == {
        pro.pk,
        enterprise.pk,
    }


def test_many_users_are_answered_in_one_query():
    users = [on_plan(code) for code in ("free", "pro") * 20]

    with CaptureQueriesContext(connection) as queries:
        priority = users_with_priority_processing(user_ids=[u.pk for u in users])

    assert len(priority) == 20 and len(queries) == 1


def test_a_user_without_a_subscription_is_on_the_default_plan():
    user = UserFactory()
    Subscription.objects.filter(user=user).delete()
    assert users_with_priority_processing(user_ids=[user.pk]) == set()

    Plan.objects.filter(is_default=True).update(priority_processing=True)  # staff's choice
    assert users_with_priority_processing(user_ids=[user.pk]) == {user.pk}
    assert users_with_priority_processing(user_ids=[]) == set()
