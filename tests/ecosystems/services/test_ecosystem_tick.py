"""Ticks: claimed once, one transaction, constant queries, deterministic, resilient."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from characters.models import Memory
from core.errors import InvalidInput
from ecosystems.demo import demo_world_seed
from ecosystems.models import Ecosystem, Event, Interaction, Tick
from ecosystems.services.ticks import ecosystem_run_ticks, ecosystem_tick, ticks_schedule_due
from tests.factories import CharacterFactory, EcosystemFactory, UserFactory


@pytest.fixture
def garden(owner):
    return demo_world_seed(owner=owner).ecosystem


def log_of(world: Ecosystem) -> list[tuple]:
    """The event log with ids replaced by names and times left out: comparable across worlds."""
    names = {str(c.pk): c.name for c in world.characters.all()}

    def named(value):
        if isinstance(value, dict):
            return {
                named(k): named(v)
                for k, v in value.items()
                if k not in ("interaction_id", "alliance_id")
            }
        if isinstance(value, list):
            return [named(v) for v in value]
        if isinstance(value, str):
            for cid, name in names.items():  # ids also sit inside keys ("short:revenge:<id>")
                value = value.replace(cid, name)
        return value

    return [
        (e.seq, e.kind, e.tick, named({k: v for k, v in e.payload.items() if k != "world_clock"}))
        for e in Event.objects.filter(ecosystem=world).order_by("seq")
    ]


@pytest.mark.django_db
def test_a_tick_makes_characters_act_remember_and_log_it(garden):
    result = ecosystem_tick(ecosystem_id=garden.pk)

    garden.refresh_from_db()
    assert result.ran and result.number == 1
    assert garden.current_tick == 1
    assert Tick.objects.filter(ecosystem=garden, number=1).exists()
    assert result.interactions == Interaction.objects.filter(ecosystem=garden, tick=1).count() > 0
    assert Memory.objects.filter(character__ecosystem=garden, tick=1).exists()
    kinds = set(Event.objects.filter(ecosystem=garden).values_list("kind", flat=True))
    assert {"character_interaction", "tick"} <= kinds
    tick_event = Event.objects.get(ecosystem=garden, kind="tick")
    assert tick_event.payload["world_clock"].startswith("1887-06-14T09:10")


@pytest.mark.django_db
def test_a_replayed_tick_changes_nothing(garden):
    ecosystem_tick(ecosystem_id=garden.pk, number=1)
    events = Event.objects.count()

    again = ecosystem_tick(ecosystem_id=garden.pk, number=1)

    assert not again.ran
    assert Event.objects.count() == events
    assert Tick.objects.filter(ecosystem=garden).count() == 1


@pytest.mark.django_db
def test_a_tick_number_from_the_future_is_not_run(garden):
    assert not ecosystem_tick(ecosystem_id=garden.pk, number=5).ran
    assert Ecosystem.objects.get(pk=garden.pk).current_tick == 0


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_characters(owner):
    def queries_for_a_tick(characters: int) -> int:
        world = EcosystemFactory(owner=owner, seed=7)
        for i in range(characters):
            CharacterFactory(ecosystem=world, name=f"P{i:03}", extraversion=0.9, autonomy_level=1)
        ecosystem_tick(ecosystem_id=world.pk)  # first tick creates relationships
        with CaptureQueriesContext(connection) as captured:
            assert ecosystem_tick(ecosystem_id=world.pk).interactions > 0
        return len(captured.captured_queries)

    assert queries_for_a_tick(60) <= queries_for_a_tick(6)


@pytest.mark.django_db
def test_the_same_world_and_seed_give_the_same_event_log(garden):
    def fifteen_ticks() -> list[tuple]:
        ecosystem_run_ticks(ecosystem=garden, ticks=15)
        return log_of(garden)

    with transaction.atomic():
        first = fifteen_ticks()
        transaction.set_rollback(True)  # back to the world as it was, same ids and all
    garden.refresh_from_db()
    second = fifteen_ticks()

    assert first == second
    assert len(first) > 15


@pytest.mark.django_db
def test_a_tick_that_fails_midway_leaves_nothing_and_runs_again(garden, monkeypatch):
    import ecosystems.services.simulation as simulation

    def crash(**kwargs):
        raise RuntimeError("worker killed mid-tick")

    real_publish = simulation.publish
    monkeypatch.setattr(simulation, "publish", crash)
    with pytest.raises(RuntimeError):
        ecosystem_tick(ecosystem_id=garden.pk, number=1)

    assert Ecosystem.objects.get(pk=garden.pk).current_tick == 0
    assert not Interaction.objects.exists()
    assert not Memory.objects.filter(tick=1).exists()
    assert not Tick.objects.exists()

    monkeypatch.setattr(simulation, "publish", real_publish)
    assert ecosystem_tick(ecosystem_id=garden.pk, number=1).ran


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_racing_for_the_same_tick_run_it_once():
    world = demo_world_seed(owner=UserFactory()).ecosystem
    barrier = threading.Barrier(2)
    results = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(ecosystem_tick(ecosystem_id=world.pk, number=1))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r.ran for r in results) == [False, True]
    assert Tick.objects.filter(ecosystem=world).count() == 1
    assert Ecosystem.objects.get(pk=world.pk).current_tick == 1


@pytest.mark.django_db
def test_the_scheduler_enqueues_one_tick_per_due_world(
    garden, monkeypatch, settings, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        "ecosystems.tasks.ecosystem_tick_task.apply_async",
        lambda args, queue: sent.append((*args, queue)),
    )
    Ecosystem.objects.filter(pk=garden.pk).update(
        status=Ecosystem.Status.RUNNING, next_tick_at=timezone.now() - dt.timedelta(seconds=1)
    )
    paused = EcosystemFactory(status=Ecosystem.Status.PAUSED, next_tick_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        first = ticks_schedule_due()
        second = ticks_schedule_due()

    assert first == [(garden.pk, 1)]
    assert second == []  # the due moment was claimed: the next one is an interval away
    assert paused.pk not in [pk for pk, _ in first]
    assert sent == [(str(garden.pk), 1, settings.CELERY_TASK_DEFAULT_QUEUE)]  # a free owner


@pytest.mark.django_db
def test_run_ticks_is_bounded_and_refuses_archived_worlds(garden):
    with pytest.raises(InvalidInput, match="between 1 and 100"):
        ecosystem_run_ticks(ecosystem=garden, ticks=0)
    garden.status = Ecosystem.Status.ARCHIVED
    with pytest.raises(InvalidInput, match="archived"):
        ecosystem_run_ticks(ecosystem=garden, ticks=1)


@pytest.mark.django_db
def test_run_ticks_advances_the_world_clock(garden):
    results = ecosystem_run_ticks(ecosystem=garden, ticks=3)

    assert [r.number for r in results] == [1, 2, 3]
    assert garden.current_tick == 3
    assert garden.world_clock == garden.world_start + dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_with_a_model_server_the_most_important_exchanges_are_voiced_after_the_tick(
    garden, model_server, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from ecosystems import tasks
    from tests.characters.llm.chat_server import Reply

    settings.LLM_LINES_PER_TICK = 2
    model_server.always(Reply("A fine afternoon for it, is it not?"))
    enqueued = []
    monkeypatch.setattr(
        tasks.interactions_voice_task, "apply_async", lambda args, queue: enqueued.append(args)
    )

    with django_capture_on_commit_callbacks(execute=True):
        ecosystem_tick(ecosystem_id=garden.pk)
    # The tick asked no model server: it logged template lines and named two to voice.
    assert model_server.requests == []
    ((world_id, interaction_ids),) = enqueued
    assert len(interaction_ids) == 2  # LLM_LINES_PER_TICK
    assert Event.objects.get(ecosystem=garden, kind="tick").payload["voicing"] == 2

    with django_capture_on_commit_callbacks(execute=False):
        tasks.interactions_voice_task(world_id, interaction_ids)

    voiced = Interaction.objects.filter(content="A fine afternoon for it, is it not?")
    assert sorted(str(pk) for pk in voiced.values_list("pk", flat=True)) == sorted(interaction_ids)
    assert Interaction.objects.exclude(pk__in=voiced).exists()  # the rest stay template lines
    logged = Event.objects.filter(ecosystem=garden, kind="line_voiced")
    assert sorted(e.payload["interaction_id"] for e in logged) == sorted(interaction_ids)
    assert all(e.payload["previous_content"] != e.payload["content"] for e in logged)

    # Delivered twice, the task asks no server and changes nothing twice.
    asked = len(model_server.requests)
    tasks.interactions_voice_task(world_id, interaction_ids)
    assert len(model_server.requests) == asked
    assert Event.objects.filter(ecosystem=garden, kind="line_voiced").count() == 2


@pytest.mark.django_db
def test_a_failing_model_server_never_fails_a_tick(garden, model_server):
    from tests.characters.llm.chat_server import Fail

    model_server.always(Fail(503))

    result = ecosystem_tick(ecosystem_id=garden.pk)

    assert result.ran
    assert result.interactions > 0
    assert all(i.content and i.response for i in Interaction.objects.all())


@pytest.mark.django_db
def test_a_tick_does_not_repeat_a_sentence_an_earlier_tick_said(garden, monkeypatch):
    from ecosystems.services import simulation

    heard: list[list[str]] = []
    real = simulation._recent_lines
    monkeypatch.setattr(
        simulation, "_recent_lines", lambda world: heard.append(real(world)) or heard[-1]
    )

    ecosystem_run_ticks(ecosystem=garden, ticks=20)

    lines = list(
        Interaction.objects.filter(ecosystem=garden)
        .order_by("tick", "created_at")
        .values_list("content", flat=True)
    )
    assert heard[0] == [] and len(heard[-1]) > 0  # each tick hears what earlier ones said
    assert len(set(lines)) == len(lines)
