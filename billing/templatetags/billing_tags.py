"""Template filters of the billing pages: money as people read it, limits that may be unlimited."""

from __future__ import annotations

from django import template

from billing.money import money as money_text

register = template.Library()


@register.filter
def money(amount: int | None, currency: str) -> str:
    """``{{ invoice.amount_due|money:invoice.currency }}`` → "$29.00"."""
    return money_text(int(amount or 0), currency or "usd")


@register.filter
def limit(value: int | None) -> str:
    """A plan limit: ``None`` is unlimited."""
    return "Unlimited" if value is None else f"{value:,}"
