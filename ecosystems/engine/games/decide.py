"""What an NPC does now (``decide``) and what it takes from the outcome (``learn``).

``decide`` is pure: it reads the state and draws from the ``numpy.random.Generator`` it is
given, so the same state, context and seed give the same decision. ``learn`` returns a new
state (the old one is untouched unless ``inplace=True``) and a summary of what changed. The
product stores ``state.to_dict()`` per NPC and strategy, and keeps each ``Decision.as_dict()``
until its outcome arrives (``learn`` needs the decision's feature vector).

Strategies: ``"learned"`` (the contextual bandit of ``bandit.py``) and ``"scripted"`` (the
baseline for A/B: the first matching ``Rule`` in order, else round-robin over the actions by
the number of outcomes learned). Both learn from outcomes, so switching a game from scripted
to learned starts warm and the stats of both read the same.

Reward: ``effectiveness`` (0..1) when the game reports it, else 1 for success and 0 for
failure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any

import numpy as np

from ecosystems.engine.games.bandit import (
    BanditConfig,
    BanditState,
    bandit_new,
    bandit_scores,
    bandit_update,
    normal_cdf,
)
from ecosystems.engine.games.features import (
    EncodedContext,
    FeatureConfig,
    GameInputError,
    encode_context,
    flatten_context,
    scales_after,
)
from ecosystems.engine.games.vocabulary import (
    Vocabulary,
    lean_of,
    personality_phrase,
    prior_means,
)

STRATEGIES = ("learned", "scripted")
OUTCOMES = ("success", "failure")
OPERATORS = (">", ">=", "<", "<=", "==", "!=", "has")
MIN_DRIVER = 0.02  # a feature moving the score by less than this is not named in a reason
TIE_JITTER = 1e-9  # breaks exact ties (all actions equal at the start) at random, not by order


@dataclass(frozen=True, slots=True)
class Rule:
    """A scripted rule: if ``context[key] <op> value`` then ``action``. ``has`` is true when
    a list (or string) contains ``value``; a missing key never matches."""

    key: str
    op: str
    value: float | str
    action: str

    def matches(self, flat: Mapping[str, Any]) -> bool:
        if self.key not in flat:
            return False
        seen = flat[self.key]
        if self.op == "has":
            return isinstance(seen, list | str) and self.value in seen
        if isinstance(seen, list):
            return False
        try:
            return {
                ">": lambda: seen > self.value,
                ">=": lambda: seen >= self.value,
                "<": lambda: seen < self.value,
                "<=": lambda: seen <= self.value,
                "==": lambda: seen == self.value,
                "!=": lambda: seen != self.value,
            }[self.op]()
        except TypeError:  # a string compared with a number: not this rule
            return False


@dataclass(frozen=True)
class EngineConfig:
    """Per game (and difficulty): the strategy, its features and its exploration."""

    strategy: str = "learned"
    bandit: BanditConfig = field(default_factory=BanditConfig)
    features: FeatureConfig = field(default_factory=FeatureConfig)
    rules: tuple[Rule, ...] = ()

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise GameInputError(
                f"strategy must be one of {', '.join(STRATEGIES)} (got {self.strategy!r}).",
                field="strategy",
            )
        for rule in self.rules:
            if rule.op not in OPERATORS:
                raise GameInputError(
                    f"Rule on {rule.key!r} uses {rule.op!r}; use one of {' '.join(OPERATORS)}.",
                    field="rules",
                )

    @property
    def name(self) -> str:
        return self.bandit.algorithm if self.strategy == "learned" else "scripted"

    def as_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "bandit": self.bandit.as_dict(),
            "features": self.features.as_dict(),
            "rules": [[r.key, r.op, r.value, r.action] for r in self.rules],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EngineConfig:
        return cls(
            strategy=str(data.get("strategy", "learned")),
            bandit=BanditConfig.from_dict(data.get("bandit", {})),
            features=FeatureConfig.from_dict(data.get("features", {})),
            rules=tuple(Rule(*r) for r in data.get("rules", ())),
        )


DEFAULT_CONFIG = EngineConfig()


@dataclass(frozen=True)
class Decision:
    """One choice. ``mode``: ``exploit`` (best score), ``explore`` (random, epsilon),
    ``prior`` (no outcome yet for the chosen action: the personality chose), ``rule`` or
    ``round_robin`` (scripted). ``confidence`` is the posterior probability that the action
    beats the best other one in this context (scripted: the share of its past successes).
    ``scores`` are what was compared (UCB, Thompson draw, or 1/0 for scripted);
    ``expected`` the predicted effectiveness of the chosen action."""

    action: str
    confidence: float
    reason: str
    strategy: str
    mode: str
    scores: dict[str, float]
    expected: float
    features: tuple[float, ...]
    drivers: tuple[str, ...]
    description: str
    new_scales: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "confidence": self.confidence,
            "reason": self.reason,
            "strategy": self.strategy,
            "mode": self.mode,
            "scores": dict(self.scores),
            "expected": self.expected,
            "features": list(self.features),
            "drivers": list(self.drivers),
            "description": self.description,
            "new_scales": dict(self.new_scales),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        try:
            return cls(
                action=str(data["action"]),
                confidence=float(data["confidence"]),
                reason=str(data["reason"]),
                strategy=str(data["strategy"]),
                mode=str(data["mode"]),
                scores={str(k): float(v) for k, v in data["scores"].items()},
                expected=float(data["expected"]),
                features=tuple(float(v) for v in data["features"]),
                drivers=tuple(str(v) for v in data["drivers"]),
                description=str(data["description"]),
                new_scales={str(k): float(v) for k, v in data["new_scales"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise GameInputError(
                f"The stored decision cannot be read: {error}.", code="bad_decision"
            ) from error


@dataclass(frozen=True, slots=True)
class SimilarOutcome:
    """A past outcome in a similar situation (the product's pgvector retrieval)."""

    action: str
    success: bool
    effectiveness: float | None = None


@dataclass(frozen=True)
class LearningUpdate:
    """What one outcome changed, for ``learning_update`` frames and logs."""

    action: str
    outcome: str
    reward: float
    expected_before: float  # predicted effectiveness of the action in that context
    expected_after: float
    trials: int  # outcomes of this action so far
    successes: int
    learned: int  # outcomes of the NPC so far
    best_before: str  # the action the NPC would pick there, before and after
    best_after: str
    summary: str

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def decision_rng(*keys: object) -> np.random.Generator:
    """A Generator seeded from any keys (game seed, NPC id, decision number): the product's
    way to make decisions reproducible without storing generator state."""
    digest = blake2b("\x1f".join(map(str, keys)).encode(), digest_size=16).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))


def initial_state(
    vocabulary: Vocabulary, *, personality: Any = None, config: EngineConfig | None = None
) -> BanditState:
    """A new NPC: only the personality prior, no outcomes."""
    config = config or DEFAULT_CONFIG
    means = prior_means(vocabulary.actions, personality, strength=config.bandit.prior_strength)
    return bandit_new(vocabulary.names, means, config.features.dimension, config.bandit)


def state_for_vocabulary(
    state: BanditState,
    vocabulary: Vocabulary,
    *,
    personality: Any = None,
    config: EngineConfig | None = None,
) -> BanditState:
    """The state for a changed vocabulary: kept actions keep what they learned, new ones
    start from the prior, removed ones are dropped. Returns ``state`` itself if nothing
    changed."""
    if state.actions == vocabulary.names:
        return state
    config = config or DEFAULT_CONFIG
    fresh = initial_state(vocabulary, personality=personality, config=config)
    if fresh.dimension != state.dimension:
        raise GameInputError(
            f"The state has {state.dimension} features and the config {fresh.dimension}; "
            "a new feature size needs a new state.",
            code="bad_state",
        )
    for i, name in enumerate(vocabulary.names):
        if name in state.actions:
            j = state.actions.index(name)
            for array in ("a_inv", "b", "trials", "successes", "reward_sum", "prior_mean"):
                getattr(fresh, array)[i] = getattr(state, array)[j]
    fresh.learned, fresh.scales = state.learned, dict(state.scales)
    fresh.x_mean = None if state.x_mean is None else state.x_mean.copy()
    return fresh


def _display(action: str) -> str:
    return action.replace("_", " ")


def _tally(action: str, state: BanditState, k: int, similar: Sequence[SimilarOutcome]) -> str:
    mine = [s for s in similar if s.action == action]
    if mine:
        won = sum(1 for s in mine if s.success)
        return f"{_display(action)} has worked {won} times of {len(mine)} in similar situations"
    trials = int(state.trials[k])
    if trials == 0:
        return f"{_display(action)} has not been tried yet"
    return f"{_display(action)} has worked {int(state.successes[k])} times of {trials} so far"


def _drivers(encoded: EncodedContext, state: BanditState, k: int, other: int | None) -> list[str]:
    """The context features that pushed action ``k`` above ``other`` the most, measured
    against the usual context (``state.x_mean``), so a feature every context shares (a
    list that always has 4 entries) is never named."""
    weights = state.theta(k) if other is None else state.theta(k) - state.theta(other)
    usual = state.x_mean if state.x_mean is not None else np.zeros(state.dimension)
    pushes = sorted(
        (
            (weights[item.bucket] * (item.sign * item.value - usual[item.bucket]), item)
            for item in encoded.items
        ),
        key=lambda pair: -pair[0],
    )
    named: list[str] = []
    for push, item in pushes:
        if push < MIN_DRIVER or len(named) == 2:
            break
        if "[]=" in item.name:
            named.append(f"{item.key} {item.shown}")
        elif "=" in item.name:
            named.append(f"{item.key} is {item.shown}")
        else:
            named.append(f"{item.name.replace('.len', ' length').replace('.mean', ' mean')} "
                         f"{item.shown}")  # fmt: skip
    return named


def _scripted(
    state: BanditState,
    encoded: EncodedContext,
    context: Mapping[str, Any],
    vocabulary: Vocabulary,
    config: EngineConfig,
) -> Decision:
    flat = flatten_context(context)
    rule = next((r for r in config.rules if r.matches(flat)), None)
    if rule is not None:
        action = vocabulary.action(rule.action).name
        mode = "rule"
        reason = f"Rule: {rule.key} {rule.op} {rule.value} -> {_display(action)}"
    else:
        action = vocabulary.names[state.learned % len(vocabulary.names)]
        mode = "round_robin"
        reason = f"No rule matched; {_display(action)} is next in the rotation"
    k = state.index(action)
    trials = int(state.trials[k])
    confidence = (int(state.successes[k]) + 1) / (trials + 2)  # Laplace: 0.5 with no data
    reason += f"; {_tally(action, state, k, ())}."
    return Decision(
        action=action,
        confidence=round(confidence, 4),
        reason=reason,
        strategy="scripted",
        mode=mode,
        scores={a: float(a == action) for a in vocabulary.names},
        expected=float(state.reward_sum[k] / trials) if trials else 0.5,
        features=tuple(encoded.vector.tolist()),
        drivers=(),
        description=encoded.description,
        new_scales=encoded.new_scales,
    )


def decide(
    state: BanditState | None,
    context: Mapping[str, Any],
    *,
    vocabulary: Vocabulary,
    personality: Any = None,
    config: EngineConfig | None = None,
    rng: np.random.Generator,
    similar: Sequence[SimilarOutcome] = (),
) -> Decision:
    """Choose an action for ``context`` (see the module doc). ``state=None`` is a new NPC;
    a state whose actions differ from the vocabulary is brought up to date first (see
    ``state_for_vocabulary``); ``similar`` (optional) feeds the reason's tally."""
    config = config or DEFAULT_CONFIG
    if state is None:
        state = initial_state(vocabulary, personality=personality, config=config)
    else:
        state = state_for_vocabulary(state, vocabulary, personality=personality, config=config)
    encoded = encode_context(context, config.features, state.scales)
    if config.strategy == "scripted":
        return _scripted(state, encoded, context, vocabulary, config)

    bandit = config.bandit
    x = encoded.vector
    means, widths = bandit_scores(state, x)
    if bandit.algorithm == "thompson":
        scores = means + bandit.noise_sd * widths * rng.standard_normal(len(means))
    else:
        scores = means + bandit.alpha * widths
    scores = scores + TIE_JITTER * rng.random(len(means))
    epsilon = bandit.epsilon(state.learned)
    explored = bool(rng.random() < epsilon)
    k = int(rng.integers(len(means))) if explored else int(np.argmax(scores))
    action = state.actions[k]

    others = [i for i in range(len(means)) if i != k]
    runner = max(others, key=lambda i: means[i]) if others else None
    if runner is None:
        confidence = 1.0
    else:
        spread = bandit.noise_sd * math.hypot(widths[k], widths[runner])
        confidence = normal_cdf((means[k] - means[runner]) / max(spread, 1e-12))

    tally = _tally(action, state, k, similar)
    drivers = _drivers(encoded, state, k, runner) if state.trials[k] else []
    shown = _display(action)
    if explored:
        mode = "explore"
        reason = (f"Trying {shown} to learn more (a random move in {epsilon:.0%} of decisions "
                  f"at this stage); {tally}.")  # fmt: skip
    elif state.trials[k] == 0:
        mode = "prior"
        lean = lean_of(vocabulary.action(action))
        label = f"{lean[1]} moves" if lean else "it"
        prior = float(state.prior_mean[k])
        leaning = (
            f"leans to {label}"
            if prior > 0.5
            else f"is not drawn to {label} but has yet to try it"
            if prior < 0.5
            else "has no lean against it"
        )
        reason = (f"Chose {shown} on instinct: with {personality_phrase(personality)} the "
                  f"character {leaning}, and {tally}.")  # fmt: skip
    else:
        mode = "exploit"
        why = f"the player's {' and '.join(drivers)}" if drivers else "this kind of situation"
        reason = (f"Chose {shown} for {why} (expected effectiveness {means[k]:.2f}); "
                  f"{tally}.")  # fmt: skip
    return Decision(
        action=action,
        confidence=round(float(min(1.0, max(0.0, confidence))), 4),
        reason=reason,
        strategy=config.name,
        mode=mode,
        scores={a: round(float(s), 6) for a, s in zip(state.actions, scores, strict=True)},
        expected=round(float(means[k]), 6),
        features=tuple(x.tolist()),
        drivers=tuple(drivers),
        description=encoded.description,
        new_scales=encoded.new_scales,
    )


def reward_of(outcome: str, effectiveness: float | None) -> float:
    """The reward an outcome teaches (validated: an unknown outcome or a value outside 0..1
    is a ``GameInputError``)."""
    if outcome not in OUTCOMES:
        raise GameInputError(
            f"outcome must be 'success' or 'failure', not {outcome!r}.", field="outcome"
        )
    if effectiveness is None:
        return 1.0 if outcome == "success" else 0.0
    if (
        isinstance(effectiveness, bool)
        or not isinstance(effectiveness, int | float)
        or not math.isfinite(effectiveness)
        or not 0 <= effectiveness <= 1
    ):
        raise GameInputError(
            f"effectiveness must be a number in 0..1, not {effectiveness!r}.",
            field="effectiveness",
        )
    return float(effectiveness)


def learn(
    state: BanditState,
    decision: Decision | Mapping[str, Any],
    outcome: str,
    effectiveness: float | None = None,
    *,
    config: EngineConfig | None = None,
    inplace: bool = False,
) -> tuple[BanditState, LearningUpdate]:
    """Learn one outcome of ``decision`` (a ``Decision`` or its ``as_dict()``). The next
    ``decide`` on the returned state already uses it."""
    config = config or DEFAULT_CONFIG
    if not isinstance(decision, Decision):
        decision = Decision.from_dict(decision)
    reward = reward_of(outcome, effectiveness)
    k = state.index(decision.action)
    x = np.asarray(decision.features, dtype=float)
    if x.shape != (state.dimension,) or not np.isfinite(x).all():
        raise GameInputError(
            f"The decision has {x.size} features and the state {state.dimension}.",
            code="bad_decision",
        )
    means_before, _ = bandit_scores(state, x)
    new = state if inplace else state.copy()
    bandit_update(new, k, x, reward, discount=config.bandit.discount)
    new.trials[k] += 1
    new.successes[k] += outcome == "success"
    new.reward_sum[k] += reward
    new.learned += 1
    new.note_context(x)
    if decision.new_scales:
        new.scales = scales_after(new.scales, decision.new_scales)
    means_after, _ = bandit_scores(new, x)
    best_before = new.actions[int(np.argmax(means_before))]
    best_after = new.actions[int(np.argmax(means_after))]
    before, after = float(means_before[k]), float(means_after[k])
    summary = (
        f"{_display(decision.action)} {'succeeded' if outcome == 'success' else 'failed'} "
        f"(effectiveness {reward:.2f}): expected effectiveness there {before:.2f} -> "
        f"{after:.2f}; best move there now {_display(best_after)}."
    )
    return new, LearningUpdate(
        action=decision.action,
        outcome=outcome,
        reward=reward,
        expected_before=round(before, 6),
        expected_after=round(after, 6),
        trials=int(new.trials[k]),
        successes=int(new.successes[k]),
        learned=new.learned,
        best_before=best_before,
        best_after=best_after,
        summary=summary,
    )
