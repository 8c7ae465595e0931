"""Integration: a pro world's tick runs on the priority queue's own worker while the default
queue is blocked (here: nobody consumes it at all), against the real Redis broker."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.utils import timezone

from billing.models import Plan, Subscription
from config.celery import app
from ecosystems.models import Ecosystem, Tick
from ecosystems.services.ticks import ticks_schedule_due
from tests.factories import CharacterFactory, EcosystemFactory, UserFactory
from tests.live import celery_worker

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]
WAIT_SECONDS = 45  # worker start-up (~3 s) plus one small tick, with room for a slow CI


def small_world_on(code: str) -> Ecosystem:
    owner = UserFactory()
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code=code))
    world = EcosystemFactory(owner=owner, status=Ecosystem.Status.RUNNING)
    for name in ("Ada", "Ben", "Cy"):
        CharacterFactory(ecosystem=world, name=name)
    return world


def queue_length(name: str) -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(name)


def test_a_pro_worlds_tick_runs_while_the_default_queue_is_blocked():
    free, pro = small_world_on("free"), small_world_on("pro")
    Ecosystem.objects.filter(pk__in=[free.pk, pro.pk]).update(
        next_tick_at=timezone.now() - dt.timedelta(seconds=1), tick_interval_seconds=3600
    )
    default = settings.CELERY_TASK_DEFAULT_QUEUE
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(default)  # what earlier tests may have left
    try:
        with celery_worker(queue=settings.PRIORITY_QUEUE):
            # What beat does each second, with the real routing and the real broker.
            assert len(ticks_schedule_due()) == 2
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline and not Tick.objects.filter(ecosystem=pro).exists():
                time.sleep(0.2)

            assert Tick.objects.filter(ecosystem=pro, number=1).exists(), "the pro tick waited"
            assert not Tick.objects.filter(ecosystem=free).exists()  # nobody took the free one
            assert queue_length(default) == 1  # still waiting, on the default queue
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(default)  # no free tick left for later workers
