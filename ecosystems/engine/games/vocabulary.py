"""A game's vocabulary (actions with types, environments, difficulty levels) and the
personality prior: how much an NPC expects of each action before any outcome.

The prior mean of an action is ``0.5 + prior_strength * lean``, where ``lean`` in -1..1 sums
the NPC's centred Big Five traits (``2 * trait - 1``) weighted by what the action's type reads
as (``TYPE_LEANS``, matched by keyword in the type or, failing that, the name). The weights
are hand-tuned for play, in the spirit of the trait-behaviour links the character engine uses
(extraversion and low agreeableness with confrontation, neuroticism with avoidance and
guarding, agreeableness with helping, openness with unusual tactics); a designer can pin an
action's prior with ``"prior": 0..1`` in the vocabulary instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecosystems.engine.games.features import GameInputError

TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
TRAIT_ALIASES = {t[0].upper(): t for t in TRAITS}  # "O", "C", "E", "A", "N"
MAX_ACTIONS = 64
MAX_NAME = 64

# (keywords, trait weights, how the reason names the lean)
TYPE_LEANS: tuple[tuple[tuple[str, ...], Mapping[str, float], str], ...] = (
    (("taunt", "intimidat", "roar", "provok"),
     {"extraversion": 0.5, "agreeableness": -0.5}, "provoking"),
    (("attack", "strike", "charge", "rush", "slam", "smash", "melee", "aggress", "assault"),
     {"extraversion": 0.5, "agreeableness": -0.5, "neuroticism": -0.2}, "attacking"),
    (("defen", "block", "guard", "parry", "shield", "brace"),
     {"neuroticism": 0.5, "conscientiousness": 0.3, "extraversion": -0.2}, "defending"),
    (("evade", "dodge", "retreat", "flee", "hide", "escape", "kite"),
     {"neuroticism": 0.6, "extraversion": -0.3}, "evading"),
    (("heal", "support", "buff", "protect", "help", "rally"),
     {"agreeableness": 0.6, "conscientiousness": 0.2}, "supporting"),
    (("feint", "trick", "spell", "magic", "trap", "illusion", "ranged", "shoot"),
     {"openness": 0.5, "conscientiousness": 0.2}, "cunning"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    type: str
    prior: float | None = None  # a designer's fixed prior mean, 0..1


@dataclass(frozen=True)
class Vocabulary:
    """What a game's NPCs can do. ``from_dict`` reads the API shape: ``actions`` as names or
    ``{"name", "type", "prior"?}`` objects, ``environments`` and ``difficulty_levels`` as
    names (easiest first)."""

    actions: tuple[Action, ...]
    environments: tuple[str, ...] = ()
    difficulty_levels: tuple[str, ...] = ()
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.actions:
            raise GameInputError(
                "The vocabulary has no actions; list at least one.", field="vocabulary.actions"
            )
        if len(self.actions) > MAX_ACTIONS:
            raise GameInputError(
                f"The vocabulary has {len(self.actions)} actions; at most {MAX_ACTIONS}.",
                field="vocabulary.actions",
            )
        for what, names in (
            ("actions", [a.name for a in self.actions]),
            ("environments", list(self.environments)),
            ("difficulty_levels", list(self.difficulty_levels)),
        ):
            seen: set[str] = set()
            for name in names:
                if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
                    raise GameInputError(
                        f"vocabulary.{what} holds {name!r}; names are 1..{MAX_NAME} characters.",
                        field=f"vocabulary.{what}",
                    )
                if name in seen:
                    raise GameInputError(
                        f"vocabulary.{what} lists {name!r} twice; each name once.",
                        code="duplicate",
                        field=f"vocabulary.{what}",
                    )
                seen.add(name)
        for action in self.actions:
            if action.prior is not None and not 0 <= action.prior <= 1:
                raise GameInputError(
                    f"The prior of {action.name!r} must be in 0..1 (got {action.prior!r}).",
                    field="vocabulary.actions",
                )
        self._index.update({a.name: i for i, a in enumerate(self.actions)})

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.actions)

    def action(self, name: str) -> Action:
        if name not in self._index:
            raise GameInputError(
                f"Unknown action {name!r}; the vocabulary has {', '.join(self.names)}.",
                code="unknown_action",
                field="action",
            )
        return self.actions[self._index[name]]

    def difficulty_rank(self, level: str | None) -> float:
        """0..1 position of a difficulty level (easiest 0); 1.0 when the game has none."""
        if level is None or not self.difficulty_levels:
            return 1.0
        if level not in self.difficulty_levels:
            raise GameInputError(
                f"Unknown difficulty {level!r}; the game has {', '.join(self.difficulty_levels)}.",
                field="difficulty",
            )
        if len(self.difficulty_levels) == 1:
            return 1.0
        return self.difficulty_levels.index(level) / (len(self.difficulty_levels) - 1)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Vocabulary:
        if not isinstance(data, Mapping):
            raise GameInputError("The vocabulary must be an object.", field="vocabulary")
        raw_actions = data.get("actions") or []
        if not isinstance(raw_actions, list | tuple):
            raise GameInputError("vocabulary.actions must be a list.", field="vocabulary.actions")
        actions = []
        for raw in raw_actions:
            if isinstance(raw, str):
                actions.append(Action(raw, raw))
            elif isinstance(raw, Mapping) and isinstance(raw.get("name"), str):
                prior = raw.get("prior")
                if prior is not None and not isinstance(prior, int | float):
                    raise GameInputError(
                        f"The prior of {raw['name']!r} must be a number.",
                        field="vocabulary.actions",
                    )
                actions.append(Action(raw["name"], str(raw.get("type") or raw["name"]), prior))
            else:
                raise GameInputError(
                    f"vocabulary.actions holds {raw!r}; use a name or {{'name', 'type'}}.",
                    field="vocabulary.actions",
                )
        return cls(
            actions=tuple(actions),
            environments=tuple(data.get("environments") or ()),
            difficulty_levels=tuple(data.get("difficulty_levels") or ()),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "actions": [
                {"name": a.name, "type": a.type}
                | ({"prior": a.prior} if a.prior is not None else {})
                for a in self.actions
            ],
            "environments": list(self.environments),
            "difficulty_levels": list(self.difficulty_levels),
        }


def traits_of(personality: Any) -> dict[str, float]:
    """Big Five traits (0..1, 0.5 when missing) from a mapping (full names or O/C/E/A/N) or
    any object with the five attributes (``characters.engine.types.Personality``)."""
    if personality is None:
        return dict.fromkeys(TRAITS, 0.5)
    if isinstance(personality, Mapping):
        raw = {TRAIT_ALIASES.get(str(k), str(k)).lower(): v for k, v in personality.items()}
    else:
        raw = {t: getattr(personality, t, 0.5) for t in TRAITS}
    traits = {}
    for trait in TRAITS:
        value = raw.get(trait, 0.5)
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise GameInputError(
                f"personality.{trait} must be a number in 0..1 (got {value!r}).",
                field=f"personality.{trait}",
            )
        traits[trait] = float(value)
    return traits


def lean_of(action: Action) -> tuple[Mapping[str, float], str] | None:
    """The trait weights and label an action's type (or name) reads as, if any."""
    for text in (action.type.lower(), action.name.lower()):
        for keywords, weights, label in TYPE_LEANS:
            if any(word in text for word in keywords):
                return weights, label
    return None


def prior_means(actions: Iterable[Action], personality: Any, *, strength: float) -> list[float]:
    """Prior mean reward (0..1) per action for this personality."""
    traits = traits_of(personality)
    means = []
    for action in actions:
        if action.prior is not None:
            means.append(float(action.prior))
            continue
        lean = lean_of(action)
        score = 0.0 if lean is None else sum(w * (2 * traits[t] - 1) for t, w in lean[0].items())
        means.append(0.5 + strength * max(-1.0, min(1.0, score)))
    return means


def personality_phrase(personality: Any) -> str:
    """The traits that stand out, for reasons ("high extraversion, low agreeableness")."""
    traits = traits_of(personality)
    marked = [
        f"{'high' if v > 0.5 else 'low'} {t}"
        for t, v in sorted(traits.items(), key=lambda kv: -abs(kv[1] - 0.5))
        if abs(v - 0.5) >= 0.2
    ]
    return ", ".join(marked[:2]) or "a balanced personality"


def names_of(actions: Sequence[Action]) -> tuple[str, ...]:
    return tuple(a.name for a in actions)
