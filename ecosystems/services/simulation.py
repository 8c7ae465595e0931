"""One tick's simulation on the database: load, run the pure engine, save in bulk.

The number of queries does not grow with the number of characters: a fixed set of loads
(characters, relationships, recent interactions, knowledge, alliances), the engine's
``simulate_tick`` in memory, then one bulk write per table and one ``publish``. Memories are
written without embeddings; a task embeds them after commit (HNSW inserts are the slowest
write of all, and a tick must not wait for them). Caller holds the tick claim.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from django.conf import settings
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from characters.engine.memory import REFLECTION_IMPORTANCE_BUDGET
from characters.engine.types import RelationshipState
from characters.models import BIG_FIVE, Character, Memory
from characters.services import characters_state_save
from core.bulk import (
    concrete_values,
    copy_insert,
    copy_insert_objects,
    copy_upsert,
)
from ecosystems.engine.events import ref_from
from ecosystems.engine.goals import goals_from_character, goals_to_json
from ecosystems.engine.groups import FORMED
from ecosystems.engine.knowledge import EVENT_TTL_TICKS, KnowledgeItem, prune_knowledge
from ecosystems.engine.lore import first_hand_items
from ecosystems.engine.names import NameIndex
from ecosystems.engine.simulate import TickReport, simulate_tick
from ecosystems.engine.world import HISTORY_TICKS, SAID_MEMORY, Agent, PastInteraction, World
from ecosystems.engine.world import Alliance as AllianceState
from ecosystems.events import NewEvent, builders, publish
from ecosystems.hooks import after_tick_run
from ecosystems.models import (
    Alliance,
    Ecosystem,
    Interaction,
    Knowledge,
    Relationship,
    RelationshipChange,
)
from ecosystems.queues import tick_queue_for
from ecosystems.records import (
    RELATIONSHIP_STATE,
    dialogue_memory_texts,
    interaction_row,
    logged_changes,
    outcome_events,
    snapshot,
)
from ecosystems.selectors import lore_facts, lore_groups, providers_for_world
from ecosystems.services.hearsay import hearsay_events

log = logging.getLogger(__name__)

OBSERVATION_MIN_IMPORTANCE = 3  # bystanders remember what was worth noticing, not every hello
CONSOLIDATE_EVERY_TICKS = 144  # a simulated day at 10 min/tick: old memories are summarised
MEMORY_COLUMNS = ["id", "character", "kind", "content", "importance", "tick", "consolidated",
                  "created_at", "last_accessed_at", "last_accessed_tick"]  # fmt: skip
CHANGE_COLUMNS = ["id", "relationship", "interaction", "axis", "before", "after", "cause", "tick",
                  "created_at"]  # fmt: skip
RELATIONSHIP_COLUMNS = ["id", "ecosystem", "source", "target", "strength", "trust", "familiarity",
                        "attraction", "kind", "created_at", "updated_at"]  # fmt: skip


@dataclass
class SimulationOutcome:
    interactions: int = 0
    events: int = 0
    stats: dict[str, Any] = field(default_factory=dict)


def simulate_tick_in_world(*, world: Ecosystem) -> SimulationOutcome:
    """Simulate ``world.current_tick`` (already claimed) and save everything it did."""
    tick = world.current_tick
    loaded = _load(world)
    rng = random.Random(f"{world.seed}:{tick}")
    after, report = simulate_tick(
        loaded.world, tick=tick, minutes=float(world.minutes_per_tick), rng=rng
    )
    saved = _save(world, loaded, after, report)
    return saved


def _recent_lines(world: Ecosystem) -> list[str]:
    """The world's last ``SAID_MEMORY`` lines, oldest first, so no tick repeats a sentence
    an earlier tick said (one query on the interaction index)."""
    rows = (
        Interaction.objects.filter(ecosystem=world)
        .order_by("-tick", "-created_at", "-content", "-response")  # one tick shares created_at
        .values_list("content", "response")[: SAID_MEMORY // 2]
    )
    return [line for pair in reversed(list(rows)) for line in pair if line]


class CharacterRow:
    """A character as the tick reads it: the fields it needs, without a model instance (for
    10,000 characters, building ``Character`` objects cost a tenth of the tick). Has what
    ``records.snapshot`` reads."""

    FIELDS = ("id", "name", *BIG_FIVE, "values", "long_term_goals", "short_term_goals",
              "core_motivations", "emotions", "social_energy", "autonomy_level", "speaking_style",
              "backstory", "secrets", "importance_since_reflection")  # fmt: skip

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)
        self.pk = fields["id"]

    @property
    def big_five(self) -> dict[str, float]:
        return {trait: self.__dict__[trait] for trait in BIG_FIVE}


@dataclass
class _Loaded:
    world: World
    characters: dict[str, CharacterRow]
    relationships: dict[tuple[str, str], tuple[str, RelationshipState]]
    alliances: dict[str, Alliance]
    names: NameIndex


def _load(world: Ecosystem) -> _Loaded:
    """Everything the engine reads, in a fixed number of queries; plain tuples where model
    instances are not needed (they cost more than the query for big worlds)."""
    tick = world.current_tick
    characters = _load_characters(world)
    names = NameIndex({cid: c.name for cid, c in characters.items()})
    relationships = _load_relationships(world)
    alliances = {
        a.key: a
        for a in Alliance.objects.filter(ecosystem=world, broken_tick__isnull=True)
        .prefetch_related("members")
        .order_by("formed_tick", "key")
    }
    agents = [
        Agent(
            snapshot=snapshot(c),
            autonomy=c.autonomy_level,
            goals=goals_from_character(
                cid, names, long_term=c.long_term_goals, short_term=c.short_term_goals,
                core_motivations=c.core_motivations, tick=tick,
            ),
        )
        for cid, c in characters.items()
    ]  # fmt: skip
    engine_world = World.build(
        agents,
        [(s, t, state) for (s, t), (_, state) in relationships.items()],
        knowledge=_load_knowledge(world, names, list(characters)),
        history=_load_history(world, tick),
        alliances=[
            AllianceState(a.key, a.name, tuple(sorted(str(m.pk) for m in a.members.all())),
                          a.formed_tick)
            for a in alliances.values()
        ],
        names=names,
        said=_recent_lines(world),
    )  # fmt: skip
    return _Loaded(engine_world, characters, relationships, alliances, names)


def _load_characters(world: Ecosystem) -> dict[str, CharacterRow]:
    # Sorted by name: the order the engine sees (and so breaks ties in) is the authored one.
    return {
        str(row["id"]): CharacterRow(**row)
        # Personas stand for people: they only act when their person speaks, and no tick
        # picks them as an actor or as someone to approach.
        for row in Character.objects.filter(ecosystem=world, is_active=True, persona_of=None)
        .order_by("name")
        .values(*CharacterRow.FIELDS)
    }


def _load_relationships(world: Ecosystem) -> dict[tuple[str, str], tuple[str, RelationshipState]]:
    # Ids as text straight from PostgreSQL: building tens of thousands of UUID objects only to
    # turn them back into the engine's string ids was a tenth of a big tick.
    return {
        (s, t): (pk, RelationshipState(strength, trust, familiarity, attraction, kind))
        for pk, s, t, strength, trust, familiarity, attraction, kind in Relationship.objects.filter(
            ecosystem=world
        )
        .annotate(
            pk_text=_text("pk"), source_text=_text("source_id"), target_text=_text("target_id")
        )
        # Authored order (names, then ids): the world's tables are walked in this order, and
        # ids differ between copies of a world made from one seed.
        .order_by("source__name", "target__name", "source_id", "target_id")
        .values_list(
            "pk_text", "source_text", "target_text", "strength", "trust", "familiarity",
            "attraction", "kind",
        )
    }  # fmt: skip


def _load_history(world: Ecosystem, tick: int) -> list[PastInteraction]:
    """The interactions of the last ``HISTORY_TICKS`` ticks, oldest first."""
    return [
        PastInteraction(
            t, i, g, kind, context.get("subject_id"), float(context.get("felt_valence", 0.0)),
        )
        for t, i, g, kind, context in Interaction.objects.filter(
            ecosystem=world, tick__gt=tick - HISTORY_TICKS
        )
        .annotate(i_text=_text("initiator_id"), g_text=_text("target_id"))
        # One tick's rows share created_at (one COPY): names, then the act, order them the
        # same way in every copy of a world (ids differ between copies, heap order between runs).
        .order_by("tick", "created_at", "initiator__name", "target__name", "interaction_type",
                  "content")
        .values_list("tick", "i_text", "g_text", "interaction_type", "context")
    ]  # fmt: skip


def _load_knowledge(
    world: Ecosystem, names: NameIndex, character_ids: list[str]
) -> dict[str, list[KnowledgeItem]]:
    """What each character knows, in the order it learned it."""
    knowledge: dict[str, list[KnowledgeItem]] = defaultdict(list)
    for cid, key, content, source, told_by, learned, data in (
        Knowledge.objects.filter(character__ecosystem=world)
        # content before fact_key: keys carry character ids, which differ between copies
        .order_by("tick", "content", "fact_key")
        .values_list("character_id", "fact_key", "content", "source", "told_by_id", "tick", "data")
    ):
        knowledge[str(cid)].append(
            KnowledgeItem.from_dict(data) if data else KnowledgeItem.from_fact(
                key, content, source=source, source_id=str(told_by) if told_by else None,
                tick=learned, names=names,
            )
        )  # fmt: skip
    # Lore its group or a secret lets it in on, known first-hand; public lore is common
    # knowledge, never told, so the tick need not carry it (``ecosystems.engine.lore``).
    facts = lore_facts(ecosystem_id=world.pk)
    if facts:
        lore = first_hand_items(
            facts, characters=character_ids, groups=lore_groups(ecosystem_id=world.pk),
            include_public=False,
        )  # fmt: skip
        for cid, items in lore.items():
            knowledge[cid].extend(items)
    return knowledge


def _text(field: str) -> Cast:
    return Cast(field, output_field=CharField())


@dataclass
class _Writes:
    """What one tick writes, gathered step by step, saved in bulk at the end."""

    now: Any
    names: dict[str, str]
    relationship_ids: dict[tuple[str, str], str] = field(default_factory=dict)
    interactions: list[Interaction] = field(default_factory=list)
    changes: list[tuple] = field(default_factory=list)
    memories: list[tuple] = field(default_factory=list)
    events: list[NewEvent] = field(default_factory=list)
    importance: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    to_voice: list[str] = field(default_factory=list)  # interaction ids for the model servers

    def memory(self, character_id: str, kind: str, importance: int, text: str, tick: int) -> None:
        """A memory row as a tuple in ``MEMORY_COLUMNS`` order (model instances cost more than
        the COPY for a big tick); written without an embedding, filled in after commit."""
        self.memories.append(
            (uuid4(), character_id, kind, text, importance, tick, False, self.now, self.now, 0)
        )


def _save(world: Ecosystem, loaded: _Loaded, after: World, report: TickReport) -> SimulationOutcome:
    tick = world.current_tick
    writes = _Writes(now=timezone.now(), names={c: ch.name for c, ch in loaded.characters.items()})
    _save_relationships(world, loaded, after, writes)
    _record_exchanges(world, loaded, report, writes)
    copy_insert_objects(Interaction, writes.interactions)
    copy_insert(RelationshipChange, CHANGE_COLUMNS, writes.changes)
    _record_group_dynamics(world, loaded, report, writes)
    copy_insert(Memory, MEMORY_COLUMNS, writes.memories)
    _save_knowledge(world, loaded, after, report)
    due_reflection = _save_characters(loaded, after, writes)

    executed = len(writes.interactions)
    stats = {
        "scenes": len(report.plan.scenes),
        "interactions": executed,
        "resting": len(report.plan.resting),
        "idle": len(report.plan.idle),
        "memories": len(writes.memories),
        "learned": sum(len(v) for v in report.learned.values()),
        "alliance_changes": len(report.alliance_changes),
        "goal_events": len(report.goal_events),
    }
    writes.events.append(builders.tick(
        tick=tick, world_clock=world.world_clock.isoformat(), voicing=len(writes.to_voice),
        **stats,
    ))  # fmt: skip
    logged = publish(ecosystem=world, events=writes.events, tick=tick)
    _enqueue_follow_ups(world, due_reflection, bool(writes.memories), writes.to_voice)
    return SimulationOutcome(interactions=executed, events=len(logged), stats=stats)


def _save_relationships(world: Ecosystem, loaded: _Loaded, after: World, writes: _Writes) -> None:
    """Relationships that moved: new ones inserted, existing ones updated, in one statement."""
    writes.relationship_ids = {key: pk for key, (pk, _) in loaded.relationships.items()}
    moved = []
    for source, row in after.out.items():
        for target, state in row.items():
            known = loaded.relationships.get((source, target))
            if known is not None and known[1] == state:
                continue
            pk = known[0] if known else str(uuid4())
            writes.relationship_ids[source, target] = pk
            moved.append((pk, world.pk, source, target, state.strength, state.trust,
                          state.familiarity, state.attraction, state.kind, writes.now,
                          writes.now))  # fmt: skip
    copy_upsert(Relationship, RELATIONSHIP_COLUMNS, moved, conflict=["source", "target"],
                update=RELATIONSHIP_STATE)  # fmt: skip


def _record_exchanges(
    world: Ecosystem, loaded: _Loaded, report: TickReport, writes: _Writes
) -> None:
    """Each played interaction, scene by scene in order: its row, change log, a memory for each
    side and for bystanders who noticed, and its events."""
    tick = world.current_tick
    to_voice = _lines_to_voice(world, report)
    for result in report.results:
        for done in result.executed:
            outcome, action = done.outcome, done.action
            if not outcome.ok:
                continue
            context = {"reason": action.reason, "scene": result.scene.id,
                       "felt_valence": round(outcome.felt_valence, 4)}  # fmt: skip
            if action.subject_id:
                context["subject_id"] = action.subject_id
            content, response = outcome.content, outcome.response
            row = interaction_row(world=world, outcome=outcome, response=response,
                                  context=context, content=content)  # fmt: skip
            writes.interactions.append(row)
            if id(outcome) in to_voice:
                writes.to_voice.append(str(row.pk))
            # Plain tuples: the change log is the tick's biggest table (model instances cost a
            # tenth of a 10,000-character tick).
            writes.changes += [
                (uuid4(), writes.relationship_ids[c.source_id, c.target_id], row.pk, c.axis,
                 c.before, c.after, c.cause[:300], c.tick, writes.now)
                for c in logged_changes(outcome)
            ]  # fmt: skip
            for character_id, text in dialogue_memory_texts(
                outcome=outcome, names=writes.names, response=response, content=content
            ):
                writes.memory(character_id, Memory.Kind.DIALOGUE, outcome.importance, text, tick)
            writes.importance[outcome.initiator_id] += outcome.importance
            writes.importance[outcome.target_id] += outcome.importance
            noticed = max(1, outcome.importance - 1)
            if outcome.importance >= OBSERVATION_MIN_IMPORTANCE:
                for witness in result.scene.participants:
                    if witness in (outcome.initiator_id, outcome.target_id):
                        continue
                    writes.memory(witness, Memory.Kind.OBSERVATION, noticed,
                                  f'I saw it: {outcome.summary}. "{content}" / "{response}"',
                                  tick)  # fmt: skip
                    writes.importance[witness] += noticed
            writes.events += outcome_events(outcome=outcome, names=writes.names,
                                            response=response, interaction_id=row.pk,
                                            content=content)  # fmt: skip


def _record_group_dynamics(
    world: Ecosystem, loaded: _Loaded, report: TickReport, writes: _Writes
) -> None:
    """Gossip that spread, goals that moved, alliances, escalations: events (and memories)."""
    names, events = writes.names, writes.events
    events += hearsay_events(hops=report.gossip, names=names)
    for goal_event in report.goal_events:
        events.append(builders.goal_progress(
            character=ref_from(goal_event.character_id, names), goal_key=goal_event.goal_key,
            description=goal_event.description, kind=goal_event.kind, intent=goal_event.intent,
            target_id=goal_event.target_id, progress_before=goal_event.progress_before,
            progress_after=goal_event.progress_after, text=goal_event.text,
        ))  # fmt: skip
        if goal_event.kind in ("created", "completed"):
            writes.memory(goal_event.character_id, Memory.Kind.PLAN,
                          7 if goal_event.kind == "completed" else 5, goal_event.text,
                          world.current_tick)  # fmt: skip
    _save_alliances(world, loaded, report, names, events)
    for escalation in report.escalation_events:
        events.append(builders.conflict_escalated(
            change=escalation.kind, initiator=ref_from(escalation.initiator_id, names),
            target=ref_from(escalation.target_id, names), rung_before=escalation.rung_before,
            rung_after=escalation.rung_after, text=escalation.text,
        ))  # fmt: skip


def _save_knowledge(world: Ecosystem, loaded: _Loaded, after: World, report: TickReport) -> None:
    """What characters learned (witnessed or told); witnessed events fade, secrets stay."""
    tick = world.current_tick
    Knowledge.objects.filter(
        character__ecosystem=world, data__kind="event", tick__lt=tick - EVENT_TTL_TICKS
    ).delete()
    rows = _knowledge_rows(world, loaded, after, report, tick)
    fields = Knowledge._meta.concrete_fields
    copy_upsert(
        Knowledge,
        [f.name for f in fields],
        [concrete_values(k, fields) for k in rows],
        conflict=["character", "fact_key"],
    )


def _save_characters(loaded: _Loaded, after: World, writes: _Writes) -> list[str]:
    """Feelings, energy, goals and reflection budget of every character that changed; returns
    the ids whose budget is spent."""
    changed, due_reflection = [], []
    for cid, agent in after.agents.items():
        character = loaded.characters[cid]
        gained = writes.importance.get(cid, 0)
        if agent == loaded.world.agents[cid] and not gained:
            continue
        long_term, short_term = goals_to_json(agent.goals)
        budget = character.importance_since_reflection + gained
        changed.append((
            character.pk, agent.snapshot.emotions.as_dict(digits=4),
            round(agent.snapshot.social_energy, 4), long_term, short_term, budget, writes.now,
        ))  # fmt: skip
        if budget >= REFLECTION_IMPORTANCE_BUDGET:
            due_reflection.append(cid)
    characters_state_save(rows=changed)
    return due_reflection


def _lines_to_voice(world: Ecosystem, report: TickReport) -> set[int]:
    """With model servers configured, the tick's most important exchanges (at most
    ``LLM_LINES_PER_TICK``: a tick of thousands of characters cannot wait for thousands of
    network calls), keyed by ``id(outcome)``. They are voiced after commit by
    ``interactions_voice_task``, never inside the tick's transaction: the template engine's
    lines are logged now, and any line a provider cannot give stays as it is."""
    budget = int(getattr(settings, "LLM_LINES_PER_TICK", 0))
    if budget <= 0 or not providers_for_world(ecosystem_id=world.pk):
        return set()
    outcomes = [d.outcome for r in report.results for d in r.executed if d.outcome.ok]
    return {id(o) for o in sorted(outcomes, key=lambda o: -o.importance)[:budget]}


def _knowledge_rows(
    world: Ecosystem, loaded: _Loaded, after: World, report: TickReport, tick: int
) -> list[Knowledge]:
    rows = []
    for cid, items in report.learned.items():
        keep = {i.key for i in prune_knowledge(after.knowledge.items(cid), tick=tick)}
        for item in items:
            if item.key not in keep:
                continue
            told_by = item.source_id if item.source_id in loaded.characters else None
            rows.append(Knowledge(
                character_id=UUID(cid), fact_key=item.key[:200], content=item.content,
                source=item.source, told_by_id=UUID(told_by) if told_by else None, tick=tick,
                data=item.as_dict(),
            ))  # fmt: skip
    return rows


def _save_alliances(
    world: Ecosystem, loaded: _Loaded, report: TickReport, names: dict[str, str],
    events: list[NewEvent],
) -> None:  # fmt: skip
    formed: list[tuple[Alliance, tuple[str, ...]]] = []
    broken: list[Alliance] = []
    for change in report.alliance_changes:
        members = [ref_from(m, names) for m in change.members]
        if change.change == FORMED:
            alliance = Alliance(ecosystem=world, key=change.key[:400], name=change.name[:120],
                                reason=change.reason[:300], formed_tick=change.tick)  # fmt: skip
            formed.append((alliance, change.members))
            build = builders.alliance_formed
        else:
            alliance = loaded.alliances.get(change.key)
            if alliance is None:
                continue
            alliance.broken_tick, alliance.broken_reason = change.tick, change.reason[:300]
            broken.append(alliance)
            build = builders.alliance_broken
        events.append(build(alliance_id=str(alliance.pk), name=change.name, members=members,
                            reason=change.reason))  # fmt: skip
    if formed:
        Alliance.objects.bulk_create([a for a, _ in formed])
        Alliance.members.through.objects.bulk_create(
            Alliance.members.through(alliance_id=a.pk, character_id=UUID(m))
            for a, members in formed
            for m in members
        )
    if broken:
        Alliance.objects.bulk_update(broken, ["broken_tick", "broken_reason"])


def _enqueue_follow_ups(
    world: Ecosystem, due_reflection: list[str], memories: bool, to_voice: list[str]
) -> None:
    """After commit: lines for the model servers to voice, reflections that are due,
    embeddings of the new memories, and the daily consolidation. Each is its own task, so a
    slow one never holds the next tick."""
    from ecosystems.tasks import (  # tasks import the services
        interactions_voice_task,
        memories_consolidate_world_task,
        memories_embed_missing_task,
        memories_reflect_due_task,
    )

    def enqueue() -> None:
        try:
            _enqueue()
        except Exception:  # the tick has committed; a broker hiccup must not fail it
            log.warning("could not enqueue the follow-ups of tick %s", world.current_tick,
                        exc_info=True)  # fmt: skip

    def _enqueue() -> None:
        # One task each, whatever the number of characters: an enqueue costs ~2 ms. All on the
        # tick's own queue, so a priority world's follow-ups never wait behind free worlds.
        world_id, queue = str(world.pk), tick_queue_for(ecosystem=world)
        if to_voice:
            interactions_voice_task.apply_async((world_id, to_voice), queue=queue)
        if due_reflection:
            memories_reflect_due_task.apply_async((world_id,), queue=queue)
        if memories:
            memories_embed_missing_task.apply_async((world_id,), queue=queue)
        if world.current_tick % CONSOLIDATE_EVERY_TICKS == 0:
            memories_consolidate_world_task.apply_async((world_id,), queue=queue)
        # Story sifting, registered by stories (ecosystems/hooks.py).
        after_tick_run(world_id, world.current_tick, queue=queue)

    transaction.on_commit(enqueue)
