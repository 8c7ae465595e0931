"""``manage.py bootstrap``, which ``make run`` runs at every start."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from billing.models import Plan
from ecosystems.models import Ecosystem

pytestmark = pytest.mark.django_db


def test_bootstrap_puts_the_paid_plans_on_the_payment_server_and_seeds_the_demo_world():
    out = io.StringIO()

    call_command("bootstrap", stdout=out)

    assert "Plans on the payment server: 2 paid plans." in out.getvalue()
    assert Plan.objects.get(code="pro").stripe_price_id == "dramatis_pro_usd_2900_month"
    assert Ecosystem.objects.count() == 1
