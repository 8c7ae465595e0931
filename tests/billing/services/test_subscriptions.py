"""The subscription lifecycle against the embedded payment server (localstripe, through the
real stripe client): pay, decline, change plan, cancel and resume, renew, fail, fall to free."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from billing.gateway import stripe_client
from billing.models import Invoice, Notice, Plan, Subscription
from billing.services import plans_sync
from billing.services.subscriptions import (
    _card_attach,
    billing_clock,
    card_parse,
    checkout_pay,
    subscription_cancel,
    subscription_resume,
)
from billing.signals import plan_changed
from characters.models import Character
from core.errors import InvalidInput, InvalidTransition, PaymentFailed
from tests.factories import ApiKeyFactory, CharacterFactory, EcosystemFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = card_parse(number="4242 4242 4242 4242", expiry="12/30", cvc="123")
DECLINED = card_parse(number="4000 0000 0000 0002", expiry="12/30", cvc="123")
FAILS_LATER = card_parse(number="4000 0000 0000 0341", expiry="12/30", cvc="123")


@pytest.fixture(autouse=True)
def _plans_on_the_payment_server():
    plans_sync()


@pytest.fixture
def owner():
    return UserFactory(username="olivia", email="olivia@example.com")


@pytest.fixture
def plan_changes():
    seen: list[tuple[str, str]] = []

    def record(sender, user, old_plan, new_plan, **kwargs):
        seen.append((old_plan.code, new_plan.code))

    plan_changed.connect(record, dispatch_uid="test-plan-changes")
    yield seen
    plan_changed.disconnect(dispatch_uid="test-plan-changes")


def _sub(user) -> Subscription:
    return Subscription.objects.select_related("plan").get(user=user)


def test_paying_with_the_success_card_puts_the_user_on_pro_with_a_paid_invoice(
    owner, plan_changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription = checkout_pay(user=owner, plan_code="pro", card=GOOD)

    assert (subscription.plan.code, subscription.status) == ("pro", "active")
    assert subscription.stripe_customer_id.startswith("cus_") and subscription.paying
    assert subscription.current_period_end > subscription.current_period_start
    [invoice] = Invoice.objects.filter(user=owner)
    assert (invoice.status, invoice.amount_paid, invoice.currency) == ("paid", 2_900, "usd")
    assert invoice.plan.code == "pro" and invoice.lines[0]["amount"] == 2_900
    assert plan_changes == [("free", "pro")]
    assert Notice.objects.get(user=owner).kind == Notice.Kind.UPGRADED
    server = stripe_client().v1.subscriptions.retrieve(subscription.stripe_subscription_id)
    assert server.status == "active" and server.customer == subscription.stripe_customer_id


def test_a_declined_card_is_a_clear_error_and_no_upgrade(owner):
    with pytest.raises(PaymentFailed) as raised:
        checkout_pay(user=owner, plan_code="pro", card=DECLINED)

    assert "declined" in raised.value.message and "unchanged" in raised.value.message
    subscription = _sub(owner)
    assert subscription.plan.code == "free" and not subscription.stripe_subscription_id
    assert not Invoice.objects.filter(user=owner).exists()


def test_upgrading_raises_the_limits_at_once_the_sixth_character_is_accepted(owner):
    world = EcosystemFactory(owner=owner)
    for n in range(5):
        CharacterFactory(ecosystem=world, name=f"C{n}")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {ApiKeyFactory(user=owner).key}")
    path = f"/api/v1/ecosystems/{world.pk}/characters/"
    assert api.post(path, {"name": "Sixth"}, format="json").status_code == 402

    checkout_pay(user=owner, plan_code="pro", card=GOOD)

    assert api.post(path, {"name": "Sixth"}, format="json").status_code == 201


def test_bad_card_details_name_the_field():
    with pytest.raises(InvalidInput) as raised:
        card_parse(number="4242 4242 4242 4241", expiry="13/30", cvc="12")
    assert set(raised.value.details) == {"card_number", "expiry", "cvc"}
    with pytest.raises(InvalidInput, match="expired"):
        card_parse(number="4242424242424242", expiry="01/20", cvc="123")


def test_changing_plan_is_prorated_by_the_payment_server_and_charged_at_once(owner):
    checkout_pay(user=owner, plan_code="pro", card=GOOD)

    subscription = checkout_pay(user=owner, plan_code="enterprise", card=None)

    assert subscription.plan.code == "enterprise" and subscription.status == "active"
    change = Invoice.objects.filter(user=owner).order_by("-issued_at", "-stripe_state_at").first()
    assert change.status == "paid"
    assert any(line["amount"] < 0 for line in change.lines)  # the unused time on pro
    with pytest.raises(InvalidTransition):
        checkout_pay(user=owner, plan_code="enterprise", card=None)


def test_cancel_keeps_pro_until_the_period_ends_then_free(owner, plan_changes):
    subscription = checkout_pay(user=owner, plan_code="pro", card=GOOD)
    end = subscription.current_period_end

    subscription = subscription_cancel(user=owner)
    assert subscription.cancel_at_period_end and subscription.plan.code == "pro"
    assert billing_clock(now=end - dt.timedelta(minutes=1)).ended == 0
    assert _sub(owner).plan.code == "pro"

    assert billing_clock(now=end + dt.timedelta(seconds=1)).ended == 1

    subscription = _sub(owner)
    assert (subscription.plan.code, subscription.status) == ("free", "canceled")
    assert Notice.objects.filter(user=owner, kind=Notice.Kind.DOWNGRADED).exists()
    server = stripe_client().v1.subscriptions.retrieve(subscription.stripe_subscription_id)
    assert server.status == "canceled"


def test_resume_undoes_the_cancel_and_the_period_renews(owner):
    subscription = checkout_pay(user=owner, plan_code="pro", card=GOOD)
    end = subscription.current_period_end
    subscription_cancel(user=owner)

    assert not subscription_resume(user=owner).cancel_at_period_end
    report = billing_clock(now=end + dt.timedelta(seconds=1))

    assert report.renewed == 1
    subscription = _sub(owner)
    assert subscription.plan.code == "pro" and subscription.status == "active"
    assert subscription.current_period_start == end
    assert Invoice.objects.filter(user=owner, status="paid").count() == 2


def test_a_failed_renewal_is_past_due_then_after_the_grace_free_with_nothing_deleted(
    owner, settings, plan_changes, django_capture_on_commit_callbacks
):
    world = EcosystemFactory(owner=owner)
    subscription = checkout_pay(user=owner, plan_code="pro", card=GOOD)
    for n in range(8):
        CharacterFactory(ecosystem=world, name=f"C{n}")  # more than free's five
    _card_attach(stripe_client(), subscription.stripe_customer_id, FAILS_LATER)
    end = subscription.current_period_end

    assert billing_clock(now=end + dt.timedelta(seconds=1)).failed == 1

    subscription = _sub(owner)
    assert (subscription.status, subscription.plan.code) == ("past_due", "pro")
    notice = Notice.objects.get(user=owner, kind=Notice.Kind.PAYMENT_FAILED)
    assert "stays in force until" in notice.body
    assert Invoice.objects.filter(user=owner, status="open").exists()
    grace = dt.timedelta(days=settings.BILLING_GRACE_DAYS)
    billing_clock(now=subscription.past_due_since + grace - dt.timedelta(minutes=1))
    assert _sub(owner).plan.code == "pro"  # still in the grace

    with django_capture_on_commit_callbacks(execute=True):
        report = billing_clock(now=subscription.past_due_since + grace + dt.timedelta(seconds=1))

    assert report.grace_expired == 1
    subscription = _sub(owner)
    assert (subscription.status, subscription.plan.code) == ("canceled", "free")
    assert Character.objects.filter(ecosystem=world).count() == 8
    assert ("pro", "free") in plan_changes


def test_a_plan_with_a_trial_starts_trialing_and_is_charged_when_the_trial_ends(owner):
    Plan.objects.filter(code="pro").update(trial_days=14)

    subscription = checkout_pay(user=owner, plan_code="pro", card=GOOD)

    assert (subscription.status, subscription.plan.code) == ("trialing", "pro")
    assert not Invoice.objects.filter(user=owner, status="paid", amount_paid__gt=0).exists()
    trial_end = subscription.trial_end
    report = billing_clock(now=trial_end + dt.timedelta(seconds=1))
    assert report.renewed == 1
    subscription = _sub(owner)
    assert subscription.status == "active" and subscription.current_period_start == trial_end
    assert Invoice.objects.filter(user=owner, status="paid", amount_paid=2_900).exists()


def test_cancel_without_a_paid_subscription_says_where_the_plans_are(owner):
    with pytest.raises(InvalidTransition, match="/pricing/"):
        subscription_cancel(user=owner)


def test_the_beat_task_runs_the_clock(owner):
    from billing.tasks import billing_clock_task

    assert billing_clock_task.apply().get() == {
        "renewed": 0,
        "failed": 0,
        "ended": 0,
        "grace_expired": 0,
    }
