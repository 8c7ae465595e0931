"""The payment server behind billing: the real ``stripe`` client against the embedded
Stripe-compatible server (localstripe, started by the launcher like PostgreSQL and Redis)."""

from __future__ import annotations

import pytest
import stripe
from django.conf import settings
from django.test import override_settings

from billing.gateway import CheckoutMode, PaymentsUnavailable, checkout_mode, stripe_client


def test_the_embedded_default_points_the_real_client_at_a_local_stripe_server():
    assert settings.STRIPE_API_BASE.startswith("http://127.0.0.1:")

    customer = stripe_client().v1.customers.create(params={"email": "owner@example.com"})

    assert customer.id.startswith("cus_")
    assert stripe_client().v1.customers.retrieve(customer.id).email == "owner@example.com"


def test_the_success_test_card_pays_and_the_declined_card_says_why():
    client = stripe_client()
    product = client.v1.products.create(params={"name": "Gateway test"})
    price = client.v1.plans.create(
        params={"amount": 1900, "currency": "usd", "interval": "month", "product": product.id}
    )

    def subscribe(card_number: str) -> stripe.Subscription:
        customer = client.v1.customers.create(params={"email": f"{card_number}@example.com"})
        card = {"number": card_number, "exp_month": 12, "exp_year": 2040, "cvc": "123"}
        method = client.v1.payment_methods.create(params={"type": "card", "card": card})
        client.v1.payment_methods.attach(method.id, params={"customer": customer.id})
        client.v1.customers.update(
            customer.id, params={"invoice_settings": {"default_payment_method": method.id}}
        )
        return client.v1.subscriptions.create(
            params={
                "customer": customer.id,
                "items": [{"plan": price.id}],
                "payment_behavior": "error_if_incomplete",
            }
        )

    assert subscribe("4242424242424242").status == "active"
    with pytest.raises(stripe.CardError) as declined:
        subscribe("4000000000000002")
    assert declined.value.code == "card_declined"


def test_our_own_checkout_page_serves_any_compatible_server_and_stripe_gets_hosted_checkout():
    assert checkout_mode() is CheckoutMode.LOCAL
    with override_settings(STRIPE_API_BASE="https://api.stripe.com"):
        assert checkout_mode() is CheckoutMode.HOSTED


def test_without_a_key_payments_are_refused_with_what_to_configure():
    with override_settings(STRIPE_SECRET_KEY=""), pytest.raises(PaymentsUnavailable) as error:
        stripe_client()
    assert "STRIPE_SECRET_KEY" in str(error.value)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_localstripe_delivers_its_signed_events_to_our_webhook(live_server):
    import time

    from billing.gateway import local_webhook_register
    from billing.models import StripeEvent
    from billing.services import plans_sync
    from billing.services.subscriptions import card_parse, checkout_pay
    from tests.factories import UserFactory

    plans_sync()
    url = f"{live_server.url}/api/v1/billing/webhooks/stripe/"
    assert local_webhook_register(url=url)
    try:
        owner = UserFactory(username="olivia")
        card = card_parse(number="4242424242424242", expiry="12/30", cvc="123")
        subscription = checkout_pay(user=owner, plan_code="pro", card=card)

        deadline = time.monotonic() + 15
        kinds: set[str] = set()
        while time.monotonic() < deadline and "customer.subscription.created" not in kinds:
            time.sleep(0.25)
            kinds = set(
                StripeEvent.objects.filter(customer_id=subscription.stripe_customer_id).values_list(
                    "type", flat=True
                )
            )
    finally:  # localstripe keeps webhooks in memory: point this one where nothing listens
        local_webhook_register(url="http://127.0.0.1:9/")

    assert "customer.subscription.created" in kinds
    # Our response already applied that state: the event changed nothing.
    assert (
        StripeEvent.objects.get(
            customer_id=subscription.stripe_customer_id, type="customer.subscription.created"
        ).outcome
        == "stale"
    )
