"""A game's stats (issue 18 item 5), read from its ``GameDecision`` rows in six queries.

- **decisions**: total and how many have an outcome.
- **latency_ms**: p50 and p95 of ``latency_ms`` (``percentile_cont`` in the database).
- **by_action**: per chosen action, decisions, outcomes and mean effectiveness.
- **by_cluster**: the context cluster of a decision is its stored ``difficulty`` and the
  context's ``environment`` (``"difficulty/environment"``, ``"-"`` for a missing part): the
  two fields of the vocabulary a designer plans by. Per cluster: decisions, outcomes, mean.
- **over_time**: the decisions that have an effectiveness, in the order they were made
  (``created_at``, then the decision's ``number``), cut into fixed windows of ``window``
  decisions (the last one may be shorter); per window its first and last order and mean.
- **learning_curve**: the rolling mean of ``reward`` over the last ``rolling`` rewarded
  decisions at each rewarded decision, in order; at most ``CURVE_POINTS`` points (every
  k-th, and always the last).
- **ab**: with ``config["ab"]``, per arm n/mean/variance of effectiveness (SQL sums) and
  ``ab_compare`` of B against A (difference, low, high, verdict); ``None`` without A/B.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Avg, Count, F, FloatField, Q, Sum, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, Concat, NullIf

from ecosystems.engine.games import ArmSummary, ab_compare
from ecosystems.models import Game, GameDecision

DEFAULT_WINDOW = 20
DEFAULT_ROLLING = 20
CURVE_POINTS = 200

_SUMMARY_SQL = """
SELECT COUNT(*),
       COUNT(*) FILTER (WHERE outcome <> ''),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)
FROM {table} WHERE game_id = %s
"""

_WINDOWS_SQL = """
WITH ordered AS (
    SELECT effectiveness,
           row_number() OVER (ORDER BY created_at, number, id) AS position
    FROM {table} WHERE game_id = %s AND effectiveness IS NOT NULL
)
SELECT (position - 1) / %s AS window, MIN(position), MAX(position), COUNT(*), AVG(effectiveness)
FROM ordered GROUP BY 1 ORDER BY 1
"""

_CURVE_SQL = """
WITH ordered AS (
    SELECT row_number() OVER (ORDER BY created_at, number, id) AS position,
           AVG(reward) OVER (ORDER BY created_at, number, id
                             ROWS BETWEEN %s PRECEDING AND CURRENT ROW) AS rolling,
           COUNT(*) OVER () AS total
    FROM {table} WHERE game_id = %s AND reward IS NOT NULL
)
SELECT position, rolling FROM ordered
WHERE position %% GREATEST(1, CEIL(total::float / %s))::bigint = 0 OR position = total
ORDER BY position
"""


def _table() -> str:
    return connection.ops.quote_name(GameDecision._meta.db_table)


def _mean(value: Any) -> float | None:
    return None if value is None else float(value)


def game_stats(
    game: Game, *, window: int = DEFAULT_WINDOW, rolling: int = DEFAULT_ROLLING
) -> dict[str, Any]:
    """The stats of ``game`` (see the module doc); ``window`` and ``rolling`` are ≥ 1."""
    window, rolling = max(1, int(window)), max(1, int(rolling))
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(_SUMMARY_SQL.format(table=table), [game.pk])
        total, with_outcome, p50, p95 = cursor.fetchone()
    decisions = GameDecision.objects.filter(game=game)
    counts = {
        "decisions": Count("id"),
        "outcomes": Count("id", filter=~Q(outcome="")),
        "mean_effectiveness": Avg("effectiveness"),
    }
    by_action = [
        {
            "action": row["action"],
            "decisions": row["decisions"],
            "outcomes": row["outcomes"],
            "mean_effectiveness": _mean(row["mean_effectiveness"]),
        }
        for row in decisions.values("action").annotate(**counts).order_by("action")
    ]
    cluster = Concat(
        Coalesce(NullIf(F("difficulty"), Value("")), Value("-"), output_field=TextField()),
        Value("/"),
        Coalesce(KeyTextTransform("environment", "context"), Value("-"), output_field=TextField()),
        output_field=TextField(),
    )
    by_cluster = [
        {
            "cluster": row["cluster"],
            "decisions": row["decisions"],
            "outcomes": row["outcomes"],
            "mean_effectiveness": _mean(row["mean_effectiveness"]),
        }
        for row in decisions.annotate(cluster=cluster)
        .values("cluster")
        .annotate(**counts)
        .order_by("cluster")
    ]
    with connection.cursor() as cursor:
        cursor.execute(_WINDOWS_SQL.format(table=table), [game.pk, window])
        over_time = [
            {"window": w, "first": first, "last": last, "count": n, "mean_effectiveness": float(m)}
            for w, first, last, n, m in cursor.fetchall()
        ]
        cursor.execute(_CURVE_SQL.format(table=table), [rolling - 1, game.pk, CURVE_POINTS])
        curve = [{"position": p, "rolling_reward": float(r)} for p, r in cursor.fetchall()]
    ab = None
    if isinstance(game.config, dict) and game.config.get("ab") is not None:
        sums = {
            row["arm"]: row
            for row in decisions.filter(effectiveness__isnull=False, arm__in=["A", "B"])
            .values("arm")
            .annotate(
                n=Count("id"),
                total=Sum("effectiveness"),
                squares=Sum(F("effectiveness") * F("effectiveness"), output_field=FloatField()),
            )
        }
        arms = {
            arm: ArmSummary.from_sums(sums[arm]["n"], sums[arm]["total"], sums[arm]["squares"])
            if arm in sums
            else ArmSummary(0, 0.0, 0.0)
            for arm in ("A", "B")
        }
        comparison = ab_compare(arms["A"], arms["B"])
        ab = {
            "arms": {arm: vars(summary) for arm, summary in arms.items()},
            "difference": comparison.difference,
            "low": comparison.low,
            "high": comparison.high,
            "confidence": comparison.confidence,
            "significant": comparison.significant,
            "verdict": comparison.verdict,
        }
    return {
        "game_id": str(game.pk),
        "decisions": {"total": total, "with_outcome": with_outcome},
        "latency_ms": {"p50": _mean(p50), "p95": _mean(p95)},
        "by_action": by_action,
        "by_cluster": by_cluster,
        "over_time": {"window": window, "windows": over_time},
        "learning_curve": {"rolling": rolling, "points": curve},
        "ab": ab,
    }
