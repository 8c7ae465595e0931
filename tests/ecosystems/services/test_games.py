"""Games through the service layer: NPCs that decide, learn from outcomes and get better."""

from __future__ import annotations

import pytest

from ecosystems.services.games import game_create, game_decide, game_npc_add, game_outcome_record
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


@pytest.fixture
def game(owner):
    return game_create(owner, name="Boss Rush", vocabulary=VOCABULARY)


@pytest.fixture
def boss(game, world):
    character = CharacterFactory(ecosystem=world, name="Boss", extraversion=0.9)
    return game_npc_add(game, character_id=character.pk)


def test_a_decision_is_one_of_the_actions_and_its_outcome_teaches(game, boss):
    answer = game_decide(game, npc_id=boss.pk, session_id="s1", context={"dodge_frequency": 0.8})
    assert answer["action"] in {"slash", "ground_slam", "counter"}
    update = game_outcome_record(
        game, decision_id=answer["decision_id"], outcome="success", effectiveness=0.9
    )
    assert update["decision_id"] == answer["decision_id"]
    assert update["learned"] == 1
