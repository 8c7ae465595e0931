"""With REDIS_URL and CELERY_BROKER_URL set, every part uses those external servers.

Needs this machine's Redis on 127.0.0.1:6379 (database 15 is used, and only this test's keys
are touched) and RabbitMQ on 127.0.0.1:5672 with the default guest account. PostgreSQL stays
the embedded one: the child processes get this session's DATABASE_URL.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from celery import Celery
from kombu import Connection
from kombu.exceptions import OperationalError

from config.embedded import BASE_DIR

pytestmark = pytest.mark.external

REDIS_URL = "redis://127.0.0.1:6379/15"
BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
WORKER_READY_SECONDS = 20  # a cold worker imports Django and connects in ~2 s here
ROUND_TRIP_SECONDS = 20

# Runs in a child process configured only by the environment, exactly as a deployment would be.
CLIENT = """
import json, sys

import django

django.setup()

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache

from config.celery import app, echo_task

token, queue, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
cache.set(f"external-{token}", "cached", timeout=300)
layer = get_channel_layer()


async def channel_round_trip():
    await layer.send(f"external-{token}-echo", {"type": "echo", "text": "hello"})
    received = await layer.receive(f"external-{token}-echo")
    # Left unread so the test can find it in Redis.
    await layer.send(f"external-{token}-unread", {"type": "unread"})
    return received


received = async_to_sync(channel_round_trip)()
with app.connection_for_write() as conn:
    transport = conn.transport.driver_type
result = echo_task.apply_async(args=["hi"], queue=queue, task_id=f"external-{token}")
print(json.dumps({
    "cache_location": settings.CACHES["default"]["LOCATION"],
    "cache_key": cache.make_key(f"external-{token}"),
    "cache_value": cache.get(f"external-{token}"),
    "channel_hosts": settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"],
    "channel_message": received,
    "broker_url": app.conf.broker_url,
    "broker_transport": transport,
    "result_backend": app.conf.result_backend,
    "echo": result.get(timeout=timeout),
}))
"""


def _accepting(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def external_servers() -> None:
    for name, port in (("Redis", 6379), ("RabbitMQ", 5672)):
        if not _accepting(port):
            pytest.skip(f"needs {name} on 127.0.0.1:{port}, which is not accepting TCP connections")


@pytest.fixture
def token() -> str:
    return uuid.uuid4().hex[:12]


@pytest.fixture
def redis15(external_servers, token) -> Iterator[redis.Redis]:
    """The external Redis, database 15; deletes every key this test made there."""
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    for key in client.scan_iter(match=f"*external-{token}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DRAMATIS_EMBEDDED"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=os.environ["DATABASE_URL"],  # this session's embedded PostgreSQL
        REDIS_URL=REDIS_URL,
        CELERY_BROKER_URL=BROKER_URL,
        CELERY_RESULT_BACKEND=REDIS_URL,
    )
    return env


def _start_worker(*, env: dict[str, str], queue: str, nodename: str, log: Path):
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "-n", nodename,
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=out, stderr=out)


def _wait_until_ready(worker: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + WORKER_READY_SECONDS
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if " ready." in text:
            return
        assert worker.poll() is None, f"the worker exited early:\n{text}"
        time.sleep(0.1)
    pytest.fail(f"the worker was not ready in {WORKER_READY_SECONDS} s:\n{log.read_text()}")


def _stop(worker: subprocess.Popen, *, nodename: str) -> None:
    """Ask over the broker first: the worker's event loop can sleep up to 10 s before it notices
    a SIGTERM, while a remote-control shutdown wakes it at once. Then insist."""
    # If the broker is gone, the signals below still stop the worker.
    with contextlib.suppress(OSError, OperationalError), Celery(broker=BROKER_URL) as app:
        app.control.shutdown(destination=[nodename])
    try:
        worker.wait(timeout=5)
    except subprocess.TimeoutExpired:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


def _delete_queue(queue: str) -> None:
    with Connection(BROKER_URL, connect_timeout=5) as conn:
        conn.default_channel.queue_delete(queue)


def test_redis_url_and_an_amqp_broker_send_cache_channels_and_celery_to_those_servers(
    redis15, child_env, token, tmp_path
):
    queue = f"dramatis-external-{token}"
    log = tmp_path / "worker.log"
    nodename = f"external-{token}@dramatis-test"
    worker = _start_worker(env=child_env, queue=queue, nodename=nodename, log=log)
    try:
        _wait_until_ready(worker, log)

        client = subprocess.run(
            [sys.executable, "-c", CLIENT, token, queue, str(ROUND_TRIP_SECONDS)],
            env=child_env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=ROUND_TRIP_SECONDS + 15,
        )
        assert client.returncode == 0, f"{client.stderr}\n--- worker ---\n{log.read_text()}"
        seen = json.loads(client.stdout.strip().splitlines()[-1])

        # The RabbitMQ queue exists and the worker is the one consuming it.
        with Connection(BROKER_URL, connect_timeout=5) as conn:
            _, _, consumers = conn.default_channel.queue_declare(queue, passive=True)
        assert consumers == 1
    finally:
        _stop(worker, nodename=nodename)
        _delete_queue(queue)

    assert seen["cache_location"] == REDIS_URL
    assert [host["address"] for host in seen["channel_hosts"]] == [REDIS_URL]
    assert (seen["broker_url"], seen["broker_transport"]) == (BROKER_URL, "amqp")
    assert seen["result_backend"] == REDIS_URL
    assert seen["cache_value"] == "cached"
    assert seen["channel_message"] == {"type": "echo", "text": "hello"}
    assert seen["echo"] == "hi"
    assert f"Task config.echo_task[external-{token}] succeeded" in log.read_text()
    # What the child wrote really is in 127.0.0.1:6379, database 15.
    assert redis15.exists(seen["cache_key"])
    assert redis15.exists(f"celery-task-meta-external-{token}")
    assert any(b"unread" in key for key in redis15.scan_iter(match=f"*external-{token}*"))
