"""What every benchmark returns, and the figures it is judged by."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure against its target; ``higher_is_better`` says which way passes."""

    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = False

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def percentiles_ms(samples_seconds: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds (inclusive method: no extrapolation past the slowest run)."""
    cuts = statistics.quantiles([s * 1000 for s in samples_seconds], n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def django_bench_database(name: str = "bench_dramatis") -> None:
    """Set Django up on a database of its own (on the same server), so a benchmark never writes
    into the development world. Kept between runs; migrated each time. A benchmark whose
    figures depend on table sizes names its own database."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_TEST_NAME"] = name
    django.setup()
    from django.db import connection

    # serialize=False: the bench database is big, and nothing restores it from a dump.
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
