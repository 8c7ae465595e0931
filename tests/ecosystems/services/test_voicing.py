"""Voicing by model servers happens after the tick, outside every transaction: a slow model
server never holds up interactions or the Director on the same world."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection

from characters.llm.breaker import breakers_reset
from ecosystems import tasks
from ecosystems.demo import demo_world_seed
from ecosystems.models import Event, Interaction
from ecosystems.services.director import director_intervene
from ecosystems.services.interactions import interaction_process
from ecosystems.services.ticks import ecosystem_tick
from tests.characters.llm.chat_server import ChatServer, Hang, Reply

HELD_SECONDS = 60.0  # the slow server holds the voicing request until the test releases it
BOUND_SECONDS = 20.0  # only a bound for a failing run: a passing one never waits on it


def in_thread(work: Callable[[], None]) -> tuple[threading.Thread, threading.Event, list]:
    """Run ``work`` on its own database connection; returns the thread, a finished flag and
    any exception it raised."""
    finished, errors = threading.Event(), []

    def run() -> None:
        try:
            work()
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()
            finished.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, finished, errors


def wait_for(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + BOUND_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture
def slow_model_server(settings):
    server = ChatServer()
    server.start()
    settings.LLM_PROVIDERS = [server.provider(timeout_seconds=HELD_SECONDS)]
    settings.LLM_LINES_PER_TICK = 2
    settings.LLM_BACKOFF_SECONDS = 0.01
    breakers_reset()
    yield server
    server.stop()
    breakers_reset()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_interactions_and_the_director_do_not_wait_while_a_tick_is_voiced(
    owner, slow_model_server, monkeypatch
):
    world = demo_world_seed(owner=owner).ecosystem
    alice, bob = world.characters.order_by("name")[:2]
    follow_ups: list[tuple] = []
    monkeypatch.setattr(
        tasks.interactions_voice_task, "apply_async", lambda args, queue: follow_ups.append(args)
    )
    slow_model_server.always(Reply("Lovely weather for it."))
    slow_model_server.script(Hang(HELD_SECONDS))  # the first request is held

    def tick_then_its_follow_up() -> None:  # what the tick task and then its follow-up do
        ecosystem_tick(ecosystem_id=world.pk)
        for args in follow_ups:
            tasks.interactions_voice_task(*args)

    ticker, ticked, tick_errors = in_thread(tick_then_its_follow_up)
    assert wait_for(lambda: len(slow_model_server.requests) >= 1), "the tick's lines were voiced"

    def interact_and_direct() -> None:
        interaction_process(initiator=alice, target=bob, interaction_type="greeting",
                            content="Good morning, Bob.")  # fmt: skip
        director_intervene(ecosystem=world, kind="whisper", character_ids=[str(bob.pk)],
                           text="Alice seems in good spirits.")  # fmt: skip

    _, others_done, other_errors = in_thread(interact_and_direct)
    try:
        # Both finish while the model server still holds the tick's first line.
        assert others_done.wait(BOUND_SECONDS), "the interaction or the Director waited"
        assert other_errors == []
        assert not ticked.is_set()
    finally:
        slow_model_server.released.set()
    assert ticked.wait(BOUND_SECONDS)
    ticker.join()
    assert tick_errors == []

    kinds = list(
        Event.objects.filter(ecosystem=world).order_by("seq").values_list("kind", flat=True)
    )
    # The tick committed before its lines were voiced; the interaction and the whisper were
    # logged in between; the voiced lines came last.
    assert kinds.index("tick") < kinds.index("director_intervention") < kinds.index("line_voiced")
    voiced = Event.objects.filter(ecosystem=world, kind="line_voiced")
    assert voiced.exists()
    for event in voiced:
        row = Interaction.objects.get(pk=event.payload["interaction_id"])
        assert (row.content, row.response) == (event.payload["content"], event.payload["response"])
