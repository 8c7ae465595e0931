"""Revenue for staff: monthly recurring revenue, subscriptions by plan and, month by month, new
paid subscriptions, cancellations, churn, failed payments and money collected. Every number is
aggregated by the database from billing's own rows (subscriptions, invoices, payment-server
events) in a fixed handful of queries, whatever the number of users; money stays integer.

What each number means (the choices, and why):

* **Paying subscription**: status ``active`` or ``past_due`` (a failed payment still in its
  grace: once grace runs out the lifecycle moves ``plan`` back to the default, so a past-due row
  still on a paid plan is in grace), on a plan with a price, with a subscription on the payment
  server (``stripe_subscription_id``). A paid plan given by staff without the payment server
  is not revenue. ``trialing`` is counted apart and adds nothing to MRR.
* **MRR**: the sum of the plan price of paying subscriptions, per currency. It is the plan's
  *current* price; subscribers kept on an older price (``plans_sync`` makes a new price when an
  amount changes) are counted at the new one.
* **New paid subscription in a month**: the user's *first* paid invoice (``amount_paid > 0``)
  was paid that month. ``Subscription.started_at`` cannot say it: the row is made when the user
  signs up on the free plan. A user who cancels and comes back is not new a second time.
* **Cancellation in a month**: a subscription that has ended (``ENDED_STATUSES``) with
  ``canceled_at`` in that month, and that had paid before (a trial that ends unpaid is not
  churn). One row per user keeps only the latest cancellation.
* **Paying at the start of a month** (churn's denominator): users whose first payment came
  before that month, less those cancelled before it; so it moves by exactly new minus cancelled
  from one month to the next, and churn = cancellations / paying at start.
* **Failed payments in a month**: ``invoice.payment_failed`` events from the payment server,
  each retry counted (events are stored once each, so a replayed webhook counts once); events
  for no customer of ours (``unmatched``) are left out. An invoice's own state only shows its
  latest attempt, the events keep every one. "Failing now" is the open invoices with at least
  one attempt, and what they still owe.
* **Collected in a month**: ``amount_paid`` of paid invoices by ``paid_at``, per currency.

Months are calendar months in UTC; the last row is the month to date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from billing.models import ENDED_STATUSES, Invoice, Plan, StripeEvent, Subscription
from billing.money import Money, currency_exponent, currency_symbol, money

PAYING_STATUSES = (Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE)
# Statuses that hold a place on a plan (the doughnut and the "subscribers" column).
LIVE_STATUSES = (*PAYING_STATUSES, Subscription.Status.TRIALING)
PAYMENT_FAILED = "invoice.payment_failed"


@dataclass(frozen=True)
class PlanRevenue:
    code: str
    name: str
    price: Money
    subscribers: int  # active, past due or trialing, paying or not (the free plan's users)
    paying: int
    trialing: int
    past_due: int  # in grace: part of ``paying``
    mrr: Money


@dataclass(frozen=True)
class MonthRevenue:
    month: dt.date  # its first day
    new: int
    cancellations: int
    paying_at_start: int
    failed_payments: int
    collected: tuple[Money, ...]  # one per currency of the report, in its order
    churn: Decimal | None  # per cent, one decimal; None when nobody paid at the start

    @property
    def churn_display(self) -> str:
        return "—" if self.churn is None else f"{self.churn}%"


@dataclass(frozen=True)
class RevenueReport:
    now: dt.datetime
    currencies: tuple[str, ...]  # of paid plans and of money collected, sorted
    mrr: tuple[Money, ...]  # one per currency
    paying: int
    trialing: int
    past_due: int
    canceling_at_period_end: int
    plans: tuple[PlanRevenue, ...]
    months: tuple[MonthRevenue, ...]  # oldest first; the last is the current month
    failing_invoices: int
    failing_owed: tuple[Money, ...]  # one per currency with a failing invoice

    @property
    def last_full_month(self) -> MonthRevenue | None:
        return self.months[-2] if len(self.months) >= 2 else None


def month_starts(*, now: dt.datetime, months: int) -> list[dt.datetime]:
    """The first instants (UTC) of the ``months`` calendar months ending with ``now``'s, and
    of the month after it (the window's end): ``months + 1`` values, oldest first."""
    now = now.astimezone(dt.UTC)
    index = now.year * 12 + now.month - 1 - (months - 1)
    return [
        dt.datetime(year, month + 1, 1, tzinfo=dt.UTC)
        for year, month in (divmod(index + i, 12) for i in range(months + 1))
    ]


def churn_percent(*, cancellations: int, paying_at_start: int) -> Decimal | None:
    """Cancellations over paying subscriptions at the month's start, in per cent to one decimal
    (exact decimal division, rounded half up)."""
    if paying_at_start <= 0:
        return None
    rate = Decimal(cancellations * 100) / Decimal(paying_at_start)
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _month_key(value: dt.datetime) -> dt.date:
    return value.astimezone(dt.UTC).date().replace(day=1)


def _paid_invoices() -> Any:
    return Invoice.objects.filter(
        status=Invoice.Status.PAID, amount_paid__gt=0, paid_at__isnull=False
    )


def revenue_report(*, months: int = 12, now: dt.datetime | None = None) -> RevenueReport:
    """Revenue as of ``now`` (default: the present) with ``months`` calendar months of history
    (the current one included). Six queries, each an aggregate; see the module docstring for
    what every number counts."""
    if months < 1:
        raise ValueError("A revenue report covers at least one month.")
    now = now or timezone.now()
    starts = month_starts(now=now, months=months)
    window_start, window_end = starts[0], starts[-1]
    first_days = [start.date() for start in starts[:-1]]

    # 1. Plans with their subscriptions counted by kind, and their MRR (every plan, even empty).
    paying = Q(
        subscriptions__status__in=PAYING_STATUSES,
        price_cents_per_month__gt=0,
    ) & ~Q(subscriptions__stripe_subscription_id="")
    plan_rows = Plan.objects.annotate(
        n_subscribers=Count("subscriptions", filter=Q(subscriptions__status__in=LIVE_STATUSES)),
        n_paying=Count("subscriptions", filter=paying),
        n_trialing=Count(
            "subscriptions", filter=Q(subscriptions__status=Subscription.Status.TRIALING)
        ),
        n_past_due=Count(
            "subscriptions", filter=paying & Q(subscriptions__status=Subscription.Status.PAST_DUE)
        ),
        n_canceling=Count(
            "subscriptions", filter=paying & Q(subscriptions__cancel_at_period_end=True)
        ),
        mrr_cents=Sum("price_cents_per_month", filter=paying, default=0),
    ).order_by("sort_order", "code")
    plans = [
        PlanRevenue(
            code=plan.code,
            name=plan.name,
            price=Money(plan.price_cents_per_month, plan.currency),
            subscribers=plan.n_subscribers,
            paying=plan.n_paying,
            trialing=plan.n_trialing,
            past_due=plan.n_past_due,
            mrr=Money(plan.mrr_cents, plan.currency),
        )
        for plan in plan_rows
    ]
    canceling = sum(plan.n_canceling for plan in plan_rows)

    # 2. Money collected per month and currency.
    collected: dict[tuple[dt.date, str], int] = {}
    for row in (
        _paid_invoices()
        .filter(paid_at__gte=window_start, paid_at__lt=window_end)
        .annotate(month=TruncMonth("paid_at", tzinfo=dt.UTC))
        .values("month", "currency")
        .annotate(total=Sum("amount_paid"))
        .order_by()
    ):
        collected[_month_key(row["month"]), row["currency"]] = row["total"]

    # 3. New paid subscriptions: each user's first paid invoice, all time (the months before
    # the window are needed for who pays at its start).
    earlier_payment = _paid_invoices().filter(
        user=OuterRef("user"), paid_at__lt=OuterRef("paid_at")
    )
    new_by_month = {
        _month_key(row["month"]): row["n"]
        for row in _paid_invoices()
        .filter(paid_at__lt=window_end)
        .filter(~Exists(earlier_payment))
        .annotate(month=TruncMonth("paid_at", tzinfo=dt.UTC))
        .values("month")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    }

    # 4. Cancellations of subscriptions that had paid, all time for the same reason.
    paid_before_cancel = _paid_invoices().filter(
        user=OuterRef("user"), paid_at__lte=OuterRef("canceled_at")
    )
    cancel_by_month = {
        _month_key(row["month"]): row["n"]
        for row in Subscription.objects.filter(
            status__in=ENDED_STATUSES, canceled_at__lt=window_end
        )
        .filter(Exists(paid_before_cancel))
        .annotate(month=TruncMonth("canceled_at", tzinfo=dt.UTC))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }

    # 5. Failed payment attempts per month.
    failed_by_month = {
        _month_key(row["month"]): row["n"]
        for row in StripeEvent.objects.filter(
            type=PAYMENT_FAILED, created__gte=window_start, created__lt=window_end
        )
        .exclude(outcome=StripeEvent.Outcome.UNMATCHED)
        .annotate(month=TruncMonth("created", tzinfo=dt.UTC))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }

    # 6. Invoices failing now, and what they still owe per currency.
    failing = list(
        Invoice.objects.filter(status=Invoice.Status.OPEN, attempt_count__gt=0)
        .values("currency")
        .annotate(n=Count("pk"), owed=Sum(F("amount_due") - F("amount_paid")))
        .order_by("currency")
    )

    currencies = tuple(
        sorted(
            {plan.price.currency for plan in plans if plan.price.amount > 0}
            | {currency for _, currency in collected}
        )
    )
    mrr_by_currency: dict[str, int] = defaultdict(int)
    for plan in plans:
        mrr_by_currency[plan.mrr.currency] += plan.mrr.amount

    # Who pays at each month's start follows from the counts of all months before it.
    new_before = sum(n for month, n in new_by_month.items() if month < first_days[0])
    cancel_before = sum(n for month, n in cancel_by_month.items() if month < first_days[0])
    month_rows = []
    for first_day in first_days:
        new, cancellations = new_by_month.get(first_day, 0), cancel_by_month.get(first_day, 0)
        paying_at_start = new_before - cancel_before
        month_rows.append(
            MonthRevenue(
                month=first_day,
                new=new,
                cancellations=cancellations,
                paying_at_start=paying_at_start,
                failed_payments=failed_by_month.get(first_day, 0),
                collected=tuple(
                    Money(collected.get((first_day, currency), 0), currency)
                    for currency in currencies
                ),
                churn=churn_percent(cancellations=cancellations, paying_at_start=paying_at_start),
            )
        )
        new_before += new
        cancel_before += cancellations

    return RevenueReport(
        now=now,
        currencies=currencies,
        mrr=tuple(Money(mrr_by_currency[currency], currency) for currency in currencies),
        paying=sum(plan.paying for plan in plans),
        trialing=sum(plan.trialing for plan in plans),
        past_due=sum(plan.past_due for plan in plans),
        canceling_at_period_end=canceling,
        plans=tuple(plans),
        months=tuple(month_rows),
        failing_invoices=sum(row["n"] for row in failing),
        failing_owed=tuple(Money(row["owed"], row["currency"]) for row in failing),
    )


def revenue_chart_data(*, report: RevenueReport) -> dict[str, Any]:
    """What the page's charts draw (``static/js/revenue.js``), for ``json_script``: amounts in
    smallest units with each currency's symbol and exponent, so the script formats them with
    integer arithmetic, and the same figures already formatted for tooltips."""
    return {
        "months": [row.month.strftime("%b %Y") for row in report.months],
        "currencies": {
            currency: {"symbol": currency_symbol(currency), "exponent": currency_exponent(currency)}
            for currency in report.currencies
        },
        "collected": {
            currency: [row.collected[i].amount for row in report.months]
            for i, currency in enumerate(report.currencies)
        },
        "collected_display": {
            currency: [money(row.collected[i].amount, currency) for row in report.months]
            for i, currency in enumerate(report.currencies)
        },
        "new": [row.new for row in report.months],
        "cancellations": [row.cancellations for row in report.months],
        "plans": [
            {"name": plan.name, "subscribers": plan.paying + plan.trialing}
            for plan in report.plans
            if plan.price.amount > 0
        ],
    }
