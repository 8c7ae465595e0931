"""decide / learn: determinism, JSON state, the personality prior, reasons, bad input."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from ecosystems.engine.games import (
    BanditConfig,
    BanditState,
    Decision,
    EngineConfig,
    GameInputError,
    Rule,
    SimilarOutcome,
    Vocabulary,
    decide,
    decision_rng,
    initial_state,
    learn,
    state_for_vocabulary,
)
from ecosystems.engine.games.bandit import bandit_update, prior_arrays
from tests.ecosystems.engine.games.players import (
    STYLES,
    VOCABULARY,
    Player,
    final_state,
    play,
)

AGGRESSIVE = {"extraversion": 0.95, "agreeableness": 0.05, "neuroticism": 0.1}
CAUTIOUS = {"neuroticism": 0.95, "extraversion": 0.1, "conscientiousness": 0.8}
ATTACKS = {"slash", "ground_slam", "armor_break", "charge"}
GUARDED = {"counter", "retreat"}


def _decisions(rounds):
    return [r.decision.action for r in rounds]


def test_same_seed_and_same_outcomes_give_the_same_decisions():
    runs = [
        [r.decision for r, _ in play(Player("tank", random.Random(3)), 150, seed=3)]
        for _ in range(2)
    ]
    assert [d.as_dict() for d in runs[0]] == [d.as_dict() for d in runs[1]]
    other = [r.decision.action for r, _ in play(Player("tank", random.Random(3)), 150, seed=4)]
    assert other != [d.action for d in runs[0]]  # the seed matters


def test_the_state_round_trips_through_json_and_goes_on_deciding_the_same():
    state = final_state(play(Player("dodger", random.Random(1)), 120, seed=1))
    assert state is not None
    stored = json.loads(json.dumps(state.to_dict()))
    loaded = BanditState.from_dict(stored)
    assert loaded.to_dict() == state.to_dict()
    np.testing.assert_array_equal(loaded.a_inv, state.a_inv)
    a = [r.decision.action for r, _ in play(Player("ranged", random.Random(9)), 80, seed=9,
                                           state=state)]  # fmt: skip
    b = [r.decision.action for r, _ in play(Player("ranged", random.Random(9)), 80, seed=9,
                                           state=loaded)]  # fmt: skip
    assert a == b


def test_a_decision_round_trips_through_json_and_learn_accepts_either_form():
    state = initial_state(VOCABULARY)
    decision = decide(state, {"dodge_frequency": 0.7}, vocabulary=VOCABULARY,
                      rng=decision_rng(1))  # fmt: skip
    as_json = json.loads(json.dumps(decision.as_dict()))
    assert Decision.from_dict(as_json) == decision
    one, _ = learn(state, decision, "success", 0.9)
    two, _ = learn(state, as_json, "success", 0.9)
    assert one.to_dict() == two.to_dict()


def test_learning_at_once_the_next_decision_uses_the_outcome():
    state = initial_state(VOCABULARY)
    context = {"dodge_frequency": 0.8}
    decision = decide(state, context, vocabulary=VOCABULARY, rng=decision_rng(0))
    after, update = learn(state, decision, "failure", 0.0)
    assert update.expected_after < update.expected_before
    assert update.trials == 1 and update.successes == 0 and update.learned == 1
    assert decision.action in update.summary and "failed" in update.summary
    assert state.trials.sum() == 0  # learn returned a new state; the old one is untouched
    again = decide(after, context, vocabulary=VOCABULARY, rng=decision_rng(0))
    assert again.scores[decision.action] < decision.scores[decision.action]


def test_sherman_morrison_matches_the_exact_inverse():
    state = initial_state(VOCABULARY)
    rng = np.random.default_rng(5)
    p_matrix, _ = prior_arrays(state.prior_mean, state.dimension, ridge=1.0, prior_weight=3.0)
    a = p_matrix[2].copy()
    for _ in range(50):
        x = rng.normal(size=state.dimension)
        bandit_update(state, 2, x, 0.5)
        a += np.outer(x, x)
    np.testing.assert_allclose(state.a_inv[2], np.linalg.inv(a), atol=1e-10)


def test_forgetting_decays_the_evidence_back_to_the_prior():
    state = initial_state(VOCABULARY)
    x = np.zeros(state.dimension)
    x[0] = 1.0
    for _ in range(200):
        bandit_update(state, 0, x, 1.0, discount=0.9)
    # ~1 / (1 - 0.9) = 10 outcomes of reward 1 weigh against 3 pseudo-observations of 0.5
    mean = float(state.theta(0)[0])
    assert 0.8 < mean < 0.9
    for _ in range(200):
        bandit_update(state, 0, x, 0.0, discount=0.9)
    assert float(state.theta(0)[0]) < 0.15  # the old successes are forgotten


@pytest.mark.parametrize(("personality", "leaning"), [(AGGRESSIVE, ATTACKS), (CAUTIOUS, GUARDED)])
def test_the_personality_prior_biases_the_first_choices(personality, leaning):
    # untried moves all look promising; the personality decides which ones come first
    first = [
        r.decision
        for r, _ in play(Player("tank", random.Random(2)), 12, seed=2, personality=personality)
        if r.decision.mode != "explore"
    ][: len(leaning)]
    assert {d.action for d in first} == leaning
    assert first[0].mode == "prior"
    assert "on instinct" in first[0].reason
    assert "leans to" in first[0].reason


def test_outcomes_override_the_personality_prior():
    # the aggressive boss against a rusher, whom only a counter (a defensive move) beats
    rounds = [r for r, _ in play(Player("rusher", random.Random(4)), 400, seed=4,
                                 personality=AGGRESSIVE)]  # fmt: skip
    cautious = [r for r, _ in play(Player("rusher", random.Random(4)), 400, seed=4,
                                   personality=CAUTIOUS)]  # fmt: skip
    first_counter = [r.decision.action for r in rounds].index("counter")
    assert first_counter >= 4  # it tried its four attacks before stooping to a counter
    assert [r.decision.action for r in cautious].index("counter") < first_counter
    assert sum(r.decision.action == "counter" for r in rounds[-100:]) >= 80


def test_a_designer_can_read_why_the_npc_chose():
    players = [Player(style, random.Random(i)) for i, style in enumerate(STYLES)]
    state = final_state(play(players, 800, seed=0))
    context = Player("dodger", random.Random(50)).context()
    no_exploring = EngineConfig(bandit=BanditConfig(epsilon_max=0.0))
    decision = decide(state, context, vocabulary=VOCABULARY, rng=decision_rng("reason"),
                      config=no_exploring)  # fmt: skip
    assert decision.action == "ground_slam"
    assert decision.mode == "exploit"
    assert decision.confidence > 0.9
    # what made the difference: this player dodges far more than the usual one
    assert any(d.startswith("dodge_frequency") for d in decision.drivers), decision.drivers
    assert not any("length" in d for d in decision.drivers)  # every list has 4 entries
    assert "the player's dodge_frequency" in decision.reason
    assert "ground slam has worked" in decision.reason
    similar = [SimilarOutcome("ground_slam", True)] * 9 + [SimilarOutcome("ground_slam", False)] * 2
    with_memory = decide(state, context, vocabulary=VOCABULARY, rng=decision_rng("reason"),
                         config=no_exploring, similar=similar)  # fmt: skip
    assert "worked 9 times of 11 in similar situations" in with_memory.reason


def test_exploration_is_bounded_by_the_epsilon_floor_and_ceiling():
    config = BanditConfig(epsilon_min=0.05, epsilon_max=0.2)
    assert config.epsilon(0) == 0.2
    assert config.epsilon(10_000) == 0.05
    easy, hard = BanditConfig.for_difficulty(0.0), BanditConfig.for_difficulty(1.0)
    assert easy.epsilon(10_000) > 0.3
    assert hard.epsilon(10_000) < 0.02
    for bad in ({"alpha": 5.0}, {"epsilon_min": 0.5, "epsilon_max": 0.1}, {"discount": 0.2},
                {"algorithm": "magic"}):  # fmt: skip
        with pytest.raises(GameInputError):
            BanditConfig(**bad)


def test_an_easy_npc_keeps_blundering_and_a_hard_one_does_not():
    shares = {}
    for rank in (0.0, 1.0):
        config = EngineConfig(bandit=BanditConfig.for_difficulty(rank))
        rounds = [r for r, _ in play(Player("tank", random.Random(6)), 400, seed=6,
                                     config=config)]  # fmt: skip
        shares[rank] = sum(r.right for r in rounds[-100:]) / 100
    assert shares[1.0] >= 0.9
    assert shares[0.0] < shares[1.0] - 0.15


def test_the_scripted_strategy_follows_its_rules_then_rotates():
    rules = (Rule("distance", ">", 10, "charge"), Rule("moves", "has", "roll", "ground_slam"))
    config = EngineConfig(strategy="scripted", rules=rules)
    state = initial_state(VOCABULARY, config=config)
    far = decide(state, {"distance": 14}, vocabulary=VOCABULARY, config=config, rng=decision_rng(1))
    assert (far.action, far.mode, far.strategy) == ("charge", "rule", "scripted")
    rolling = decide(state, {"moves": ["roll"]}, vocabulary=VOCABULARY, config=config,
                     rng=decision_rng(1))  # fmt: skip
    assert rolling.action == "ground_slam"
    seen = []
    for _ in range(len(VOCABULARY.actions)):
        d = decide(
            state, {"distance": 2}, vocabulary=VOCABULARY, config=config, rng=decision_rng(1)
        )
        assert d.mode == "round_robin"
        seen.append(d.action)
        state, _ = learn(state, d, "failure", 0.1, config=config)
    assert seen == list(VOCABULARY.names)


def test_outcomes_are_validated():
    state = initial_state(VOCABULARY)
    decision = decide(state, {}, vocabulary=VOCABULARY, rng=decision_rng(1))
    with pytest.raises(GameInputError, match="success"):
        learn(state, decision, "victory", 0.5)
    for bad in (1.5, -0.1, float("nan"), True):
        with pytest.raises(GameInputError, match="effectiveness"):
            learn(state, decision, "success", bad)
    stranger = Decision.from_dict({**decision.as_dict(), "action": "fly"})
    with pytest.raises(GameInputError) as caught:
        learn(state, stranger, "success", 0.5)
    assert caught.value.code == "unknown_action"
    short = {**decision.as_dict(), "features": [1.0, 0.0]}
    with pytest.raises(GameInputError) as caught:
        learn(state, short, "success", 0.5)
    assert caught.value.code == "bad_decision"
    with pytest.raises(GameInputError) as caught:
        learn(state, {"action": "slash"}, "success", 0.5)
    assert caught.value.code == "bad_decision"
    # no effectiveness: success teaches 1, failure 0
    _, update = learn(state, decision, "success")
    assert update.reward == 1.0


def test_a_broken_stored_state_is_refused():
    data = initial_state(VOCABULARY).to_dict()
    for broken in ({**data, "version": 99}, {**data, "b": [[1.0]]}, {"actions": []}):
        with pytest.raises(GameInputError) as caught:
            BanditState.from_dict(broken)
        assert caught.value.code == "bad_state"


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [
        ({"actions": []}, "no actions"),
        ({"actions": ["slash", "slash"]}, "twice"),
        ({"actions": ["slash"], "environments": ["cave", "cave"]}, "twice"),
        ({"actions": [""]}, "characters"),
        ({"actions": [{"name": "slash", "prior": 2}]}, "prior"),
        ({"actions": [42]}, "name"),
        ({"actions": "slash"}, "list"),
    ],
)
def test_bad_vocabularies_say_what_is_wrong(vocabulary, message):
    with pytest.raises(GameInputError, match=message):
        Vocabulary.from_dict(vocabulary)


def test_a_designer_pinned_prior_beats_the_personality():
    vocabulary = Vocabulary.from_dict(
        {"actions": [{"name": "slash", "type": "attack"}, {"name": "hide", "prior": 0.9}]}
    )
    state = initial_state(vocabulary, personality=AGGRESSIVE)
    assert state.prior_mean.tolist()[1] == 0.9
    assert state.prior_mean[0] > 0.5  # the aggressive character still likes slashing


def test_a_changed_vocabulary_keeps_what_was_learned():
    state = final_state(play(Player("dodger", random.Random(0)), 100, seed=0))
    grown = Vocabulary.from_dict(
        {"actions": [*VOCABULARY.as_dict()["actions"][1:], {"name": "fireball", "type": "spell"}]}
    )
    updated = state_for_vocabulary(state, grown)
    assert updated.actions == grown.names
    k_old, k_new = state.actions.index("ground_slam"), updated.actions.index("ground_slam")
    np.testing.assert_array_equal(updated.a_inv[k_new], state.a_inv[k_old])
    assert updated.trials[updated.actions.index("fireball")] == 0
    assert "slash" not in updated.actions
    decision = decide(state, {"dodge_frequency": 0.8}, vocabulary=grown, rng=decision_rng(2))
    assert decision.action in grown.names


def test_difficulty_levels_map_to_ranks():
    assert VOCABULARY.difficulty_rank("easy") == 0.0
    assert VOCABULARY.difficulty_rank("hard") == 1.0
    assert VOCABULARY.difficulty_rank("normal") == 0.5
    with pytest.raises(GameInputError, match="Unknown difficulty"):
        VOCABULARY.difficulty_rank("nightmare")


def test_thompson_sampling_is_deterministic_for_a_seed_too():
    config = EngineConfig(bandit=BanditConfig(algorithm="thompson"))
    runs = [
        [
            r.decision.action
            for r, _ in play(Player("ranged", random.Random(5)), 120, seed=5, config=config)
        ]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert all(
        r.decision.strategy == "thompson"
        for r, _ in play(Player("ranged", random.Random(5)), 3, seed=5, config=config)
    )


def test_a_new_npc_is_unsure_and_a_trained_one_is_sure():
    context = Player("tank", random.Random(8)).context()
    fresh = decide(None, context, vocabulary=VOCABULARY, rng=decision_rng(0))
    assert 0.3 <= fresh.confidence <= 0.7
    trained = final_state(play(Player("tank", random.Random(8)), 300, seed=8))
    sure = decide(trained, context, vocabulary=VOCABULARY, rng=decision_rng(0),
                  config=EngineConfig(bandit=BanditConfig(epsilon_max=0.0)))  # fmt: skip
    assert sure.action == "armor_break"
    assert sure.confidence > 0.9
    exploring = decide(trained, context, vocabulary=VOCABULARY, rng=decision_rng(0),
                       config=EngineConfig(bandit=BanditConfig(epsilon_min=1.0,
                                                               epsilon_max=1.0)))  # fmt: skip
    assert exploring.mode == "explore"
    assert exploring.reason.startswith("Trying ")
