"""With real Stripe (``checkout_mode()`` hosted) the card is typed on Stripe Checkout and the
subscription is managed in the Customer Portal. Stripe is not reachable offline, so a small
HTTP server on 127.0.0.1 answers as Stripe's API does for the calls these paths make, and
records what the real ``stripe`` client sent."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from billing.gateway import CheckoutMode, checkout_mode
from billing.models import Plan, Subscription
from billing.services.subscriptions import checkout_url, portal_url
from billing.services.webhooks import stripe_event_receive
from tests.billing.services.test_webhooks import SECRET, _sign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUBSCRIPTION = {
    "id": "sub_hosted",
    "object": "subscription",
    "customer": "cus_hosted",
    "status": "active",
    "created": int(time.time()),
    "cancel_at_period_end": False,
    "items": {
        "data": [
            {
                "id": "si_h",
                "price": {"id": "price_pro_hosted"},
                "current_period_start": int(time.time()),
                "current_period_end": int(time.time()) + 30 * 86400,
            }
        ]
    },
}
ANSWERS = {
    ("POST", "/v1/customers"): {"id": "cus_hosted", "object": "customer"},
    ("POST", "/v1/checkout/sessions"): {
        "id": "cs_1",
        "object": "checkout.session",
        "url": "https://checkout.stripe.test/c/cs_1",
    },
    ("POST", "/v1/billing_portal/sessions"): {
        "id": "bps_1",
        "object": "billing_portal.session",
        "url": "https://billing.stripe.test/p/bps_1",
    },
    ("GET", "/v1/subscriptions/sub_hosted"): SUBSCRIPTION,
}


class StripeLike(BaseHTTPRequestHandler):
    received: list[tuple[str, str, dict]] = []

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode()) if length else {}
        self.received.append((method, self.path, {k: v[0] for k, v in form.items()}))
        body = ANSWERS.get((method, self.path.split("?")[0]))
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body or {"error": {"message": "no such thing"}}).encode())

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hosted(settings) -> Iterator[list]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StripeLike)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    StripeLike.received = []
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.STRIPE_CHECKOUT = "hosted"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    Plan.objects.filter(code="pro").update(stripe_price_id="price_pro_hosted")
    yield StripeLike.received
    server.shutdown()


def test_checkout_is_a_stripe_checkout_session_for_the_plans_price(hosted):
    owner = UserFactory(username="olivia", email="olivia@example.com")
    assert checkout_mode() is CheckoutMode.HOSTED

    url = checkout_url(user=owner, plan_code="pro", base_url="https://dramatis.test")

    assert url == "https://checkout.stripe.test/c/cs_1"
    [(_, _, session)] = [r for r in hosted if r[1] == "/v1/checkout/sessions"]
    assert session["mode"] == "subscription" and session["customer"] == "cus_hosted"
    assert session["line_items[0][price]"] == "price_pro_hosted"
    assert session["success_url"] == "https://dramatis.test/billing/?paid=pro"
    assert session["cancel_url"] == "https://dramatis.test/pricing/"
    assert Subscription.objects.get(user=owner).stripe_customer_id == "cus_hosted"


def test_the_completed_session_webhook_puts_the_user_on_the_plan(hosted):
    owner = UserFactory(username="olivia")
    checkout_url(user=owner, plan_code="pro", base_url="https://dramatis.test")
    event = {
        "id": "evt_cs_completed",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {"object": {"id": "cs_1", "customer": "cus_hosted", "subscription": "sub_hosted"}},
    }
    payload = json.dumps(event).encode()

    received = stripe_event_receive(payload=payload, signature=_sign(payload))

    assert received.event.outcome == "applied"
    subscription = Subscription.objects.select_related("plan").get(user=owner)
    assert (subscription.plan.code, subscription.status) == ("pro", "active")
    assert subscription.current_period_end is not None  # read from the item (API 2025-03+)


def test_the_customer_portal_returns_to_billing(hosted):
    owner = UserFactory(username="olivia")

    url = portal_url(user=owner, base_url="https://dramatis.test")

    assert url == "https://billing.stripe.test/p/bps_1"
    [(_, _, portal)] = [r for r in hosted if r[1] == "/v1/billing_portal/sessions"]
    assert portal["return_url"] == "https://dramatis.test/billing/"
