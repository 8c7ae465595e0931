"""Embeddings: WordLlama offline by default, an OpenAI-compatible endpoint when configured."""

from __future__ import annotations

import math
import socket
from collections.abc import Iterator

import numpy as np
import pytest

from characters import embeddings
from characters.embeddings import (
    BLANK_VECTOR,
    OPENAI_BATCH,
    EmbeddingError,
    embed_texts,
    wordllama_model,
)
from characters.models import EMBEDDING_DIMENSIONS
from tests.characters.embedding_server import EmbeddingServer, fake_vector


def cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))  # both are unit vectors


def is_unit(vector: list[float]) -> bool:
    return math.isclose(math.fsum(x * x for x in vector), 1.0, rel_tol=1e-6)


@pytest.fixture
def no_network(monkeypatch) -> None:
    """Any attempt to open a connection beyond this machine fails the test."""
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else ""
        if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1"):
            raise AssertionError(f"network access to {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def embedding_server(settings) -> Iterator[EmbeddingServer]:
    server = EmbeddingServer()
    server.start()
    settings.EMBEDDINGS = "openai"
    settings.OPENAI_BASE_URL = server.base_url
    settings.OPENAI_API_KEY = "sk-test-embeddings"
    settings.LLM_TIMEOUT_SECONDS = 2.0
    yield server
    server.stop()


# --- WordLlama (default) ------------------------------------------------------------------------


def test_wordllama_gives_one_256_d_unit_vector_per_text(settings, no_network):
    settings.EMBEDDINGS = "wordllama"
    vectors = embed_texts(["Bob insulted me at the garden party.", "The roses bloomed."])
    assert len(vectors) == 2
    assert all(len(v) == EMBEDDING_DIMENSIONS == 256 for v in vectors)
    assert all(is_unit(v) for v in vectors)
    assert all(isinstance(x, float) for x in vectors[0])


def test_similar_sentences_are_closer_than_unrelated_ones(settings, no_network):
    settings.EMBEDDINGS = "wordllama"
    insult, rude, roses = embed_texts(
        ["Bob insulted me in front of everyone.", "Bob was rude to me and mocked me.",
         "The roses in the garden bloomed in June."]
    )  # fmt: skip
    assert cosine(insult, rude) > cosine(insult, roses) + 0.2


def test_wordllama_loads_once_per_process_from_the_wheel(settings, no_network):
    settings.EMBEDDINGS = "wordllama"
    assert wordllama_model() is wordllama_model()


def test_blank_texts_get_the_fixed_unit_vector(settings):
    settings.EMBEDDINGS = "wordllama"
    blank, text = embed_texts(["   ", "A walk by the river."])
    assert blank == list(BLANK_VECTOR)
    assert is_unit(blank) and is_unit(text)
    assert embed_texts([]) == []


def test_the_same_text_embeds_the_same_way(settings):
    settings.EMBEDDINGS = "wordllama"
    first, second = embed_texts(["Carol gave me a gift.", "Carol gave me a gift."])
    assert first == second


# --- OpenAI-compatible endpoint -----------------------------------------------------------------


def test_openai_asks_for_text_embedding_3_small_with_256_dimensions(embedding_server):
    vectors = embed_texts(["Bob helped me.", "Alice teased me."])
    (request,) = embedding_server.requests
    assert request["model"] == "text-embedding-3-small"
    assert request["dimensions"] == 256
    assert request["input"] == ["Bob helped me.", "Alice teased me."]
    assert embedding_server.headers[0]["authorization"] == "Bearer sk-test-embeddings"
    assert all(len(v) == 256 and is_unit(v) for v in vectors)


def test_openai_vectors_come_back_in_input_order_and_normalised(embedding_server):
    texts = ["first", "second", "third"]
    vectors = embed_texts(texts)
    for text, vector in zip(texts, vectors, strict=True):
        raw = fake_vector(text, 256)
        norm = math.sqrt(math.fsum(x * x for x in raw))
        assert vector == pytest.approx([x / norm for x in raw])


def test_openai_is_called_in_batches(embedding_server):
    texts = [f"memory number {i}" for i in range(OPENAI_BATCH * 2 + 3)]
    vectors = embed_texts(texts)
    assert [len(r["input"]) for r in embedding_server.requests] == [OPENAI_BATCH, OPENAI_BATCH, 3]
    assert len(vectors) == len(texts)


def test_the_model_setting_is_used(embedding_server, settings):
    settings.EMBEDDINGS_MODEL = "my-embedder"
    embed_texts(["x"])
    assert embedding_server.requests[0]["model"] == "my-embedder"


def test_blank_texts_are_not_sent(embedding_server):
    vectors = embed_texts(["", "real text"])
    assert embedding_server.requests[0]["input"] == ["real text"]
    assert vectors[0] == list(BLANK_VECTOR)


def test_a_failing_endpoint_says_what_to_check(embedding_server, monkeypatch):
    monkeypatch.setattr(embeddings, "OPENAI_MAX_RETRIES", 0)
    embeddings._openai_client.cache_clear()
    embedding_server.fail_next(5)
    with pytest.raises(EmbeddingError, match="OPENAI_BASE_URL"):
        embed_texts(["x"])
    embeddings._openai_client.cache_clear()


def test_intent_prototypes_read_a_line_no_rule_knows_offline(settings, no_network):
    from characters.embeddings import intent_prototypes
    from characters.engine.intent import read_intent

    settings.EMBEDDINGS = "wordllama"
    prototypes = intent_prototypes()

    intent = read_intent("Nobody here can stand you.", prototypes=prototypes)

    assert (intent.kind, intent.source) == ("insult", "prototype")
    assert read_intent("Nobody here can stand you.").kind != "insult"  # rules alone miss it


def test_no_intent_prototypes_when_embeddings_are_remote(settings):
    from characters.embeddings import intent_prototypes

    settings.EMBEDDINGS = "openai"

    assert intent_prototypes() is None
