"""Revenue for staff: MRR, subscriptions by plan and month by month new, cancelled, churn,
failed payments and money collected, all from billing's rows; and the admin page showing them."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import Invoice, Plan, StripeEvent, Subscription
from billing.money import Money, money
from billing.revenue import churn_percent, month_starts, revenue_report
from tests.factories import InvoiceFactory, StripeEventFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
MONTHS = 4  # March to June 2026


def at(month: int, day: int, *clock: int) -> dt.datetime:
    return dt.datetime(2026, month, day, *(clock or (9,)), tzinfo=dt.UTC)


def subscriber(plan: str, *, status: str = "active", stripe: bool = True, **fields):
    """A user whose subscription is on ``plan`` with ``status`` (on the payment server unless
    ``stripe`` is false, as when staff give a plan by hand)."""
    user = UserFactory()
    Subscription.objects.filter(user=user).update(
        plan=Plan.objects.get(code=plan),
        status=status,
        stripe_subscription_id=f"sub_{user.username}" if stripe else "",
        **fields,
    )
    return user


def paid(user, plan: str, *when: dt.datetime) -> None:
    for paid_at in when:
        InvoiceFactory(user=user, plan=Plan.objects.get(code=plan), paid_at=paid_at)


@pytest.fixture
def history():
    """Half a year of subscribers (see each line); the report looks at March to June."""
    a = subscriber("pro")  # paying since January
    paid(a, "pro", at(1, 10), at(2, 10), at(3, 10), at(4, 10), at(5, 10), at(6, 10))
    b = subscriber("pro", status="past_due", past_due_since=at(6, 5))  # new in March, in grace
    paid(b, "pro", at(3, 5), at(4, 5), at(5, 5))
    InvoiceFactory(
        user=b,
        plan=Plan.objects.get(code="pro"),
        status="open",
        attempt_count=2,
        issued_at=at(6, 5),
    )
    StripeEventFactory(created=at(6, 5))
    StripeEventFactory(created=at(6, 8))
    c = subscriber("enterprise")  # new in April
    paid(c, "enterprise", at(4, 20), at(5, 20))
    d = subscriber("free", status="canceled", canceled_at=at(5, 3))  # paid Feb-Apr, left in May
    paid(d, "pro", at(2, 1), at(3, 1), at(4, 1))
    subscriber("pro", status="trialing")  # trialing: no MRR
    subscriber("free", status="canceled", canceled_at=at(5, 2))  # a trial that ended unpaid
    subscriber("pro", stripe=False)  # given by staff: not revenue
    h = subscriber("pro", cancel_at_period_end=True)  # new on May's last second, leaving
    paid(h, "pro", at(5, 31, 23, 59, 59))
    # Not failed payments of ours: no customer matched, or another event type.
    StripeEventFactory(created=at(5, 9), outcome=StripeEvent.Outcome.UNMATCHED)
    StripeEventFactory(created=at(5, 9), type="invoice.paid")
    # Not collected: void, and open with no attempt yet.
    InvoiceFactory(user=a, status=Invoice.Status.VOID, issued_at=at(4, 1))
    InvoiceFactory(user=c, status=Invoice.Status.OPEN, issued_at=at(6, 14))


def test_mrr_is_the_price_of_paying_subscriptions_in_grace_included(history):
    report = revenue_report(months=MONTHS, now=NOW)

    # Three on Pro ($29: active, past due in grace, cancelling at period end), one Enterprise.
    assert report.mrr == (Money(3 * 2_900 + 29_900, "usd"),)
    assert str(report.mrr[0]) == "$386.00"
    assert (report.paying, report.past_due, report.trialing) == (4, 1, 1)
    assert report.canceling_at_period_end == 1


def test_subscriptions_are_counted_by_plan(history):
    plans = {plan.code: plan for plan in revenue_report(months=MONTHS, now=NOW).plans}

    pro = plans["pro"]
    assert (pro.paying, pro.past_due, pro.trialing, pro.subscribers) == (3, 1, 1, 5)
    assert pro.mrr == Money(8_700, "usd") and str(pro.price) == "$29.00"
    assert (plans["enterprise"].paying, plans["enterprise"].mrr) == (1, Money(29_900, "usd"))
    assert plans["free"].paying == 0 and plans["free"].mrr == Money(0, "usd")


def test_months_count_new_cancelled_paying_at_start_churn_and_failures(history):
    months = revenue_report(months=MONTHS, now=NOW).months

    assert [row.month for row in months] == [dt.date(2026, m, 1) for m in (3, 4, 5, 6)]
    assert [row.new for row in months] == [1, 1, 1, 0]  # b, c, h (a and d came before March)
    assert [row.cancellations for row in months] == [0, 0, 1, 0]  # d; the unpaid trial is not
    assert [row.paying_at_start for row in months] == [2, 3, 4, 4]
    assert [row.churn for row in months] == [
        Decimal("0.0"),
        Decimal("0.0"),
        Decimal("25.0"),
        Decimal("0.0"),
    ]
    assert months[2].churn_display == "25.0%"
    assert [row.failed_payments for row in months] == [0, 0, 0, 2]


def test_money_collected_is_summed_per_month_from_paid_invoices(history):
    months = revenue_report(months=MONTHS, now=NOW).months

    assert [row.collected for row in months] == [
        (Money(8_700, "usd"),),  # a, b, d
        (Money(38_600, "usd"),),  # a, b, c, d
        (Money(38_600, "usd"),),  # a, b, c, h
        (Money(2_900, "usd"),),  # a
    ]
    # Integers from the database, never Decimal or float.
    assert all(type(row.collected[0].amount) is int for row in months)


def test_invoices_failing_now_say_what_they_owe(history):
    report = revenue_report(months=MONTHS, now=NOW)

    assert report.failing_invoices == 1
    assert report.failing_owed == (Money(2_900, "usd"),)
    assert str(report.failing_owed[0]) == "$29.00" and type(report.failing_owed[0].amount) is int
    assert report.last_full_month.month == dt.date(2026, 5, 1)


def test_the_report_takes_six_queries_however_many_subscribers(history):
    with CaptureQueriesContext(connection) as few:
        revenue_report(months=MONTHS, now=NOW)
    for _ in range(5):
        paid(subscriber("pro"), "pro", at(4, 2), at(5, 2))
    with CaptureQueriesContext(connection) as more:
        report = revenue_report(months=MONTHS, now=NOW)

    assert len(few) == len(more) == 6
    assert report.paying == 9


def test_each_currency_has_its_own_mrr_and_collected_column():
    Plan.objects.create(code="pro-eu", name="Pro EU", price_cents_per_month=2_500, currency="eur")
    euro = subscriber("pro-eu")
    paid(euro, "pro-eu", at(6, 1))
    paid(subscriber("pro"), "pro", at(6, 2))

    report = revenue_report(months=1, now=NOW)

    assert report.currencies == ("eur", "usd")
    assert report.mrr == (Money(2_500, "eur"), Money(2_900, "usd"))
    assert report.months[0].collected == (Money(2_500, "eur"), Money(2_900, "usd"))


def test_nobody_paying_gives_zero_mrr_and_no_churn():
    report = revenue_report(months=2, now=NOW)

    assert report.mrr == (Money(0, "usd"),) and report.paying == 0
    assert [row.churn for row in report.months] == [None, None]
    assert report.months[0].churn_display == "—"


def test_churn_is_an_exact_decimal_percentage():
    assert churn_percent(cancellations=1, paying_at_start=3) == Decimal("33.3")
    assert churn_percent(cancellations=2, paying_at_start=3) == Decimal("66.7")
    assert churn_percent(cancellations=1, paying_at_start=8) == Decimal("12.5")
    assert churn_percent(cancellations=0, paying_at_start=0) is None


def test_months_run_back_across_a_year_end():
    starts = month_starts(now=dt.datetime(2026, 2, 3, tzinfo=dt.UTC), months=3)

    assert [s.date() for s in starts] == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    ]


def test_money_is_formatted_from_integers():
    assert money(2_900, "usd") == "$29.00"
    assert money(5, "usd") == "$0.05"
    assert money(123_456_789, "usd") == "$1,234,567.89"
    assert money(-150, "eur") == "-€1.50"
    assert money(500, "jpy") == "¥500"
    assert money(1_234, "kwd") == "KWD 1.234"


# --- The admin page ---------------------------------------------------------------------------

URL = "/admin/billing/subscription/revenue/"


def test_the_page_lives_beside_the_subscription_list():
    assert reverse("admin:billing_subscription_revenue") == URL


def test_staff_see_the_numbers_and_the_charts_data(client, staff):
    this_month = timezone.now()
    paid(subscriber("pro"), "pro", this_month)
    client.force_login(staff)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.text
    assert re.search(r'id="revenue-mrr">.*?\$29\.00', page, re.S)
    assert re.search(r'id="revenue-paying">.*?<span class="figure">1</span>', page, re.S)
    data = json.loads(
        re.search(
            r'<script id="revenue-data" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert len(data["months"]) == 12 and data["months"][-1] == this_month.strftime("%b %Y")
    assert data["collected"]["usd"][-1] == 2_900
    assert data["collected_display"]["usd"][-1] == "$29.00"
    assert data["new"][-1] == 1 and data["cancellations"][-1] == 0
    assert {"name": "Pro", "subscribers": 1} in data["plans"]
    assert "js/revenue.js" in page and "vendor/chartjs/chart.umd.min.js" in page
    # Without JavaScript the same figures are in the tables.
    assert re.search(r'id="revenue-months".*?\$29\.00', page, re.S)


def test_the_subscription_list_links_to_the_revenue_page(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:billing_subscription_changelist"))

    assert f'href="{URL}"' in response.text


def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(client, stranger):
    client.force_login(stranger)

    response = client.get(URL)

    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(URL)

    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_staff_not_allowed_to_view_subscriptions_are_refused(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(URL).status_code == 403
