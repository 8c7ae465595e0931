"""Billing in /admin/: staff set a plan by hand and the apps above billing hear of it; the
payment server's mirrors (invoices, events, notices) are read-only."""

from __future__ import annotations

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse

from billing.models import Invoice, Notice, Plan, StripeEvent, Subscription
from billing.signals import plan_changed
from tests.factories import InvoiceFactory, StripeEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _url(model, view: str, *args) -> str:
    """An admin URL, its primary key quoted as the admin's own links do: an event id such as
    "evt_test_2361" would otherwise come back as "evt_test#61" ("_23" is a quoted "#")."""
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=[quote(a) for a in args])


def test_a_plan_set_by_staff_is_announced_like_any_plan_change(
    staff_client, owner, django_capture_on_commit_callbacks
):
    seen = []
    plan_changed.connect(
        lambda sender, user, old_plan, new_plan, **kw: seen.append((old_plan.code, new_plan.code)),
        dispatch_uid="test-admin-plan",
        weak=False,
    )
    subscription = owner.subscription
    pro = Plan.objects.get(code="pro")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(
                _url(Subscription, "change", subscription.pk),
                {"user": owner.pk, "plan": pro.pk, "status": "active"},
            )
    finally:
        plan_changed.disconnect(dispatch_uid="test-admin-plan")

    assert response.status_code == 302
    assert Subscription.objects.get(pk=subscription.pk).plan == pro
    assert seen == [("free", "pro")]
    assert Notice.objects.get(user=owner).kind == Notice.Kind.UPGRADED


@pytest.mark.parametrize("model", [Invoice, StripeEvent, Notice], ids=lambda m: m.__name__)
def test_the_payment_servers_mirrors_are_listed_and_read_only(staff_client, owner, model):
    InvoiceFactory(user=owner)
    StripeEventFactory()
    Notice.objects.create(user=owner, kind="upgraded", subject="You are on Pro", body=".")
    row = model.objects.get()

    assert staff_client.get(_url(model, "changelist")).status_code == 200
    assert staff_client.get(_url(model, "change", row.pk)).status_code == 200  # view only
    assert staff_client.get(_url(model, "add")).status_code == 403
