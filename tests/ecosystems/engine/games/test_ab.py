"""A/B: a stable split of sessions, and Welch's interval on the difference of two strategies."""

from __future__ import annotations

import random

import pytest

from ecosystems.engine.games import (
    ArmSummary,
    BanditConfig,
    EngineConfig,
    GameInputError,
    ab_assign,
    ab_compare,
)
from ecosystems.engine.games.ab import t_quantile
from tests.ecosystems.engine.games.players import STYLES, Player, play


def test_a_session_always_gets_the_same_arm_and_the_split_is_respected():
    sessions = [f"session-{i}" for i in range(4000)]
    arms = [ab_assign(s, split=0.3, salt="game-1") for s in sessions]
    assert arms == [ab_assign(s, split=0.3, salt="game-1") for s in sessions]
    assert 0.27 < arms.count("A") / len(arms) < 0.33
    other_game = [ab_assign(s, split=0.3, salt="game-2") for s in sessions]
    assert other_game != arms  # each game splits on its own
    assert {ab_assign(s, split=1.0) for s in sessions} == {"A"}
    assert {ab_assign(s, split=0.0) for s in sessions} == {"B"}
    with pytest.raises(GameInputError):
        ab_assign("s", split=1.5)


@pytest.mark.parametrize(("df", "table"), [(3, 3.182), (5, 2.571), (10, 2.228), (30, 2.042)])
def test_the_t_quantile_matches_the_table(df, table):
    assert t_quantile(0.975, df) == pytest.approx(table, abs=0.01)


def test_the_interval_matches_a_hand_computed_welch_interval():
    a, b = [0.2, 0.4, 0.3, 0.5, 0.6], [0.7, 0.9, 0.8, 0.6, 0.75, 0.85]
    result = ab_compare(a, b)
    # by hand: means 0.4 / 0.766667, variances 0.025 / 0.011667, Welch df = 6.88,
    # t(0.975, 6.88) = 2.369, se = 0.08333 -> 0.3667 +- 0.1977
    assert result.difference == pytest.approx(0.366667, abs=1e-5)
    assert result.degrees_of_freedom == pytest.approx(6.883, abs=0.001)
    assert result.low == pytest.approx(0.169, abs=0.005)
    assert result.high == pytest.approx(0.564, abs=0.005)
    assert result.significant
    assert result.verdict.startswith("B is better")
    assert result.as_dict()["a"]["n"] == 5


def test_summaries_from_sql_sums_give_the_same_comparison():
    a, b = [0.2, 0.4, 0.3, 0.5], [0.3, 0.35, 0.5, 0.45, 0.2]
    direct = ab_compare(a, b)
    summed = ab_compare(
        ArmSummary.from_sums(len(a), sum(a), sum(v * v for v in a)),
        ArmSummary.from_sums(len(b), sum(b), sum(v * v for v in b)),
    )
    assert summed.low == pytest.approx(direct.low)
    assert summed.high == pytest.approx(direct.high)
    assert not direct.significant
    assert direct.verdict.startswith("No clear difference")


def test_too_few_outcomes_give_no_interval():
    result = ab_compare([0.5], [0.4, 0.6])
    assert result.low is None and result.high is None
    assert not result.significant
    assert "Not enough" in result.verdict


def test_learned_beats_scripted_with_a_clear_interval():
    scripted = EngineConfig(strategy="scripted")
    learned, baseline = [], []
    for i, style in enumerate(STYLES):
        learned += [r.effectiveness for r, _ in play(Player(style, random.Random(i)), 300,
                                                     seed=i)]  # fmt: skip
        baseline += [r.effectiveness for r, _ in play(Player(style, random.Random(i)), 300,
                                                      seed=i, config=scripted)]  # fmt: skip
    result = ab_compare(baseline, learned)  # A = scripted, B = learned
    assert result.significant and result.low > 0.2
    # two exploration rates of the learned strategy: no significant difference is claimed
    wide = EngineConfig(bandit=BanditConfig(alpha=0.8))
    other = []
    for i, style in enumerate(STYLES):
        other += [r.effectiveness for r, _ in play(Player(style, random.Random(i)), 300,
                                                   seed=i, config=wide)]  # fmt: skip
    close = ab_compare(learned, other)
    assert abs(close.difference) < 0.05
