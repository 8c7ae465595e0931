"""The one door to the payment server: the real ``stripe`` client, pointed at Stripe itself or at
any Stripe-compatible server (the embedded localstripe by default, see ``config/embedded.py``).

``checkout_mode()`` is the one decision between Stripe's hosted Checkout and Customer Portal
(real Stripe) and the product's own checkout page, which drives the endpoints every
Stripe-compatible server has (customers, payment methods, subscriptions, invoices):
localstripe has no Checkout Sessions and no Portal.
"""

from __future__ import annotations

import enum
from functools import lru_cache
from urllib.parse import urlsplit

import requests
import stripe
from django.conf import settings

from core.errors import ServiceUnavailable

STRIPE_HOSTS = frozenset({"api.stripe.com"})
# A payment server that does not answer within this long fails the request with a clear
# error (503) instead of holding a web worker; seconds.
STRIPE_TIMEOUT_SECONDS = 20


class CheckoutMode(enum.StrEnum):
    HOSTED = "hosted"  # Stripe Checkout and the Customer Portal
    LOCAL = "local"  # our checkout page over customers, payment methods and subscriptions


class PaymentsUnavailable(ServiceUnavailable):
    code = "payments_unavailable"


def payments_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def checkout_mode() -> CheckoutMode:
    """Hosted Checkout where Stripe itself serves the API; our own page anywhere else, unless
    ``STRIPE_CHECKOUT`` says which (a compatible server that has Checkout Sessions)."""
    if settings.STRIPE_CHECKOUT in CheckoutMode.__members__.values():
        return CheckoutMode(settings.STRIPE_CHECKOUT)
    host = urlsplit(settings.STRIPE_API_BASE).hostname or ""
    return CheckoutMode.HOSTED if host in STRIPE_HOSTS else CheckoutMode.LOCAL


def stripe_client() -> stripe.StripeClient:
    """The configured client (one per key and server, reused: it keeps its HTTP connections)."""
    if not payments_configured():
        raise PaymentsUnavailable(
            "Payments are not configured on this server: set STRIPE_SECRET_KEY (see README)."
        )
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


# localstripe's own configuration endpoint: it keeps webhooks in memory, so they are registered
# again at every start (``python manage.py bootstrap``).
LOCAL_WEBHOOK_ID = "dramatis"


def local_webhook_register(*, url: str) -> bool:
    """Ask a localstripe server to send its events to ``url``, signed with
    ``STRIPE_WEBHOOK_SECRET``. False where there is nothing to do (real Stripe, where the
    endpoint is set in its dashboard, or no secret) or the server has no such endpoint."""
    if checkout_mode() is CheckoutMode.HOSTED or not settings.STRIPE_WEBHOOK_SECRET:
        return False
    response = requests.post(
        f"{settings.STRIPE_API_BASE.rstrip('/')}/_config/webhooks/{LOCAL_WEBHOOK_ID}",
        json={"url": url, "secret": settings.STRIPE_WEBHOOK_SECRET},
        timeout=STRIPE_TIMEOUT_SECONDS,
    )
    return response.ok


@lru_cache(maxsize=4)
def _client(secret_key: str, api_base: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base},
        max_network_retries=2,  # Stripe's idempotent retries on network errors
        http_client=stripe.RequestsClient(timeout=STRIPE_TIMEOUT_SECONDS),
    )
