"""The staff revenue page in a real browser: the three charts draw from the page's data, with
no console error, and the tables stay when JavaScript is off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Plan, Subscription
from tests.browser.conftest import screenshot
from tests.factories import InvoiceFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

URL = "/admin/billing/subscription/revenue/"


@pytest.fixture
def subscribers():
    """Two Pro subscribers paying since last month and one Enterprise since this month."""
    now = timezone.now()
    last_month = now.replace(day=1) - dt.timedelta(days=3)
    for code, paid in (
        ("pro", [last_month, now]),
        ("pro", [last_month, now]),
        ("enterprise", [now]),
    ):
        user = UserFactory()
        plan = Plan.objects.get(code=code)
        Subscription.objects.filter(user=user).update(
            plan=plan, stripe_subscription_id=f"sub_{user.username}"
        )
        for paid_at in paid:
            InvoiceFactory(user=user, plan=plan, paid_at=paid_at)


def test_staff_see_the_revenue_charts(open_page, staff, subscribers):
    page = open_page(staff)

    page.goto(URL)

    expect(page.locator("#revenue-mrr")).to_contain_text("$357.00")
    for chart in ("collected", "movement", "plans"):
        expect(page.locator(f"#revenue-chart-{chart}")).to_be_visible()
    drawn = page.evaluate(
        "['collected', 'movement', 'plans'].map("
        "id => window.Chart.getChart('revenue-chart-' + id).data.datasets[0].data)"
    )
    assert drawn[0][-1] == 2 * 2_900 + 29_900  # collected this month, in cents
    assert drawn[1][-2:] == [2, 1]  # new: the Pro two last month, Enterprise this month
    assert sorted(drawn[2]) == [1, 2]
    screenshot(page, "admin-revenue")


def test_without_javascript_the_tables_hold_the_figures(open_page, staff, subscribers):
    page = open_page(staff, java_script_enabled=False)

    page.goto(URL)

    expect(page.locator("#revenue-charts")).to_be_hidden()
    expect(page.locator("#revenue-months tbody tr").last).to_contain_text("$357.00")
    expect(page.locator("#revenue-plans")).to_contain_text("Enterprise")
