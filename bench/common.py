"""What every benchmark returns, and the figures it is judged by.

A figure may carry its **floor**: the same work done the rawest way the product's own servers
allow (a bare INSERT + COMMIT + PUBLISH, the bare pgvector top-k, a COPY of the rows a tick
writes, raw pub/sub to as many subscribers), measured in the same run and interleaved with the
product's path (``interleave``), so a busy machine slows both alike. The ratio ``value / floor``
is then the figure that is judged (``ratio_target``), beside any absolute ``target``.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure against its target; ``higher_is_better`` says which way passes.

    ``floor`` is the raw baseline of the same work measured in the same run (``floor_name``
    says what it is); ``ratio_target`` bounds ``value / floor`` (lower is better, always)."""

    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = False
    floor: float | None = None
    floor_name: str = ""
    ratio_target: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.value / self.floor

    @property
    def ok(self) -> bool | None:
        verdicts: list[bool] = []
        if self.target is not None:
            verdicts.append(
                self.value >= self.target if self.higher_is_better else self.value <= self.target
            )
        if self.ratio_target is not None:
            verdicts.append(self.ratio is not None and self.ratio <= self.ratio_target)
        return all(verdicts) if verdicts else None

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "ok": self.ok}


def interleave(
    product: Callable[[], float],
    floor: Callable[[], float],
    rounds: int,
    *,
    warmup: int = 3,
) -> tuple[list[float], list[float]]:
    """Run the product's path and its floor alternately (A B, then B A, ...), ``rounds`` times
    each after ``warmup`` unrecorded rounds. Each callable does one unit of work and returns the
    seconds it measured itself (so it can start its clock after a commit, say)."""
    for _ in range(warmup):
        product()
        floor()
    product_samples: list[float] = []
    floor_samples: list[float] = []
    for i in range(rounds):
        if i % 2 == 0:
            product_samples.append(product())
            floor_samples.append(floor())
        else:
            floor_samples.append(floor())
            product_samples.append(product())
    return product_samples, floor_samples


def floor_figures(
    name: str,
    product_seconds: list[float],
    floor_seconds: list[float],
    *,
    floor_name: str,
    ratio_target: float | None = None,
    target_ms: float | None = None,
    cuts: tuple[str, ...] = ("p50", "p95"),
) -> list[Figure]:
    """Figures ``<name> p50`` and ``<name> p95`` (in ms), each beside the same percentile of
    the floor; the ratio target (and the absolute target, if given) apply to the last cut."""
    mine, raw = percentiles_ms(product_seconds), percentiles_ms(floor_seconds)
    return [
        Figure(
            f"{name} {cut}",
            mine[cut],
            "ms",
            target_ms if cut == cuts[-1] else None,
            floor=raw[cut],
            floor_name=floor_name,
            ratio_target=ratio_target if cut == cuts[-1] else None,
        )
        for cut in cuts
    ]


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
