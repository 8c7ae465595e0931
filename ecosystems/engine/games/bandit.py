"""A disjoint linear contextual bandit (LinUCB, Li et al. 2010; or linear Thompson sampling,
Agrawal & Goyal 2013) with a personality prior, bounded exploration and optional forgetting.

Each action ``a`` keeps a ridge regression of reward on the context vector ``x``:
``A_a = P_a + sum x x^T`` and ``b_a = p_a + sum r x``, with the estimate
``theta_a = A_a^-1 b_a``. Only ``A_a^-1`` and ``b_a`` are stored: with no forgetting an outcome
is one Sherman-Morrison rank-one update of ``A_a^-1`` (O(d^2)), so the next decision already
uses it.

- **Prior** ``P_a = ridge * I + w * e0 e0^T``, ``p_a = w * m_a * e0``: ``w`` pseudo-observations
  (``BanditConfig.prior_weight``) of reward ``m_a`` on the bias feature. ``m_a`` comes from
  the NPC's personality (``prior_means``); real outcomes outweigh it once an action has been
  tried a few times more than ``w``.
- **Scores** for a context ``x``: mean ``mu_a = theta_a . x`` and width
  ``s_a = sqrt(x^T A_a^-1 x)``. LinUCB picks the largest ``mu_a + alpha * s_a``; Thompson
  draws ``mu_a + noise_sd * s_a * z`` (the exact marginal of ``theta_a . x`` under the Gaussian
  posterior, so no matrix factorisation is needed).
- **Exploration** is bounded: ``alpha`` in 0..``ALPHA_MAX``, and a uniformly random action
  with probability ``epsilon(n) = clip(epsilon_scale / sqrt(1 + n), epsilon_min,
  epsilon_max)`` after ``n`` outcomes (a floor keeps an easy NPC fallible, a ceiling keeps
  a new one from flailing).
- **Forgetting** (``discount < 1``): before an outcome updates action ``a``, its evidence decays
  towards the prior, ``A_a <- P_a + discount * (A_a - P_a)`` (``b_a`` likewise), so about
  ``1 / (1 - discount)`` recent outcomes of the action count. That update is no longer rank
  one; it is done exactly (two d x d inverses, ~20 us at d = 25).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ecosystems.engine.games.features import BIAS_INDEX, GameInputError

ALGORITHMS = ("linucb", "thompson")
MEAN_WINDOW = 500  # outcomes the mean context of reasons follows
ALPHA_MAX = 3.0  # wider than this, an NPC ignores what it has learned for thousands of rounds
STATE_VERSION = 1


@dataclass(frozen=True)
class BanditConfig:
    """Learning and exploration knobs (per game and difficulty; validated on creation).

    Defaults were tuned on the simulated players of the tests (4 styles, 6 actions): the
    best action is found within ~100 outcomes and a change of player within ~100 more."""

    algorithm: str = "linucb"
    alpha: float = 0.5  # LinUCB width, in posterior standard deviations
    noise_sd: float = 0.25  # reward noise (rewards are 0..1): Thompson width and confidence
    ridge: float = 1.0  # regularisation of every weight towards 0
    prior_weight: float = 3.0  # pseudo-observations of the personality prior per action
    prior_strength: float = 0.25  # how far a full personality lean moves the prior mean
    epsilon_scale: float = 1.0
    epsilon_min: float = 0.0
    epsilon_max: float = 0.1
    discount: float = 1.0  # 1 = never forget; 0.97 ~ the last 33 outcomes of an action count

    def __post_init__(self) -> None:
        checks = (
            (self.algorithm in ALGORITHMS, "algorithm", f"one of {', '.join(ALGORITHMS)}"),
            (0 <= self.alpha <= ALPHA_MAX, "alpha", f"between 0 and {ALPHA_MAX}"),
            (0 < self.noise_sd <= 1, "noise_sd", "in (0, 1]"),
            (0 < self.ridge <= 100, "ridge", "in (0, 100]"),
            (0 <= self.prior_weight <= 1000, "prior_weight", "between 0 and 1000"),
            (0 <= self.prior_strength <= 0.5, "prior_strength", "between 0 and 0.5"),
            (self.epsilon_scale >= 0, "epsilon_scale", "0 or more"),
            (0 <= self.epsilon_min <= self.epsilon_max <= 1, "epsilon_min",
             "with 0 <= epsilon_min <= epsilon_max <= 1"),
            (0.5 <= self.discount <= 1, "discount", "between 0.5 and 1"),
        )  # fmt: skip
        for ok, name, what in checks:
            if not ok:
                raise GameInputError(
                    f"{name} must be {what} (got {getattr(self, name)!r}).", field=name
                )

    def epsilon(self, learned: int) -> float:
        """Share of random decisions after ``learned`` outcomes."""
        raw = self.epsilon_scale / math.sqrt(1 + learned)
        return min(self.epsilon_max, max(self.epsilon_min, raw))

    @classmethod
    def for_difficulty(cls, rank: float, **overrides: Any) -> BanditConfig:
        """Exploration for a difficulty ``rank`` in 0..1 (0 = easiest): an easy NPC keeps
        making a random move in up to a third of its decisions, the hardest one almost never
        after it has learned."""
        rank = min(1.0, max(0.0, float(rank)))
        floor = round(0.35 * (1 - rank) ** 1.5, 4)
        base = {"epsilon_min": floor, "epsilon_max": max(floor, 0.1)}
        return cls(**{**base, **overrides})

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BanditConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class BanditState:
    """Everything one NPC has learned (per strategy). ``to_dict`` / ``from_dict`` give plain
    JSON (about ``K * d * (d + 3) / 2`` floats: 16 actions at d = 25 is ~5,600 numbers).

    Arrays are owned by the state; ``learn`` works on a copy unless told otherwise."""

    actions: tuple[str, ...]
    prior_mean: np.ndarray  # (K,) m_a
    prior_weight: float
    ridge: float
    a_inv: np.ndarray  # (K, d, d)
    b: np.ndarray  # (K, d)
    trials: np.ndarray  # (K,) int outcomes per action
    successes: np.ndarray  # (K,) int successes per action
    reward_sum: np.ndarray  # (K,) float
    learned: int = 0  # outcomes learned in all
    scales: dict[str, float] = field(default_factory=dict)  # running feature scales
    # mean context vector of the last ~MEAN_WINDOW outcomes: reasons name what is unusual
    x_mean: np.ndarray | None = None

    @property
    def dimension(self) -> int:
        return int(self.b.shape[1])

    def index(self, action: str) -> int:
        try:
            return self.actions.index(action)
        except ValueError:
            raise GameInputError(
                f"Unknown action {action!r}; the vocabulary has {', '.join(self.actions)}.",
                code="unknown_action",
                field="action",
            ) from None

    def copy(self) -> BanditState:
        return replace(
            self,
            a_inv=self.a_inv.copy(),
            b=self.b.copy(),
            trials=self.trials.copy(),
            successes=self.successes.copy(),
            reward_sum=self.reward_sum.copy(),
            scales=dict(self.scales),
            x_mean=None if self.x_mean is None else self.x_mean.copy(),
        )

    def note_context(self, x: np.ndarray) -> None:
        """Follow the mean context (call once per outcome, after ``learned`` grew)."""
        if self.x_mean is None:
            self.x_mean = np.zeros_like(x)
        self.x_mean += (x - self.x_mean) / min(max(self.learned, 1), MEAN_WINDOW)

    def theta(self, k: int) -> np.ndarray:
        return self.a_inv[k] @ self.b[k]

    def to_dict(self) -> dict[str, Any]:
        upper = np.triu_indices(self.dimension)
        return {
            "version": STATE_VERSION,
            "actions": list(self.actions),
            "dimension": self.dimension,
            "prior_mean": self.prior_mean.tolist(),
            "prior_weight": self.prior_weight,
            "ridge": self.ridge,
            "a_inv_upper": [m[upper].tolist() for m in self.a_inv],
            "b": self.b.tolist(),
            "trials": self.trials.tolist(),
            "successes": self.successes.tolist(),
            "reward_sum": self.reward_sum.tolist(),
            "learned": self.learned,
            "scales": dict(self.scales),
            "x_mean": None if self.x_mean is None else self.x_mean.tolist(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BanditState:
        try:
            if data["version"] != STATE_VERSION:
                raise ValueError(f"version {data['version']} (this engine reads {STATE_VERSION})")
            d = int(data["dimension"])
            actions = tuple(str(a) for a in data["actions"])
            k = len(actions)
            upper = np.triu_indices(d)
            a_inv = np.zeros((k, d, d))
            for i, values in enumerate(data["a_inv_upper"]):
                a_inv[i][upper] = values
                a_inv[i] = a_inv[i] + np.triu(a_inv[i], 1).T
            state = cls(
                actions=actions,
                prior_mean=np.asarray(data["prior_mean"], dtype=float).reshape(k),
                prior_weight=float(data["prior_weight"]),
                ridge=float(data["ridge"]),
                a_inv=a_inv,
                b=np.asarray(data["b"], dtype=float).reshape(k, d),
                trials=np.asarray(data["trials"], dtype=np.int64).reshape(k),
                successes=np.asarray(data["successes"], dtype=np.int64).reshape(k),
                reward_sum=np.asarray(data["reward_sum"], dtype=float).reshape(k),
                learned=int(data["learned"]),
                scales={str(key): float(v) for key, v in dict(data["scales"]).items()},
                x_mean=None
                if data.get("x_mean") is None
                else np.asarray(data["x_mean"], dtype=float).reshape(d),
            )
            if len(data["a_inv_upper"]) != k or not np.isfinite(state.a_inv).all():
                raise ValueError("matrices do not match the actions")
        except (KeyError, TypeError, ValueError) as error:
            raise GameInputError(
                f"The stored learning state cannot be read: {error}.", code="bad_state"
            ) from error
        return state


def prior_arrays(
    prior_mean: np.ndarray, dimension: int, *, ridge: float, prior_weight: float
) -> tuple[np.ndarray, np.ndarray]:
    """(P, p) of every action: the matrix and vector the evidence decays back to."""
    k = len(prior_mean)
    p_matrix = np.broadcast_to(ridge * np.eye(dimension), (k, dimension, dimension)).copy()
    p_matrix[:, BIAS_INDEX, BIAS_INDEX] += prior_weight
    p_vector = np.zeros((k, dimension))
    p_vector[:, BIAS_INDEX] = prior_weight * prior_mean
    return p_matrix, p_vector


def bandit_new(
    actions: Sequence[str], prior_mean: Sequence[float], dimension: int, config: BanditConfig
) -> BanditState:
    """A state that knows only its prior."""
    means = np.asarray(prior_mean, dtype=float)
    p_matrix, p_vector = prior_arrays(
        means, dimension, ridge=config.ridge, prior_weight=config.prior_weight
    )
    k = len(actions)
    return BanditState(
        actions=tuple(actions),
        prior_mean=means,
        prior_weight=config.prior_weight,
        ridge=config.ridge,
        a_inv=np.linalg.inv(p_matrix),
        b=p_vector,
        trials=np.zeros(k, dtype=np.int64),
        successes=np.zeros(k, dtype=np.int64),
        reward_sum=np.zeros(k),
    )


def bandit_scores(state: BanditState, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, width) per action for context vector ``x``: one batched matrix product."""
    ax = state.a_inv @ x  # (K, d); A^-1 is symmetric, so theta . x = b . (A^-1 x)
    means = np.einsum("kd,kd->k", ax, state.b)
    widths = np.sqrt(np.maximum(ax @ x, 0.0))
    return means, widths


def bandit_update(
    state: BanditState,
    k: int,
    x: np.ndarray,
    reward: float,
    *,
    discount: float = 1.0,
) -> None:
    """Add one outcome of action ``k`` in context ``x`` (in place)."""
    if discount >= 1.0:
        u = state.a_inv[k] @ x
        state.a_inv[k] -= np.outer(u, u) / (1.0 + x @ u)
        state.b[k] += reward * x
        return
    d = state.dimension
    p_matrix = state.ridge * np.eye(d)
    p_matrix[BIAS_INDEX, BIAS_INDEX] += state.prior_weight
    p_vector = np.zeros(d)
    p_vector[BIAS_INDEX] = state.prior_weight * state.prior_mean[k]
    a = np.linalg.inv(state.a_inv[k])
    a = p_matrix + discount * (a - p_matrix) + np.outer(x, x)
    inverse = np.linalg.inv(a)
    state.a_inv[k] = (inverse + inverse.T) / 2
    state.b[k] = p_vector + discount * (state.b[k] - p_vector) + reward * x


def normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
