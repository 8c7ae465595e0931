"""Games (issue 18): a game's NPCs choose actions and learn from the outcomes the game reports.

The learning is the pure engine's (``ecosystems.engine.games``); this module stores it.

- **State.** Each NPC has one ``GameNPCState`` row per arm (``""`` without A/B, else ``"A"``
  and ``"B"``) holding ``BanditState.to_dict()`` and a ``version`` that grows by one with
  every save. A process keeps the states it used in memory (``STATE_CACHE``, keyed by NPC
  and arm, with the version they had) and trusts an entry only while the row still has that
  version: a decision reads the row's version in the same statement that counts it
  (``UPDATE ... RETURNING``), an outcome locks the row (``SELECT ... FOR UPDATE``) and
  compares. So two processes stay correct: when one has learned, the other's version is
  stale and it reloads the JSON. An entry is only put back after the saving transaction
  commits (``on_commit``), so a rolled-back learning never poses as a later version.
- **Decisions.** ``game_decide`` claims the next decision number of the NPC under its arm,
  retrieves the ``SIMILAR_K`` most similar past situations of the NPC that have an outcome
  (pgvector cosine distance over the WordLlama embedding of ``describe_context``; the
  embeddings of identical descriptions are computed once per process) for the reason, and
  draws with ``decision_rng(game seed, NPC number, arm, decision number)``: the same seed and
  the same outcomes in the same order give the same decisions. The NPC's character gives
  the Big Five that bias the prior. Exploration is bounded per difficulty
  (``BanditConfig.for_difficulty`` of the context's ``difficulty`` level, the hardest when
  absent) with the game's overrides in ``config["exploration"][level]``.
- **Outcomes.** Learning happens in the request: the next decision already uses it. A batch
  locks each NPC's state once, learns its outcomes in order, and saves each state once and
  all the decisions in one ``bulk_update``.
- **A/B.** With ``config["ab"] = {"split": 0.5, "A": {...}, "B": {...}}`` sessions are split
  by ``ab_assign(session_id, salt=game id)``; each arm has its own engine config and state.

Games are not a world's story: decisions and outcomes log no world event.
"""

from __future__ import annotations

import json
import math
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from pgvector.django import CosineDistance

from characters.embeddings import embed_texts, embeddings_remote
from characters.models import Character
from core.errors import InvalidInput, InvalidTransition, NotFound
from ecosystems.engine.games import (
    BanditConfig,
    BanditState,
    EngineConfig,
    GameInputError,
    SimilarOutcome,
    Vocabulary,
    ab_assign,
    decide,
    decision_rng,
    describe_context,
    initial_state,
    learn,
    reward_of,
)
from ecosystems.engine.games.vocabulary import TRAITS
from ecosystems.models import GAME_NAME_CHARS, GAME_SESSION_CHARS, Game, GameDecision, GameNPC
from ecosystems.models import GameNPCState as State

SIMILAR_K = 8  # past situations a reason tallies: enough to say "worked 6 times of 8"
# A context is a game's view of one moment (a few dozen numbers and names); 32 KiB is far
# above any honest one and keeps a 1 MB context a 400 over the WebSocket too (the HTTP API
# refuses bodies over API_MAX_BODY_BYTES, 64 KiB, with 413 before parsing).
CONTEXT_MAX_BYTES = 32 * 1024
METRICS_MAX_BYTES = 4 * 1024
OUTCOMES_PER_BATCH = 2000  # one request's worth; a bigger batch holds NPC locks too long
STATE_CACHE_SIZE = 4096  # NPC x arm states kept per process (~50 KB each at 6 actions)
EMBEDDING_CACHE_SIZE = 16_384  # descriptions embedded per process (1 KB each)
CONFIG_KEYS = ("strategy", "bandit", "features", "rules", "exploration", "ab")
OUTCOME_KEYS = ("decision_id", "outcome", "effectiveness", "damage", "metrics", "action")


# --- configuration --------------------------------------------------------------------------------


def _invalid(error: GameInputError, prefix: str = "") -> InvalidInput:
    field = f"{prefix}{error.field}" if error.field else (prefix.rstrip(".") or "non_field_errors")
    return InvalidInput(error.message, code=None, details={field: [error.message]})


@dataclass(frozen=True)
class GameSetup:
    """A game's parsed vocabulary and engine configs: one per arm and difficulty level."""

    vocabulary: Vocabulary
    arms: tuple[str, ...]  # ("",) or ("A", "B")
    split: float
    configs: Mapping[tuple[str, str], EngineConfig]  # (arm, level or "") -> config

    def config_for(self, arm: str, difficulty: str | None) -> EngineConfig:
        level = difficulty or ""
        if level and level not in self.vocabulary.difficulty_levels:
            self.vocabulary.difficulty_rank(level)  # raises, naming the levels
        return self.configs[arm, level]

    def arm_of(self, game_id: Any, session_id: str) -> str:
        if self.arms == ("",):
            return ""
        return ab_assign(session_id, split=self.split, salt=str(game_id))


def game_setup_parse(vocabulary: Mapping[str, Any], config: Mapping[str, Any]) -> GameSetup:
    """Validate a game's vocabulary and config (``GameInputError`` saying what is wrong)."""
    vocab = Vocabulary.from_dict(vocabulary)
    if not isinstance(config, Mapping):
        raise GameInputError("config must be an object.", field="config")
    unknown = sorted(set(config) - set(CONFIG_KEYS))
    if unknown:
        raise GameInputError(
            f"config has unknown keys {', '.join(unknown)}; use {', '.join(CONFIG_KEYS)}.",
            field="config",
        )
    exploration = config.get("exploration") or {}
    if not isinstance(exploration, Mapping):
        raise GameInputError("config.exploration must be an object.", field="config.exploration")
    for level, overrides in exploration.items():
        vocab.difficulty_rank(level)
        if not isinstance(overrides, Mapping):
            raise GameInputError(
                f"config.exploration.{level} must be an object of bandit settings.",
                field="config.exploration",
            )
    base = {k: v for k, v in config.items() if k not in ("exploration", "ab")}
    ab = config.get("ab")
    if ab is None:
        raw_arms = {"": base}
        split = 1.0
    else:
        if not isinstance(ab, Mapping) or not {"A", "B"} <= set(ab):
            raise GameInputError(
                'config.ab must be {"split": 0..1, "A": {...}, "B": {...}}.', field="config.ab"
            )
        split = ab.get("split", 0.5)
        if isinstance(split, bool) or not isinstance(split, int | float):
            raise GameInputError("config.ab.split must be a number in 0..1.", field="config.ab")
        split = float(split)
        if not 0 <= split <= 1:
            raise GameInputError("config.ab.split must be in 0..1.", field="config.ab")
        raw_arms = {}
        for arm in ("A", "B"):
            if not isinstance(ab[arm], Mapping):
                raise GameInputError(f"config.ab.{arm} must be an object.", field="config.ab")
            merged = {**base, **ab[arm]}
            merged["bandit"] = {**(base.get("bandit") or {}), **(ab[arm].get("bandit") or {})}
            raw_arms[arm] = merged
    configs: dict[tuple[str, str], EngineConfig] = {}
    for arm, raw in raw_arms.items():
        bandit = raw.get("bandit") or {}
        if not isinstance(bandit, Mapping):
            raise GameInputError("config.bandit must be an object.", field="config.bandit")
        try:
            base_config = EngineConfig.from_dict(raw)
        except (TypeError, ValueError) as error:
            if isinstance(error, GameInputError):
                raise
            raise GameInputError(f"config is not valid: {error}.", field="config") from error
        for rule in base_config.rules:
            vocab.action(rule.action)
        known = {k: v for k, v in bandit.items() if k in BanditConfig.__dataclass_fields__}
        for level in ("", *vocab.difficulty_levels):
            overrides = {**known, **dict(exploration.get(level) or {})} if level else known
            try:
                tuned = BanditConfig.for_difficulty(
                    vocab.difficulty_rank(level or None), **overrides
                )
            except TypeError as error:
                raise GameInputError(f"config.bandit: {error}.", field="config.bandit") from error
            configs[arm, level] = EngineConfig(
                strategy=base_config.strategy,
                bandit=tuned,
                features=base_config.features,
                rules=base_config.rules,
            )
    return GameSetup(vocab, tuple(raw_arms), split, configs)


_setup_lock = threading.Lock()
_setups: OrderedDict[tuple[Any, Any], GameSetup] = OrderedDict()


def game_setup(game: Game) -> GameSetup:
    """The parsed setup of ``game``, kept per process while the row is unchanged."""
    key = (game.pk, game.updated_at)
    with _setup_lock:
        found = _setups.get(key)
        if found is not None:
            _setups.move_to_end(key)
            return found
    try:
        setup = game_setup_parse(game.vocabulary, game.config or {})
    except GameInputError as error:
        raise _invalid(error) from error
    with _setup_lock:
        _setups[key] = setup
        while len(_setups) > 256:
            _setups.popitem(last=False)
    return setup


# --- the per-process state cache ------------------------------------------------------------------


class StateCache:
    """``(npc id, arm) -> (version, BanditState)``, least recently used out first. Readers get
    the cached object itself and must not change it; learning works on a copy."""

    def __init__(self, size: int = STATE_CACHE_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, str], tuple[int, BanditState]] = OrderedDict()

    def get(self, key: tuple[Any, str], version: int) -> BanditState | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[Any, str], version: int, state: BanditState) -> None:
        with self._lock:
            current = self._entries.get(key)
            if current is not None and current[0] > version:
                return  # a later version got here first
            self._entries[key] = (version, state)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


STATE_CACHE = StateCache()


def _state_of(npc_id: Any, arm: str, version: int, row_id: int) -> BanditState:
    """The state at ``version`` (the caller read it with the row locked or counted)."""
    key = (npc_id, arm)
    cached = STATE_CACHE.get(key, version)
    if cached is not None:
        return cached
    data = State.objects.filter(pk=row_id).values_list("state", flat=True).get()
    try:
        state = BanditState.from_dict(data)
    except GameInputError as error:
        raise _invalid(error) from error
    STATE_CACHE.put(key, version, state)
    return state


# --- embeddings -----------------------------------------------------------------------------------


@lru_cache(maxsize=EMBEDDING_CACHE_SIZE)
def _embedding(description: str) -> tuple[float, ...]:
    return tuple(embed_texts([description])[0])


def context_embedding(description: str) -> list[float] | None:
    """The embedding of a context's description, or None when embeddings are remote: a
    network call per decision would break the latency budget, so then there is no retrieval
    (reasons fall back to the NPC's overall tally)."""
    if embeddings_remote():
        return None
    return list(_embedding(description))


# --- games and NPCs -------------------------------------------------------------------------------


def game_create(
    owner: AbstractBaseUser, *, name: str, vocabulary: dict, config: dict | None = None
) -> Game:
    """A new game of ``owner``. Raises ``InvalidInput`` naming what is wrong with the name,
    the vocabulary (no actions, duplicates, bad names) or the config."""
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name or len(name) > GAME_NAME_CHARS:
        raise InvalidInput(
            f"name must be 1..{GAME_NAME_CHARS} characters.",
            details={"name": [f"Give the game a name of 1..{GAME_NAME_CHARS} characters."]},
        )
    config = {} if config is None else config
    try:
        setup = game_setup_parse(vocabulary, config)
    except GameInputError as error:
        raise _invalid(error) from error
    game = Game(owner=owner, name=name, vocabulary=setup.vocabulary.as_dict(), config=config)
    game.full_clean()
    game.save(force_insert=True)
    return game


def game_npc_add(game: Game, *, character_id: Any) -> GameNPC:
    """Make a character of one of the game owner's worlds an NPC of ``game``, starting from
    its personality prior. ``NotFound`` for a character that is not the owner's (or none),
    ``InvalidTransition`` when it already is an NPC of the game."""
    character_uuid = _uuid(character_id, "character_id")
    character = (
        Character.objects.filter(pk=character_uuid, ecosystem__owner_id=game.owner_id)
        .only(*TRAITS, "id", "name")
        .first()
    )
    if character is None:
        raise NotFound("No character with this id in your worlds.")
    setup = game_setup(game)
    personality = {t: getattr(character, t) for t in TRAITS}
    with transaction.atomic():
        Game.objects.select_for_update().filter(pk=game.pk).values_list("pk").get()
        existing = GameNPC.objects.filter(game=game, character=character).first()
        if existing is not None:
            raise InvalidTransition(
                f"{character.name} already is an NPC of this game (npc_id {existing.pk})."
            )
        last = GameNPC.objects.filter(game=game).aggregate(n=Max("number"))["n"] or 0
        npc = GameNPC.objects.create(game=game, character=character, number=last + 1)
        State.objects.bulk_create(
            State(
                npc=npc,
                arm=arm,
                strategy=setup.configs[arm, ""].name,
                state=initial_state(
                    setup.vocabulary, personality=personality, config=setup.configs[arm, ""]
                ).to_dict(),
                version=1,
            )
            for arm in setup.arms
        )
    return npc


def _uuid(value: Any, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        raise InvalidInput(
            f"{field} must be a UUID (got {str(value)[:60]!r}).",
            details={field: ["Must be a UUID."]},
        ) from None


# --- decisions ------------------------------------------------------------------------------------


def _claim_sql() -> str:
    state, npc, character = State._meta.db_table, GameNPC._meta.db_table, Character._meta.db_table
    traits = ", ".join(f"c.{t}" for t in TRAITS)
    return (
        f"UPDATE {state} AS s SET decisions = s.decisions + 1 "
        f"FROM {npc} AS n JOIN {character} AS c ON c.id = n.character_id "
        "WHERE s.npc_id = n.id AND n.id = %s AND n.game_id = %s AND s.arm = %s "
        f"RETURNING s.id, s.decisions, s.version, n.number, {traits}"
    )


def _claim(game: Game, npc_id: uuid.UUID, arm: str) -> tuple[Any, ...]:
    """Count the next decision of the NPC under ``arm`` and read what deciding needs, in one
    statement (it also locks the state row until the transaction ends)."""
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(), [npc_id, game.pk, arm])
        row = cursor.fetchone()
    if row is not None:
        return row
    npc = GameNPC.objects.filter(pk=npc_id, game=game).select_related("character").first()
    if npc is None:
        raise NotFound("No NPC with this id in this game.")
    # an arm the NPC has no state for yet (the game's A/B was added after it joined)
    setup = game_setup(game)
    personality = {t: getattr(npc.character, t) for t in TRAITS}
    State.objects.get_or_create(
        npc=npc,
        arm=arm,
        defaults={
            "strategy": setup.configs[arm, ""].name,
            "state": initial_state(
                setup.vocabulary, personality=personality, config=setup.configs[arm, ""]
            ).to_dict(),
            "version": 1,
        },
    )
    return _claim(game, npc_id, arm)


def _check_context(context: Any) -> str:
    if not isinstance(context, Mapping):
        raise InvalidInput(
            "context must be a JSON object of the player's situation.",
            details={"context": ["Must be an object."]},
        )
    try:
        size = len(json.dumps(context, allow_nan=False, separators=(",", ":")))
    except ValueError:
        message = "context holds NaN or an infinity; send finite numbers."
        raise InvalidInput(message, details={"context": [message]}) from None
    except TypeError as error:
        message = f"context holds something that is not JSON: {error}."
        raise InvalidInput(message, details={"context": [message]}) from None
    if size > CONTEXT_MAX_BYTES:
        message = f"context is {size:,} bytes of JSON; at most {CONTEXT_MAX_BYTES:,}."
        raise InvalidInput(message, code="too_large", details={"context": [message]})
    try:
        return describe_context(context)
    except GameInputError as error:
        raise _invalid(error, "context.") from error


def game_decide(game: Game, *, npc_id: Any, session_id: str, context: dict) -> dict:
    """What the NPC does now in ``context``: ``{decision_id, action, confidence, reason,
    strategy, arm, latency_ms}`` (see the module doc). ``NotFound`` for an NPC not of this
    game, ``InvalidInput`` for a bad session id or context."""
    started = time.perf_counter()
    npc_uuid = _uuid(npc_id, "npc_id")
    if not isinstance(session_id, str) or not 0 < len(session_id) <= GAME_SESSION_CHARS:
        raise InvalidInput(
            f"session_id must be a string of 1..{GAME_SESSION_CHARS} characters.",
            details={"session_id": ["1..128 characters."]},
        )
    description = _check_context(context)
    setup = game_setup(game)
    arm = setup.arm_of(game.pk, session_id)
    difficulty = context.get("difficulty")
    difficulty = difficulty if isinstance(difficulty, str) else None
    environment = context.get("environment")
    try:
        config = setup.config_for(arm, difficulty)
        if (
            isinstance(environment, str)
            and setup.vocabulary.environments
            and environment not in setup.vocabulary.environments
        ):
            raise GameInputError(
                f"Unknown environment {environment!r}; the game has "
                f"{', '.join(setup.vocabulary.environments)}.",
                field="environment",
            )
    except GameInputError as error:
        raise _invalid(error, "context.") from error
    vector = context_embedding(description)
    with transaction.atomic():
        row_id, number, version, npc_number, *traits = _claim(game, npc_uuid, arm)
        personality = dict(zip(TRAITS, traits, strict=True))
        state = _state_of(npc_uuid, arm, version, row_id)
        similar = _similar(npc_uuid, vector)
        try:
            decision = decide(
                state,
                context,
                vocabulary=setup.vocabulary,
                personality=personality,
                config=config,
                rng=decision_rng(game.seed, npc_number, arm, number),
                similar=similar,
            )
        except GameInputError as error:
            raise _invalid(error, "context.") from error
        stored = decision.as_dict()
        reason = stored.pop("reason")
        stored.pop("description")
        latency_ms = round((time.perf_counter() - started) * 1000, 3)
        row = GameDecision(
            game=game,
            npc_id=npc_uuid,
            session_id=session_id,
            arm=arm,
            strategy=decision.strategy,
            mode=decision.mode,
            action=decision.action,
            difficulty=difficulty or "",
            confidence=decision.confidence,
            reason=reason,
            context=context,
            decision=stored,
            description=description,
            embedding=vector,
            number=number,
            latency_ms=latency_ms,
        )
        row.save(force_insert=True)
    return {
        "decision_id": str(row.pk),
        "npc_id": str(npc_uuid),
        "action": decision.action,
        "confidence": decision.confidence,
        "reason": reason,
        "strategy": decision.strategy,
        "mode": decision.mode,
        "arm": arm,
        "latency_ms": latency_ms,
    }


def _similar(npc_id: uuid.UUID, vector: list[float] | None) -> list[SimilarOutcome]:
    """The ``SIMILAR_K`` past situations of the NPC closest to ``vector`` that have an
    outcome (cosine distance over the HNSW index)."""
    if vector is None:
        return []
    rows = (
        GameDecision.objects.filter(npc_id=npc_id, decided_at__isnull=False)
        .exclude(embedding=None)
        .order_by(CosineDistance("embedding", vector))
        .values_list("action", "played_action", "outcome", "reward")[:SIMILAR_K]
    )
    return [
        SimilarOutcome(played or action, outcome == "success", reward)
        for action, played, outcome, reward in rows
    ]


# --- outcomes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    decision_id: uuid.UUID
    outcome: str
    effectiveness: float | None
    damage: float | None
    metrics: dict[str, Any]
    action: str | None
    reward: float


def _finite(value: Any, field: str, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        message = f"{where}{field} must be a finite number, not {value!r}."
        raise InvalidInput(message, details={field: [message]})
    return float(value)


def _parse_outcome(raw: Any, where: str) -> _Outcome:
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{where}an outcome must be an object.")
    unknown = sorted(set(raw) - set(OUTCOME_KEYS))
    if unknown:
        message = f"{where}unknown fields {', '.join(unknown)}; use {', '.join(OUTCOME_KEYS)}."
        raise InvalidInput(message, details={name: ["Unknown field."] for name in unknown})
    if "decision_id" not in raw:
        raise InvalidInput(
            f"{where}decision_id is required.", details={"decision_id": ["Required."]}
        )
    decision_id = _uuid(raw["decision_id"], "decision_id")
    outcome = raw.get("outcome")
    effectiveness = raw.get("effectiveness")
    if isinstance(effectiveness, float) and not math.isfinite(effectiveness):
        message = f"{where}effectiveness must be a finite number in 0..1, not {effectiveness!r}."
        raise InvalidInput(message, details={"effectiveness": [message]})
    try:
        reward = reward_of(outcome, effectiveness)  # type: ignore[arg-type]
    except GameInputError as error:
        raise InvalidInput(
            f"{where}{error.message}", details={error.field or "outcome": [error.message]}
        ) from error
    damage = _finite(raw.get("damage"), "damage", where)
    metrics = raw.get("metrics") or {}
    if not isinstance(metrics, Mapping):
        raise InvalidInput(f"{where}metrics must be an object.", details={"metrics": ["Object."]})
    try:
        size = len(json.dumps(metrics, allow_nan=False))
    except (ValueError, TypeError):
        message = f"{where}metrics must be JSON with finite numbers."
        raise InvalidInput(message, details={"metrics": [message]}) from None
    if size > METRICS_MAX_BYTES:
        message = f"{where}metrics is {size:,} bytes; at most {METRICS_MAX_BYTES:,}."
        raise InvalidInput(message, details={"metrics": [message]})
    action = raw.get("action")
    if action is not None and not isinstance(action, str):
        raise InvalidInput(f"{where}action must be a name.", details={"action": ["A name."]})
    return _Outcome(
        decision_id,
        outcome,
        effectiveness,
        damage,
        dict(metrics),
        action,
        reward,  # type: ignore[arg-type]
    )


def game_outcome_record(
    game: Game,
    *,
    decision_id: Any,
    outcome: str,
    effectiveness: float | None = None,
    damage: float | None = None,
    metrics: dict | None = None,
    action: str | None = None,
) -> dict:
    """Learn the outcome of one decision at once (``LearningUpdate.as_dict()`` plus
    ``decision_id``). ``action``: the action the game actually played, when it overrode the
    decision. ``NotFound`` for a decision not of this game, ``InvalidTransition`` (409) for
    one that already has its outcome, ``InvalidInput`` for bad values."""
    raw: dict[str, Any] = {"decision_id": decision_id, "outcome": outcome}
    for key, value in (
        ("effectiveness", effectiveness),
        ("damage", damage),
        ("metrics", metrics),
        ("action", action),
    ):
        if value is not None:
            raw[key] = value
    return game_outcomes_record(game, [raw])[0]


def game_outcomes_record(game: Game, outcomes: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Learn a batch of outcomes in order, all or none: each NPC's state is locked, learned
    and saved once, the decisions are updated in one statement. Errors name the outcome's
    index."""
    if not isinstance(outcomes, Sequence) or isinstance(outcomes, str | bytes) or not outcomes:
        raise InvalidInput("outcomes must be a non-empty list.", details={"outcomes": ["List."]})
    if len(outcomes) > OUTCOMES_PER_BATCH:
        raise InvalidInput(
            f"{len(outcomes):,} outcomes in one batch; send at most {OUTCOMES_PER_BATCH:,}.",
            details={"outcomes": [f"At most {OUTCOMES_PER_BATCH}."]},
        )
    batch = len(outcomes) > 1
    parsed = [
        _parse_outcome(raw, f"outcomes[{i}]: " if batch else "") for i, raw in enumerate(outcomes)
    ]
    seen: set[uuid.UUID] = set()
    for i, item in enumerate(parsed):
        if item.decision_id in seen:
            raise InvalidInput(
                f"outcomes[{i}]: decision {item.decision_id} appears twice in the batch; "
                "each decision takes one outcome.",
                details={"outcomes": ["Duplicate decision_id."]},
            )
        seen.add(item.decision_id)
    setup = game_setup(game)
    for i, item in enumerate(parsed):
        if item.action is not None:
            try:
                setup.vocabulary.action(item.action)
            except GameInputError as error:
                where = f"outcomes[{i}]: " if batch else ""
                raise InvalidInput(
                    f"{where}{error.message}", details={"action": [error.message]}
                ) from error
    now = timezone.now()
    with transaction.atomic():
        rows = {
            row.pk: row
            for row in GameDecision.objects.select_for_update()
            .filter(game=game, pk__in=seen)
            .only("id", "npc_id", "arm", "difficulty", "action", "decision", "outcome")
        }
        for i, item in enumerate(parsed):
            row = rows.get(item.decision_id)
            where = f"outcomes[{i}]: " if batch else ""
            if row is None:
                raise NotFound(f"{where}no decision {item.decision_id} in this game.")
            if row.outcome:
                raise InvalidTransition(
                    f"{where}decision {item.decision_id} already has its outcome "
                    f"({row.outcome}); each decision takes one outcome.",
                    code="already_decided",
                )
        keys = sorted({(rows[o.decision_id].npc_id, rows[o.decision_id].arm) for o in parsed})
        state_rows = _lock_states(keys)
        states: dict[tuple[Any, str], BanditState] = {}
        for key, state_row in state_rows.items():
            states[key] = _state_of(key[0], key[1], state_row.version, state_row.pk).copy()
        updates = []
        for item in parsed:
            row = rows[item.decision_id]
            key = (row.npc_id, row.arm)
            played = item.action or row.action
            stored = {**row.decision, "action": played, "reason": "", "description": ""}
            try:
                _, update = learn(
                    states[key],
                    stored,
                    item.outcome,
                    item.effectiveness,
                    config=setup.config_for(row.arm, row.difficulty or None),
                    inplace=True,
                )
            except GameInputError as error:
                raise _invalid(error) from error
            row.outcome = item.outcome
            row.effectiveness = item.effectiveness
            row.reward = item.reward
            row.damage = item.damage
            row.metrics = item.metrics
            row.played_action = "" if played == row.action else played
            row.decided_at = now
            updates.append(
                {"decision_id": str(row.pk), "npc_id": str(row.npc_id), "arm": row.arm}
                | update.as_dict()
            )
        GameDecision.objects.bulk_update(
            rows.values(),
            ["outcome", "effectiveness", "reward", "damage", "metrics", "played_action",
             "decided_at"],
        )  # fmt: skip
        for key, state_row in state_rows.items():
            state_row.state = states[key].to_dict()
            state_row.version += 1
            state_row.updated_at = now
        State.objects.bulk_update(state_rows.values(), ["state", "version", "updated_at"])
        saved = [(key, r.version, states[key]) for key, r in state_rows.items()]
        transaction.on_commit(lambda: [STATE_CACHE.put(k, v, s) for k, v, s in saved])
    return updates


def _lock_states(keys: list[tuple[Any, str]]) -> dict[tuple[Any, str], State]:
    """The state rows of ``keys`` locked, in id order (two batches never deadlock)."""
    npc_ids = {npc for npc, _ in keys}
    rows = (
        State.objects.select_for_update()
        .filter(npc_id__in=npc_ids)
        .only("id", "npc_id", "arm", "version")
        .order_by("id")
    )
    wanted = set(keys)
    found = {(r.npc_id, r.arm): r for r in rows if (r.npc_id, r.arm) in wanted}
    missing = wanted - set(found)
    if missing:
        raise NotFound(f"The NPC {next(iter(missing))[0]} has no learning state; add it again.")
    return found
