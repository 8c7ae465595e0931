"""LLM spend: totals of ``LLMUsage`` for a world, an owner, or grouped by either."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from characters.models import LLMUsage


@dataclass(frozen=True)
class UsageTotals:
    calls: int  # requests answered, plus cache hits
    cached_calls: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: Decimal


def _total_expressions() -> dict[str, Any]:
    cost_field = LLMUsage._meta.get_field("cost_usd")
    return {
        "calls": Count("id"),
        "cached_calls": Count("id", filter=Q(cached=True)),
        "total_prompt_tokens": Coalesce(Sum("prompt_tokens"), 0),
        "total_completion_tokens": Coalesce(Sum("completion_tokens"), 0),
        "total_cost_usd": Coalesce(
            Sum("cost_usd"),
            Value(Decimal(0)),
            output_field=DecimalField(
                max_digits=cost_field.max_digits, decimal_places=cost_field.decimal_places
            ),
        ),
    }


def _usage(*, since: dt.datetime | None) -> QuerySet[LLMUsage]:
    rows = LLMUsage.objects.all()
    return rows.filter(created_at__gte=since) if since else rows


def llm_usage_totals(
    *,
    ecosystem_id: uuid.UUID | str | None = None,
    owner_id: int | None = None,
    since: dt.datetime | None = None,
) -> UsageTotals:
    """Totals for one world, one owner, or both filters together (one query)."""
    rows = _usage(since=since)
    if ecosystem_id is not None:
        rows = rows.filter(ecosystem_id=ecosystem_id)
    if owner_id is not None:
        rows = rows.filter(owner_id=owner_id)
    totals = rows.aggregate(**_total_expressions())
    return UsageTotals(
        calls=totals["calls"],
        cached_calls=totals["cached_calls"],
        prompt_tokens=totals["total_prompt_tokens"],
        completion_tokens=totals["total_completion_tokens"],
        cost_usd=totals["total_cost_usd"],
    )


def llm_usage_by_world(
    *, owner_id: int | None = None, since: dt.datetime | None = None
) -> QuerySet[LLMUsage, dict[str, Any]]:
    """One row per world (``ecosystem_id``, ``ecosystem__name`` and the totals), costliest first."""
    rows = _usage(since=since)
    if owner_id is not None:
        rows = rows.filter(owner_id=owner_id)
    return (
        rows.values("ecosystem_id", "ecosystem__name")
        .annotate(**_total_expressions())
        .order_by("-total_cost_usd", "ecosystem_id")
    )


def llm_usage_by_owner(*, since: dt.datetime | None = None) -> QuerySet[LLMUsage, dict[str, Any]]:
    """One row per owner (``owner_id`` and the totals), costliest first."""
    return (
        _usage(since=since)
        .values("owner_id")
        .annotate(**_total_expressions())
        .order_by("-total_cost_usd", "owner_id")
    )
