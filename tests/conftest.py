"""Shared fixtures: personas (owner, stranger, staff) and factories.

The session attaches to the embedded servers through settings (or uses DATABASE_URL / REDIS_URL
when given); pytest-django creates the test database on that server.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.factories import CharacterFactory, EcosystemFactory, UserFactory

User = get_user_model()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A transactional test must also ask for serialized_rollback: its flush re-creates content
    types, and the next serialized test's restore then fails on duplicate keys."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture
def owner(db) -> User:
    return UserFactory(username="owner")


@pytest.fixture
def stranger(db) -> User:
    return UserFactory(username="stranger")


@pytest.fixture
def staff(db) -> User:
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def world(owner):
    return EcosystemFactory(owner=owner, name="Owner's World")


@pytest.fixture
def alice(world):
    return CharacterFactory(ecosystem=world, name="Alice", agreeableness=0.9)


@pytest.fixture
def live_daphne(transactional_db):
    """A real daphne process serving the test database on a free port; yields its base URL.

    Data the test writes must be committed (this fixture implies a transactional test), since
    the server reads it from another process.
    """
    from tests.live import daphne_serving_test_database

    with daphne_serving_test_database() as base_url:
        yield base_url


@pytest.fixture
def model_server(settings):
    """A real chat-completions server on 127.0.0.1, configured as the only provider, with fast
    retries; yields it so a test can script its replies."""
    from characters.llm.breaker import breakers_reset
    from tests.characters.llm.chat_server import ChatServer

    server = ChatServer()
    server.start()
    settings.LLM_PROVIDERS = [server.provider()]
    settings.LLM_BACKOFF_SECONDS = 0.01
    breakers_reset()
    yield server
    server.stop()
    breakers_reset()


@pytest.fixture
def fresh_channel_layer():
    """A channel layer of the test's own: channels-redis keeps an asyncio lock per process
    channel in its layer, and a receive cut off with its event loop (a socket test that ended
    mid-wait) leaves that lock held and bound to the dead loop, failing every later receive on
    the process-wide layer. Tests that receive from the layer in a new loop start clean."""
    from channels.layers import channel_layers

    channel_layers.backends.pop("default", None)
    yield
    channel_layers.backends.pop("default", None)
