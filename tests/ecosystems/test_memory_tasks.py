"""The memory tasks: thin wrappers that fetch by id, call one service and retry on a lost
database."""

from __future__ import annotations

import uuid

import pytest
from django.db import OperationalError

from characters.models import Memory, MemoryConsolidation
from ecosystems import tasks
from ecosystems.tasks import (
    MAX_RETRIES,
    memories_embed_missing_task,
    memory_consolidate_task,
    memory_reflect_task,
)
from tests.factories import CharacterFactory, MemoryFactory

pytestmark = pytest.mark.django_db


def test_the_reflect_task_reflects_a_character_whose_budget_is_spent(alice, world):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    for tick in range(8):
        MemoryFactory(character=alice, content="Bob insulted me: ...", importance=7, tick=tick)

    result = memory_reflect_task.apply(args=[str(alice.pk)]).get()

    assert result["reflected"] is True
    assert result["importance_spent"] == 56
    reflection = Memory.objects.get(pk=result["insight_ids"][0])
    assert bob.name in reflection.content
    assert memory_reflect_task.apply(args=[str(alice.pk)]).get()["reflected"] is False


def test_the_consolidate_task_consolidates(alice, world):
    world.current_tick = 300
    world.save(update_fields=["current_tick"])
    for tick in range(12):
        MemoryFactory(character=alice, content="I greeted Bob: ...", importance=2, tick=tick)

    result = memory_consolidate_task(str(alice.pk))  # called directly, as a function

    assert result == {
        "character_id": str(alice.pk),
        "consolidated": True,
        "memory_count": 12,
        "drift": {},
    }
    assert MemoryConsolidation.objects.filter(character=alice).exists()


def test_the_embed_task_backfills_a_world(alice, world):
    MemoryFactory(character=alice, content="The mill wheel turned.")
    result = memories_embed_missing_task.apply(args=[str(world.pk)]).get()
    assert result == {"ecosystem_id": str(world.pk), "embedded": 1}


def test_a_task_for_a_deleted_row_ends_quietly(db):
    gone = str(uuid.uuid4())
    assert memory_reflect_task.apply(args=[gone]).get()["missing"] is True
    assert memory_consolidate_task.apply(args=[gone]).get()["missing"] is True
    assert memories_embed_missing_task.apply(args=[gone]).get()["missing"] is True


def test_a_lost_database_connection_is_retried(alice, monkeypatch):
    calls = []
    real = tasks.memory_reflect

    def flaky(*, character):
        calls.append(character.pk)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return real(character=character)

    monkeypatch.setattr(tasks, "memory_reflect", flaky)
    result = memory_reflect_task.apply(args=[str(alice.pk)])
    assert result.successful()
    assert len(calls) == 3


def test_retries_stop_after_three(alice, monkeypatch):
    calls = []

    def down(*, character):
        calls.append(1)
        raise OperationalError("the database is gone")

    monkeypatch.setattr(tasks, "memory_consolidate", down)
    result = memory_consolidate_task.apply(args=[str(alice.pk)])
    assert result.failed()
    assert isinstance(result.result, OperationalError)
    assert len(calls) == MAX_RETRIES + 1
