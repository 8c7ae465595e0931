"""Plans become products and monthly prices on the payment server (the embedded localstripe,
through the real stripe client), idempotently."""

from __future__ import annotations

import io
import secrets

import pytest
from django.core.management import call_command

from billing.gateway import stripe_client
from billing.models import Plan
from billing.services import plan_stripe_ids, plans_sync

pytestmark = pytest.mark.django_db


def test_every_paid_plan_gets_a_product_and_a_monthly_price_of_its_own_amount():
    synced = {s.plan.code: s for s in plans_sync()}

    assert set(synced) == {"pro", "enterprise"}  # free has nothing to pay
    pro = Plan.objects.get(code="pro")
    price = stripe_client().v1.plans.retrieve(pro.stripe_price_id)
    assert (price.amount, price.currency, price.interval) == (2_900, "usd", "month")
    assert price.product == pro.stripe_product_id
    assert stripe_client().v1.products.retrieve(pro.stripe_product_id).name == "Pro"


def test_syncing_again_creates_nothing_and_a_new_price_is_a_new_price_id():
    plans_sync()
    again = {s.plan.code: s for s in plans_sync()}
    assert not any(s.product_created or s.price_created for s in again.values())

    pro = Plan.objects.get(code="pro")
    old_price = pro.stripe_price_id
    # The payment server's state outlives the test database: an amount no earlier run used.
    amount = 3_000 + secrets.randbelow(10**9)
    Plan.objects.filter(pk=pro.pk).update(price_cents_per_month=amount, name="Pro+")
    [changed] = [s for s in plans_sync() if s.plan.code == "pro"]

    assert changed.price_created and not changed.product_created
    assert changed.plan.stripe_price_id == plan_stripe_ids(changed.plan)[1] != old_price
    assert stripe_client().v1.plans.retrieve(old_price).amount == 2_900  # kept for old subscribers
    assert stripe_client().v1.products.retrieve(pro.stripe_product_id).name == "Pro+"


def test_the_command_says_what_it_did():
    out = io.StringIO()
    call_command("billing_plans_sync", stdout=out)
    call_command("billing_plans_sync", stdout=out)

    assert "pro: dramatis_pro_usd_2900_month (up to date)" in out.getvalue()
