"""``interaction_process``: one character does something to another, and it matters.

Validate, lock, run the pure engine, realise the lines (LLM provider chain when configured,
the template engine otherwise), then save the interaction, both directions of the
relationship with their change log, both characters' feelings and energy, a memory for each,
and the events, all in one transaction; the frames go out after commit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q

from billing.limits import plan_within_check
from characters.embeddings import embed_texts, embeddings_remote, intent_prototypes
from characters.engine.intent import Intent, read_intent
from characters.engine.interaction import InteractionOutcome, landing_kind, resolve_interaction
from characters.engine.interactions import CATALOGUE
from characters.engine.memory import REFLECTION_IMPORTANCE_BUDGET as BUDGET
from characters.engine.types import (
    CharacterRef,
    InteractionContext,
)
from characters.llm.prompts import DialogueRequest, RelationshipSummary, TalkContext
from characters.llm.providers import Provider
from characters.llm.sampling import Sampling, sampling_for_closeness, sampling_for_personality
from characters.llm.services import dialogue_generate
from characters.models import Character, Memory
from characters.selectors import memories_retrieve
from characters.services import character_felt
from core.errors import InvalidInput, NotFeasible
from ecosystems.engine.groups import TELLING_KINDS
from ecosystems.engine.lore import LoreFact, citation, lore_to_cite, with_citation
from ecosystems.events import publish
from ecosystems.hooks import after_events_run
from ecosystems.models import Ecosystem, Event, Interaction, Relationship, RelationshipChange
from ecosystems.queues import tick_queue_for
from ecosystems.records import (
    RELATIONSHIP_STATE,
    apply_update,
    change_rows,
    dialogue_memory_rows,
    history_phrases,
    interaction_row,
    outcome_events,
    relationship_key,
    relationship_state,
    relationship_updates,
    snapshot,
)
from ecosystems.selectors import lore_known_by, providers_for_world
from ecosystems.services.hearsay import hearsay_pass

MAX_CONTENT_CHARS = 2000
CONVERSATION_WINDOW = 12  # recent exchanges of a pair that count as "this conversation"
CONFLICT_MEMORY_TICKS = 48  # a fight this recent is still a rift to mend (8 h at 10 min/tick)


@dataclass(frozen=True)
class InteractionResult:
    """What one interaction did, for callers (API, shell, ticks)."""

    interaction: Interaction
    response: str
    relationship_change: dict[str, dict[str, float]]  # "initiator_to_target"/"target_to_..."
    emotional_impact: dict[str, dict[str, float]]  # character id -> emotion deltas
    energy_cost: dict[str, float]  # character id -> social energy spent
    events: list[Event] = field(default_factory=list)
    memories: list[Memory] = field(default_factory=list)
    dialogue_source: str = "template"  # "template", "llm" or "cache"
    felt_valence: float = 0.0  # how the act landed on the target, -1..1
    response_tone: str = ""  # the tone the target replied in ("warm", "cold", ...)
    # The rows as saved, for a caller that goes on with them without reading them back: both
    # characters (feelings, energy) by id, the relationships by (source id, target id).
    characters: dict[Any, Character] = field(default_factory=dict)
    relationships: dict[tuple[Any, Any], Relationship] = field(default_factory=dict)


def interaction_process(
    *,
    initiator: Character,
    target: Character,
    interaction_type: str,
    content: str = "",
    context: dict[str, Any] | None = None,
    plan_checked: bool = False,
    providers: list[Provider] | None = None,
    talk: TalkContext | None = None,
    queue: str | None = None,
) -> InteractionResult:
    """Make ``initiator`` do ``interaction_type`` to ``target``; raise a ``DomainError`` that
    says what to change when it cannot happen.

    ``content`` is the initiator's line (written by a user); empty lets the dialogue engine
    write it. Content is read for intent (``characters.engine.intent``) and the act lands as
    the words say when they disagree with ``interaction_type`` and that act is possible: the
    saved interaction, relationships, feelings, events and reply are the threat's when a
    threat was sent as small talk. ``context`` may carry ``subject_id`` (gossip), ``secret``
    (share_secret), ``shared_history`` (phrases like "the picnic") and ``conversation``
    (``{"id", "persona_id"}``: a turn of a conversation, told so in its event).

    ``PlanLimitReached`` while the world's owner holds more than their plan allows (after a
    downgrade), unless ``plan_checked``: the Director checks once per intervention, and the
    meetings the drama manager causes are the world's own life, which a limit never stops.

    ``providers``: the world's chain when the caller has read it already (``None``: read
    here). ``talk``: the initiator is a person talking in a conversation (who they are, what
    was said before, what the words were read as), for the model's prompt of the reply.
    ``queue`` is the Celery queue of the follow-ups when the caller already knows it (it read
    the owner's plan); it is looked up after commit otherwise.
    """
    context = context or {}
    _validate(initiator, target, interaction_type, content, context)
    heard = _read_content(content, initiator, target, context)
    # A model voices the act the words make (a threat sent as small talk is answered as one).
    voiced_kind = landing_kind(interaction_type, heard) if heard else interaction_type
    if providers is None:
        providers = providers_for_world(ecosystem_id=initiator.ecosystem_id)
    lines = (
        _llm_lines(initiator, target, voiced_kind, content, providers, talk) if providers else None
    )
    with transaction.atomic():
        world = Ecosystem.objects.select_for_update().get(pk=initiator.ecosystem_id)
        if world.status == Ecosystem.Status.ARCHIVED:
            raise InvalidInput(f"World {world.name!r} is archived; unarchive it to interact.")
        if not plan_checked:
            plan_within_check(owner=world.owner)
        people = {
            c.pk: c
            for c in Character.objects.select_for_update().filter(
                pk__in=[initiator.pk, target.pk, *_subject_ids(context)]
            )
        }
        me, them = people[initiator.pk], people[target.pk]
        subject = people.get(_subject_ids(context)[0]) if _subject_ids(context) else None
        views = _relationships_locked(world, me, them, subject)
        recent = list(_recent_between(me, them))
        outcome = resolve_interaction(
            snapshot(me),
            snapshot(them),
            interaction_type,
            relationship_state(views[me.pk, them.pk]),
            relationship_state(views[them.pk, me.pk]),
            content or (lines[0] if lines else None),
            _engine_context(world, me, them, subject, views, recent, context),
            random.Random(f"{world.seed}:{world.last_event_seq}:{me.pk}:{them.pk}"),
            intent=heard,
        )
        if not outcome.ok:
            raise NotFeasible(outcome.feasibility.reason)
        response = lines[1] if lines else outcome.response
        if not lines:  # the template engine's reply cites lore; a model's speaks for itself
            heard_text = " ".join([content or outcome.content, str(context.get("topic") or "")])
            response = with_citation(response, _lore_to_cite(them, heard_text, recent))
        return _save(world, me, them, subject, views, outcome, response, context, lines, queue)


def _lore_to_cite(character: Character, heard: str, recent: list[Interaction]) -> LoreFact | None:
    """The known lore entry the words heard are about, unless this pair's recent exchanges
    already cited it (a character does not repeat the same legend every line)."""
    fact = lore_to_cite(lore_known_by(character=character), heard)
    if fact is None:
        return None
    line = citation(fact)
    return None if any(line in (i.response or "") for i in recent) else fact


def _read_content(
    content: str, initiator: Character, target: Character, context: dict[str, Any]
) -> Intent | None:
    """How the caller's words read (rules, plus WordLlama prototypes offline), outside the
    locks; the engine decides with it what the act was. The names it looks for are the
    people of the act, as the engine's own reading does (not every name in a big world)."""
    if not content:
        return None
    names = [target.name]
    if _subject_ids(context):
        names += Character.objects.filter(
            ecosystem_id=initiator.ecosystem_id, pk__in=_subject_ids(context)
        ).values_list("name", flat=True)
    return read_intent(content, names=names, prototypes=intent_prototypes())


def _follow_up(world: Ecosystem, due_reflection: list[Character], queue: str | None) -> None:
    """After commit: reflections whose budget is spent; embeddings when they are remote."""
    from ecosystems.tasks import memories_embed_missing_task, memory_reflect_task  # tasks import us

    def enqueue() -> None:
        # The world's plan's queue, as for its ticks (unless the caller knew it already).
        routed = queue or tick_queue_for(ecosystem=world)
        for character in due_reflection:
            memory_reflect_task.apply_async((str(character.pk),), queue=routed)
        if embeddings_remote():
            memories_embed_missing_task.apply_async((str(world.pk),), queue=routed)

    if due_reflection or embeddings_remote():
        transaction.on_commit(enqueue)
    # Stories are sifted from what this interaction logged, as after a tick (debounced there).
    transaction.on_commit(lambda: after_events_run(str(world.pk)))


def _validate(
    initiator: Character, target: Character, kind: str, content: str, context: dict[str, Any]
) -> None:
    if initiator.pk == target.pk:
        raise InvalidInput(f"{initiator.name} cannot interact with themself; pick another target.")
    if initiator.ecosystem_id != target.ecosystem_id:
        raise InvalidInput(
            f"{initiator.name} and {target.name} live in different worlds; both must be in one."
        )
    absent = [c.name for c in (initiator, target) if not c.is_active]
    if absent:
        raise InvalidInput(f"{' and '.join(absent)} is not present (inactive); activate first.")
    if kind not in CATALOGUE:
        raise InvalidInput(
            f"Unknown interaction type {kind!r}; choose one of: {', '.join(sorted(CATALOGUE))}."
        )
    if len(content) > MAX_CONTENT_CHARS:
        raise InvalidInput(
            f"Content is {len(content)} characters; the limit is {MAX_CONTENT_CHARS}."
        )
    if not isinstance(context, dict):
        raise InvalidInput('Context must be an object, e.g. {"subject_id": "<uuid>"}.')
    if context.get("subject_id"):
        try:
            subject_id = UUID(str(context["subject_id"]))
        except ValueError:
            raise InvalidInput("context.subject_id must be a character id (a UUID).") from None
        if subject_id in (initiator.pk, target.pk):
            raise InvalidInput("The subject of gossip must be a third character.")
        if not Character.objects.filter(
            pk=subject_id, ecosystem_id=initiator.ecosystem_id
        ).exists():
            raise InvalidInput("context.subject_id names no character of this world.")
    history = context.get("shared_history", [])
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise InvalidInput('shared_history must be a list of phrases, e.g. ["the picnic"].')


def _subject_ids(context: dict[str, Any]) -> list[UUID]:
    return [UUID(str(context["subject_id"]))] if context.get("subject_id") else []


def _relationships_locked(
    world: Ecosystem, me: Character, them: Character, subject: Character | None
) -> dict[tuple[Any, Any], Relationship]:
    """Both directions between the pair (created as strangers if new), plus the target's view
    of the gossip subject, locked for this transaction. One query when they all exist (a pair
    that talks again), three when one is new."""
    pairs = [(me.pk, them.pk), (them.pk, me.pk)]
    if subject is not None:
        pairs.append((them.pk, subject.pk))
    wanted = Q()
    for s, t in pairs:
        wanted |= Q(source_id=s, target_id=t)

    def lock() -> dict[tuple[Any, Any], Relationship]:
        rows = Relationship.objects.select_for_update().filter(wanted)
        return {(r.source_id, r.target_id): r for r in rows}

    locked = lock()
    missing = [pair for pair in pairs if pair not in locked]
    if missing:
        # ignore_conflicts: a concurrent interaction may create the same pair; the lock read
        # after it waits for that one's transaction and returns its row.
        Relationship.objects.bulk_create(
            [Relationship(ecosystem=world, source_id=s, target_id=t) for s, t in missing],
            ignore_conflicts=True,
        )
        locked = lock()
    return locked


def _recent_between(me: Character, them: Character) -> Any:
    return (
        Interaction.objects.filter(Q(initiator=me, target=them) | Q(initiator=them, target=me))
        .order_by("-created_at")
        .only("interaction_type", "content", "response", "tick", "created_at")[:CONVERSATION_WINDOW]
    )


def _engine_context(
    world: Ecosystem,
    me: Character,
    them: Character,
    subject: Character | None,
    views: dict[tuple[Any, Any], Relationship],
    recent: list[Interaction],
    context: dict[str, Any],
) -> InteractionContext:
    history = [*context.get("shared_history", []), *history_phrases(world, recent)]
    conflict_kinds = {kind for kind, t in CATALOGUE.items() if t.conflict}
    return InteractionContext(
        tick=world.current_tick,
        subject=CharacterRef(str(subject.pk), subject.name) if subject else None,
        target_view_of_subject=relationship_state(views[them.pk, subject.pk]) if subject else None,
        secret=context.get("secret") or None,
        shared_history=tuple(dict.fromkeys(history))[:4],
        lines_said=frozenset(line for i in recent for line in (i.content, i.response) if line),
        recent_conflict=any(
            i.interaction_type in conflict_kinds
            and world.current_tick - i.tick <= CONFLICT_MEMORY_TICKS
            for i in recent
        ),
    )


def _llm_lines(
    initiator: Character,
    target: Character,
    kind: str,
    content: str,
    providers: list[Provider],
    talk: TalkContext | None = None,
) -> tuple[str, str] | None:
    """Both lines through the provider chain, outside any row lock (network calls take
    seconds). The template engine speaks for any line the chain cannot provide; ``None``
    when neither line came from a model, so the locked engine run writes both."""
    relation = Relationship.objects.filter(source=target, target=initiator).first()
    opening = content
    if not opening:
        opening = _line_for(initiator, target, kind, "", None, providers).text
    reply = _line_for(target, initiator, kind, opening, relation, providers, talk)
    return (opening, reply.text) if reply.source != "template" else None


def _line_for(
    speaker: Character,
    listener: Character,
    kind: str,
    other_line: str,
    rel: Relationship | None,
    providers: list[Provider],
    talk: TalkContext | None = None,
) -> Any:
    if other_line:  # answering: what the speaker remembers that bears on the words heard
        memories = [
            r.memory.content
            for r in memories_retrieve(character=speaker, query=other_line, limit=3)
        ]
    else:
        memories = list(
            Memory.objects.filter(character=speaker)
            .order_by("-created_at")
            .values_list("content", flat=True)[:3]
        )
    request = DialogueRequest(
        speaker=speaker.name,
        listener=listener.name,
        interaction_type=kind,
        big_five=speaker.big_five,
        emotions=speaker.emotions,
        relationship=RelationshipSummary(
            kind=rel.kind,
            affinity=rel.strength,
            trust=rel.trust,
            familiarity=rel.familiarity,
        )
        if rel
        else None,
        memories=memories,
        speaking_style=speaker.speaking_style,
        backstory=speaker.backstory,
        other_line=other_line,
        own_last_line=_own_last_turn(speaker, talk),
        talk=talk,
    )
    return dialogue_generate(
        request=request,
        fallback=lambda: "",
        ecosystem_id=speaker.ecosystem_id,
        owner_id=speaker.ecosystem.owner_id,
        providers=providers,
        sampling=_sampling_for(speaker, listener, rel),
    )


def _own_last_turn(speaker: Character, talk: TalkContext | None) -> str:
    """In a conversation, what the speaker said last (a reply repeating it is retried)."""
    turns = talk.recent_turns if talk else ()
    return next((line for who, line in reversed(turns) if who == speaker.name), "")


def _sampling_for(speaker: Character, listener: Character, rel: Relationship | None) -> Sampling:
    """The speaker's own sampling; toward a person (a persona), shaped by how close the
    speaker feels to them (``rel``: speaker -> listener; none yet is a stranger)."""
    base = sampling_for_personality(big_five=speaker.big_five)
    if listener.persona_of_id is None:
        return base
    return sampling_for_closeness(
        base,
        closeness=(rel.strength + rel.trust) / 2 if rel else 0.0,
        familiarity=rel.familiarity if rel else 0.0,
    )


def _save(
    world: Ecosystem,
    me: Character,
    them: Character,
    subject: Character | None,
    views: dict[tuple[UUID, UUID], Relationship],
    outcome: InteractionOutcome,
    response: str,
    context: dict[str, Any],
    lines: tuple[str, str] | None,
    queue: str | None,
) -> InteractionResult:
    interaction = interaction_row(world=world, outcome=outcome, response=response, context=context)
    interaction.save(force_insert=True)
    # Two or three fixed rows: a plain UPDATE each is cheaper than bulk_update's CASE chains.
    for update in relationship_updates(outcome):
        apply_update(views[relationship_key(update)], update).save(update_fields=RELATIONSHIP_STATE)
    RelationshipChange.objects.bulk_create(
        change_rows(
            outcome=outcome,
            interaction=interaction,
            relationship_ids={(str(s), str(t)): rel.pk for (s, t), rel in views.items()},
        )
    )
    shifts = {s.character_id: s for s in (outcome.initiator_emotions, outcome.target_emotions) if s}
    energies = {e.character_id: e for e in (outcome.initiator_energy, outcome.target_energy) if e}
    for character in (me, them):
        character_felt(
            character=character,
            emotions=shifts[str(character.pk)].after.as_dict(digits=4),
            social_energy=round(energies[str(character.pk)].after, 4),
            importance=outcome.importance,
        )
    names = {str(c.pk): c.name for c in (me, them, subject) if c is not None}
    rows = dialogue_memory_rows(outcome=outcome, names=names, response=response)
    if not embeddings_remote():  # WordLlama: a fraction of a millisecond, so embed right away
        for memory, vector in zip(rows, embed_texts([m.content for m in rows]), strict=True):
            memory.embedding = vector
    memories = Memory.objects.bulk_create(rows)
    _follow_up(world, [c for c in (me, them) if c.importance_since_reflection >= BUDGET], queue)
    logged = outcome_events(
        outcome=outcome, names=names, response=response, interaction_id=interaction.pk,
        conversation=context.get("conversation") or None,
    )  # fmt: skip
    if outcome.kind in TELLING_KINDS:  # a secret shared or gossip: what it passed on
        logged += hearsay_pass(world=world, teller=me, listener=them, subject=subject,
                               kind=outcome.kind, secret=context.get("secret") or None)  # fmt: skip
    events = publish(ecosystem=world, events=logged)
    return InteractionResult(
        interaction=interaction,
        response=response,
        relationship_change=interaction.relationship_change,
        emotional_impact=interaction.emotional_impact,
        energy_cost={cid: round(e.cost, 4) for cid, e in energies.items()},
        events=events,
        memories=memories,
        dialogue_source="llm" if lines else "template",
        felt_valence=round(outcome.felt_valence, 4),
        response_tone=outcome.response_tone,
        characters={me.pk: me, them.pk: them},
        relationships=dict(views),
    )
