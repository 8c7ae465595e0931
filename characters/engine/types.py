"""Dataclasses shared by the engine: personalities, feelings, relationships, snapshots.

All of them are frozen: the engine never mutates its inputs, it returns new values.
Ranges are part of the contract; ``Personality`` and ``RelationshipState`` check theirs on
construction, ``EmotionState`` is clamped by the functions that produce it (it is built
thousands of times a second, so it skips the check).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Same names and order as characters.models.BIG_FIVE / PLUTCHIK (a test keeps them equal).
BIG_FIVE: tuple[str, ...] = (
    "openness",
    "conscientiousness",
    "extraversion",
    "agreeableness",
    "neuroticism",
)
PLUTCHIK: tuple[str, ...] = (
    "joy",
    "trust",
    "fear",
    "surprise",
    "sadness",
    "disgust",
    "anger",
    "anticipation",
)
POSITIVE_EMOTIONS = frozenset({"joy", "trust", "anticipation"})
NEGATIVE_EMOTIONS = frozenset({"fear", "sadness", "disgust", "anger"})

# Relationship kinds, the values of ecosystems.models.Relationship.Kind (a test keeps them equal).
STRANGER = "stranger"
ACQUAINTANCE = "acquaintance"
FRIEND = "friend"
CLOSE_FRIEND = "close_friend"
RIVAL = "rival"
ENEMY = "enemy"
ROMANTIC_INTEREST = "romantic_interest"
PARTNER = "partner"
ALLY = "ally"
RELATIONSHIP_KINDS: tuple[str, ...] = (
    STRANGER,
    ACQUAINTANCE,
    FRIEND,
    CLOSE_FRIEND,
    RIVAL,
    ENEMY,
    ROMANTIC_INTEREST,
    PARTNER,
    ALLY,
)

INITIATOR = "initiator"
TARGET = "target"
ROLES: tuple[str, ...] = (INITIATOR, TARGET)


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    """``value`` limited to ``[low, high]``."""
    return low if value < low else high if value > high else value


def _check_range(owner: str, name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ValueError(f"{owner}.{name} must be between {low} and {high}; got {value!r}.")


@dataclass(frozen=True, slots=True)
class Personality:
    """Big Five traits (each 0..1, 0.5 is the population middle), values and goals.

    ``values`` are short words ("loyalty", "honesty"); ``goals`` are goal descriptions
    ("Win the baking contest"). Both are compared case-insensitively.
    """

    openness: float = 0.5
    conscientiousness: float = 0.5
    extraversion: float = 0.5
    agreeableness: float = 0.5
    neuroticism: float = 0.5
    values: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for trait in BIG_FIVE:
            _check_range("Personality", trait, getattr(self, trait), 0.0, 1.0)

    @classmethod
    def from_traits(
        cls,
        traits: Mapping[str, float],
        values: Iterable[str] = (),
        goals: Iterable[str | Mapping[str, object]] = (),
    ) -> Personality:
        """Build from a trait mapping (missing traits are 0.5) and the model's goal shape.

        ``goals`` may mix plain strings and ``{"description": ..., "progress": ...}`` dicts,
        the shape of ``Character.long_term_goals``; only descriptions are kept.
        """
        return cls(
            **{trait: float(traits.get(trait, 0.5)) for trait in BIG_FIVE},
            values=tuple(values),
            goals=goal_descriptions(goals),
        )

    def traits(self) -> dict[str, float]:
        return {trait: getattr(self, trait) for trait in BIG_FIVE}


def goal_descriptions(goals: Iterable[str | Mapping[str, object]]) -> tuple[str, ...]:
    """Descriptions out of a goal list in the model's shape (or plain strings)."""
    out: list[str] = []
    for goal in goals:
        if isinstance(goal, str):
            out.append(goal)
        elif isinstance(goal.get("description"), str):
            out.append(str(goal["description"]))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Plutchik:
    """Eight numbers, one per Plutchik emotion, in ``PLUTCHIK`` order."""

    joy: float = 0.0
    trust: float = 0.0
    fear: float = 0.0
    surprise: float = 0.0
    sadness: float = 0.0
    disgust: float = 0.0
    anger: float = 0.0
    anticipation: float = 0.0

    def values(self) -> tuple[float, ...]:
        """The eight numbers in ``PLUTCHIK`` order (spelled out: this runs in hot loops)."""
        return (
            self.joy,
            self.trust,
            self.fear,
            self.surprise,
            self.sadness,
            self.disgust,
            self.anger,
            self.anticipation,
        )


@dataclass(frozen=True, slots=True)
class EmotionState(_Plutchik):
    """Intensity of Plutchik's eight basic emotions, each 0..1 (0 = absent)."""

    def as_dict(self, *, digits: int | None = None) -> dict[str, float]:
        """``{"joy": ..., ...}`` for JSON; rounded to ``digits`` when given."""
        vals = self.values()
        if digits is not None:
            vals = tuple(round(v, digits) for v in vals)
        return dict(zip(PLUTCHIK, vals, strict=True))

    @classmethod
    def from_mapping(cls, emotions: Mapping[str, float]) -> EmotionState:
        """From the model's JSON shape; missing emotions are 0, values are clamped to 0..1.

        Raises ``ValueError`` naming any unknown emotion.
        """
        unknown = sorted(set(emotions) - set(PLUTCHIK))
        if unknown:
            raise ValueError(f"Unknown emotion(s) {', '.join(unknown)}; allowed: {PLUTCHIK}.")
        return cls(*(clamp(float(emotions.get(name, 0.0))) for name in PLUTCHIK))


@dataclass(frozen=True, slots=True)
class EmotionImpulse(_Plutchik):
    """A signed nudge to each emotion (-1..1); positive raises, negative soothes."""


@dataclass(frozen=True, slots=True)
class RelationshipState:
    """How one character regards another (directed), as stored on ``Relationship``.

    strength (affinity) and trust are -1..1; familiarity and attraction are 0..1;
    ``kind`` is one of ``RELATIONSHIP_KINDS``.
    """

    strength: float = 0.0
    trust: float = 0.0
    familiarity: float = 0.0
    attraction: float = 0.0
    kind: str = STRANGER

    def __post_init__(self) -> None:
        _check_range("RelationshipState", "strength", self.strength, -1.0, 1.0)
        _check_range("RelationshipState", "trust", self.trust, -1.0, 1.0)
        _check_range("RelationshipState", "familiarity", self.familiarity, 0.0, 1.0)
        _check_range("RelationshipState", "attraction", self.attraction, 0.0, 1.0)
        if self.kind not in RELATIONSHIP_KINDS:
            raise ValueError(f"Unknown relationship kind {self.kind!r}; use {RELATIONSHIP_KINDS}.")


@dataclass(frozen=True, slots=True)
class CharacterRef:
    """Who someone is, for lines and causes that mention a third character."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class CharacterSnapshot:
    """Everything the engine needs to know about one character at one moment.

    ``social_energy`` is 0..1 (1 = fully rested). ``speaking_style`` is the author's free
    text; the dialogue engine picks up hint words in it ("formal", "terse", "shy", "witty",
    ...). ``secrets`` are things the character hides, best written in the first person.
    """

    id: str
    name: str
    personality: Personality = Personality()
    emotions: EmotionState = EmotionState()
    social_energy: float = 1.0
    speaking_style: str = ""
    secrets: tuple[str, ...] = ()

    @property
    def ref(self) -> CharacterRef:
        return CharacterRef(self.id, self.name)


@dataclass(frozen=True, slots=True)
class InteractionContext:
    """What the caller knows about the moment that the two characters alone do not say.

    - ``tick``: the world tick, used in causes ("... at tick 12").
    - ``subject`` / ``target_view_of_subject``: for gossip, the third character talked
      about, and (optionally) how the target regards them, so hearsay can shift it.
    - ``secret``: for share_secret, the secret told; else the initiator's first secret.
    - ``shared_history``: short phrases naming past shared events ("the picnic"), oldest
      first; lines may refer back to them.
    - ``lines_said``: lines already spoken in this conversation; no line is repeated.
      Pass a set for long conversations (membership is tested per candidate).
    - ``recent_conflict``: the two fought recently (argue, insult, betray, ... in the
      service's log), which is a rift to reconcile or a grievance to apologise for even
      when the numbers have recovered.
    """

    tick: int = 0
    subject: CharacterRef | None = None
    target_view_of_subject: RelationshipState | None = None
    secret: str | None = None
    shared_history: tuple[str, ...] = ()
    lines_said: frozenset[str] | set[str] | tuple[str, ...] = ()
    recent_conflict: bool = False
