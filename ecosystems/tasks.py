"""Celery tasks of the ecosystems app: thin, taking ids, one service call each.

Retry policy: a dropped or contended database connection (``OperationalError``, which includes
a deadlock PostgreSQL broke) is retried with exponential backoff and jitter, at most
``MAX_RETRIES`` times. The services are idempotent (a reflection or consolidation that already
happened finds nothing to do), so a redelivered task does nothing twice. A row that no longer
exists is not an error: the task reports it and ends.
"""

from __future__ import annotations

from typing import Any

from celery import group, shared_task
from django.db import OperationalError

from characters.models import Character
from characters.selectors import characters_due_reflection
from ecosystems.models import Ecosystem
from ecosystems.queues import tick_queue_for_id
from ecosystems.services.memory import memories_embed_missing, memory_consolidate, memory_reflect
from ecosystems.services.ticks import ecosystem_tick, ticks_schedule_due
from ecosystems.services.voicing import interactions_voice

MAX_RETRIES = 3
RETRY_BACKOFF_MAX_SECONDS = 60  # a database that is away longer needs an operator, not retries
RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
    "max_retries": MAX_RETRIES,
}


@shared_task(name="ecosystems.memory_reflect_task", **RETRY_POLICY)
def memory_reflect_task(character_id: str) -> dict[str, Any]:
    character = Character.objects.filter(pk=character_id).first()
    if character is None:
        return {"character_id": character_id, "reflected": False, "missing": True}
    result = memory_reflect(character=character)
    return {
        "character_id": character_id,
        "reflected": result.reflected,
        "importance_spent": result.importance_spent,
        "insight_ids": [str(m.pk) for m in result.insights],
    }


@shared_task(name="ecosystems.memory_consolidate_task", **RETRY_POLICY)
def memory_consolidate_task(character_id: str) -> dict[str, Any]:
    character = Character.objects.filter(pk=character_id).first()
    if character is None:
        return {"character_id": character_id, "consolidated": False, "missing": True}
    result = memory_consolidate(character=character)
    return {
        "character_id": character_id,
        "consolidated": result.consolidated,
        "memory_count": result.memory_count,
        "drift": result.drift,
    }


@shared_task(name="ecosystems.memories_embed_missing_task", **RETRY_POLICY)
def memories_embed_missing_task(ecosystem_id: str) -> dict[str, Any]:
    ecosystem = Ecosystem.objects.filter(pk=ecosystem_id).first()
    if ecosystem is None:
        return {"ecosystem_id": ecosystem_id, "embedded": 0, "missing": True}
    return {"ecosystem_id": ecosystem_id, "embedded": memories_embed_missing(ecosystem=ecosystem)}


@shared_task(name="ecosystems.ticks_schedule_due_task", ignore_result=True)
def ticks_schedule_due_task() -> int:
    """Beat calls this every second: enqueue one tick per running world that is due."""
    return len(ticks_schedule_due())


@shared_task(name="ecosystems.ecosystem_tick_task", **RETRY_POLICY)
def ecosystem_tick_task(ecosystem_id: str, number: int) -> dict[str, Any]:
    """Run tick ``number`` once; a duplicate, late or racing delivery finds it taken."""
    result = ecosystem_tick(ecosystem_id=ecosystem_id, number=number)
    return {
        "ecosystem_id": ecosystem_id,
        "tick": number,
        "ran": result.ran,
        "interactions": result.interactions,
        "events": result.events,
        "duration_ms": result.duration_ms,
    }


@shared_task(name="ecosystems.interactions_voice_task", **RETRY_POLICY)
def interactions_voice_task(ecosystem_id: str, interaction_ids: list[str]) -> dict[str, Any]:
    """Voice a tick's chosen lines by the model servers, after the tick committed."""
    result = interactions_voice(ecosystem_id=ecosystem_id, interaction_ids=interaction_ids)
    return {"ecosystem_id": ecosystem_id, "asked": result.asked, "voiced": result.voiced}


@shared_task(name="ecosystems.memories_reflect_due_task", **RETRY_POLICY)
def memories_reflect_due_task(ecosystem_id: str) -> int:
    """Fan out one reflection per character whose importance budget is spent (after a tick),
    on the world's queue."""
    ids = list(characters_due_reflection(ecosystem_id=ecosystem_id).values_list("pk", flat=True))
    if ids:
        queue = tick_queue_for_id(ecosystem_id=ecosystem_id)
        group(memory_reflect_task.s(str(pk)) for pk in ids).apply_async(queue=queue)
    return len(ids)


@shared_task(name="ecosystems.memories_consolidate_world_task", **RETRY_POLICY)
def memories_consolidate_world_task(ecosystem_id: str) -> int:
    """Fan out the periodic consolidation of every active character of a world, on the
    world's queue."""
    ids = list(
        Character.objects.filter(ecosystem_id=ecosystem_id, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if ids:
        queue = tick_queue_for_id(ecosystem_id=ecosystem_id)
        group(memory_consolidate_task.s(str(pk)) for pk in ids).apply_async(queue=queue)
    return len(ids)


@shared_task(name="ecosystems.conversations_archive_idle_task", **RETRY_POLICY)
def conversations_archive_idle_task() -> int:
    """The beat's hourly sweep: archive conversations idle for a week."""
    from ecosystems.services.conversations import conversations_archive_idle

    return conversations_archive_idle()


@shared_task(name="ecosystems.graph_sync_task", **RETRY_POLICY)
def graph_sync_task(ecosystem_id: str) -> dict[str, Any]:
    """Project the world's relationship graph up to its last event (ecosystems/graph/). A
    graph database that is away is reported, not retried: the next tick's sync catches up."""
    from core.errors import ServiceUnavailable
    from ecosystems.graph.services import graph_sync

    world = Ecosystem.objects.filter(pk=ecosystem_id).first()
    if world is None:
        return {"ecosystem_id": ecosystem_id, "synced": False, "missing": True}
    try:
        result = graph_sync(ecosystem=world)
    except ServiceUnavailable as error:
        return {"ecosystem_id": ecosystem_id, "synced": False, "reason": error.message}
    return {"ecosystem_id": ecosystem_id, "synced": True, "to_seq": result.to_seq,
            "relationships_written": result.relationships_written}  # fmt: skip


@shared_task(name="ecosystems.book_import_task", **RETRY_POLICY)
def book_import_task(import_id: str) -> dict[str, Any]:
    """Analyse an uploaded book once; a duplicate delivery finds the run taken."""
    from ecosystems.imports.services import book_import_run

    book_import = book_import_run(import_id=import_id)
    if book_import is None:
        return {"import_id": import_id, "ran": False}
    return {"import_id": import_id, "ran": True, "status": book_import.status}
