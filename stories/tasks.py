"""Celery tasks of the stories app: thin, taking ids, one service call each."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db.models import F

from ecosystems.models import Ecosystem
from ecosystems.queues import tick_queues_for
from ecosystems.tasks import RETRY_POLICY
from stories.services import drama_direct, stories_sift
from stories.society import social_snapshot_take


@shared_task(name="stories.stories_sift_task", **RETRY_POLICY)
def stories_sift_task(ecosystem_id: str) -> dict[str, Any]:
    """Sift the world's new events into stories, then let its drama manager decide."""
    if not Ecosystem.objects.filter(pk=ecosystem_id).exists():
        return {"ecosystem_id": ecosystem_id, "missing": True}
    sifted = stories_sift(ecosystem_id=ecosystem_id)
    drama = drama_direct(ecosystem_id=ecosystem_id)
    return {
        "ecosystem_id": ecosystem_id,
        "events": sifted.events,
        "detected": sifted.detected,
        "updated": sifted.updated,
        "last_seq": sifted.last_seq,
        "tension": drama.tension,
        "injected": drama.injected,
    }


@shared_task(name="stories.stories_sift_due_task", ignore_result=True)
def stories_sift_due_task() -> int:
    """Beat: one sift task per world whose log has grown past its cursor."""
    due = list(
        Ecosystem.objects.exclude(status=Ecosystem.Status.ARCHIVED)
        .exclude(sift_cursor__last_seq__gte=F("last_event_seq"))
        .filter(last_event_seq__gt=0)
        .values_list("pk", "owner_id")
    )
    queues = tick_queues_for(owner_ids=[owner_id for _, owner_id in due])
    for pk, owner_id in due:
        stories_sift_task.apply_async((str(pk),), queue=queues[owner_id])
    return len(due)


@shared_task(name="stories.social_snapshot_task", **RETRY_POLICY)
def social_snapshot_task(ecosystem_id: str) -> dict[str, Any]:
    """Take the world's social analytics if it ticked since the last snapshot."""
    if not Ecosystem.objects.filter(pk=ecosystem_id).exists():
        return {"ecosystem_id": ecosystem_id, "missing": True}
    snapshot = social_snapshot_take(ecosystem_id=ecosystem_id)
    return {
        "ecosystem_id": ecosystem_id,
        "snapshot_id": str(snapshot.pk) if snapshot else None,
        "tick": snapshot.tick if snapshot else None,
    }
