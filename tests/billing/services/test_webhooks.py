"""The payment server's webhook at POST /api/v1/billing/webhooks/stripe/: signed events only,
each applied once, order resolved by the objects' own times, nobody else's state touched."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid

import pytest
from rest_framework.test import APIClient

from billing.models import Invoice, Notice, StripeEvent, Subscription
from billing.services import plans_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/billing/webhooks/stripe/"
SECRET = "whsec_test_dramatis"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    plans_sync()


def _customer_of(user, customer: str) -> str:
    Subscription.objects.filter(user=user).update(stripe_customer_id=customer)
    return customer


@pytest.fixture
def owner():
    user = UserFactory(username="olivia")
    _customer_of(user, f"cus_olivia_{uuid.uuid4().hex[:8]}")
    return user


@pytest.fixture
def stranger():
    user = UserFactory(username="sam")
    _customer_of(user, f"cus_sam_{uuid.uuid4().hex[:8]}")
    return user


def _sub(user) -> Subscription:
    return Subscription.objects.select_related("plan").get(user=user)


def _event(kind: str, obj: dict, *, created: int | None = None, event_id: str = "") -> dict:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "type": kind,
        "created": created or int(time.time()),
        "data": {"object": obj},
    }


def _subscription(user, *, status="active", price="dramatis_pro_usd_2900_month", **fields):
    now = int(time.time())
    return {
        "id": fields.pop("id", "sub_1"),
        "object": "subscription",
        "customer": _sub(user).stripe_customer_id,
        "status": status,
        "created": now - 60,
        "current_period_start": now - 60,
        "current_period_end": now + 30 * 86400,
        "cancel_at_period_end": False,
        "items": {"data": [{"id": "si_1", "plan": {"id": price}}]},
        **fields,
    }


def _sign(payload: bytes, *, at: int | None = None, secret: str = SECRET) -> str:
    at = at or int(time.time())
    mac = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def _post(event: dict, **sign):
    payload = json.dumps(event).encode()
    return APIClient().post(
        URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=_sign(payload, **sign)
    )


def test_a_signed_subscription_event_puts_the_user_on_its_plan(owner):
    response = _post(_event("customer.subscription.created", _subscription(owner)))

    assert response.status_code == 200
    assert response.json()["outcome"] == "applied" and not response.json()["duplicate"]
    subscription = _sub(owner)
    assert (subscription.plan.code, subscription.status) == ("pro", "active")
    assert subscription.stripe_subscription_id == "sub_1"


def test_a_bad_signature_is_400_and_changes_nothing(owner):
    response = _post(_event("customer.subscription.created", _subscription(owner)), secret="no")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_signature"
    assert _sub(owner).plan.code == "free" and not StripeEvent.objects.exists()
    unsigned = APIClient().post(URL, {"id": "evt_x"}, format="json")
    assert unsigned.status_code == 400


def test_a_stale_timestamp_is_400(owner):
    response = _post(
        _event("customer.subscription.created", _subscription(owner)),
        at=int(time.time()) - 301,
    )

    assert response.status_code == 400
    assert "timestamp" in response.json()["error"]["message"].lower()
    assert _sub(owner).plan.code == "free"


def test_a_replayed_event_changes_nothing(owner):
    created = _event("customer.subscription.created", _subscription(owner))
    assert _post(created).status_code == 200
    canceled = _event(
        "customer.subscription.updated",
        _subscription(owner, cancel_at_period_end=True),
        created=created["created"] + 5,
    )
    assert _post(canceled).json()["outcome"] == "applied"

    replay = _post(created)  # the same event id again, freshly signed

    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    assert _sub(owner).cancel_at_period_end  # the replay did not undo the later state
    assert StripeEvent.objects.filter(pk=created["id"]).count() == 1


def test_a_duplicate_delivery_is_a_no_op(owner):
    event = _event("invoice.paid", _invoice(owner))
    assert _post(event).json()["duplicate"] is False
    assert _post(event).json()["duplicate"] is True
    assert Invoice.objects.filter(user=owner).count() == 1


def test_deleted_before_updated_ends_canceled_on_free(owner, stranger):
    now = int(time.time())
    _post(_event("customer.subscription.created", _subscription(owner), created=now - 20))
    deleted = _event(
        "customer.subscription.deleted",
        _subscription(owner, status="canceled", canceled_at=now - 5),
        created=now - 5,
    )
    updated = _event(
        "customer.subscription.updated",
        _subscription(owner, price="dramatis_enterprise_usd_29900_month"),
        created=now - 10,
    )

    assert _post(deleted).json()["outcome"] == "applied"
    assert _post(updated).json()["outcome"] == "stale"

    subscription = _sub(owner)
    assert (subscription.status, subscription.plan.code) == ("canceled", "free")


def test_an_older_update_after_a_newer_one_is_stale(owner):
    now = int(time.time())
    _post(
        _event(
            "customer.subscription.updated", _subscription(owner, status="past_due"), created=now
        )
    )
    older = _event("customer.subscription.updated", _subscription(owner), created=now - 30)

    assert _post(older).json()["outcome"] == "stale"
    assert _sub(owner).status == "past_due"


def test_an_unknown_type_is_acknowledged_and_logged(owner, caplog):
    with caplog.at_level(logging.INFO, logger="billing.services.webhooks"):
        response = _post(_event("radar.early_fraud_warning.created", {"id": "issfr_1"}))

    assert response.status_code == 200 and response.json()["outcome"] == "ignored"
    assert "radar.early_fraud_warning.created" in caplog.text
    assert StripeEvent.objects.get().outcome == "ignored"


def test_an_event_for_another_customer_changes_nobody_else(owner, stranger):
    _post(_event("customer.subscription.created", _subscription(stranger, id="sub_sam")))
    nobody = _subscription(owner)
    nobody["customer"] = "cus_nobody_has_this"
    response = _post(_event("customer.subscription.created", nobody))

    assert response.json()["outcome"] == "unmatched"
    assert _sub(owner).plan.code == "free"
    assert _sub(stranger).plan.code == "pro"  # the stranger's own event did only theirs


def _invoice(user, **fields):
    now = int(time.time())
    return {
        "id": fields.pop("id", f"in_{uuid.uuid4().hex[:10]}"),
        "object": "invoice",
        "customer": _sub(user).stripe_customer_id,
        "subscription": "sub_1",
        "status": "paid",
        "amount_due": 2_900,
        "amount_paid": 2_900,
        "currency": "usd",
        "created": now,
        "period_start": now,
        "period_end": now + 30 * 86400,
        "attempt_count": 1,
        "status_transitions": {"paid_at": now},
        "lines": {
            "data": [
                {
                    "description": "Pro",
                    "amount": 2_900,
                    "plan": {"id": "dramatis_pro_usd_2900_month"},
                }
            ]
        },
        **fields,
    }


def test_a_failed_payment_records_the_invoice_and_past_due_gives_a_notice(owner):
    _post(_event("customer.subscription.created", _subscription(owner)))
    failed = _invoice(owner, status="open", amount_paid=0, status_transitions={})

    assert _post(_event("invoice.payment_failed", failed)).json()["outcome"] == "applied"
    _post(_event("customer.subscription.updated", _subscription(owner, status="past_due")))

    invoice = Invoice.objects.get(user=owner)
    assert (invoice.status, invoice.amount_due, invoice.amount_paid) == ("open", 2_900, 0)
    subscription = _sub(owner)
    assert subscription.status == "past_due" and subscription.plan.code == "pro"
    assert Notice.objects.filter(user=owner, kind=Notice.Kind.PAYMENT_FAILED).count() == 1


def test_without_a_webhook_secret_the_endpoint_says_it_is_off(settings, owner):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = _post(_event("customer.subscription.created", _subscription(owner)))
    assert response.status_code == 503
    assert "STRIPE_WEBHOOK_SECRET" in response.json()["error"]["message"]
