"""Priority processing: a pro world's tick latency while 200 free worlds are queued, vs alone.

Real worker processes, as ``make run`` starts them (``config.launcher.worker_commands``: the
default-queue worker with ``CELERY_CONCURRENCY`` processes, 2, and ``worker-priority`` with 1),
on the embedded Redis broker and the bench's own database and queue names. Latency is from the
beat's fan-out (``ticks_schedule_due``) that finds the pro world due to its ``Tick`` row being
committed. Alone: only the pro world is due. Crowded: 200 free worlds were made due and fanned
out first (their 200 ticks queued on the default queue, its worker busy), then the pro world.
Rounds alternate A B A B so drift of the machine hits both. Target (issue 13): crowded / alone
at most 1.5. Last, once, the pro world routed like a free one: what priority processing saves.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import time

from bench.common import Figure, django_bench_database

FREE_WORLDS = 200
CHARACTERS = 3  # small worlds: the queue, not the simulation, is measured
ROUNDS = 5
RATIO_TARGET = 1.5
DEFAULT_QUEUE, PRIORITY_QUEUE = "bench-celery", "bench-priority"
WAIT_SECONDS = 60
POLL_SECONDS = 0.005


def run() -> list[Figure]:
    django_bench_database("bench_priority")
    from django.test.utils import override_settings

    with override_settings(CELERY_TASK_DEFAULT_QUEUE=DEFAULT_QUEUE, PRIORITY_QUEUE=PRIORITY_QUEUE):
        pro, free = _seed()
        workers = _start_workers()
        try:
            _purge(DEFAULT_QUEUE, PRIORITY_QUEUE)
            _tick_latency(pro, [])  # warm-up: workers imported, connected, first tick done
            alone, crowded, backlog = [], [], []
            for _ in range(ROUNDS):
                alone.append(_tick_latency(pro, []))
                seconds, left = _tick_latency(pro, free)
                crowded.append(seconds)
                backlog.append(left)
            # What priority processing saves: the same pro world routed as a free one.
            with override_settings(PRIORITY_QUEUE=DEFAULT_QUEUE):
                unprioritised, _ = _tick_latency(pro, free)
        finally:
            for proc in workers:
                proc.terminate()
            for proc in workers:
                proc.wait(timeout=30)
            _purge(DEFAULT_QUEUE, PRIORITY_QUEUE)
    a = statistics.median(s for s, _ in alone)
    b = statistics.median(crowded)
    return [
        Figure(f"pro tick alone (median of {ROUNDS})", a * 1000, "ms"),
        Figure(f"pro tick, {FREE_WORLDS} free queued (median)", b * 1000, "ms"),
        Figure("free ticks still queued at pro done (min)", min(backlog), "ticks"),
        Figure("crowded / alone", b / a, "ratio", RATIO_TARGET),
        Figure(f"pro tick on the default queue, {FREE_WORLDS} free queued", unprioritised * 1000,
               "ms"),
    ]  # fmt: skip


def _seed():
    from django.contrib.auth import get_user_model

    from billing.models import Plan, Subscription
    from characters.models import Character
    from ecosystems.models import Ecosystem

    User = get_user_model()
    owners = {}
    for code in ("free", "pro"):
        user, _ = User.objects.get_or_create(username=f"bench-priority-{code}")
        Subscription.objects.update_or_create(
            user=user, defaults={"plan": Plan.objects.get(code=code)}
        )
        Ecosystem.objects.filter(owner=user).delete()
        owners[code] = user
    far = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    worlds = Ecosystem.objects.bulk_create(
        [Ecosystem(owner=owners["pro"], name="Pro", slug="pro", seed=1,
                   status=Ecosystem.Status.RUNNING, tick_interval_seconds=3600, next_tick_at=far)]
        + [Ecosystem(owner=owners["free"], name=f"Free {i}", slug=f"free-{i}", seed=i,
                     status=Ecosystem.Status.RUNNING, tick_interval_seconds=3600,
                     next_tick_at=far)
           for i in range(FREE_WORLDS)]
    )  # fmt: skip
    Character.objects.bulk_create(
        Character(ecosystem=w, name=f"Person {n}") for w in worlds for n in range(CHARACTERS)
    )
    return worlds[0], worlds[1:]


def _start_workers() -> list[subprocess.Popen]:
    from config.embedded import var_dir
    from config.launcher import worker_commands
    from config.queues import queue_env
    from tests.live import test_process_env

    env = test_process_env()  # the bench database, whatever pytest-style name it has
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["DRAMATIS_CELERY_QUEUE"], env["DRAMATIS_CELERY_PRIORITY_QUEUE"] = (
        DEFAULT_QUEUE,
        PRIORITY_QUEUE,
    )
    env.update(queue_env(env))
    env["DRAMATIS_LOG_LEVEL"] = "WARNING"
    # One process each by default (the "one default worker, one priority worker"); on
    # 2 cores, make run's 2 default processes beside the priority one share the CPU 3 ways.
    env["CELERY_CONCURRENCY"] = os.environ.get("DRAMATIS_BENCH_PRIORITY_DEFAULT_CONCURRENCY", "1")
    env["CELERY_PRIORITY_CONCURRENCY"] = "1"
    logs = var_dir()
    procs = []
    for name, argv in worker_commands(env).items():
        with open(logs / f"bench-priority-{name}.log", "w") as log:
            procs.append(subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT))
    return procs


def _tick_latency(pro, free) -> tuple[float, int]:
    """Seconds from the fan-out that finds ``pro`` due to its tick committed, after the
    ``free`` worlds' ticks were queued; and how many of those were still queued then."""
    from django.utils import timezone

    from ecosystems.models import Ecosystem, Tick
    from ecosystems.services.ticks import ticks_schedule_due

    due = timezone.now() - dt.timedelta(seconds=1)
    if free:
        Ecosystem.objects.filter(pk__in=[w.pk for w in free]).update(next_tick_at=due)
        assert len(ticks_schedule_due()) == len(free)
    Ecosystem.objects.filter(pk=pro.pk).update(next_tick_at=due)
    started = time.perf_counter()
    ((_, number),) = ticks_schedule_due()
    deadline = time.monotonic() + WAIT_SECONDS
    while not Tick.objects.filter(ecosystem_id=pro.pk, number=number).exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the pro world's tick {number} did not run in {WAIT_SECONDS} s")
        time.sleep(POLL_SECONDS)
    seconds = time.perf_counter() - started
    left = _queue_length(DEFAULT_QUEUE)
    _purge(DEFAULT_QUEUE)  # the next round starts with nothing queued
    time.sleep(1.0)  # the tick's follow-ups and the default worker's task in hand finish
    return seconds, left


def _queue_length(name: str) -> int:
    from config.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(name)


def _purge(*names: str) -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        for name in names:
            conn.default_channel.queue_purge(name)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for figure in run():
        print(f"{figure.name}: {figure.value:,.3f} {figure.unit} (target {figure.target})")
