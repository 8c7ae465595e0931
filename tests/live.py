"""Real servers for end-to-end tests: daphne (and later Celery) on the test database."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import dj_database_url
from django.db import connection

from config.embedded import BASE_DIR

START_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_process_env() -> dict[str, str]:
    """Environment for a child process that must see what this test sees: the test database
    (pytest-django renamed it), the same Redis and the test settings (their key prefixes)."""
    env = dict(os.environ)
    parsed = dj_database_url.parse(env["DATABASE_URL"])
    host = parsed["HOST"].replace("/", "%2F")
    user = parsed["USER"] or "postgres"
    port = f":{parsed['PORT']}" if parsed.get("PORT") else ""
    password = f":{parsed['PASSWORD']}" if parsed.get("PASSWORD") else ""
    env["DATABASE_URL"] = (
        f"postgres://{user}{password}@{host}{port}/{connection.settings_dict['NAME']}"
    )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextlib.contextmanager
def daphne_serving_test_database() -> Iterator[str]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        env=test_process_env(),
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_serving(base_url, proc)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_serving(base_url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"daphne exited during start-up:\n{proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{base_url}/health/", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # a busy machine: retry
            time.sleep(0.1)
    raise RuntimeError(f"daphne did not serve {base_url} within {START_TIMEOUT_SECONDS} s")


@contextlib.contextmanager
def celery_worker(*, queue: str | None = None) -> Iterator[subprocess.Popen]:
    """A real Celery worker (no beat: nothing runs unless the code under test enqueues it)
    on the test database and the tests' own queues: both of them, or only ``queue``."""
    only = ["-Q", queue, "-n", f"{queue}@%h"] if queue else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING",
         *only],
        env=test_process_env(), cwd=BASE_DIR,
    )  # fmt: skip
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def celery_worker_and_beat(schedule_dir: str) -> Iterator[list[subprocess.Popen]]:
    """A real Celery worker and beat on the test database and the tests' own queue."""
    env = test_process_env()
    common = [sys.executable, "-m", "celery", "-A", "config"]
    procs = [
        subprocess.Popen(
            [*common, "worker", "--pool=solo", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=WARNING"],
            env=env, cwd=BASE_DIR,
        ),
        subprocess.Popen(
            [*common, "beat", "--loglevel=WARNING", "--schedule", f"{schedule_dir}/beat"],
            env=env, cwd=BASE_DIR,
        ),
    ]  # fmt: skip
    try:
        yield procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
