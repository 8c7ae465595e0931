"""The memory stream's writes: reflection, consolidation, the reflection budget, embeddings.

**The reflection budget.** A character reflects once the summed importance of its memories since
its last reflection reaches ``REFLECTION_IMPORTANCE_BUDGET``. The truth is the stream itself:
the non-reflection memories created after the newest reflection, summed in one aggregate query
(``reflection_budget_spent``); ``memory_reflect`` always decides on that, so a writer that forgets
the budget delays nothing. ``Character.importance_since_reflection`` is a hint kept in step for
cheap "who is due?" queries (``characters.selectors.characters_due_reflection``): writers of
memories add their importance with ``reflection_budget_add`` (one ``UPDATE ... SET
importance_since_reflection = importance_since_reflection + CASE ...`` for any number of
characters, in the writer's transaction), and reflection resets it to 0.

**Locks.** Both services lock the world row, then the character, in that order: the order
``interaction_process`` uses, and ``publish()`` locks the world row anyway. Locking only the
character would deadlock against an interaction holding the world and waiting for the character.
Each first checks without locks whether there is anything to do, so a no-op takes no lock.

**Embeddings.** New reflections are embedded as they are written when embedding is local
(WordLlama, a fraction of a millisecond). With a remote backend the rows are written without a
vector (never a network call under row locks) and ``memories_embed_missing_task`` is enqueued
after commit to fill them in.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.db import transaction
from django.db.models import (
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from characters.embeddings import embed_texts, embeddings_remote
from characters.engine.memory import (
    CONSOLIDATION_BATCH,
    CONSOLIDATION_MAX_IMPORTANCE,
    CONSOLIDATION_MIN_AGE_HOURS,
    CONSOLIDATION_MIN_MEMORIES,
    REFLECTION_WINDOW,
    ConsolidationOutcome,
    Insight,
    MemoryNote,
    consolidate,
    reflect,
    reflection_due,
)
from characters.models import BIG_FIVE, Character, Memory, MemoryConsolidation
from characters.services import character_consolidated, character_reflected
from ecosystems.engine.events import ref
from ecosystems.events import NewEvent, builders, publish
from ecosystems.models import Ecosystem, Event
from ecosystems.queues import tick_queue_for

# Character.memory_summary keeps the newest consolidation paragraphs up to this many characters
# (about a page, what a dialogue prompt can carry); older paragraphs live on in the
# MemoryConsolidation history.
MEMORY_SUMMARY_MAX_CHARS = 4_000
EMBED_BATCH = 500  # memories embedded and written per bulk_update in the backfill
BEFORE_ANY_MEMORY = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # "since" for a first reflection


@dataclass(frozen=True)
class ReflectionResult:
    """``reflected`` says whether anything was written; ``importance_spent`` is the budget used
    when checked (below ``REFLECTION_IMPORTANCE_BUDGET`` when nothing happened)."""

    reflected: bool
    importance_spent: int
    insights: list[Memory] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)  # insight id -> memory ids
    event: Event | None = None


@dataclass(frozen=True)
class ConsolidationResult:
    """``consolidated`` says whether anything was written; ``memory_count`` memories were
    summarised into ``summary`` and the Big Five moved by ``drift``."""

    consolidated: bool
    memory_count: int = 0
    summary: str = ""
    drift: dict[str, float] = field(default_factory=dict)
    consolidation: MemoryConsolidation | None = None
    event: Event | None = None


# --- The reflection budget ----------------------------------------------------------------------


def _since_last_reflection(character_id: UUID) -> QuerySet[Memory]:
    """Non-reflection memories created after the character's newest reflection (all of them
    when it has never reflected)."""
    newest = (
        Memory.objects.filter(character_id=character_id, kind=Memory.Kind.REFLECTION)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        Memory.objects.filter(character_id=character_id)
        .exclude(kind=Memory.Kind.REFLECTION)
        .filter(created_at__gt=Coalesce(Subquery(newest), Value(BEFORE_ANY_MEMORY)))
    )


def reflection_budget_spent(*, character: Character) -> int:
    """The summed importance of ``character``'s memories since its last reflection (one
    aggregate query): what the budget hint should say."""
    total = _since_last_reflection(character.pk).aggregate(total=Sum("importance"))["total"]
    return int(total or 0)


# --- Reflection ---------------------------------------------------------------------------------


def memory_reflect(*, character: Character) -> ReflectionResult:
    """Reflect if the importance budget is spent: write 1-3 reflection memories citing their
    evidence, reset the budget and publish ``memory_reflection``; otherwise do nothing.

    Idempotent: a reflection starts a new budget, so running it again at once finds nothing to
    do. One transaction, the world and the character locked.
    """
    spent = reflection_budget_spent(character=character)
    if not reflection_due(spent):
        return ReflectionResult(reflected=False, importance_spent=spent)
    with transaction.atomic():
        world, me = _lock(character)
        spent = reflection_budget_spent(character=me)  # again under the lock: a racing call
        if not reflection_due(spent):
            return ReflectionResult(reflected=False, importance_spent=spent)
        recent = list(
            _since_last_reflection(me.pk)
            .only("id", "content", "importance", "tick")
            .order_by("-created_at", "-id")[:REFLECTION_WINDOW]
        )[::-1]  # oldest first, as they happened
        insights = reflect(
            [MemoryNote(m.content, m.importance, m.tick) for m in recent],
            names=_other_names(world, me),
            rng=random.Random(f"{world.seed}:reflect:{me.pk}:{world.current_tick}:{spent}"),
        )
        vectors = _vectors_now([i.content for i in insights])
        rows, evidence = _reflections_write(me, world, insights, vectors, recent)
        character_reflected(character=me, tick=world.current_tick)
        reflected = _reflection_event(me, spent, rows, insights, evidence)
        (event,) = publish(ecosystem=world, events=[reflected])
        if any(v is None for v in vectors):
            _embed_after_commit(world)
    return ReflectionResult(
        reflected=True, importance_spent=spent, insights=rows, evidence=evidence, event=event
    )


def _reflections_write(
    me: Character,
    world: Ecosystem,
    insights: Sequence[Insight],
    vectors: Sequence[list[float] | None],
    recent: Sequence[Memory],
) -> tuple[list[Memory], dict[str, list[str]]]:
    """Store the insights as reflection memories linked to their evidence (``recent``);
    returns the rows and each row's evidence ids."""
    rows = Memory.objects.bulk_create(
        Memory(
            character=me,
            kind=Memory.Kind.REFLECTION,
            content=insight.content,
            importance=insight.importance,
            tick=world.current_tick,
            last_accessed_tick=world.current_tick,
            embedding=vector,
        )
        for insight, vector in zip(insights, vectors, strict=True)
    )
    evidence = {
        str(row.pk): [str(recent[i].pk) for i in insight.evidence]
        for row, insight in zip(rows, insights, strict=True)
    }
    Link = Memory.evidence.through
    Link.objects.bulk_create(
        Link(from_memory_id=row.pk, to_memory_id=recent[i].pk)
        for row, insight in zip(rows, insights, strict=True)
        for i in insight.evidence
    )
    return rows, evidence


def _reflection_event(
    me: Character,
    spent: int,
    rows: Sequence[Memory],
    insights: Sequence[Insight],
    evidence: Mapping[str, list[str]],
) -> NewEvent:
    return builders.memory_reflection(
        character=ref(str(me.pk), me.name),
        importance_spent=spent,
        insights=[
            {
                "memory_id": str(row.pk),
                "content": insight.content,
                "importance": insight.importance,
                "about": insight.about,
                "tone": insight.tone,
                "evidence_ids": evidence[str(row.pk)],
            }
            for row, insight in zip(rows, insights, strict=True)
        ],
    )


# --- Consolidation ------------------------------------------------------------------------------


def _consolidatable(character_id: UUID, world: Ecosystem) -> QuerySet[Memory] | None:
    """Old, everyday memories not yet consolidated, oldest first; ``None`` while the world is
    younger than the minimum age."""
    age_ticks = math.ceil(CONSOLIDATION_MIN_AGE_HOURS * 60 / world.minutes_per_tick)
    cutoff = world.current_tick - age_ticks
    if cutoff < 0:
        return None
    return (
        Memory.objects.filter(
            character_id=character_id,
            consolidated=False,
            importance__lte=CONSOLIDATION_MAX_IMPORTANCE,
            tick__lte=cutoff,
        )
        .exclude(kind=Memory.Kind.REFLECTION)
        .order_by("tick", "created_at", "id")
    )


def memory_consolidate(*, character: Character) -> ConsolidationResult:
    """Summarise a batch of ``character``'s old everyday memories into its ``memory_summary``,
    mark them consolidated (kept, still retrievable), let the batch nudge the Big Five
    (bounded, see ``characters.engine.memory``), record a ``MemoryConsolidation`` and publish
    ``memory_consolidated``. Does nothing with fewer than ``CONSOLIDATION_MIN_MEMORIES``.

    The first consolidation stores the traits as ``authored_personality``, the anchor that
    bounds drift. One transaction, the world and the character locked.
    """
    world = Ecosystem.objects.only("current_tick", "minutes_per_tick").get(
        pk=character.ecosystem_id
    )
    candidates = _consolidatable(character.pk, world)
    if candidates is None or candidates[:CONSOLIDATION_MIN_MEMORIES].count() < (
        CONSOLIDATION_MIN_MEMORIES
    ):
        return ConsolidationResult(consolidated=False)
    with transaction.atomic():
        world, me = _lock(character)
        candidates = _consolidatable(me.pk, world)
        batch = list(candidates.only("id", "content", "importance", "tick")[:CONSOLIDATION_BATCH])
        if len(batch) < CONSOLIDATION_MIN_MEMORIES:
            return ConsolidationResult(consolidated=False)
        outcome = consolidate(
            [MemoryNote(m.content, m.importance, m.tick) for m in batch],
            traits=me.big_five,
            anchor=me.authored_personality or me.big_five,
            names=_other_names(world, me),
            rng=random.Random(f"{world.seed}:consolidate:{me.pk}:{world.current_tick}"),
        )
        record, event = _consolidation_write(me, world, batch, outcome)
    return ConsolidationResult(
        consolidated=True,
        memory_count=len(batch),
        summary=outcome.summary,
        drift=outcome.drift,
        consolidation=record,
        event=event,
    )


def _consolidation_write(
    me: Character, world: Ecosystem, batch: Sequence[Memory], outcome: ConsolidationOutcome
) -> tuple[MemoryConsolidation, Event]:
    """Mark the batch consolidated, let the outcome move the character, record the
    consolidation and publish ``memory_consolidated``. Caller holds the locks."""
    Memory.objects.filter(pk__in=[m.pk for m in batch]).update(consolidated=True)
    character_consolidated(
        character=me,
        traits=outcome.traits,
        anchor=outcome.anchor,
        summary=summary_append(me.memory_summary, outcome.summary),
    )
    record = MemoryConsolidation.objects.create(
        character=me,
        tick=world.current_tick,
        summary=outcome.summary,
        memory_count=len(batch),
        drift=outcome.drift,
    )
    (event,) = publish(
        ecosystem=world,
        events=[
            builders.memory_consolidated(
                character=ref(str(me.pk), me.name),
                consolidation_id=str(record.pk),
                memory_count=len(batch),
                summary=outcome.summary,
                drift=outcome.drift,
                personality={t: outcome.traits[t] for t in BIG_FIVE},
            )
        ],
    )
    return record, event


def summary_append(summary: str, paragraph: str) -> str:
    """``summary`` with ``paragraph`` appended, the oldest paragraphs dropped beyond
    ``MEMORY_SUMMARY_MAX_CHARS`` (the newest one is always kept)."""
    paragraphs = [p for p in summary.split("\n\n") if p.strip()]
    paragraphs.append(paragraph)
    while len(paragraphs) > 1 and len("\n\n".join(paragraphs)) > MEMORY_SUMMARY_MAX_CHARS:
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


# --- Embedding backfill -------------------------------------------------------------------------


def memories_embed_missing(*, ecosystem: Ecosystem, batch: int = EMBED_BATCH) -> int:
    """Embed every memory of ``ecosystem`` that has no vector yet; returns how many. Each batch
    is one read, one ``embed_texts`` call (outside any transaction: it may be remote) and one
    ``bulk_update``. A row embedded meanwhile by someone else just gets the same vector again.
    """
    done = 0
    while True:
        rows = list(
            Memory.objects.filter(character__ecosystem=ecosystem, embedding__isnull=True)
            .order_by("created_at", "id")
            .values_list("pk", "content")[:batch]
        )
        if not rows:
            return done
        vectors = embed_texts([content for _, content in rows])
        Memory.objects.bulk_update(
            [Memory(pk=pk, embedding=v) for (pk, _), v in zip(rows, vectors, strict=True)],
            ["embedding"],
        )
        done += len(rows)
        if len(rows) < batch:
            return done


# --- Helpers ------------------------------------------------------------------------------------


def _lock(character: Character) -> tuple[Ecosystem, Character]:
    """The world, then the character, locked for this transaction (the interaction order)."""
    world = Ecosystem.objects.select_for_update().get(pk=character.ecosystem_id)
    me = Character.objects.select_for_update().get(pk=character.pk)
    return world, me


def _other_names(world: Ecosystem, me: Character) -> list[str]:
    return list(
        Character.objects.filter(ecosystem=world).exclude(pk=me.pk).values_list("name", flat=True)
    )


def _vectors_now(texts: list[str]) -> list[list[float] | None]:
    """Vectors for new rows if embedding is local; ``None`` each (filled after commit) if not."""
    if embeddings_remote():
        return [None] * len(texts)
    return list(embed_texts(texts))


def _embed_after_commit(world: Ecosystem) -> None:
    from ecosystems.tasks import memories_embed_missing_task  # the tasks module imports us

    world_id = str(world.pk)
    transaction.on_commit(
        lambda: memories_embed_missing_task.apply_async(
            (world_id,), queue=tick_queue_for(ecosystem=world)
        )
    )
