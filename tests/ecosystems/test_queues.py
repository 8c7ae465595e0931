"""Priority processing: one decision routes a world's ticks and their follow-ups to the
priority queue (pro, enterprise) or the default queue (free)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import Plan, Subscription
from ecosystems import tasks
from ecosystems.demo import demo_world_seed
from ecosystems.models import Ecosystem
from ecosystems.queues import tick_queue_for, tick_queue_for_id, tick_queues_for
from ecosystems.services.ticks import ecosystem_tick, ticks_schedule_due
from stories import tasks as story_tasks
from tests.factories import EcosystemFactory, UserFactory

pytestmark = pytest.mark.django_db


def plan_change(user, code: str) -> None:
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code=code))


def owned_on(code: str) -> Ecosystem:
    owner = UserFactory()
    plan_change(owner, code)
    return EcosystemFactory(owner=owner)


def test_a_free_world_ticks_on_the_default_queue(settings):
    assert tick_queue_for(ecosystem=owned_on("free")) == settings.CELERY_TASK_DEFAULT_QUEUE


@pytest.mark.parametrize("code", ["pro", "enterprise"])
def test_a_pro_or_enterprise_world_ticks_on_the_priority_queue(code, settings):
    world = owned_on(code)

    assert tick_queue_for(ecosystem=world) == settings.PRIORITY_QUEUE
    assert tick_queue_for_id(ecosystem_id=world.pk) == settings.PRIORITY_QUEUE
    assert settings.PRIORITY_QUEUE != settings.CELERY_TASK_DEFAULT_QUEUE


def test_a_change_of_plan_changes_the_queue_of_the_next_tick(world, owner, settings):
    assert tick_queue_for(ecosystem=world) == settings.CELERY_TASK_DEFAULT_QUEUE

    plan_change(owner, "pro")
    assert tick_queue_for(ecosystem=world) == settings.PRIORITY_QUEUE

    plan_change(owner, "free")  # a downgrade goes back to the default queue at once
    assert tick_queue_for(ecosystem=world) == settings.CELERY_TASK_DEFAULT_QUEUE


def test_a_plan_edited_in_admin_routes_its_worlds_accordingly(world, settings):
    Plan.objects.filter(code="free").update(priority_processing=True)

    assert tick_queue_for(ecosystem=world) == settings.PRIORITY_QUEUE


def test_a_world_that_is_gone_gets_the_default_queue(settings):
    missing = "00000000-0000-0000-0000-000000000000"
    assert tick_queue_for_id(ecosystem_id=missing) == settings.CELERY_TASK_DEFAULT_QUEUE


def test_the_queues_of_many_owners_cost_the_same_queries_as_one():
    worlds = [owned_on(code) for code in ("free", "pro", "enterprise") * 10]

    with CaptureQueriesContext(connection) as one:
        tick_queues_for(owner_ids=[worlds[0].owner_id])
    with CaptureQueriesContext(connection) as many:
        queues = tick_queues_for(owner_ids=[w.owner_id for w in worlds])

    assert len(many) == len(one) and len(queues) == 30


def test_the_beat_fan_out_sends_each_due_world_to_its_plans_queue(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    sent: dict[str, str] = {}
    monkeypatch.setattr(
        tasks.ecosystem_tick_task, "apply_async",
        lambda args, queue: sent.__setitem__(args[0], queue),
    )  # fmt: skip
    free, pro, enterprise = owned_on("free"), owned_on("pro"), owned_on("enterprise")
    more_free = [owned_on("free") for _ in range(5)]
    Ecosystem.objects.filter(pk__in=[free.pk, pro.pk, enterprise.pk]).update(
        status=Ecosystem.Status.RUNNING, next_tick_at=timezone.now() - dt.timedelta(seconds=1)
    )

    Ecosystem.objects.filter(pk__in=[w.pk for w in more_free]).update(
        status=Ecosystem.Status.RUNNING, next_tick_at=timezone.now() - dt.timedelta(seconds=2)
    )  # due earlier than the others

    with django_capture_on_commit_callbacks(execute=True):
        scheduled = ticks_schedule_due()

    assert len(scheduled) == 8
    assert {
        k: v for k, v in sent.items() if k in {str(free.pk), str(pro.pk), str(enterprise.pk)}
    } == {
        str(free.pk): settings.CELERY_TASK_DEFAULT_QUEUE,
        str(pro.pk): settings.PRIORITY_QUEUE,
        str(enterprise.pk): settings.PRIORITY_QUEUE,
    }
    # The priority worlds are sent first, not after every free world that is due.
    assert set(list(sent.values())[:2]) == {settings.PRIORITY_QUEUE}


@pytest.mark.parametrize(
    ("code", "queue_setting"), [("pro", "PRIORITY_QUEUE"), ("free", "CELERY_TASK_DEFAULT_QUEUE")]
)
def test_a_ticks_follow_ups_go_to_the_ticks_queue(
    code, queue_setting, owner, monkeypatch, settings, django_capture_on_commit_callbacks
):
    plan_change(owner, code)
    world = demo_world_seed(owner=owner).ecosystem
    enqueued: list[tuple[str, str]] = []
    for task in (tasks.memories_reflect_due_task, tasks.memories_embed_missing_task,
                 tasks.memories_consolidate_world_task, tasks.interactions_voice_task,
                 story_tasks.stories_sift_task):  # fmt: skip
        monkeypatch.setattr(
            task, "apply_async",
            lambda args, queue, name=task.name: enqueued.append((name, queue)),
        )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        assert ecosystem_tick(ecosystem_id=world.pk).ran

    assert ("stories.stories_sift_task", getattr(settings, queue_setting)) in enqueued
    assert {queue for _, queue in enqueued} == {getattr(settings, queue_setting)}
