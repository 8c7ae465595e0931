"""A game's stats (issue 18 item 5): counts, latency, effectiveness by action, by cluster and
over time, the learning curve and the A/B interval, checked against the rows themselves."""

from __future__ import annotations

import math
from collections import defaultdict

import pytest

from ecosystems.game_stats import game_stats
from ecosystems.models import GameDecision
from ecosystems.services.games import game_create, game_decide, game_npc_add, game_outcome_record
from tests.api.conftest import client_with_key
from tests.factories import CharacterFactory

VOCABULARY = {
    "actions": [
        {"name": "slash", "type": "attack"},
        {"name": "ground_slam", "type": "area_attack"},
        {"name": "counter", "type": "defend"},
    ],
    "environments": ["arena", "cave"],
    "difficulty_levels": ["easy", "normal", "hard"],
}
PLAYED = 60
UNANSWERED = 4


def scripted_effectiveness(position: int, action: str) -> float:
    """The outcomes improve in three phases of 20; ground slams do a little better."""
    phase = (0.2, 0.5, 0.8)[position // 20]
    return phase + (0.1 if action == "ground_slam" else 0.0)


def context_of(position: int) -> dict:
    return {
        "difficulty": ("easy", "hard")[position % 2],
        "environment": ("arena", "cave")[(position // 2) % 2],
        "dodge_frequency": (position % 5) / 5,
    }


def play(game, npc, *, sessions: int = 1) -> None:
    for position in range(PLAYED):
        answer = game_decide(
            game,
            npc_id=npc.pk,
            session_id=f"s{position % sessions}",
            context=context_of(position),
        )
        effectiveness = scripted_effectiveness(position, answer["action"])
        game_outcome_record(
            game,
            decision_id=answer["decision_id"],
            outcome="success" if effectiveness >= 0.5 else "failure",
            effectiveness=effectiveness,
        )
    for position in range(UNANSWERED):
        game_decide(game, npc_id=npc.pk, session_id="late", context=context_of(position))


@pytest.fixture
def boss(world):
    return CharacterFactory(ecosystem=world, name="Boss", extraversion=0.9)


@pytest.fixture
def played(owner, boss):
    game = game_create(owner, name="Boss Rush", vocabulary=VOCABULARY)
    play(game, game_npc_add(game, character_id=boss.pk))
    return game


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    at = p * (len(values) - 1)
    low, high = math.floor(at), math.ceil(at)
    return values[low] + (values[high] - values[low]) * (at - low)


def test_counts_latency_and_by_action_match_the_rows(played):
    stats = game_stats(played)
    rows = list(GameDecision.objects.filter(game=played))

    assert stats["decisions"] == {"total": PLAYED + UNANSWERED, "with_outcome": PLAYED}
    latencies = [row.latency_ms for row in rows]
    assert stats["latency_ms"]["p50"] == pytest.approx(percentile(latencies, 0.5))
    assert stats["latency_ms"]["p95"] == pytest.approx(percentile(latencies, 0.95))
    assert stats["latency_ms"]["p50"] <= stats["latency_ms"]["p95"]

    expected: dict[str, list] = defaultdict(list)
    decided: dict[str, int] = defaultdict(int)
    for row in rows:
        decided[row.action] += 1
        if row.effectiveness is not None:
            expected[row.action].append(row.effectiveness)
    assert [a["action"] for a in stats["by_action"]] == sorted(decided)
    for entry in stats["by_action"]:
        values = expected[entry["action"]]
        assert entry["decisions"] == decided[entry["action"]]
        assert entry["outcomes"] == len(values)
        if values:
            assert entry["mean_effectiveness"] == pytest.approx(sum(values) / len(values))
        else:
            assert entry["mean_effectiveness"] is None
    assert sum(a["outcomes"] for a in stats["by_action"]) == PLAYED


def test_clusters_are_difficulty_and_environment(played):
    clusters = {c["cluster"]: c for c in game_stats(played)["by_cluster"]}

    assert set(clusters) == {"easy/arena", "hard/arena", "easy/cave", "hard/cave"}
    # 60 played positions cycle through the four clusters; the 4 late ones add one each.
    assert {name: c["decisions"] for name, c in clusters.items()} == {name: 16 for name in clusters}
    assert {name: c["outcomes"] for name, c in clusters.items()} == {name: 15 for name in clusters}
    rows = GameDecision.objects.filter(game=played, difficulty="easy", context__environment="cave")
    values = [r.effectiveness for r in rows if r.effectiveness is not None]
    assert clusters["easy/cave"]["mean_effectiveness"] == pytest.approx(sum(values) / len(values))


def test_windows_rise_as_the_outcomes_improve_and_the_curve_follows(played):
    stats = game_stats(played, window=20, rolling=10)

    windows = stats["over_time"]["windows"]
    assert [(w["first"], w["last"], w["count"]) for w in windows] == [
        (1, 20, 20),
        (21, 40, 20),
        (41, 60, 20),
    ]
    means = [w["mean_effectiveness"] for w in windows]
    assert means[0] < means[1] < means[2]
    assert 0.2 <= means[0] <= 0.3 and 0.8 <= means[2] <= 0.9

    points = stats["learning_curve"]["points"]
    assert [p["position"] for p in points] == list(range(1, PLAYED + 1))
    rewards = list(
        GameDecision.objects.filter(game=played, reward__isnull=False)
        .order_by("created_at", "number")
        .values_list("reward", flat=True)
    )
    for point in points:
        at = point["position"]
        tail = rewards[max(0, at - 10) : at]
        assert point["rolling_reward"] == pytest.approx(sum(tail) / len(tail))
    assert stats["ab"] is None


def test_an_ab_game_compares_its_arms_with_an_interval(owner, boss):
    config = {"ab": {"split": 0.5, "A": {}, "B": {}}}
    game = game_create(owner, name="Split", vocabulary=VOCABULARY, config=config)
    play(game, game_npc_add(game, character_id=boss.pk), sessions=20)

    ab = game_stats(game)["ab"]
    for arm in ("A", "B"):
        values = list(
            GameDecision.objects.filter(
                game=game, arm=arm, effectiveness__isnull=False
            ).values_list("effectiveness", flat=True)
        )
        assert len(values) >= 2
        assert ab["arms"][arm]["n"] == len(values)
        assert ab["arms"][arm]["mean"] == pytest.approx(sum(values) / len(values))
    assert ab["arms"]["A"]["n"] + ab["arms"]["B"]["n"] == PLAYED
    assert ab["difference"] == pytest.approx(ab["arms"]["B"]["mean"] - ab["arms"]["A"]["mean"])
    assert ab["low"] is not None and ab["low"] <= ab["difference"] <= ab["high"]
    assert ab["verdict"]


def test_the_owner_reads_the_stats_and_a_stranger_gets_404(played, owner, stranger):
    path = f"/api/v1/games/{played.pk}/stats/"

    response = client_with_key(owner).get(path, {"window": 30})
    assert response.status_code == 200
    body = response.json()
    assert body["decisions"]["total"] == PLAYED + UNANSWERED
    assert [w["count"] for w in body["over_time"]["windows"]] == [30, 30]

    assert client_with_key(stranger).get(path).status_code == 404
    assert client_with_key(owner).get(path, {"window": 0}).status_code == 400


def test_a_game_without_decisions_has_empty_stats_and_visitors_are_refused(owner, client):
    game = game_create(owner, name="Fresh", vocabulary=VOCABULARY)

    stats = client_with_key(owner).get(f"/api/v1/games/{game.pk}/stats/").json()
    assert stats["decisions"] == {"total": 0, "with_outcome": 0}
    assert stats["latency_ms"] == {"p50": None, "p95": None}
    assert stats["by_action"] == [] and stats["over_time"]["windows"] == []
    assert stats["learning_curve"]["points"] == []
    assert client.get(f"/api/v1/games/{game.pk}/stats/").status_code in (401, 403)
