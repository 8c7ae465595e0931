"""examples/upgrade_plan.py against a real server process and the embedded payment server."""

from __future__ import annotations

import importlib.util

import pytest

from billing.models import Subscription
from billing.services import plans_sync
from config.embedded import BASE_DIR
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def load_example():
    spec = importlib.util.spec_from_file_location(
        "upgrade_plan", BASE_DIR / "examples" / "upgrade_plan.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_script_buys_pro_and_sees_the_invoice(live_daphne, owner, capsys):
    plans_sync()
    example = load_example()
    key = example.api_key(live_daphne, "owner", PASSWORD)

    result = example.run(live_daphne, key, plan="pro")

    assert result["subscription"]["plan"]["code"] == "pro"
    assert result["subscription"]["status"] == "active"
    [invoice] = result["invoices"]
    assert (invoice["amount_paid"], invoice["status"]) == (2_900, "paid")
    assert invoice["receipt_url"].endswith(f"/billing/invoices/{invoice['id']}/")
    assert Subscription.objects.get(user=owner).plan.code == "pro"
    assert "Pro" in capsys.readouterr().out


def test_a_declined_card_stops_the_script_with_the_reason(live_daphne, owner):
    plans_sync()
    example = load_example()
    key = example.api_key(live_daphne, "owner", PASSWORD)

    with pytest.raises(SystemExit, match="402 The card was declined"):
        example.run(live_daphne, key, plan="pro", card="4000 0000 0000 0002")
    assert Subscription.objects.get(user=owner).plan.code == "free"
