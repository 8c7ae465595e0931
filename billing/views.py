"""The account's billing pages: pricing, the billing overview (plan, usage, notices, invoices,
cancel and resume), our own checkout page (payment servers without hosted Checkout), printable
receipts, and the API keys page. Each view translates a request into one service call."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from billing.gateway import CheckoutMode, PaymentsUnavailable, checkout_mode
from billing.limits import usage_report
from billing.models import Notice, Subscription
from billing.selectors import (
    api_keys_of,
    invoices_of,
    notices_unread,
    plans_for_sale,
    subscription_of,
)
from billing.services import API_KEY_NAME_MAX_LENGTH, api_key_create, api_key_revoke
from billing.services.subscriptions import (
    card_parse,
    checkout_pay,
    checkout_url,
    notices_read,
    paid_plan,
    portal_url,
    subscription_cancel,
    subscription_resume,
)
from core.errors import InvalidInput, InvalidTransition, PaymentFailed

# Stripe's documented test cards, shown on our checkout page (never with real Stripe).
TEST_CARDS = [
    ("4242 4242 4242 4242", "succeeds"),
    ("4000 0000 0000 0002", "is declined"),
]
CARD_FIELDS = ("card_number", "expiry", "cvc")
NOTICES_SHOWN = 10  # read notices kept on the billing page, newest first


def _base_url(request: HttpRequest) -> str:
    """This site's origin, for the payment server's ways back."""
    return request.build_absolute_uri("/").rstrip("/")


def _unavailable(request: HttpRequest, error: PaymentsUnavailable) -> HttpResponse:
    return render(request, "billing/unavailable.html", {"message": error.message}, status=503)


# --- Pricing ------------------------------------------------------------------------------------


def pricing(request: HttpRequest) -> HttpResponse:
    """The plans side by side (public); a signed-in visitor's plan is marked."""
    current = subscription_of(user=request.user) if request.user.is_authenticated else None
    context = {
        "plans": plans_for_sale(),
        "subscription": current,
        "current_plan_id": current.plan_id if current else None,
    }
    return render(request, "billing/pricing.html", context)


@login_required
@require_POST
def checkout_start(request: HttpRequest) -> HttpResponse:
    """A plan's button on /pricing/: off to where the card is taken (Stripe Checkout, or our
    own checkout page)."""
    try:
        url = checkout_url(
            user=request.user, plan_code=request.POST.get("plan", ""), base_url=_base_url(request)
        )
    except InvalidTransition as error:
        messages.info(request, error.message)
        return redirect("billing")
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect("pricing")
    except PaymentsUnavailable as error:
        return _unavailable(request, error)
    return redirect(url)


# --- The billing page ---------------------------------------------------------------------------


def grace_end(subscription: Subscription) -> dt.datetime | None:
    """When a past-due subscription falls back to the free plan unless a payment succeeds."""
    if subscription.past_due_since is None:
        return None
    return subscription.past_due_since + dt.timedelta(days=settings.BILLING_GRACE_DAYS)


@login_required
def billing(request: HttpRequest) -> HttpResponse:
    """Plan and status, usage against the limits, notices, invoices, and what can be done."""
    subscription = subscription_of(user=request.user)
    if (paid := request.GET.get("paid")) and not subscription.paying:
        # Back from Stripe Checkout before its webhook arrived.
        messages.info(request, f"Payment received for {paid}: your plan changes in a moment.")
    unread = list(notices_unread(user=request.user))
    read = Notice.objects.filter(user=request.user, read_at__isnull=False)[:NOTICES_SHOWN]
    context = {
        "subscription": subscription,
        "plan": subscription.plan,
        "grace_end": grace_end(subscription),
        "usage": usage_report(user=request.user),
        "unread": unread,
        "read_notices": read,
        "invoices": invoices_of(user=request.user),
        "hosted": checkout_mode() is CheckoutMode.HOSTED,
    }
    return render(request, "billing/billing.html", context)


@login_required
@require_POST
def subscription_cancel_view(request: HttpRequest) -> HttpResponse:
    """Cancel at the period's end (the plan holds until then); the page then says when."""
    try:
        subscription = subscription_cancel(user=request.user)
    except (InvalidTransition, PaymentsUnavailable) as error:
        messages.error(request, error.message)
        return redirect("billing")
    end = subscription.current_period_end
    when = f" on {end.day} {end:%B %Y}" if end else " at the end of the period"
    messages.success(
        request, f"{subscription.plan.name} cancels{when}. Until then nothing changes."
    )
    return redirect("billing")


@login_required
@require_POST
def subscription_resume_view(request: HttpRequest) -> HttpResponse:
    """Undo a cancel before the period ends."""
    try:
        subscription = subscription_resume(user=request.user)
    except (InvalidTransition, PaymentsUnavailable) as error:
        messages.error(request, error.message)
        return redirect("billing")
    messages.success(request, f"{subscription.plan.name} continues: it renews as usual.")
    return redirect("billing")


@login_required
@require_POST
def notices_dismiss(request: HttpRequest) -> HttpResponse:
    """Mark every unread notice read: the banner on other pages goes with them."""
    notices_read(user=request.user)
    return redirect("billing")


@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    """Stripe's Customer Portal (cards, invoices, plan), with real Stripe only."""
    if checkout_mode() is not CheckoutMode.HOSTED:
        raise Http404("The payment server has no customer portal.")
    try:
        return redirect(portal_url(user=request.user, base_url=_base_url(request)))
    except PaymentsUnavailable as error:
        return _unavailable(request, error)


# --- Checkout -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, plan_code: str) -> HttpResponse:
    """Our checkout page: the card (or, for a plan change, the card on file) and "Pay". With
    real Stripe a first subscription goes to Stripe Checkout instead."""
    try:
        plan = paid_plan(code=plan_code)
    except InvalidInput as error:
        raise Http404(error.message) from error
    except PaymentsUnavailable as error:
        return _unavailable(request, error)
    subscription = subscription_of(user=request.user)
    if subscription.paying and subscription.plan_id == plan.pk:
        messages.info(request, f"You are already on {plan.name}.")
        return redirect("billing")
    local = checkout_mode() is CheckoutMode.LOCAL
    if not local and not subscription.paying:
        try:
            return redirect(
                checkout_url(user=request.user, plan_code=plan.code, base_url=_base_url(request))
            )
        except PaymentsUnavailable as error:
            return _unavailable(request, error)
    values = {name: request.POST.get(name, "").strip() for name in CARD_FIELDS}
    errors: dict[str, list[str]] = {}
    problem, status = "", 200
    if request.method == "POST":
        # With real Stripe a card is never typed here: a plan change uses the card on file.
        card_given = local and (any(values.values()) or not subscription.paying)
        try:
            card = (
                card_parse(number=values["card_number"], expiry=values["expiry"], cvc=values["cvc"])
                if card_given
                else None
            )
            paid = checkout_pay(user=request.user, plan_code=plan.code, card=card)
        except InvalidInput as error:
            errors, problem, status = error.details, error.message, 400
        except PaymentFailed as error:
            errors, problem, status = error.details, error.message, 402
        except InvalidTransition as error:
            messages.info(request, error.message)
            return redirect("billing")
        except PaymentsUnavailable as error:
            return _unavailable(request, error)
        else:
            message = f"You are on {paid.plan.name}."
            if paid.status == Subscription.Status.TRIALING and paid.trial_end:
                message += f" Your trial ends on {paid.trial_end:%d %B %Y}."
            messages.success(request, message)
            return redirect("billing")
    values["cvc"] = ""  # never sent back to the browser
    context = {
        "plan": plan,
        "subscription": subscription,
        "changing": subscription.paying,
        "values": values,
        "errors": errors,
        "problem": problem,
        "card_fields": local,
        "test_cards": TEST_CARDS if local else [],
    }
    return render(request, "billing/checkout.html", context, status=status)


# --- Receipts -----------------------------------------------------------------------------------


@login_required
def receipt(request: HttpRequest, invoice_id: uuid.UUID) -> HttpResponse:
    """A printable receipt of one of the user's invoices (anyone else's is not found)."""
    invoice = get_object_or_404(invoices_of(user=request.user), pk=invoice_id)
    return render(request, "billing/receipt.html", {"invoice": invoice})


# --- API keys -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_keys_page(request: HttpRequest) -> HttpResponse:
    """GET lists the keys. POST ``action=create`` makes one and shows it on this response only
    (never stored in clear, never in a redirect or the session); ``action=revoke`` revokes."""
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            name = request.POST.get("name", "").strip()[:API_KEY_NAME_MAX_LENGTH]
            new_key = api_key_create(user=request.user, name=name or "API key")
        elif action == "revoke":
            api_key = api_keys_of(user=request.user).filter(pk=_uuid(request.POST.get("key_id")))
            if (found := api_key.first()) is not None:
                api_key_revoke(api_key=found)
                messages.success(request, f"Key {found.prefix}… is revoked.")
            return redirect("account-api-keys")
    context = {
        "keys": api_keys_of(user=request.user),
        "new_key": new_key,
        "name_max_length": API_KEY_NAME_MAX_LENGTH,
    }
    response = render(request, "account/api_keys.html", context)
    if new_key is not None:
        response["Cache-Control"] = "no-store"  # the key must not sit in a cache
    return response


def _uuid(value: str | None) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None
