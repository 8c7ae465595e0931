"""examples/watch_world.py against a real daphne: sign in, subscribe, see the greeting arrive."""

from __future__ import annotations

import asyncio
import importlib.util
import threading

import pytest
from django.db import connection

from config.embedded import BASE_DIR
from ecosystems.events import builders, publish
from ecosystems.services import interaction_process
from tests.factories import PASSWORD, CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def load_example():
    spec = importlib.util.spec_from_file_location(
        "watch_world", BASE_DIR / "examples" / "watch_world.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_script_subscribed_to_the_world_receives_alices_greeting(live_daphne, owner):
    world = EcosystemFactory(owner=owner, name="The Garden Party")
    alice = CharacterFactory(ecosystem=world, name="Alice", agreeableness=0.9, extraversion=0.7)
    bob = CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.2, extraversion=0.3)
    publish(ecosystem=world, events=[builders.ecosystem_status(status="running")])
    example = load_example()
    cookie = example.session_cookie(live_daphne, "owner", PASSWORD)

    # Greet once the script has caught up with the log (the replayed status event).
    def greet_soon() -> None:
        try:
            interaction_process(initiator=alice, target=bob, interaction_type="greeting")
        finally:
            connection.close()  # this thread's connection would keep the test database open

    timer = threading.Timer(1.0, greet_soon)
    timer.start()
    try:
        seen = asyncio.run(
            asyncio.wait_for(example.watch(live_daphne, cookie, str(world.pk), 0, 2), timeout=20)
        )
    finally:
        timer.join()

    assert [e["type"] for e in seen] == ["ecosystem_status", "character_interaction"]
    greeting = seen[1]["data"]
    assert greeting["participants"][0]["name"] == "Alice"
    assert greeting["response"]
