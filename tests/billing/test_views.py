"""The billing pages through the Django test client, paying on the embedded payment server
(localstripe, through the real stripe client): pricing, our checkout page, the billing page,
cancel and resume, and receipts, for an owner, a stranger and an anonymous visitor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import Invoice, Notice
from billing.selectors import subscription_of
from billing.services import plans_sync
from billing.services.subscriptions import notice_send
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db

GOOD_CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/30", "cvc": "123"}
DECLINED_CARD = {"card_number": "4000000000000002", "expiry": "12/30", "cvc": "123"}
CHECKOUT_PRO = "/billing/checkout/pro/"


@pytest.fixture
def synced():
    """The seeded paid plans as products and prices on the payment server (idempotent)."""
    plans_sync()


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(stranger) -> Client:
    client = Client()
    client.force_login(stranger)
    return client


@pytest.fixture
def pro_owner(owner, owner_client, synced):
    """The owner has paid for Pro with the test card that succeeds."""
    response = owner_client.post(CHECKOUT_PRO, GOOD_CARD)
    assert response.status_code == 302, response.content.decode()[:2000]
    return owner


# --- Pricing ------------------------------------------------------------------------------------


def test_pricing_lists_every_plan_with_its_price_and_limits_for_anyone(client):
    response = client.get("/pricing/")

    assert response.status_code == 200
    page = response.content.decode()
    for name, price in [("Free", "$0.00"), ("Pro", "$29.00"), ("Enterprise", "$299.00")]:
        assert name in page and price in page
    assert "Priority processing" in page and "White label" in page
    assert "Unlimited" in page  # enterprise's limits
    assert "Your plan" not in page
    assert page.count(f'href="{reverse("signup")}"') >= 3  # a sign-up link per plan


def test_pricing_marks_the_signed_in_users_plan_and_offers_the_paid_ones(owner_client):
    response = owner_client.get("/pricing/")

    page = response.content.decode()
    assert page.count("Your plan") == 1
    free_card = page.split('id="plan-free"')[1].split("</section>")[0]
    assert "Your plan" in free_card
    assert 'name="plan" value="pro"' in page and 'name="plan" value="enterprise"' in page


def test_the_pro_button_starts_checkout_on_our_own_page(owner_client, synced):
    response = owner_client.post(reverse("billing-checkout-start"), {"plan": "pro"})

    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{CHECKOUT_PRO}"


def test_an_anonymous_visitor_is_sent_to_log_in_before_checkout(client):
    response = client.post(reverse("billing-checkout-start"), {"plan": "pro"})

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_main_navigation_has_pricing_and_billing_for_a_signed_in_user(owner_client, client):
    assert 'href="/billing/"' in owner_client.get("/pricing/").content.decode()
    anonymous = client.get("/pricing/").content.decode()
    assert 'href="/pricing/"' in anonymous and 'href="/billing/"' not in anonymous


# --- Checkout -----------------------------------------------------------------------------------


def test_the_checkout_page_summarises_the_order_and_asks_for_the_card(owner_client, synced):
    response = owner_client.get(CHECKOUT_PRO)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pro" in page and "$29.00" in page and "per month" in page
    for label in ["Card number", "Expiry (MM/YY)", "CVC"]:
        assert f">{label}</label>" in page
    assert ">Pay</button>" in page
    assert "4242 4242 4242 4242" in page  # test cards: the embedded payment server only


def test_paying_with_the_test_card_puts_the_owner_on_pro_with_an_invoice(owner_client, synced):
    response = owner_client.post(CHECKOUT_PRO, GOOD_CARD, follow=True)

    assert response.redirect_chain[-1][0] == "/billing/"
    page = response.content.decode()
    assert "You are on Pro." in page
    assert '<p class="plan-name"><strong>Pro</strong>' in page
    invoice = Invoice.objects.get(user=response.wsgi_request.user)
    assert invoice.status == Invoice.Status.PAID and invoice.amount_paid == 2_900
    assert f'href="/billing/invoices/{invoice.pk}/"' in page
    assert "$29.00" in page.split('id="invoices-title"')[1]


def test_a_declined_card_is_402_with_the_reason_and_the_plan_stays_free(
    owner, owner_client, synced
):
    response = owner_client.post(CHECKOUT_PRO, DECLINED_CARD)

    assert response.status_code == 402
    assert "The card was declined" in response.content.decode()
    assert subscription_of(user=owner).plan.code == "free"
    assert not Invoice.objects.filter(user=owner, status=Invoice.Status.PAID).exists()


def test_a_bad_expiry_is_400_with_the_fields_error_and_keeps_the_number(owner_client, synced):
    response = owner_client.post(CHECKOUT_PRO, {**GOOD_CARD, "expiry": "13/30"})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="expiry_error"' in page and "Enter the expiry as MM/YY" in page
    assert 'value="4242 4242 4242 4242"' in page
    assert 'value="123"' not in page  # the CVC is never sent back


def test_an_expired_card_and_an_empty_form_name_their_fields(owner_client, synced):
    expired = owner_client.post(CHECKOUT_PRO, {**GOOD_CARD, "expiry": "01/20"})
    empty = owner_client.post(CHECKOUT_PRO, {})

    assert expired.status_code == 400 and "This card has expired." in expired.content.decode()
    page = empty.content.decode()
    assert empty.status_code == 400
    for field in ["card_number", "expiry", "cvc"]:
        assert f'id="{field}_error"' in page


def test_an_unknown_or_free_plan_has_no_checkout_page(owner_client, synced):
    assert owner_client.get("/billing/checkout/platinum/").status_code == 404
    assert owner_client.get("/billing/checkout/free/").status_code == 404


def test_a_paying_user_confirms_a_plan_change_with_the_card_on_file(pro_owner, owner_client):
    page = owner_client.get("/billing/checkout/enterprise/").content.decode()
    assert "Change to Enterprise" in page and "prorates" in page

    response = owner_client.post("/billing/checkout/enterprise/", {}, follow=True)

    assert "You are on Enterprise." in response.content.decode()
    assert subscription_of(user=pro_owner).plan.code == "enterprise"


def test_checkout_for_the_plan_already_paid_for_goes_back_to_billing(pro_owner, owner_client):
    response = owner_client.get(CHECKOUT_PRO, follow=True)

    assert response.redirect_chain[-1][0] == "/billing/"
    assert "You are already on Pro." in response.content.decode()


def test_without_a_payment_server_key_checkout_is_503_and_says_what_to_set(
    owner_client, synced, settings
):
    settings.STRIPE_SECRET_KEY = ""

    response = owner_client.post(CHECKOUT_PRO, GOOD_CARD)

    assert response.status_code == 503
    assert "STRIPE_SECRET_KEY" in response.content.decode()


# --- The billing page ---------------------------------------------------------------------------


def test_the_billing_page_needs_a_login(client):
    response = client.get("/billing/")

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_billing_page_shows_the_free_plan_and_usage_bars(owner_client):
    page = owner_client.get("/billing/").content.decode()

    assert '<p class="plan-name"><strong>Free</strong>' in page
    for label in [
        "Characters",
        "Relationships",
        "Story exports this month",
        "API calls this month",
    ]:
        assert label in page
    assert "0 / 5" in page  # characters against the free plan's limit
    assert "No invoices yet." in page
    assert "Cancel at period end" not in page


def test_cancel_shows_when_the_plan_ends_and_resume_takes_it_back(pro_owner, owner_client):
    canceled = owner_client.post(reverse("billing-cancel"), follow=True).content.decode()

    end = subscription_of(user=pro_owner).current_period_end
    assert f"Cancels on {end:%-d %B %Y}" in canceled
    assert "Resume subscription" in canceled

    resumed = owner_client.post(reverse("billing-resume"), follow=True).content.decode()

    assert "Cancels on" not in resumed
    assert "Pro continues" in resumed
    assert not subscription_of(user=pro_owner).cancel_at_period_end


def test_cancel_without_a_paid_subscription_says_so(owner_client):
    page = owner_client.post(reverse("billing-cancel"), follow=True).content.decode()

    assert "You have no paid subscription to cancel" in page


def test_past_due_shows_the_end_of_the_grace(owner, owner_client, settings):
    settings.BILLING_GRACE_DAYS = 7
    subscription = subscription_of(user=owner)
    since = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    subscription.status, subscription.past_due_since = "past_due", since
    subscription.stripe_subscription_id = "sub_test_past_due"
    subscription.save()

    page = owner_client.get("/billing/").content.decode()

    assert "Past due" in page
    assert f"until {since + dt.timedelta(days=7):%-d %B %Y}" in page


# --- Notices ------------------------------------------------------------------------------------


def test_an_unread_notice_is_a_banner_on_every_page_until_dismissed(owner, owner_client):
    notice_send(
        user=owner,
        kind=Notice.Kind.PAYMENT_FAILED,
        subject="Your payment failed",
        body="We could not charge your card.",
    )

    dashboard = owner_client.get(reverse("dashboard")).content.decode()
    assert "notice-banner" in dashboard and "Your payment failed" in dashboard
    billing = owner_client.get("/billing/").content.decode()
    assert "We could not charge your card." in billing and "notice-banner" not in billing

    owner_client.post(reverse("billing-notices-dismiss"))

    assert "notice-banner" not in owner_client.get(reverse("dashboard")).content.decode()
    assert "Earlier notices" in owner_client.get("/billing/").content.decode()


def test_the_banner_costs_one_query_and_nothing_for_anonymous_visitors(
    owner, owner_client, client, django_assert_num_queries
):
    from billing.context_processors import billing_notice

    request = owner_client.get("/pricing/").wsgi_request
    lazy = billing_notice(request)["billing_notice"]
    with django_assert_num_queries(1):
        assert lazy() is None
        assert lazy() is None
    assert billing_notice(client.get("/pricing/").wsgi_request) == {}


# --- Receipts -----------------------------------------------------------------------------------


def test_the_receipt_is_the_owners_and_printable(pro_owner, owner_client, stranger_client, client):
    invoice = Invoice.objects.get(user=pro_owner)
    url = f"/billing/invoices/{invoice.pk}/"

    response = owner_client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Dramatis</strong>" in page and "owner@example.com" in page
    assert (
        (invoice.number or invoice.stripe_invoice_id) in page
        and "$29.00" in page
        and "Total" in page
        and "Paid on" in page
    )
    assert stranger_client.get(url).status_code == 404
    assert reverse("login") in client.get(url)["Location"]


def test_the_stylesheet_hides_the_navigation_in_print():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/app.css")).read_text()
    print_rules = css.split("@media print")[1]
    assert ".site-header" in print_rules and "display: none" in print_rules


def test_after_a_downgrade_the_page_says_what_is_over_the_limit_and_what_to_do(owner, owner_client):
    world = EcosystemFactory(owner=owner)
    for n in range(7):
        CharacterFactory(ecosystem=world, name=f"Guest {n}")

    page = owner_client.get("/billing/").content.decode()

    assert "Characters: 7 of 5 on Free" in page
    assert "the 2 over the limit are kept, paused and read-only. Remove 2 or" in page


# --- With real Stripe (hosted Checkout and the Customer Portal) ---------------------------------


@pytest.fixture
def hosted(synced, settings):
    """The payment server is Stripe itself (its answers are stood in for where called)."""
    settings.STRIPE_API_BASE = "https://api.stripe.com"


def test_with_real_stripe_checkout_is_stripes_page_without_test_cards(
    owner_client, hosted, monkeypatch
):
    stripe_page = "https://checkout.stripe.com/c/pay/cs_test_1"
    calls = []

    def checkout_url(**kwargs):
        calls.append(kwargs)
        return stripe_page

    monkeypatch.setattr("billing.views.checkout_url", checkout_url)

    response = owner_client.get(CHECKOUT_PRO)

    assert response.status_code == 302 and response["Location"] == stripe_page
    assert calls[0]["plan_code"] == "pro" and calls[0]["base_url"] == "http://testserver"


def test_with_real_stripe_a_plan_change_asks_for_no_card(pro_owner, owner_client, settings):
    settings.STRIPE_API_BASE = "https://api.stripe.com"

    page = owner_client.get("/billing/checkout/enterprise/").content.decode()

    assert "Change to Enterprise" in page and ">Pay</button>" in page
    assert "Card number" not in page and "4242 4242 4242 4242" not in page


def test_with_real_stripe_manage_billing_opens_the_customer_portal(
    owner, owner_client, hosted, monkeypatch
):
    subscription = subscription_of(user=owner)
    subscription.stripe_customer_id = "cus_test_portal"
    subscription.save()
    portal = "https://billing.stripe.com/p/session/test_1"
    monkeypatch.setattr("billing.views.portal_url", lambda **kwargs: portal)

    assert "Manage billing" in owner_client.get("/billing/").content.decode()
    response = owner_client.post(reverse("billing-portal"))

    assert response.status_code == 302 and response["Location"] == portal


def test_without_real_stripe_there_is_no_portal(owner_client):
    assert "Manage billing" not in owner_client.get("/billing/").content.decode()
    assert owner_client.post(reverse("billing-portal")).status_code == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/billing/"),
        ("get", CHECKOUT_PRO),
        ("post", CHECKOUT_PRO),
        ("post", "/billing/cancel/"),
        ("post", "/billing/resume/"),
        ("post", "/billing/notices/dismiss/"),
        ("post", "/billing/portal/"),
    ],
)
def test_an_anonymous_visitor_is_sent_to_log_in(client, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302 and reverse("login") in response["Location"]
