"""A mapper, not a service: turns an engine outcome into rows and events, shared by
``interaction_process`` (one interaction) and the tick (thousands, saved in bulk). Nothing
here queries or writes the database; the services that call it save what it returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from characters.engine.emotions import dominant
from characters.engine.interaction import InteractionOutcome
from characters.engine.interactions import CATALOGUE
from characters.engine.relationships import RelationshipChange as EngineChange
from characters.engine.relationships import RelationshipUpdate
from characters.engine.types import (
    CharacterSnapshot,
    EmotionState,
    Personality,
    RelationshipState,
)
from characters.models import Memory
from ecosystems.engine.events import ConversationTurn, ref_from
from ecosystems.events import NewEvent, builders
from ecosystems.models import Ecosystem, Interaction, Relationship, RelationshipChange

EMOTION_EVENT_FLOOR = 0.05  # emotions weaker than this are left out of frames
CHANGE_LOG_MIN_DELTA = 0.002  # a two-thousandth of an axis: below it a move explains nothing
NOTABLE_RELATIONSHIP_DELTA = 0.05  # a twentieth of the affinity/trust range in one exchange
RELATIONSHIP_STATE = ["strength", "trust", "familiarity", "attraction", "kind", "updated_at"]

# How a past exchange is named when a character refers back to it. The dialogue bank says
# "Just like at {history}!", "Remember {history}?", "I haven't forgotten {history}.", so these
# name occasions, and a time is added: "the quarrel yesterday".
HISTORY_OCCASIONS = {
    "joke": "the joking",
    "confide": "our heart-to-heart",
    "help": "the favour",
    "gift": "the gift",
    "flirt": "our stroll",
    "apologise": "the apology",
    "argue": "the quarrel",
    "insult": "the insult",
    "threaten": "the threat",
    "betray": "the betrayal",
    "share_secret": "the secret-telling",
    "reconcile": "the making-up",
}


def snapshot(character: Any) -> CharacterSnapshot:
    """The engine's view of a character: a ``Character`` or anything with its attributes (the
    tick's light ``CharacterRow``)."""
    goals = [*character.long_term_goals, *character.short_term_goals]
    return CharacterSnapshot(
        id=str(character.pk),
        name=character.name,
        personality=Personality.from_traits(character.big_five, character.values, goals),
        emotions=EmotionState.from_mapping(character.emotions),
        social_energy=character.social_energy,
        speaking_style=character.speaking_style,
        secrets=tuple(character.secrets),
    )


def relationship_state(relationship: Relationship) -> RelationshipState:
    return RelationshipState(
        strength=relationship.strength,
        trust=relationship.trust,
        familiarity=relationship.familiarity,
        attraction=relationship.attraction,
        kind=relationship.kind,
    )


def history_phrases(world: Ecosystem, recent: list[Interaction]) -> list[str]:
    """Name memorable earlier exchanges, oldest first: "the quarrel yesterday"."""
    phrases = []
    today = world.world_clock.date()
    for past in reversed(recent):
        occasion = HISTORY_OCCASIONS.get(past.interaction_type)
        if occasion is None or past.tick >= world.current_tick:
            continue
        day = (world.world_start + dt.timedelta(minutes=world.minutes_per_tick * past.tick)).date()
        days_ago = (today - day).days
        when = (
            "earlier today"
            if days_ago == 0
            else "yesterday"
            if days_ago == 1
            else (f"on {day:%A}" if days_ago < 7 else f"back in {day:%B}")
        )
        phrases.append(f"{occasion} {when}")
    return phrases


def relationship_key(item: Any) -> tuple[UUID, UUID]:
    """(source, target) primary keys of an engine update or change (ids are strings there)."""
    return UUID(item.source_id), UUID(item.target_id)


def apply_update(relationship: Relationship, update: RelationshipUpdate) -> Relationship:
    after = update.after
    relationship.strength = after.strength
    relationship.trust = after.trust
    relationship.familiarity = after.familiarity
    relationship.attraction = after.attraction
    relationship.kind = after.kind
    return relationship


def relationship_notable(update: RelationshipUpdate) -> bool:
    """Worth a relationship_changed event of its own: the kind changed, or affinity or trust
    jumped. Every small move is already in the character_interaction frame's deltas."""
    before, after = update.before, update.after
    return (
        before.kind != after.kind
        or abs(after.strength - before.strength) >= NOTABLE_RELATIONSHIP_DELTA
        or abs(after.trust - before.trust) >= NOTABLE_RELATIONSHIP_DELTA
    )


def relationship_deltas(outcome: InteractionOutcome) -> dict[str, dict[str, float]]:
    assert outcome.initiator_view and outcome.target_view  # ok outcomes carry both views
    return {
        "initiator_to_target": outcome.initiator_view.deltas(),
        "target_to_initiator": outcome.target_view.deltas(),
    }


def relationship_updates(outcome: InteractionOutcome) -> list[RelationshipUpdate]:
    views = (outcome.initiator_view, outcome.target_view, outcome.subject_view)
    return [u for u in views if u]


def interaction_row(
    *,
    world: Ecosystem,
    outcome: InteractionOutcome,
    response: str,
    context: dict[str, Any],
    content: str | None = None,
) -> Interaction:
    """The unsaved Interaction of an outcome."""
    shifts = [s for s in (outcome.initiator_emotions, outcome.target_emotions) if s]
    return Interaction(
        ecosystem=world,
        initiator_id=UUID(outcome.initiator_id),
        target_id=UUID(outcome.target_id),
        interaction_type=outcome.kind,
        content=outcome.content if content is None else content,
        response=response,
        context=context,
        relationship_change=relationship_deltas(outcome),
        emotional_impact={s.character_id: s.deltas() for s in shifts},
        tick=outcome.tick,
    )


def logged_changes(outcome: InteractionOutcome) -> list[EngineChange]:
    """The axis moves worth a change-log row: familiarity, which grows a little at every
    meeting, explains no rivalry and is left out, as are moves below ``CHANGE_LOG_MIN_DELTA``."""
    return [
        change
        for change in outcome.changes
        if change.axis != "familiarity"
        and abs(change.after - change.before) >= CHANGE_LOG_MIN_DELTA
    ]


def change_rows(
    *,
    outcome: InteractionOutcome,
    interaction: Interaction,
    relationship_ids: dict[tuple[str, str], UUID | str],
) -> list[RelationshipChange]:
    """The change log of an outcome (see ``logged_changes``), with readable causes.
    ``relationship_ids`` maps (source id, target id), as strings, to the relationship's id."""
    return [
        RelationshipChange(
            relationship_id=relationship_ids[change.source_id, change.target_id],
            interaction=interaction,
            axis=change.axis,
            before=change.before,
            after=change.after,
            cause=change.cause[:300],
            tick=change.tick,
        )
        for change in logged_changes(outcome)
    ]


def told(kind: str, *, by: str, to: str, about: str | None) -> str:
    """The catalogue's verb from one side: "I greeted Bob", "Alice confided in me"."""
    return CATALOGUE[kind].verb.format(a=by, b=to, s=about or "someone")


def dialogue_memory_texts(
    *, outcome: InteractionOutcome, names: dict[str, str], response: str, content: str | None = None
) -> list[tuple[str, str]]:
    """(character id, memory text): a dialogue memory for each side, in its own words."""
    me, them = names[outcome.initiator_id], names[outcome.target_id]
    about = None
    if outcome.subject_view is not None:
        about = names.get(outcome.subject_view.target_id)
    exchange = f'"{outcome.content if content is None else content}" / "{response}"'
    return [
        (outcome.initiator_id, f"{told(outcome.kind, by='I', to=them, about=about)}: {exchange}"),
        (outcome.target_id, f"{told(outcome.kind, by=me, to='me', about=about)}: {exchange}"),
    ]


def dialogue_memory_rows(
    *, outcome: InteractionOutcome, names: dict[str, str], response: str, content: str | None = None
) -> list[Memory]:
    """The unsaved dialogue memories of an outcome (see ``dialogue_memory_texts``)."""
    return [
        Memory(
            character_id=UUID(character_id),
            content=text,
            kind=Memory.Kind.DIALOGUE,
            importance=outcome.importance,
            tick=outcome.tick,
        )
        for character_id, text in dialogue_memory_texts(
            outcome=outcome, names=names, response=response, content=content
        )
    ]


def outcome_events(
    *,
    outcome: InteractionOutcome,
    names: dict[str, str],
    response: str,
    interaction_id: UUID,
    content: str | None = None,
    conversation: Mapping[str, Any] | None = None,
) -> list[NewEvent]:
    """character_interaction, relationship_changed per direction moved, and emotion_changed
    when a character's dominant emotion changed: the frames of DESIGN.md. ``conversation``
    (``{"id", "persona_id"}``): the interaction is a turn of that conversation, said in the
    interaction event with how the character regards the persona (``ConversationTurn``)."""
    shifts = [s for s in (outcome.initiator_emotions, outcome.target_emotions) if s]
    turn = _conversation_turn(outcome, names, conversation) if conversation else None
    return [
        _interaction_event(outcome, names, response, interaction_id, content, shifts, turn),
        *_relationship_events(outcome, names),
        *_emotion_events(outcome, names, shifts),
    ]


def _interaction_event(
    outcome: InteractionOutcome,
    names: dict[str, str],
    response: str,
    interaction_id: UUID,
    content: str | None,
    shifts: list[Any],
    turn: ConversationTurn | None = None,
) -> NewEvent:
    deltas = relationship_deltas(outcome)
    return builders.character_interaction(
        interaction_id=str(interaction_id),
        initiator=ref_from(outcome.initiator_id, names),
        responder=ref_from(outcome.target_id, names),
        interaction_type=outcome.kind,
        content=outcome.content if content is None else content,
        response=response,
        summary=outcome.summary,
        relationship_change=deltas["initiator_to_target"],  # type: ignore[arg-type]
        response_relationship_change=deltas["target_to_initiator"],  # type: ignore[arg-type]
        emotional_states={
            s.character_id: {
                k: round(v, 2) for k, v in s.after.as_dict().items() if v >= EMOTION_EVENT_FLOOR
            }
            for s in shifts
        },
        conversation=turn,
    )


def _conversation_turn(
    outcome: InteractionOutcome, names: dict[str, str], conversation: Mapping[str, Any]
) -> ConversationTurn | None:
    """The turn's conversation and the character's standing toward the persona around it
    (``None`` when the persona is neither side of the interaction)."""
    persona_id = str(conversation.get("persona_id") or "")
    for view in (outcome.initiator_view, outcome.target_view):
        if view is not None and view.target_id == persona_id and view.source_id != persona_id:
            before, after = view.before, view.after
            return {
                "id": str(conversation.get("id") or ""),
                "persona": ref_from(persona_id, names),
                "before": {"strength": round(before.strength, 4), "trust": round(before.trust, 4)},
                "after": {"strength": round(after.strength, 4), "trust": round(after.trust, 4)},
            }
    return None


def _relationship_events(outcome: InteractionOutcome, names: dict[str, str]) -> list[NewEvent]:
    """relationship_changed for each direction that moved enough to tell."""
    return [
        builders.relationship_changed(
            source=ref_from(update.source_id, names),
            target=ref_from(update.target_id, names),
            kind=update.after.kind,
            previous_kind=update.before.kind,
            strength=update.after.strength,
            trust=update.after.trust,
            familiarity=update.after.familiarity,
            attraction=update.after.attraction,
            deltas=update.deltas(),  # type: ignore[arg-type]
            cause=outcome.summary,
        )
        for update in relationship_updates(outcome)
        if relationship_notable(update)
    ]


def _emotion_events(
    outcome: InteractionOutcome, names: dict[str, str], shifts: list[Any]
) -> list[NewEvent]:
    """emotion_changed for each character whose dominant emotion changed."""
    events = []
    for shift in shifts:
        before, after = dominant(shift.before), dominant(shift.after)
        if before.name != after.name:
            events.append(
                builders.emotion_changed(
                    character=ref_from(shift.character_id, names),
                    dominant=after.name,
                    intensity=after.intensity,
                    previous_dominant=before.name,
                    cause=outcome.summary,
                )
            )
    return events
