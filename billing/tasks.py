"""Celery tasks of the billing app: thin, one service call each."""

from __future__ import annotations

import dataclasses
from typing import Any

from celery import shared_task

from billing.gateway import payments_configured
from billing.services.subscriptions import billing_clock


@shared_task(name="billing.billing_clock_task")
def billing_clock_task() -> dict[str, Any]:
    """Beat runs this every ``BILLING_CLOCK_SECONDS``: grace ends, and renewals and period
    ends on a payment server without a clock of its own."""
    if not payments_configured():
        return {"skipped": "payments are not configured"}
    return dataclasses.asdict(billing_clock())
