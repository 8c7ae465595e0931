"""The payment server's webhooks: verified, stored once, applied in one transaction."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from billing.gateway import PaymentsUnavailable, stripe_client
from billing.models import StripeEvent
from billing.services.subscriptions import Applied, Outcome, invoice_apply, subscription_apply
from core.errors import InvalidInput

log = logging.getLogger(__name__)

SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
        "customer.subscription.trial_will_end",
    }
)
INVOICE_EVENTS = frozenset(
    {
        "invoice.created",
        "invoice.updated",
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
        "invoice.payment_failed",
        "invoice.voided",
        "invoice.marked_uncollectible",
    }
)


class WebhookRejected(InvalidInput):
    code = "bad_signature"


@dataclass(frozen=True)
class Received:
    event: StripeEvent
    duplicate: bool  # seen before: nothing was changed this time


def stripe_event_receive(*, payload: bytes, signature: str) -> Received:
    """Verify ``Stripe-Signature`` (HMAC-SHA256 over the timestamp and body, within the
    tolerance), store the event id once and apply it, all in one transaction: if applying
    fails nothing is stored, so the payment server's retry gets a second chance."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise PaymentsUnavailable("Webhooks are off here: set STRIPE_WEBHOOK_SECRET (see README).")
    try:
        stripe.Webhook.construct_event(
            payload, signature, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as error:
        raise WebhookRejected(f"Stripe-Signature does not verify: {error.user_message}") from error
    except ValueError as error:
        raise WebhookRejected("The body is not a JSON event.") from error
    event = json.loads(payload)
    if not isinstance(event, dict) or "id" not in event or "type" not in event:
        raise WebhookRejected("The body is not a payment-server event (no id or type).")
    obj = (event.get("data") or {}).get("object") or {}
    created = dt.datetime.fromtimestamp(int(event.get("created") or 0), tz=dt.UTC)
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = StripeEvent.objects.create(
                    event_id=str(event["id"]),
                    type=str(event["type"])[:100],
                    created=created,
                    outcome=Outcome.IGNORED,
                    customer_id=_customer(obj),
                    payload=event,
                )
        except IntegrityError:
            return Received(StripeEvent.objects.get(pk=event["id"]), duplicate=True)
        applied = _apply(str(event["type"]), obj, created)
        stored.outcome = applied.outcome
        stored.save(update_fields=["outcome"])
    if applied.outcome != Outcome.APPLIED:
        log.info("webhook %s %s: %s", event["type"], event["id"], applied.outcome)
    return Received(stored, duplicate=False)


def _customer(obj: dict[str, Any]) -> str:
    customer = obj.get("customer") or ""
    return customer if isinstance(customer, str) else str(customer.get("id", ""))


def _apply(kind: str, obj: dict[str, Any], at: dt.datetime) -> Applied:
    if kind in SUBSCRIPTION_EVENTS:
        if kind == "customer.subscription.deleted":
            obj = {**obj, "status": "canceled"}
        return subscription_apply(data=obj, at=at)
    if kind in INVOICE_EVENTS:
        return invoice_apply(data=obj, at=at)
    if kind == "checkout.session.completed" and obj.get("subscription"):
        # Hosted Checkout: the session names the new subscription; its state is on the server.
        subscription_id = obj["subscription"]
        if not isinstance(subscription_id, str):
            subscription_id = subscription_id["id"]
        data = stripe_client().v1.subscriptions.retrieve(subscription_id).to_dict()
        return subscription_apply(data=data, at=at)
    return Applied(Outcome.IGNORED)
