"""Fixtures for the LLM chain: real chat servers and fast chain settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from characters.llm.breaker import breakers_reset
from tests.characters.llm.chat_server import FAST_TIMEOUT_SECONDS, ChatServer


@pytest.fixture
def start_chat_server() -> Iterator[Callable[[], ChatServer]]:
    servers: list[ChatServer] = []

    def start() -> ChatServer:
        server = ChatServer()
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def chat_server(start_chat_server: Callable[[], ChatServer]) -> ChatServer:
    return start_chat_server()


@pytest.fixture(autouse=True)
def fast_llm_settings(settings) -> Iterator[None]:
    """No providers unless a test adds some; small retries, backoff and cool-down."""
    settings.LLM_PROVIDERS = []
    settings.OPENAI_BASE_URL = ""
    settings.LLM_MODEL = ""
    settings.LLM_TIMEOUT_SECONDS = FAST_TIMEOUT_SECONDS
    settings.LLM_ATTEMPTS_PER_PROVIDER = 2
    settings.LLM_BACKOFF_SECONDS = 0.01
    settings.LLM_BACKOFF_MAX_SECONDS = 0.05
    settings.LLM_BREAKER_FAILURES = 3
    settings.LLM_BREAKER_COOLDOWN_SECONDS = 0.3
    settings.LLM_CACHE_SECONDS = 60
    breakers_reset()
    yield
    breakers_reset()
