"""/api/v1/games/...: register a game, add an NPC, decide, report outcomes, and the next
decisions learn from them; another's game is a 404, bad input a 400 saying what is wrong,
an oversized body a 413 and a second outcome for one decision a 409."""

from __future__ import annotations

import json

import pytest

from billing.models import Plan, Subscription
from billing.services import subscription_ensure
from tests.api.conftest import error_of
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db

VOCABULARY = {
    "actions": [
        {"name": "slash", "type": "attack"},
        {"name": "ground_slam", "type": "area_attack"},
        {"name": "counter", "type": "defend"},
    ],
    "environments": ["arena", "cave"],
    "difficulty_levels": ["easy", "normal", "hard"],
}
CONTEXT = {"dodge_frequency": 0.8, "environment": "arena", "difficulty": "easy"}


def register(client, vocabulary=VOCABULARY, **fields) -> dict:
    response = client.post(
        "/api/v1/games/",
        {"name": "Boss Rush", "vocabulary": vocabulary, **fields},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def enterprise(owner):
    # Enterprise: no per-minute rate limit cuts sixty-odd requests short with 429s.
    subscription_ensure(user=owner)
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="enterprise"))
    return owner


@pytest.fixture
def game(as_owner) -> dict:
    return register(as_owner)


@pytest.fixture
def npc(as_owner, game, world) -> dict:
    boss = CharacterFactory(ecosystem=world, name="Boss", extraversion=0.9)
    response = as_owner.post(
        f"/api/v1/games/{game['id']}/npcs/", {"character_id": str(boss.pk)}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def decide(client, game, npc, context=CONTEXT, session="s1"):
    return client.post(
        f"/api/v1/games/{game['id']}/decide/",
        {"npc_id": npc["id"], "session_id": session, "context": context},
        format="json",
    )


def outcome(client, game, body):
    return client.post(f"/api/v1/games/{game['id']}/outcomes/", body, format="json")


def test_a_game_is_registered_listed_and_read(as_owner, game):
    assert (game["name"], game["npc_count"]) == ("Boss Rush", 0)
    assert [a["name"] for a in game["vocabulary"]["actions"]] == ["slash", "ground_slam", "counter"]
    listed = as_owner.get("/api/v1/games/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == game["id"]
    assert as_owner.get(f"/api/v1/games/{game['id']}/").json()["name"] == "Boss Rush"


def test_an_npc_decides_and_learns_from_the_outcomes(enterprise, as_owner, world):
    # No random exploration: once learned, the best action is the one chosen.
    game = register(as_owner, config={"bandit": {"epsilon_min": 0.0, "epsilon_max": 0.0}})
    assert game["config"]["bandit"]["epsilon_max"] == 0.0
    boss = CharacterFactory(ecosystem=world, name="Boss", extraversion=0.9)
    npc = as_owner.post(
        f"/api/v1/games/{game['id']}/npcs/", {"character_id": str(boss.pk)}, format="json"
    ).json()
    assert npc["name"] == "Boss" and npc["number"] == 1
    first = decide(as_owner, game, npc)
    assert first.status_code == 200, first.content
    assert first.json()["action"] in {"slash", "ground_slam", "counter"}

    answer = first.json()
    chosen = []
    for _ in range(30):
        worked = answer["action"] == "counter"
        response = outcome(as_owner, game, {
            "decision_id": answer["decision_id"],
            "outcome": "success" if worked else "failure",
            "effectiveness": 1.0 if worked else 0.0,
        })  # fmt: skip
        assert response.status_code == 200, response.content
        assert response.json()["updates"][0]["decision_id"] == answer["decision_id"]
        answer = decide(as_owner, game, npc).json()
        chosen.append(answer["action"])

    # Learned: in this context the action that always works is chosen from then on.
    assert chosen[-8:] == ["counter"] * 8, chosen


def test_a_batch_of_outcomes_is_learned_at_once(as_owner, game, npc):
    ids = [decide(as_owner, game, npc, session=f"s{i}").json()["decision_id"] for i in range(3)]
    response = outcome(as_owner, game, {
        "outcomes": [{"decision_id": d, "outcome": "success", "effectiveness": 0.9} for d in ids]
    })  # fmt: skip
    assert response.status_code == 200, response.content
    assert [u["decision_id"] for u in response.json()["updates"]] == ids


def test_a_strangers_game_is_a_404(as_owner, as_stranger, game, npc):
    answer = decide(as_owner, game, npc).json()
    assert as_stranger.get(f"/api/v1/games/{game['id']}/").status_code == 404
    assert as_stranger.get("/api/v1/games/").json()["count"] == 0
    assert decide(as_stranger, game, npc).status_code == 404
    response = outcome(
        as_stranger, game, {"decision_id": answer["decision_id"], "outcome": "success"}
    )
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_an_outcome_on_a_decision_of_another_game_is_a_404(as_owner, as_stranger, game, npc):
    answer = decide(as_owner, game, npc).json()
    theirs = register(as_stranger)
    response = outcome(
        as_stranger, theirs, {"decision_id": answer["decision_id"], "outcome": "success"}
    )
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    # The owner's decision is untouched: its outcome can still be reported.
    ok = outcome(as_owner, game, {"decision_id": answer["decision_id"], "outcome": "success"})
    assert ok.status_code == 200


def test_another_owners_character_is_no_npc(as_stranger, npc, alice):
    theirs = register(as_stranger)
    response = as_stranger.post(
        f"/api/v1/games/{theirs['id']}/npcs/", {"character_id": str(alice.pk)}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("vocabulary", "words"),
    [
        ({"actions": [{"name": "slash", "type": "attack"}] * 2}, "slash"),
        ({"actions": []}, "action"),
    ],
    ids=["duplicate-actions", "no-actions"],
)
def test_a_bad_vocabulary_is_a_400_saying_what_is_wrong(as_owner, vocabulary, words):
    response = as_owner.post(
        "/api/v1/games/", {"name": "Bad", "vocabulary": vocabulary}, format="json"
    )
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert error["code"] == "invalid" and words in error["message"].lower(), error
    assert as_owner.get("/api/v1/games/").json()["count"] == 0


def test_an_unknown_action_in_an_outcome_is_a_400(as_owner, game, npc):
    answer = decide(as_owner, game, npc).json()
    response = outcome(as_owner, game, {
        "decision_id": answer["decision_id"], "outcome": "success", "action": "fireball",
    })  # fmt: skip
    assert response.status_code == 400
    assert "fireball" in error_of(response)["message"]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_nan_or_infinity_in_a_context_is_a_400(as_owner, game, npc, value):
    text = (
        f'{{"npc_id": "{npc["id"]}", "session_id": "s1", '
        f'"context": {{"dodge_frequency": {value}}}}}'
    )
    response = as_owner.post(
        f"/api/v1/games/{game['id']}/decide/", data=text, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert error_of(response)["message"]


@pytest.mark.parametrize(
    "fields",
    [{"outcome": "maybe"}, {"outcome": "success", "effectiveness": 7}, {"outcome": None}],
    ids=["unknown-outcome", "effectiveness-out-of-range", "no-outcome"],
)
def test_a_bad_outcome_value_is_a_400(as_owner, game, npc, fields):
    answer = decide(as_owner, game, npc).json()
    response = outcome(as_owner, game, {"decision_id": answer["decision_id"], **fields})
    assert response.status_code == 400, response.content
    assert error_of(response)["message"]
    # Nothing was learned: the decision still takes its outcome.
    ok = outcome(as_owner, game, {"decision_id": answer["decision_id"], "outcome": "failure"})
    assert ok.status_code == 200


def test_a_one_megabyte_context_is_a_413(as_owner, game, npc):
    body = json.dumps({
        "npc_id": npc["id"], "session_id": "s1", "context": {"notes": "x" * 1_000_000}
    })  # fmt: skip
    response = as_owner.post(
        f"/api/v1/games/{game['id']}/decide/", data=body, content_type="application/json"
    )
    assert response.status_code == 413
    assert error_of(response)["message"]


def test_a_second_outcome_for_one_decision_is_a_409(as_owner, game, npc):
    answer = decide(as_owner, game, npc).json()
    body = {"decision_id": answer["decision_id"], "outcome": "success"}
    assert outcome(as_owner, game, body).status_code == 200
    response = outcome(as_owner, game, body)
    assert response.status_code == 409
    assert "already has its outcome" in error_of(response)["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/games/"),
        ("post", "/api/v1/games/"),
        ("get", "/api/v1/games/{game}/"),
        ("post", "/api/v1/games/{game}/npcs/"),
        ("post", "/api/v1/games/{game}/decide/"),
        ("post", "/api/v1/games/{game}/outcomes/"),
    ],
)
def test_without_a_key_every_endpoint_is_refused(anonymous, game, method, path):
    response = getattr(anonymous, method)(path.format(game=game["id"]), {}, format="json")
    assert response.status_code in {401, 403}
    assert error_of(response)["code"] in {"not_authenticated", "authentication_failed"}
