"""A/B tests of two strategies: a stable split of sessions and a confidence interval on the
difference of their mean effectiveness.

The interval is Welch's (unequal variances, Welch-Satterthwaite degrees of freedom); the
Student t quantile comes from the Cornish-Fisher expansion around the normal quantile
(Abramowitz & Stegun 26.7.5), within 0.01 of the table from 3 degrees of freedom up and
exact in the limit, so no SciPy is needed. With fewer than 2 outcomes on a side there is no
interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b
from statistics import NormalDist

from ecosystems.engine.games.features import GameInputError


def ab_assign(session_id: str, *, split: float = 0.5, salt: str = "") -> str:
    """ "A" or "B" for a session, the same every time: a hash of ``salt`` (e.g. the game's
    id, so two games split independently) and the session id falls below ``split`` -> "A"."""
    if not 0 <= split <= 1:
        raise GameInputError(f"split must be in 0..1, not {split!r}.", field="split")
    digest = blake2b(f"{salt}\x1f{session_id}".encode(), digest_size=8).digest()
    return "A" if int.from_bytes(digest, "big") / 2**64 < split else "B"


@dataclass(frozen=True)
class ArmSummary:
    """n, mean and sample variance of one strategy's effectiveness."""

    n: int
    mean: float
    variance: float

    @classmethod
    def of(cls, values: Iterable[float]) -> ArmSummary:
        data = [float(v) for v in values]
        n = len(data)
        mean = math.fsum(data) / n if n else 0.0
        variance = math.fsum((v - mean) ** 2 for v in data) / (n - 1) if n > 1 else 0.0
        return cls(n, mean, variance)

    @classmethod
    def from_sums(cls, n: int, total: float, total_squares: float) -> ArmSummary:
        """From SQL aggregates: COUNT, SUM(e), SUM(e * e)."""
        mean = total / n if n else 0.0
        variance = max(0.0, (total_squares - n * mean * mean) / (n - 1)) if n > 1 else 0.0
        return cls(n, mean, variance)


@dataclass(frozen=True)
class Comparison:
    """B against A: ``difference = mean_b - mean_a`` with its interval (None without data)."""

    a: ArmSummary
    b: ArmSummary
    difference: float
    low: float | None
    high: float | None
    confidence: float
    degrees_of_freedom: float | None
    verdict: str

    @property
    def significant(self) -> bool:
        return self.low is not None and (self.low > 0 or self.high < 0)  # type: ignore[operator]

    def as_dict(self) -> dict:
        return {
            "a": vars(self.a),
            "b": vars(self.b),
            "difference": self.difference,
            "low": self.low,
            "high": self.high,
            "confidence": self.confidence,
            "degrees_of_freedom": self.degrees_of_freedom,
            "significant": self.significant,
            "verdict": self.verdict,
        }


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (Cornish-Fisher)."""
    z = NormalDist().inv_cdf(p)
    if math.isinf(df):
        return z
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def ab_compare(
    a: ArmSummary | Iterable[float],
    b: ArmSummary | Iterable[float],
    *,
    confidence: float = 0.95,
) -> Comparison:
    """Welch interval for the mean effectiveness of B minus A."""
    if not 0.5 <= confidence < 1:
        raise GameInputError("confidence must be in [0.5, 1).", field="confidence")
    a = a if isinstance(a, ArmSummary) else ArmSummary.of(a)
    b = b if isinstance(b, ArmSummary) else ArmSummary.of(b)
    difference = b.mean - a.mean
    if a.n < 2 or b.n < 2:
        verdict = f"Not enough outcomes yet (A {a.n}, B {b.n}; 2 each at least)."
        return Comparison(a, b, difference, None, None, confidence, None, verdict)
    va, vb = a.variance / a.n, b.variance / b.n
    se = math.sqrt(va + vb)
    if se == 0:
        df = math.inf
    else:
        df = (va + vb) ** 2 / ((va**2 / (a.n - 1) if va else 0) + (vb**2 / (b.n - 1) if vb else 0))
    half = t_quantile(0.5 + confidence / 2, df) * se
    low, high = difference - half, difference + half
    level = f"{confidence:.0%}"
    if low > 0:
        verdict = f"B is better by {difference:.3f} ({level} interval {low:.3f} to {high:.3f})."
    elif high < 0:
        verdict = f"A is better by {-difference:.3f} ({level} interval {low:.3f} to {high:.3f})."
    else:
        verdict = (f"No clear difference yet: B - A = {difference:.3f} ({level} interval "
                   f"{low:.3f} to {high:.3f}).")  # fmt: skip
    return Comparison(a, b, difference, low, high, confidence,
                      None if math.isinf(df) else df, verdict)  # fmt: skip
