"""Ticks: the world runs by itself.

Scheduling and claiming follow STYLE.md rule 6. Celery beat calls ``ticks_schedule_due`` every
second; for each running world that is due it moves ``next_tick_at`` forward with a
conditional update (so one beat, however often it fires, enqueues one task per due moment) and
enqueues ``ecosystem_tick_task(world, number)`` after commit. The task calls ``ecosystem_tick``,
which claims the tick with ``current_tick = number - 1 → number`` and a ``Tick`` row unique per
(world, number), inside the tick's single transaction: a redelivered or racing task finds the
claim taken and does nothing; a worker killed mid-tick rolls the claim back with everything
else, and the next schedule enqueues the same tick number again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from billing.limits import plan_within_check
from core.errors import InvalidInput
from ecosystems.models import Ecosystem, Tick, TickRun
from ecosystems.queues import tick_queues_for
from ecosystems.services.simulation import simulate_tick_in_world

log = logging.getLogger(__name__)

MAX_TICKS_PER_CALL = 100  # run-N-ticks-now is for tests and scripts; longer runs belong to beat
IDEMPOTENCY_KEY_MAX_CHARS = 200  # TickRun.idempotency_key


@dataclass(frozen=True)
class TickResult:
    ecosystem_id: UUID
    number: int
    ran: bool  # False: another worker had it, or the world was not in that state
    interactions: int = 0
    events: int = 0
    duration_ms: int = 0


def ticks_schedule_due(*, now: dt.datetime | None = None) -> list[tuple[UUID, int]]:
    """Enqueue one tick for every running world that is due, on its plan's queue (priority
    processing or not); returns (world, tick number)."""
    from ecosystems.tasks import ecosystem_tick_task  # tasks import this module

    now = now or timezone.now()
    due = list(
        Ecosystem.objects.filter(
            status=Ecosystem.Status.RUNNING, next_tick_at__lte=now
        ).values_list("pk", "next_tick_at", "current_tick", "tick_interval_seconds", "owner_id")
    )
    scheduled: list[tuple[UUID, int]] = []
    owners: dict[UUID, int] = {}
    for pk, next_at, current, interval, owner_id in due:
        # Claim this due moment: of several beats (or a beat and a retry), one moves it on.
        moved = Ecosystem.objects.filter(pk=pk, next_tick_at=next_at).update(
            next_tick_at=now + dt.timedelta(seconds=interval)
        )
        if moved:
            scheduled.append((pk, current + 1))
            owners[pk] = owner_id
    # Each world to its plan's queue, decided for all of them at once (ecosystems/queues.py);
    # priority worlds are sent first, not after hundreds of free worlds' sends (~1 ms each).
    queues = tick_queues_for(owner_ids=owners.values())
    first = sorted(scheduled, key=lambda item: queues[owners[item[0]]] != settings.PRIORITY_QUEUE)
    for pk, number in first:
        transaction.on_commit(
            lambda pk=pk, number=number, queue=queues[owners[pk]]: ecosystem_tick_task.apply_async(
                (str(pk), number), queue=queue
            )
        )
    return scheduled


def ecosystem_tick(*, ecosystem_id: UUID | str, number: int | None = None) -> TickResult:
    """Run tick ``number`` (default: the next one) of a world, once.

    All of it is one transaction: the claim, the simulation's writes and the events. Returns
    ``ran=False`` when the tick was already taken or the world moved on.
    """
    started = time.perf_counter()
    with transaction.atomic():
        current = Ecosystem.objects.filter(pk=ecosystem_id).values_list("current_tick", flat=True)
        if number is None:
            number = (current.first() or 0) + 1
        claimed = (
            Ecosystem.objects.filter(pk=ecosystem_id, current_tick=number - 1)
            .exclude(status=Ecosystem.Status.ARCHIVED)
            .update(current_tick=F("current_tick") + 1)
        )
        if not claimed or Tick.objects.filter(ecosystem_id=ecosystem_id, number=number).exists():
            transaction.set_rollback(True)
            return TickResult(UUID(str(ecosystem_id)), number, ran=False)
        world = Ecosystem.objects.get(pk=ecosystem_id)
        with _gc_paused():
            outcome = simulate_tick_in_world(world=world)
        duration_ms = round((time.perf_counter() - started) * 1000)
        Tick.objects.create(
            ecosystem=world, number=number, duration_ms=duration_ms, stats=outcome.stats
        )
    return TickResult(
        world.pk,
        number,
        ran=True,
        interactions=outcome.interactions,
        events=outcome.events,
        duration_ms=duration_ms,
    )


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the simulation. A tick allocates millions of
    short-lived objects and makes no cycles worth chasing, and the collector's passes over a big
    world's heap cost about a quarter of a 1,000-character tick (measured: 1.95 s -> 1.41 s).
    Reference counting still frees everything; the collector runs again right after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def ecosystem_run_ticks(*, ecosystem: Ecosystem, ticks: int) -> list[TickResult]:
    """Run ``ticks`` ticks now, one after another (for tests, scripts and the API), recorded
    as a ``TickRun`` like every batch."""
    run, _ = tick_run_start(ecosystem=ecosystem, ticks=ticks)
    results = tick_run_execute(run=run)
    ecosystem.refresh_from_db(fields=["current_tick", "last_event_seq"])
    return results


def tick_run_start(
    *,
    ecosystem: Ecosystem,
    ticks: int,
    requested_by: AbstractBaseUser | None = None,
    idempotency_key: str = "",
) -> tuple[TickRun, bool]:
    """Record a batch of ``ticks`` ticks about to run (committed at once, so it can be asked
    about while it runs); ``(run, True)``. With an ``idempotency_key`` the world already has a
    run for, that run is returned instead, ``(run, False)``, and nothing runs again.
    ``PlanLimitReached`` while the owner holds more than their plan allows (a downgrade)."""
    if not 1 <= ticks <= MAX_TICKS_PER_CALL:
        raise InvalidInput(
            f"Run between 1 and {MAX_TICKS_PER_CALL} ticks at a time; got {ticks}. "
            "Start the world to let it run on its own.",
            details={"ticks": [f"Between 1 and {MAX_TICKS_PER_CALL}."]},
        )
    if ecosystem.status == Ecosystem.Status.ARCHIVED:
        raise InvalidInput(f"World {ecosystem.name!r} is archived; unarchive it to run ticks.")
    plan_within_check(owner=ecosystem.owner)
    key = idempotency_key.strip()
    if len(key) > IDEMPOTENCY_KEY_MAX_CHARS:
        raise InvalidInput(
            f"The Idempotency-Key is {len(key)} characters; use at most "
            f"{IDEMPOTENCY_KEY_MAX_CHARS} (a UUID is 36)."
        )
    if key:
        earlier = TickRun.objects.filter(ecosystem=ecosystem, idempotency_key=key).first()
        if earlier is not None:
            return earlier, False
    try:
        with transaction.atomic():
            run = TickRun.objects.create(
                ecosystem=ecosystem, requested=ticks, requested_by=requested_by,
                idempotency_key=key,
            )  # fmt: skip
    except IntegrityError:  # the same key raced in from a retry: that run is the one
        return TickRun.objects.get(ecosystem=ecosystem, idempotency_key=key), False
    log.info("tick run %s: %s ticks of world %s", run.pk, ticks, ecosystem.pk)
    return run, True


def tick_run_execute(*, run: TickRun) -> list[TickResult]:
    """Run the batch, saving its progress after each tick (each tick commits on its own; a
    batch stopped half-way keeps the ticks that ran). A failing tick marks the run failed,
    with the error and how many ran, and is raised."""
    results: list[TickResult] = []
    try:
        for _ in range(run.requested - run.done):
            result = ecosystem_tick(ecosystem_id=run.ecosystem_id)
            results.append(result)
            run.done += 1
            run.first_tick = run.first_tick or result.number
            run.last_tick = result.number
            run.save(update_fields=["done", "first_tick", "last_tick", "updated_at"])
    except Exception as error:
        run.status, run.error, run.finished_at = TickRun.Status.FAILED, str(error), timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "updated_at"])
        log.exception("tick run %s failed after %s of %s ticks", run.pk, run.done, run.requested)
        raise
    run.status, run.finished_at = TickRun.Status.FINISHED, timezone.now()
    run.save(update_fields=["status", "finished_at", "updated_at"])
    log.info("tick run %s finished: %s ticks", run.pk, run.done)
    return results
