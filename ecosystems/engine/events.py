"""The event contract, pure: the kinds of the event log and the payload each kind carries.

No Django here, so every reader of the log can import it: the story sifter
(``stories.engine``), the feed, replay and tests. The payloads are ``TypedDict``s: a logged
event's ``data`` is plain decoded JSON, and a reader casts it to its kind's type to read it
with names the type checker knows. Writers never build these dicts by hand: one keyword-only
builder per kind in ``ecosystems.events.builders`` makes every ``NewEvent``, and the JSON
schema of each kind (``ecosystems.events.schemas``) is derived from the types below, so the
three cannot drift apart.

The frame on the wire (DESIGN.md, "The event log is the spine") adds ``ecosystem_id`` to the
payload; the payload itself never carries it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, NotRequired, TypedDict


class EventKind(StrEnum):
    CHARACTER_INTERACTION = "character_interaction"
    LINE_VOICED = "line_voiced"
    RELATIONSHIP_CHANGED = "relationship_changed"
    EMOTION_CHANGED = "emotion_changed"
    GOAL_PROGRESS = "goal_progress"
    MEMORY_REFLECTION = "memory_reflection"
    MEMORY_CONSOLIDATED = "memory_consolidated"
    ALLIANCE_FORMED = "alliance_formed"
    ALLIANCE_BROKEN = "alliance_broken"
    STORY_DETECTED = "story_detected"
    STORY_UPDATED = "story_updated"
    SCENARIO_STARTED = "scenario_started"
    DIRECTOR_INTERVENTION = "director_intervention"
    ECOSYSTEM_STATUS = "ecosystem_status"
    TICK = "tick"
    GOSSIP_SPREAD = "gossip_spread"
    CONFLICT_ESCALATED = "conflict_escalated"
    CONVERSATION_GOAL_COMPLETED = "conversation_goal_completed"
    CONVERSATION_ARC_SWING = "conversation_arc_swing"
    SOCIAL_UPDATED = "social_updated"
    LORE_CHANGED = "lore_changed"


# --- shared parts ------------------------------------------------------------------------------


class Ref(TypedDict):
    """A character as an event names it: its id (a UUID as text) and its name then."""

    id: str
    name: str


class Participant(Ref):
    role: str  # "initiator" / "responder" in interactions; a story's own roles in stories


def ref(character_id: str, name: str) -> Ref:
    """The one way an event names a character."""
    return {"id": str(character_id), "name": name}


def ref_from(character_id: str, names: dict[str, str]) -> Ref:
    """``ref`` with the name looked up (empty when unknown: a character since deleted)."""
    return ref(character_id, names.get(str(character_id), ""))


class RelationshipDeltas(TypedDict):
    strength_delta: float
    trust_delta: float
    familiarity_delta: float
    attraction_delta: float


# --- the payload of each kind -----------------------------------------------------------------


class Standing(TypedDict):
    """How a character regards someone, on the two axes stories read (-1..1)."""

    strength: float
    trust: float


class ConversationTurn(TypedDict):
    """An interaction made by a person's words in a conversation (or a character's confidence
    there): which conversation, whose persona, and how the character regarded the persona
    before and after it, so stories can tell a character won over or turned cold by a talk."""

    id: str  # the conversation
    persona: Ref
    before: Standing  # the character's view of the persona before the turn
    after: Standing


class CharacterInteraction(TypedDict):
    interaction_id: str
    participants: list[Participant]  # initiator first, then responder
    interaction_type: str
    content: str
    response: str
    summary: str
    relationship_change: RelationshipDeltas  # initiator -> target
    response_relationship_change: RelationshipDeltas  # target -> initiator
    emotional_states: dict[str, dict[str, float]]  # character id -> emotions after (strong ones)
    conversation: NotRequired[ConversationTurn]  # only for turns of a conversation


class LineVoiced(TypedDict):
    """A logged interaction's lines, said again by a model server after the tick committed."""

    interaction_id: str
    participants: list[Participant]
    interaction_type: str
    content: str
    response: str
    previous_content: str  # the template engine's lines, as first logged
    previous_response: str


class RelationshipChanged(RelationshipDeltas):
    source: Ref
    target: Ref
    kind: str
    previous_kind: str
    strength: float
    trust: float
    familiarity: float
    attraction: float
    cause: str


class EmotionChanged(TypedDict):
    character: Ref
    dominant: str
    intensity: float
    previous_dominant: str
    cause: str


class GoalProgress(TypedDict):
    character: Ref
    character_id: str
    goal_key: str
    description: str
    kind: Literal["created", "progress", "setback", "completed", "expired"]
    intent: str
    target_id: str | None
    progress_before: float
    progress_after: float
    text: str


class Insight(TypedDict):
    memory_id: str
    content: str
    importance: int
    about: str | None
    tone: str
    evidence_ids: list[str]


class MemoryReflection(TypedDict):
    character: Ref
    importance_spent: int
    insights: list[Insight]
    evidence_ids: list[str]


class MemoryConsolidated(TypedDict):
    character: Ref
    consolidation_id: str
    memory_count: int
    summary: str
    drift: dict[str, float]
    personality: dict[str, float]


class AllianceChange(TypedDict):
    """``alliance_formed`` and ``alliance_broken``."""

    alliance_id: str
    name: str
    members: list[Ref]
    reason: str


class StoryChange(TypedDict):
    """``story_detected`` and ``story_updated``."""

    story_id: str
    title: str
    genre: str
    status: str
    tension: float
    summary: str
    participants: list[Participant]
    predictions: list[str]
    changed: list[str]
    beat: str | None


class Objectives(TypedDict):
    primary: str
    subplots: list[str]
    hidden_count: int  # hidden objectives are never announced, only counted


class ScenarioStarted(TypedDict):
    scenario_id: str
    title: str
    setting: str
    mood: str
    characters: list[Ref]
    objectives: Objectives


class DirectorIntervention(TypedDict):
    kind: str  # an intervention kind ("whisper", "meet", ...) or "scene"
    text: str
    reason: str
    source: str  # "user" or "drama_manager"
    characters: list[Ref]


class EcosystemStatus(TypedDict):
    status: str


class Tick(TypedDict):
    tick: int
    world_clock: str
    scenes: int
    interactions: int
    resting: int
    idle: int
    memories: int
    learned: int
    alliance_changes: int
    goal_events: int
    voicing: NotRequired[int]  # lines left for model servers to voice after commit


class GossipSpread(TypedDict):
    teller: Ref
    listener: Ref
    subject: Ref | None
    fact: str
    text: str


class ConflictEscalated(TypedDict):
    change: str
    initiator: Ref
    target: Ref
    rung_before: int
    rung_after: int
    text: str


class ConversationGoalCompleted(TypedDict):
    """A person reached the goal they set for a conversation ("find out who has the locket")."""

    conversation_id: str
    persona: Ref
    characters: list[Ref]
    goal: str
    text: str
    # The goal as read (``characters.engine.talk.TalkGoal``): "relationship" with its axis
    # ("trust" for "win Bob's trust"), "knowledge" or "emotion" (axis "").
    goal_kind: NotRequired[str]
    axis: NotRequired[str]


class ConversationArcSwing(TypedDict):
    """A character's feeling in a conversation swung sharply in one turn (stories read it)."""

    conversation_id: str
    persona: Ref
    character: Ref
    swing: float  # 0..1, how far the turn moved the character's sentiment and emotions
    sentiment_before: float
    sentiment_after: float
    dominant_before: str
    dominant_after: str
    text: str


class SocialUpdated(TypedDict):
    """A new snapshot of the world's social analytics (``stories.society``): pages re-read it."""

    snapshot_id: str
    tick: int
    communities: int
    headline: str  # the first finding, or "" when there is nothing to say yet


class LoreChanged(TypedDict):
    """An entry of the world's lore was written, proposed by a visitor, approved or rejected
    (``ecosystems.services.lore``). The title only: a secret entry's words stay out of the log."""

    entry_id: str
    title: str
    change: Literal["created", "proposed", "approved", "rejected"]
    visibility: str  # "public", "group" or "secret"
    group: str  # for group lore: whose it is; "" otherwise
    tags: list[str]


PAYLOADS: dict[EventKind, type] = {
    EventKind.CHARACTER_INTERACTION: CharacterInteraction,
    EventKind.LINE_VOICED: LineVoiced,
    EventKind.RELATIONSHIP_CHANGED: RelationshipChanged,
    EventKind.EMOTION_CHANGED: EmotionChanged,
    EventKind.GOAL_PROGRESS: GoalProgress,
    EventKind.MEMORY_REFLECTION: MemoryReflection,
    EventKind.MEMORY_CONSOLIDATED: MemoryConsolidated,
    EventKind.ALLIANCE_FORMED: AllianceChange,
    EventKind.ALLIANCE_BROKEN: AllianceChange,
    EventKind.STORY_DETECTED: StoryChange,
    EventKind.STORY_UPDATED: StoryChange,
    EventKind.SCENARIO_STARTED: ScenarioStarted,
    EventKind.DIRECTOR_INTERVENTION: DirectorIntervention,
    EventKind.ECOSYSTEM_STATUS: EcosystemStatus,
    EventKind.TICK: Tick,
    EventKind.GOSSIP_SPREAD: GossipSpread,
    EventKind.CONFLICT_ESCALATED: ConflictEscalated,
    EventKind.CONVERSATION_GOAL_COMPLETED: ConversationGoalCompleted,
    EventKind.CONVERSATION_ARC_SWING: ConversationArcSwing,
    EventKind.SOCIAL_UPDATED: SocialUpdated,
    EventKind.LORE_CHANGED: LoreChanged,
}
