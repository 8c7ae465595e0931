"""One keyword-only builder per event kind: the only way to make a ``NewEvent``.

Every path that does the same act (an API interaction, a tick, the Director, a conversation,
a game) calls the same builder, so the same act logs the same payload, and the payload's shape
is the type of its kind in ``ecosystems.engine.events`` (checked against the schema derived
from it in ``schemas``). Characters are named with ``ref``/``ref_from`` only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ecosystems.engine.events import (
    AllianceChange,
    CharacterInteraction,
    ConflictEscalated,
    ConversationArcSwing,
    ConversationGoalCompleted,
    ConversationTurn,
    DirectorIntervention,
    EcosystemStatus,
    EmotionChanged,
    EventKind,
    GoalProgress,
    GossipSpread,
    Insight,
    LineVoiced,
    LoreChanged,
    MemoryConsolidated,
    MemoryReflection,
    Objectives,
    Participant,
    Ref,
    RelationshipChanged,
    RelationshipDeltas,
    ScenarioStarted,
    SocialUpdated,
    StoryChange,
    Tick,
)
from ecosystems.events import NewEvent

__all__ = [
    "alliance_broken",
    "alliance_formed",
    "character_interaction",
    "conflict_escalated",
    "conversation_arc_swing",
    "conversation_goal_completed",
    "director_intervention",
    "ecosystem_status",
    "emotion_changed",
    "goal_progress",
    "gossip_spread",
    "line_voiced",
    "lore_changed",
    "memory_consolidated",
    "memory_reflection",
    "relationship_changed",
    "scenario_started",
    "social_updated",
    "story_detected",
    "story_updated",
    "tick",
]


def _pair(initiator: Ref, responder: Ref) -> list[Participant]:
    return [
        {"id": initiator["id"], "name": initiator["name"], "role": "initiator"},
        {"id": responder["id"], "name": responder["name"], "role": "responder"},
    ]


def character_interaction(
    *,
    interaction_id: str,
    initiator: Ref,
    responder: Ref,
    interaction_type: str,
    content: str,
    response: str,
    summary: str,
    relationship_change: RelationshipDeltas,
    response_relationship_change: RelationshipDeltas,
    emotional_states: Mapping[str, Mapping[str, float]],
    conversation: ConversationTurn | None = None,
) -> NewEvent:
    """``conversation``: set for the turns of a conversation (see ``ConversationTurn``)."""
    data: CharacterInteraction = {
        "interaction_id": str(interaction_id),
        "participants": _pair(initiator, responder),
        "interaction_type": interaction_type,
        "content": content,
        "response": response,
        "summary": summary,
        "relationship_change": relationship_change,
        "response_relationship_change": response_relationship_change,
        "emotional_states": {cid: dict(state) for cid, state in emotional_states.items()},
    }
    if conversation is not None:
        data["conversation"] = conversation
    return NewEvent(EventKind.CHARACTER_INTERACTION, dict(data))


def line_voiced(
    *,
    interaction_id: str,
    initiator: Ref,
    responder: Ref,
    interaction_type: str,
    content: str,
    response: str,
    previous_content: str,
    previous_response: str,
) -> NewEvent:
    data: LineVoiced = {
        "interaction_id": str(interaction_id),
        "participants": _pair(initiator, responder),
        "interaction_type": interaction_type,
        "content": content,
        "response": response,
        "previous_content": previous_content,
        "previous_response": previous_response,
    }
    return NewEvent(EventKind.LINE_VOICED, dict(data))


def relationship_changed(
    *,
    source: Ref,
    target: Ref,
    kind: str,
    previous_kind: str,
    strength: float,
    trust: float,
    familiarity: float,
    attraction: float,
    deltas: RelationshipDeltas,
    cause: str,
) -> NewEvent:
    data: RelationshipChanged = {
        "source": source,
        "target": target,
        "kind": kind,
        "previous_kind": previous_kind,
        "strength": round(strength, 4),
        "trust": round(trust, 4),
        "familiarity": round(familiarity, 4),
        "attraction": round(attraction, 4),
        "strength_delta": deltas["strength_delta"],
        "trust_delta": deltas["trust_delta"],
        "familiarity_delta": deltas["familiarity_delta"],
        "attraction_delta": deltas["attraction_delta"],
        "cause": cause,
    }
    return NewEvent(EventKind.RELATIONSHIP_CHANGED, dict(data))


def emotion_changed(
    *, character: Ref, dominant: str, intensity: float, previous_dominant: str, cause: str
) -> NewEvent:
    data: EmotionChanged = {
        "character": character,
        "dominant": dominant,
        "intensity": round(intensity, 3),
        "previous_dominant": previous_dominant,
        "cause": cause,
    }
    return NewEvent(EventKind.EMOTION_CHANGED, dict(data))


def goal_progress(
    *,
    character: Ref,
    goal_key: str,
    description: str,
    kind: str,
    intent: str,
    target_id: str | None,
    progress_before: float,
    progress_after: float,
    text: str,
) -> NewEvent:
    data: GoalProgress = {
        "character": character,
        "character_id": character["id"],
        "goal_key": goal_key,
        "description": description,
        "kind": kind,  # type: ignore[typeddict-item]  # checked by the schema's enum
        "intent": intent,
        "target_id": target_id,
        "progress_before": round(progress_before, 4),
        "progress_after": round(progress_after, 4),
        "text": text,
    }
    return NewEvent(EventKind.GOAL_PROGRESS, dict(data))


def memory_reflection(
    *,
    character: Ref,
    importance_spent: int,
    insights: Sequence[Insight],
) -> NewEvent:
    data: MemoryReflection = {
        "character": character,
        "importance_spent": importance_spent,
        "insights": list(insights),
        "evidence_ids": sorted({mid for insight in insights for mid in insight["evidence_ids"]}),
    }
    return NewEvent(EventKind.MEMORY_REFLECTION, dict(data))


def memory_consolidated(
    *,
    character: Ref,
    consolidation_id: str,
    memory_count: int,
    summary: str,
    drift: Mapping[str, float],
    personality: Mapping[str, float],
) -> NewEvent:
    data: MemoryConsolidated = {
        "character": character,
        "consolidation_id": str(consolidation_id),
        "memory_count": memory_count,
        "summary": summary,
        "drift": dict(drift),
        "personality": {trait: round(value, 4) for trait, value in personality.items()},
    }
    return NewEvent(EventKind.MEMORY_CONSOLIDATED, dict(data))


def _alliance(alliance_id: str, name: str, members: Sequence[Ref], reason: str) -> dict:
    data: AllianceChange = {
        "alliance_id": str(alliance_id),
        "name": name,
        "members": list(members),
        "reason": reason,
    }
    return dict(data)


def alliance_formed(
    *, alliance_id: str, name: str, members: Sequence[Ref], reason: str
) -> NewEvent:
    return NewEvent(EventKind.ALLIANCE_FORMED, _alliance(alliance_id, name, members, reason))


def alliance_broken(
    *, alliance_id: str, name: str, members: Sequence[Ref], reason: str
) -> NewEvent:
    return NewEvent(EventKind.ALLIANCE_BROKEN, _alliance(alliance_id, name, members, reason))


def _story(
    story_id: str,
    title: str,
    genre: str,
    status: str,
    tension: float,
    summary: str,
    participants: Sequence[Participant],
    predictions: Sequence[str],
    changed: Sequence[str],
    beat: str | None,
) -> dict:
    data: StoryChange = {
        "story_id": str(story_id),
        "title": title,
        "genre": genre,
        "status": status,
        "tension": round(tension, 3),
        "summary": summary,
        "participants": list(participants),
        "predictions": list(predictions),
        "changed": sorted(changed),
        "beat": beat,
    }
    return dict(data)


def story_detected(
    *,
    story_id: str,
    title: str,
    genre: str,
    status: str,
    tension: float,
    summary: str,
    participants: Sequence[Participant],
    predictions: Sequence[str],
    changed: Sequence[str],
    beat: str | None,
) -> NewEvent:
    return NewEvent(EventKind.STORY_DETECTED, _story(
        story_id, title, genre, status, tension, summary, participants, predictions, changed, beat
    ))  # fmt: skip


def story_updated(
    *,
    story_id: str,
    title: str,
    genre: str,
    status: str,
    tension: float,
    summary: str,
    participants: Sequence[Participant],
    predictions: Sequence[str],
    changed: Sequence[str],
    beat: str | None,
) -> NewEvent:
    return NewEvent(EventKind.STORY_UPDATED, _story(
        story_id, title, genre, status, tension, summary, participants, predictions, changed, beat
    ))  # fmt: skip


def scenario_started(
    *,
    scenario_id: str,
    title: str,
    setting: str,
    mood: str,
    characters: Sequence[Ref],
    primary: str,
    subplots: Sequence[str],
    hidden_count: int,
) -> NewEvent:
    objectives: Objectives = {
        "primary": primary,
        "subplots": list(subplots),
        "hidden_count": hidden_count,
    }
    data: ScenarioStarted = {
        "scenario_id": str(scenario_id),
        "title": title,
        "setting": setting,
        "mood": mood,
        "characters": list(characters),
        "objectives": objectives,
    }
    return NewEvent(EventKind.SCENARIO_STARTED, dict(data))


def director_intervention(
    *, kind: str, text: str, reason: str, source: str, characters: Sequence[Ref]
) -> NewEvent:
    data: DirectorIntervention = {
        "kind": kind,
        "text": text,
        "reason": reason,
        "source": source,
        "characters": list(characters),
    }
    return NewEvent(EventKind.DIRECTOR_INTERVENTION, dict(data))


def ecosystem_status(*, status: str) -> NewEvent:
    data: EcosystemStatus = {"status": str(status)}
    return NewEvent(EventKind.ECOSYSTEM_STATUS, dict(data))


def tick(
    *,
    tick: int,
    world_clock: str,
    scenes: int,
    interactions: int,
    resting: int,
    idle: int,
    memories: int,
    learned: int,
    alliance_changes: int,
    goal_events: int,
    voicing: int = 0,
) -> NewEvent:
    data: Tick = {
        "tick": tick,
        "world_clock": world_clock,
        "scenes": scenes,
        "interactions": interactions,
        "resting": resting,
        "idle": idle,
        "memories": memories,
        "learned": learned,
        "alliance_changes": alliance_changes,
        "goal_events": goal_events,
    }
    if voicing:
        data["voicing"] = voicing
    return NewEvent(EventKind.TICK, dict(data))


def gossip_spread(
    *, teller: Ref, listener: Ref, subject: Ref | None, fact: str, text: str
) -> NewEvent:
    data: GossipSpread = {
        "teller": teller,
        "listener": listener,
        "subject": subject,
        "fact": fact,
        "text": text,
    }
    return NewEvent(EventKind.GOSSIP_SPREAD, dict(data))


def conflict_escalated(
    *, change: str, initiator: Ref, target: Ref, rung_before: int, rung_after: int, text: str
) -> NewEvent:
    data: ConflictEscalated = {
        "change": change,
        "initiator": initiator,
        "target": target,
        "rung_before": rung_before,
        "rung_after": rung_after,
        "text": text,
    }
    return NewEvent(EventKind.CONFLICT_ESCALATED, dict(data))


def conversation_goal_completed(
    *,
    conversation_id: str,
    persona: Ref,
    characters: Sequence[Ref],
    goal: str,
    text: str,
    goal_kind: str = "",
    axis: str = "",
) -> NewEvent:
    data: ConversationGoalCompleted = {
        "conversation_id": str(conversation_id),
        "persona": persona,
        "characters": list(characters),
        "goal": goal,
        "text": text,
    }
    if goal_kind:
        data["goal_kind"], data["axis"] = goal_kind, axis
    return NewEvent(EventKind.CONVERSATION_GOAL_COMPLETED, dict(data))


def conversation_arc_swing(
    *,
    conversation_id: str,
    persona: Ref,
    character: Ref,
    swing: float,
    sentiment_before: float,
    sentiment_after: float,
    dominant_before: str,
    dominant_after: str,
    text: str,
) -> NewEvent:
    data: ConversationArcSwing = {
        "conversation_id": str(conversation_id),
        "persona": persona,
        "character": character,
        "swing": round(float(swing), 4),
        "sentiment_before": round(float(sentiment_before), 4),
        "sentiment_after": round(float(sentiment_after), 4),
        "dominant_before": dominant_before,
        "dominant_after": dominant_after,
        "text": text,
    }
    return NewEvent(EventKind.CONVERSATION_ARC_SWING, dict(data))


def social_updated(*, snapshot_id: str, tick: int, communities: int, headline: str) -> NewEvent:
    data: SocialUpdated = {
        "snapshot_id": str(snapshot_id),
        "tick": tick,
        "communities": communities,
        "headline": headline,
    }
    return NewEvent(EventKind.SOCIAL_UPDATED, dict(data))


def lore_changed(
    *, entry_id: str, title: str, change: str, visibility: str, group: str, tags: Sequence[str]
) -> NewEvent:
    data: LoreChanged = {
        "entry_id": str(entry_id),
        "title": title,
        "change": change,  # type: ignore[typeddict-item]
        "visibility": visibility,
        "group": group,
        "tags": list(tags),
    }
    return NewEvent(EventKind.LORE_CHANGED, dict(data))
