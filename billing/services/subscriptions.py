"""The subscription lifecycle: checkout, plan changes, cancel and resume, the payment server's
objects applied to ours, and the billing clock.

**The payment server is the source of truth.** Every change goes to it first; what it answers
(a subscription or an invoice object) is applied here by ``subscription_apply`` and
``invoice_apply``, the same two functions its webhooks feed (``billing/services/webhooks.py``),
so a response and the webhook that follows it agree and the second changes nothing.

Out of order: a state carries the payment server's time (the event's ``created``, or the
moment of our request for a response). A state older than the one held is stale and dropped;
a canceled subscription is final (nothing revives it but a new subscription); billing periods
only move forward. ``Subscription.plan`` is always the plan in force: a subscription that ends,
or whose grace after a failed payment runs out, puts its user back on the default plan.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

import stripe
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from billing.gateway import CheckoutMode, PaymentsUnavailable, checkout_mode, stripe_client
from billing.models import (
    ENDED_STATUSES,
    ApiKey,
    Invoice,
    Notice,
    Plan,
    StripeEvent,
    Subscription,
)
from billing.selectors import api_key_cache_key, subscription_of
from billing.signals import plan_changed
from core.errors import InvalidInput, InvalidTransition, PaymentFailed

log = logging.getLogger(__name__)

Outcome = StripeEvent.Outcome
Status = Subscription.Status
# Statuses in which the subscribed plan is in force (past due: during the grace).
LIVE_STATUSES = frozenset({Status.ACTIVE, Status.TRIALING, Status.PAST_DUE})


@dataclass(frozen=True)
class Applied:
    """What applying one payment-server object did."""

    outcome: StripeEvent.Outcome
    subscription: Subscription | None = None


# --- Applying the payment server's objects ------------------------------------------------------


def _time(value: Any) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC) if value else None


def _id(value: Any) -> str:
    """An id from a field that is an id or an expanded object."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value.get("id", ""))


def _first_item(data: dict[str, Any]) -> dict[str, Any]:
    items = (data.get("items") or {}).get("data") or []
    return items[0] if items else {}


def _period(data: dict[str, Any]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """A subscription's current period: on the subscription (older API versions, localstripe)
    or on its item (Stripe's API since 2025-03)."""
    item = _first_item(data)
    start = data.get("current_period_start") or item.get("current_period_start")
    end = data.get("current_period_end") or item.get("current_period_end")
    return _time(start), _time(end)


def _price_id(data: dict[str, Any]) -> str:
    item = _first_item(data)
    return _id(item.get("price") or item.get("plan"))


def plan_for_price(price_id: str) -> Plan | None:
    """Our plan for a price id: the current price, or an older one of the same plan (a price is
    immutable, so a plan whose amount changed keeps subscribers on its earlier ids)."""
    if not price_id:
        return None
    plan = Plan.objects.filter(stripe_price_id=price_id).first()
    if plan is None and (match := re.fullmatch(r"dramatis_([-\w]+?)_[a-z]{3}_\d+_month", price_id)):
        plan = Plan.objects.filter(code=match[1]).first()
    return plan


def _status(data: dict[str, Any], now: dt.datetime) -> str:
    """Stripe's status, except that localstripe reports a subscription in its trial as
    ``incomplete``: a trial end still ahead is what Stripe calls trialing."""
    status = str(data.get("status") or Status.INCOMPLETE)
    trial_end = _time(data.get("trial_end"))
    if status == Status.INCOMPLETE and trial_end is not None and trial_end > now:
        return Status.TRIALING
    return status if status in Status.values else Status.INCOMPLETE


def subscription_apply(*, data: dict[str, Any], at: dt.datetime) -> Applied:
    """Bring the user's ``Subscription`` to the state of a payment-server subscription object
    ``data`` as of ``at``; see the module's docstring for how order is resolved."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("plan", "user")
            .filter(stripe_customer_id=_id(data.get("customer")))
            .first()
        )
        if subscription is None:
            return Applied(Outcome.UNMATCHED)
        if _stale(subscription, data, at):
            return Applied(Outcome.STALE, subscription)
        old_plan = subscription.plan
        status = _status(data, timezone.now())
        start, end = _period(data)
        same = subscription.stripe_subscription_id == data["id"]
        if (
            same
            and subscription.current_period_end
            and end
            and end < subscription.current_period_end
        ):
            start, end = subscription.current_period_start, subscription.current_period_end
        subscription.stripe_subscription_id = data["id"]
        subscription.status = status
        subscription.current_period_start, subscription.current_period_end = start, end
        subscription.cancel_at_period_end = bool(data.get("cancel_at_period_end"))
        subscription.trial_end = _time(data.get("trial_end"))
        if status == Status.PAST_DUE:
            if subscription.past_due_since is None:
                subscription.past_due_since = at
                _payment_failed_notice(subscription, at)
        else:
            subscription.past_due_since = None
        if status in LIVE_STATUSES:
            subscription.plan = plan_for_price(_price_id(data)) or subscription.plan
        if status in ENDED_STATUSES:
            subscription.plan = Plan.objects.get(is_default=True)
            # When it ended (Stripe's own canceled_at is when a cancel was asked for).
            ended = _time(data.get("ended_at")) or subscription.canceled_at or at
            subscription.canceled_at = ended
        else:
            subscription.canceled_at = None
        subscription.stripe_state_at = max(at, subscription.stripe_state_at or at)
        subscription.save()
        plan_change_announce(subscription=subscription, old_plan=old_plan)
    return Applied(Outcome.APPLIED, subscription)


def _stale(subscription: Subscription, data: dict[str, Any], at: dt.datetime) -> bool:
    held = subscription.stripe_subscription_id
    if held and held != data["id"]:
        # Another subscription of this customer (a second checkout, a subscription made in
        # Stripe's dashboard). An ended one never replaces a live one. A live one replaces a
        # live held one if it was created after the held state, give or take a day: we keep
        # no creation time of the held subscription, and the held state's time runs ahead of
        # it by the events that followed (invoices, renewals), so a day of slack lets the
        # newer of two subscriptions made close together win, and a months-old one lose.
        if data.get("status") in ENDED_STATUSES and subscription.status not in ENDED_STATUSES:
            return True
        created = _time(data.get("created"))
        return subscription.status not in ENDED_STATUSES and (
            created is None
            or subscription.stripe_state_at is None
            or created < subscription.stripe_state_at - dt.timedelta(days=1)
        )
    if held and subscription.status == Status.CANCELED:
        return True  # canceled is final
    return subscription.stripe_state_at is not None and at < subscription.stripe_state_at


def _payment_failed_notice(subscription: Subscription, since: dt.datetime) -> None:
    grace_end = since + dt.timedelta(days=settings.BILLING_GRACE_DAYS)
    notice_send(
        user=subscription.user,
        kind=Notice.Kind.PAYMENT_FAILED,
        subject="Your payment failed",
        body=f"We could not charge your card for {subscription.plan.name}. The plan stays in "
        f"force until {grace_end:%d %B %Y}; after that your account moves to the free plan "
        "(nothing is deleted). Pay with another card at /billing/.",
    )


def plan_change_announce(*, subscription: Subscription, old_plan: Plan) -> None:
    """After ``subscription``'s plan in force moved from ``old_plan`` (by the payment server or
    by staff): a notice, the key cache forgotten, and ``plan_changed`` once the change commits."""
    if subscription.plan_id == old_plan.pk:
        return
    new_plan, user = subscription.plan, subscription.user
    if new_plan.price_cents_per_month > old_plan.price_cents_per_month:
        notice_send(
            user=user,
            kind=Notice.Kind.UPGRADED,
            subject=f"You are on {new_plan.name}",
            body=f"Your plan is now {new_plan.name}; its limits apply at once. "
            "Invoices and receipts are at /billing/.",
        )
    elif new_plan.is_default:
        notice_send(
            user=user,
            kind=Notice.Kind.DOWNGRADED,
            subject=f"You are back on {new_plan.name}",
            body=f"Your {old_plan.name} subscription has ended, so {new_plan.name}'s limits "
            "apply. Nothing was deleted: whatever is over the limits is kept, paused and "
            "read-only until you remove enough of it or upgrade at /pricing/.",
        )
    # Requests authenticated by key read the plan from a cache (billing.selectors): forget it.
    hashes = list(ApiKey.objects.filter(user=user).values_list("secret_hash", flat=True))
    transaction.on_commit(lambda: cache.delete_many([api_key_cache_key(h) for h in hashes]))
    transaction.on_commit(
        lambda: plan_changed.send(
            sender=Subscription, user=user, old_plan=old_plan, new_plan=new_plan
        )
    )


def invoice_apply(*, data: dict[str, Any], at: dt.datetime) -> Applied:
    """Mirror a payment-server invoice object in ``Invoice`` (created or brought up to date);
    a state older than the one held is stale."""
    customer = _id(data.get("customer"))
    subscription = Subscription.objects.filter(stripe_customer_id=customer).first()
    if subscription is None:
        return Applied(Outcome.UNMATCHED)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().filter(stripe_invoice_id=data["id"]).first()
        if invoice is not None and invoice.stripe_state_at and at < invoice.stripe_state_at:
            return Applied(Outcome.STALE, subscription)
        if invoice is not None and invoice.status == Invoice.Status.PAID:
            at = max(at, invoice.stripe_state_at or at)  # paid is final: keep it so
            data = {**data, "status": Invoice.Status.PAID}
        lines = [
            {"description": str(line.get("description") or ""), "amount": int(line["amount"])}
            for line in (data.get("lines") or {}).get("data", [])
        ]
        price = next(
            (
                _id(line.get("price") or line.get("plan"))
                for line in (data.get("lines") or {}).get("data", [])
                if not line.get("proration")
            ),
            "",
        )
        transitions = data.get("status_transitions") or {}
        status = data.get("status") or Invoice.Status.OPEN
        Invoice.objects.update_or_create(
            stripe_invoice_id=data["id"],
            defaults={
                "user_id": subscription.user_id,
                "number": data.get("number") or "",
                "status": status if status in Invoice.Status.values else Invoice.Status.OPEN,
                "plan": plan_for_price(price),
                "amount_due": int(data.get("amount_due") or 0),
                "amount_paid": int(data.get("amount_paid") or 0),
                "currency": str(data.get("currency") or "usd"),
                "period_start": _time(data.get("period_start")),
                "period_end": _time(data.get("period_end")),
                "lines": lines,
                "attempt_count": int(data.get("attempt_count") or 0),
                "issued_at": _time(data.get("created")) or at,
                "paid_at": _time(transitions.get("paid_at")),
                "hosted_url": data.get("hosted_invoice_url") or "",
                "stripe_state_at": at,
            },
        )
    return Applied(Outcome.APPLIED, subscription)


# --- Notices ------------------------------------------------------------------------------------


def notice_send(*, user: AbstractBaseUser, kind: str, subject: str, body: str) -> Notice:
    """An e-mail-style message: kept for the app (shown until read) and e-mailed after commit."""
    notice = Notice.objects.create(user=user, kind=kind, subject=subject, body=body)
    email = getattr(user, "email", "")
    if email:
        transaction.on_commit(
            lambda: send_mail(f"Dramatis: {subject}", body, None, [email], fail_silently=True)
        )
    return notice


def notices_read(*, user: AbstractBaseUser) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- Checkout -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """Card details typed on our own checkout page (embedded payment server only)."""

    number: str
    exp_month: int
    exp_year: int
    cvc: str


def card_parse(*, number: str, expiry: str, cvc: str, now: dt.datetime | None = None) -> Card:
    """Validate what was typed; ``InvalidInput`` names each field that is wrong."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    digits = re.sub(r"[\s-]", "", number or "")
    if not re.fullmatch(r"\d{12,19}", digits) or not _luhn(digits):
        errors["card_number"] = ["Enter the 12 to 19 digits on the card."]
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", expiry or "")
    month = year = 0
    if match:
        month, year = int(match[1]), int(match[2])
        year += 2000 if year < 100 else 0
    if not match or not 1 <= month <= 12:
        errors["expiry"] = ["Enter the expiry as MM/YY, e.g. 12/30."]
    elif (year, month) < (now.year, now.month):
        errors["expiry"] = ["This card has expired."]
    if not re.fullmatch(r"\d{3,4}", (cvc or "").strip()):
        errors["cvc"] = ["Enter the 3 or 4 digits on the back of the card."]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], details=errors)
    return Card(number=digits, exp_month=month, exp_year=year, cvc=cvc.strip())


def _luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def paid_plan(*, code: str) -> Plan:
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        codes = ", ".join(
            Plan.objects.filter(price_cents_per_month__gt=0).values_list("code", flat=True)
        )
        raise InvalidInput(
            f"There is no plan {code!r}; choose one of: {codes}.",
            details={"plan": ["Unknown plan."]},
        )
    if plan.price_cents_per_month == 0:
        raise InvalidInput(
            f"{plan.name} costs nothing: to move to it, cancel your subscription at /billing/.",
            details={"plan": ["Choose a paid plan."]},
        )
    return plan


def _priced(plan: Plan) -> Plan:
    """``plan`` with its price on the payment server (synced now if a start-up missed it)."""
    if not plan.stripe_price_id:
        from billing.services import plans_sync

        plans_sync()
        plan.refresh_from_db()
    return plan


def checkout_url(*, user: AbstractBaseUser, plan_code: str, base_url: str) -> str:
    """Where ``user`` pays for ``plan_code``: Stripe Checkout with real Stripe, our own page
    (``/billing/checkout/<plan>/``) on any other payment server. ``base_url`` is this site's
    origin, for Checkout's way back."""

    plan = paid_plan(code=plan_code)
    subscription = subscription_of(user=user)
    if subscription.plan_id == plan.pk and subscription.paying:
        raise InvalidTransition(f"You are already on {plan.name}; see /billing/.")
    local = f"{base_url}/billing/checkout/{plan.code}/"
    if checkout_mode() is CheckoutMode.LOCAL or subscription.paying:
        return local  # a plan change is confirmed on our page with the card on file
    customer = customer_ensure(user=user)
    plan = _priced(plan)
    session = stripe_client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer,
            "line_items": [{"price": plan.stripe_price_id, "quantity": 1}],
            "subscription_data": {"trial_period_days": plan.trial_days} if plan.trial_days else {},
            "success_url": f"{base_url}/billing/?paid={plan.code}",
            "cancel_url": f"{base_url}/pricing/",
            "client_reference_id": str(user.pk),
        }
    )
    return str(session.url)


def portal_url(*, user: AbstractBaseUser, base_url: str) -> str:
    """Stripe's Customer Portal for a paying user (real Stripe only)."""
    customer = customer_ensure(user=user)
    session = stripe_client().v1.billing_portal.sessions.create(
        params={"customer": customer, "return_url": f"{base_url}/billing/"}
    )
    return str(session.url)


def customer_ensure(*, user: AbstractBaseUser) -> str:
    """The user's customer on the payment server, created once."""

    subscription = subscription_of(user=user)
    if subscription.stripe_customer_id:
        return subscription.stripe_customer_id
    customer = stripe_client().v1.customers.create(
        params={
            "email": getattr(user, "email", "") or None,
            "name": user.get_username(),
            "metadata": {"dramatis_user_id": str(user.pk)},
        }
    )
    updated = Subscription.objects.filter(pk=subscription.pk, stripe_customer_id="").update(
        stripe_customer_id=customer.id
    )
    if not updated:  # a concurrent request made one first: use it
        return Subscription.objects.get(pk=subscription.pk).stripe_customer_id
    return str(customer.id)


def checkout_pay(*, user: AbstractBaseUser, plan_code: str, card: Card | None) -> Subscription:
    """Our own checkout (a payment server without hosted Checkout): put ``card`` on file (or
    use the one on file when ``card`` is None and the user already pays), then subscribe to
    the plan or change to it with proration. A declined card raises ``PaymentFailed`` and
    changes no plan."""

    plan = _priced(paid_plan(code=plan_code))
    subscription = subscription_of(user=user)
    client = stripe_client()
    customer = customer_ensure(user=user)
    try:
        if card is not None:
            _card_attach(client, customer, card)
        elif not subscription.paying:
            raise InvalidInput("Enter a card to pay with.", details={"card_number": ["Required."]})
        if subscription.paying:
            data = _plan_change(client, subscription, plan)
        else:
            params: dict[str, Any] = {
                "customer": customer,
                "items": [{"plan": plan.stripe_price_id}],
                "payment_behavior": "error_if_incomplete",
                "metadata": {"dramatis_user_id": str(user.pk), "plan": plan.code},
                "expand": ["latest_invoice"],
            }
            if plan.trial_days:
                params["trial_end"] = int(
                    (timezone.now() + dt.timedelta(days=plan.trial_days)).timestamp()
                )
            data = client.v1.subscriptions.create(params=params).to_dict()
    except stripe.CardError as error:
        raise PaymentFailed(
            f"The card was declined ({error.user_message or error.code}). Nothing was charged "
            "and your plan is unchanged: try another card.",
            details={"card_number": [str(error.user_message or "Declined.")]},
        ) from error
    except stripe.StripeError as error:
        log.warning("payment server refused a checkout: %s", error)
        raise PaymentsUnavailable(
            f"The payment server could not take the payment ({error.user_message or error}). "
            "Nothing was charged; try again in a minute."
        ) from error
    at = timezone.now()
    if isinstance(data.get("latest_invoice"), dict):
        invoice_apply(data=data["latest_invoice"], at=at)
    applied = subscription_apply(data=data, at=at)
    assert applied.subscription is not None
    return applied.subscription


def _card_attach(client: stripe.StripeClient, customer: str, card: Card) -> None:
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {
                "number": card.number,
                "exp_month": card.exp_month,
                "exp_year": card.exp_year,
                "cvc": card.cvc,
            },
        }
    )
    client.v1.payment_methods.attach(method.id, params={"customer": customer})
    client.v1.customers.update(
        customer, params={"invoice_settings": {"default_payment_method": method.id}}
    )


def _plan_change(
    client: stripe.StripeClient, subscription: Subscription, plan: Plan
) -> dict[str, Any]:
    """Move a paying subscription to ``plan``; the payment server prorates, and the difference
    is invoiced and charged at once (an upgrade must not wait a month for its money)."""
    if subscription.plan_id == plan.pk:
        raise InvalidTransition(f"You are already on {plan.name}; see /billing/.")
    current = client.v1.subscriptions.retrieve(subscription.stripe_subscription_id)
    item = _first_item(current.to_dict())
    updated = client.v1.subscriptions.update(
        subscription.stripe_subscription_id,
        params={
            "items": [{"id": item["id"], "plan": plan.stripe_price_id}],
            "cancel_at_period_end": False,
        },
    )
    invoice = client.v1.invoices.create(
        params={"customer": subscription.stripe_customer_id, "subscription": updated.id}
    )
    invoice = client.v1.invoices.pay(invoice.id)
    invoice_apply(data=invoice.to_dict(), at=timezone.now())
    return updated.to_dict()


# --- Cancel and resume --------------------------------------------------------------------------


def subscription_cancel(*, user: AbstractBaseUser) -> Subscription:
    """Cancel at the period's end: the plan stays in force until then."""
    return _cancel_flag(user=user, cancel=True)


def subscription_resume(*, user: AbstractBaseUser) -> Subscription:
    """Undo a cancel before the period ends."""
    return _cancel_flag(user=user, cancel=False)


def _cancel_flag(*, user: AbstractBaseUser, cancel: bool) -> Subscription:

    subscription = subscription_of(user=user)
    if not subscription.paying:
        raise InvalidTransition(
            f"You have no paid subscription to {'cancel' if cancel else 'resume'}; "
            "plans are at /pricing/."
        )
    if subscription.cancel_at_period_end == cancel:
        return subscription  # already so: asking twice is not an error
    data = stripe_client().v1.subscriptions.update(
        subscription.stripe_subscription_id, params={"cancel_at_period_end": cancel}
    )
    applied = subscription_apply(data=data.to_dict(), at=timezone.now())
    assert applied.subscription is not None
    if cancel:
        end = applied.subscription.current_period_end
        notice_send(
            user=user,
            kind=Notice.Kind.CANCELING,
            subject=f"{applied.subscription.plan.name} ends on {end:%d %B %Y}"
            if end
            else "Subscription canceled",
            body="Your subscription is canceled at the end of the period you paid for; until "
            "then nothing changes. Changed your mind? Resume it at /billing/.",
        )
    return applied.subscription


# --- The billing clock --------------------------------------------------------------------------


@dataclass
class ClockReport:
    renewed: int = 0
    failed: int = 0
    ended: int = 0
    grace_expired: int = 0


def billing_clock(*, now: dt.datetime | None = None) -> ClockReport:
    """What time does to subscriptions. Everywhere: a past-due subscription whose grace ran out
    is canceled on the payment server (its user falls to the default plan, nothing deleted).
    On a payment server without a clock (localstripe; real Stripe renews by itself and says so
    by webhook): at a period's or trial's end a subscription set to cancel ends, any other is
    invoiced for the next period and charged."""
    now = now or timezone.now()
    report = ClockReport()
    grace = dt.timedelta(days=settings.BILLING_GRACE_DAYS)
    for subscription in Subscription.objects.filter(
        status=Status.PAST_DUE, past_due_since__lte=now - grace
    ).exclude(stripe_subscription_id=""):
        _end(subscription, now)
        report.grace_expired += 1
    if checkout_mode() is CheckoutMode.HOSTED:
        return report
    due = Subscription.objects.filter(
        Q(status=Status.ACTIVE, current_period_end__lte=now)
        | Q(status=Status.TRIALING, trial_end__lte=now)
    ).exclude(stripe_subscription_id="")
    for subscription in due.select_related("plan"):
        if subscription.cancel_at_period_end:
            _end(subscription, now)
            report.ended += 1
        elif _renew(subscription, now):
            report.renewed += 1
        else:
            report.failed += 1
    return report


def _end(subscription: Subscription, now: dt.datetime) -> None:
    client = stripe_client()
    try:
        data = client.v1.subscriptions.cancel(subscription.stripe_subscription_id).to_dict()
    except stripe.InvalidRequestError as error:
        if error.http_status != 404:
            raise
        data = {  # the payment server no longer has it (flushed): it has ended all the same
            "id": subscription.stripe_subscription_id,
            "customer": subscription.stripe_customer_id,
            "status": Status.CANCELED,
        }
    subscription_apply(data={**data, "status": Status.CANCELED}, at=now)


def _renew(subscription: Subscription, now: dt.datetime) -> bool:
    """Invoice and charge the next period (localstripe). True if it was paid; a failure makes
    the subscription past due, with a notice that says until when the plan holds."""
    client = stripe_client()
    invoice = client.v1.invoices.create(
        params={
            "customer": subscription.stripe_customer_id,
            "subscription": subscription.stripe_subscription_id,
        }
    )
    try:
        invoice = client.v1.invoices.pay(invoice.id)
        paid = invoice.status == "paid"
    except stripe.CardError:
        invoice = client.v1.invoices.retrieve(invoice.id)
        paid = False
    invoice_apply(data=invoice.to_dict(), at=now)
    data = client.v1.subscriptions.retrieve(subscription.stripe_subscription_id).to_dict()
    trial_over = subscription.status == Status.TRIALING and subscription.trial_end
    start = (subscription.trial_end if trial_over else subscription.current_period_end) or now
    end = start + relativedelta(months=1)
    data.pop("trial_end", None)
    data.update(
        {
            "current_period_start": int(start.timestamp()),
            "current_period_end": int(end.timestamp()),
            "status": Status.ACTIVE if paid else Status.PAST_DUE,
        }
    )
    subscription_apply(data=data, at=now)
    return paid
