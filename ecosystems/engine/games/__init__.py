"""The learning engine of game NPCs (issue 18): pure Python and NumPy, no Django.

Modules, in import order (each imports only the ones above it):

- ``features``: a player context (any JSON object) -> fixed-length vector + short text.
- ``vocabulary``: the game's actions, environments, difficulty levels; the personality prior.
- ``ab``: stable A/B split of sessions and the Welch interval of two strategies.
- ``bandit``: disjoint LinUCB / linear Thompson sampling with Sherman-Morrison updates,
  the personality prior as pseudo-observations, bounded exploration and forgetting.
- ``decide``: ``decide`` and ``learn`` (learned and scripted strategies).

Public API (``ecosystems.engine.games``)::

    Vocabulary.from_dict({"actions": ["slash", {"name": "fireball", "type": "area_attack"}],
                          "environments": [...], "difficulty_levels": [easiest, ..., hardest]})
        .names  .action(name) -> Action(name, type, prior)  .difficulty_rank(level) -> 0..1
    EngineConfig(strategy="learned"|"scripted", bandit=BanditConfig(...),
                 features=FeatureConfig(buckets=24, scales={"health": 100}),
                 rules=(Rule(key, op, value, action), ...))     .as_dict() / .from_dict()
    BanditConfig(algorithm="linucb"|"thompson", alpha=0.5, noise_sd=0.25, ridge=1.0,
                 prior_weight=3.0, prior_strength=0.25, epsilon_scale=1.0,
                 epsilon_min=0.0, epsilon_max=0.1, discount=1.0)
    BanditConfig.for_difficulty(rank 0..1, **overrides)        # easier = more random moves
    initial_state(vocabulary, *, personality=None, config=None) -> BanditState
    decide(state | None, context, *, vocabulary, personality=None, config=None,
           rng: numpy.random.Generator, similar=()) -> Decision
        Decision(action, confidence 0..1, reason, strategy, mode, scores, expected,
                 features, drivers, description, new_scales)  .as_dict() / .from_dict()
    learn(state, decision | decision.as_dict(), "success"|"failure", effectiveness=None, *,
          config=None, inplace=False) -> (BanditState, LearningUpdate)
        LearningUpdate(action, outcome, reward, expected_before, expected_after, trials,
                       successes, learned, best_before, best_after, summary)  .as_dict()
    BanditState.to_dict() -> JSON-able dict;  BanditState.from_dict(data)
    state_for_vocabulary(state, vocabulary, *, personality=None, config=None) -> BanditState
    decision_rng(*keys) -> numpy.random.Generator          # e.g. (game seed, npc id, n)
    SimilarOutcome(action, success, effectiveness=None)     # pgvector neighbours, for reasons
    encode_context(context, config=None, running_scales=None) -> EncodedContext(vector,
        items, description, new_scales);  describe_context(context) -> str  # to embed
    ab_assign(session_id, *, split=0.5, salt="") -> "A" | "B"
    ab_compare(a, b, *, confidence=0.95) -> Comparison(difference, low, high, verdict, ...)
        # a, b: effectiveness values or ArmSummary.of(values) / ArmSummary.from_sums(n, s, ss)

Bad input raises ``GameInputError(message, code, field)`` (codes: invalid, not_finite,
too_deep, too_large, duplicate, unknown_action, bad_state, bad_decision): the product
answers 400 with the message.
"""

from ecosystems.engine.games.ab import ArmSummary, Comparison, ab_assign, ab_compare
from ecosystems.engine.games.bandit import BanditConfig, BanditState
from ecosystems.engine.games.decide import (
    Decision,
    EngineConfig,
    LearningUpdate,
    Rule,
    SimilarOutcome,
    decide,
    decision_rng,
    initial_state,
    learn,
    reward_of,
    state_for_vocabulary,
)
from ecosystems.engine.games.features import (
    EncodedContext,
    FeatureConfig,
    GameInputError,
    describe_context,
    encode_context,
)
from ecosystems.engine.games.vocabulary import Action, Vocabulary, prior_means

__all__ = [
    "Action",
    "ArmSummary",
    "BanditConfig",
    "BanditState",
    "Comparison",
    "Decision",
    "EncodedContext",
    "EngineConfig",
    "FeatureConfig",
    "GameInputError",
    "LearningUpdate",
    "Rule",
    "SimilarOutcome",
    "Vocabulary",
    "ab_assign",
    "ab_compare",
    "decide",
    "decision_rng",
    "describe_context",
    "encode_context",
    "initial_state",
    "learn",
    "prior_means",
    "reward_of",
    "state_for_vocabulary",
]
