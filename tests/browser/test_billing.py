"""Paying for a plan in a real browser: sign up, choose Pro on /pricing/, type the test card on
our checkout page (the embedded Stripe-compatible server), and land on /billing/ on Pro."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from billing.models import Invoice
from billing.services import plans_sync
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_a_new_creator_signs_up_and_pays_for_pro_with_the_test_card(open_page):
    plans_sync()
    page = open_page()
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Email").fill("cora@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Your worlds")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pricing").click()
    free = page.locator("section.plan", has=page.get_by_role("heading", name="Free"))
    expect(free).to_contain_text("Your plan")
    screenshot(page, "billing-pricing")
    page.get_by_role("button", name="Get Pro").click()

    expect(page).to_have_url(re.compile(r"/billing/checkout/pro/$"))
    expect(page.get_by_role("heading", name="Order summary")).to_be_visible()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("CVC").fill("123")
    screenshot(page, "billing-checkout")
    page.get_by_role("button", name="Pay", exact=True).click()

    expect(page).to_have_url(re.compile(r"/billing/$"))
    expect(page.locator(".messages .message.success")).to_have_text("You are on Pro.")
    expect(page.locator(".plan-name")).to_contain_text("Pro")
    invoice = Invoice.objects.get(user__username="cora")
    row = page.locator("table.invoices tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("$29.00")
    expect(row).to_contain_text("Paid")
    screenshot(page, "billing-page")

    row.get_by_role("link", name=re.compile("Receipt")).click()
    expect(page).to_have_url(re.compile(rf"/billing/invoices/{invoice.pk}/$"))
    expect(page.get_by_role("heading", name="Receipt")).to_be_visible()
    screenshot(page, "billing-receipt")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    screenshot(page, "billing-receipt-print")
