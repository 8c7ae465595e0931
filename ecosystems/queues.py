"""Which Celery queue a world's work goes to: the one decision of priority processing.

A world whose owner's plan has ``priority_processing`` (pro and enterprise) ticks on the
priority queue, and so do the tick's follow-ups (voicing, memories, story sifting); every other
world uses the default queue. Each queue has its own worker (``make run`` starts both; more
machines add ``celery -A config worker -Q priority``), so however many free worlds are due at
once, a priority world's tick waits only for the priority worker. The plan is read when the
work is enqueued: a change of plan routes the next tick differently, nothing to migrate.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.conf import settings

from billing.models import Plan
from billing.selectors import users_with_priority_processing
from ecosystems.models import Ecosystem


def tick_queues_for(*, owner_ids: Iterable[int]) -> dict[int, str]:
    """The queue for the worlds of each of ``owner_ids`` (two queries whatever their number:
    the beat's fan-out asks for every due world at once)."""
    owners = set(owner_ids)
    priority = users_with_priority_processing(user_ids=owners)
    return {
        owner_id: settings.PRIORITY_QUEUE
        if owner_id in priority
        else settings.CELERY_TASK_DEFAULT_QUEUE
        for owner_id in owners
    }


def tick_queue_of_plan(*, plan: Plan) -> str:
    """The queue for the worlds of an owner on ``plan``, for a caller that has read the plan
    already (a message answered checked its quota): no query."""
    return (
        settings.PRIORITY_QUEUE if plan.priority_processing else settings.CELERY_TASK_DEFAULT_QUEUE
    )


def tick_queue_for(*, ecosystem: Ecosystem) -> str:
    """The queue for this world's ticks and their follow-ups."""
    return tick_queues_for(owner_ids=[ecosystem.owner_id])[ecosystem.owner_id]


def tick_queue_for_id(*, ecosystem_id: UUID | str) -> str:
    """``tick_queue_for`` from an id (a task or callback that holds only the id); a world that
    no longer exists gets the default queue (its task will find it gone and end)."""
    owner_id = Ecosystem.objects.filter(pk=ecosystem_id).values_list("owner_id", flat=True).first()
    if owner_id is None:
        return settings.CELERY_TASK_DEFAULT_QUEUE
    return tick_queues_for(owner_ids=[owner_id])[owner_id]
