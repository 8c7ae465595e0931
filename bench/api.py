"""The REST API's read endpoints under 100 requests/s of concurrent load, on the embedded stack,
through the HTTP server ``make run`` uses (``config.launcher.web_command``).

A world of 30 characters with relationships, 3,000 logged events, memories and stories is
read by an open-loop client: a request is sent every 10 ms whatever the server's speed (so a
slow server is not flattered by a client that waits for it), by a pool of threads with
keep-alive sessions, for ``DURATION_SECONDS`` after a warm-up. The mix is the reads a game
server makes: the world, its characters, one character, relationships, the graph, a page of
the log, stories, memories (recent and searched by meaning) and usage. Latency is measured
per request from send to last byte. Target (issue 7): p95 at most 50 ms.

The same load is also put on a single daphne process for comparison (no target).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from bench.common import Figure, django_bench_database, percentiles_ms

RATE_PER_SECOND = int(os.environ.get("DRAMATIS_BENCH_API_RATE", "100"))
DURATION_SECONDS = 20
WARMUP_SECONDS = 4
CLIENT_THREADS = 48  # enough in flight that the client never holds the schedule back
P95_TARGET_MS = 50.0
CHARACTERS = 30
EVENTS = 3_000
START_TIMEOUT_SECONDS = 60


def run() -> list[Figure]:
    django_bench_database("bench_api")
    key, paths = _seed()
    from config.launcher import web_command

    figures = _measure("gunicorn+uvicorn", web_command, key, paths, target=P95_TARGET_MS)
    if os.environ.get("DRAMATIS_BENCH_API_DAPHNE", "1") == "0":
        return figures
    return figures + _measure("daphne (1 process)", _daphne_command, key, paths, target=None)


def _daphne_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "config.asgi:application"]


def _seed() -> tuple[str, list[str]]:
    """The bench user (enterprise: no rate limit), its key and the world; recreated each run."""
    from django.contrib.auth import get_user_model

    from billing.models import ApiKey, Plan, Subscription
    from billing.services import api_key_create
    from characters.embeddings import embed_texts
    from ecosystems.events import builders, publish
    from ecosystems.models import Ecosystem
    from tests.factories import (
        CharacterFactory,
        EcosystemFactory,
        MemoryFactory,
        RelationshipFactory,
        StoryFactory,
    )

    user, _ = get_user_model().objects.get_or_create(username="bench-api")
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code="enterprise"))
    Ecosystem.objects.filter(owner=user).delete()
    ApiKey.objects.filter(user=user).delete()
    world = EcosystemFactory(owner=user, name="Bench API world")
    rng = random.Random(7)
    people = [
        CharacterFactory(ecosystem=world, name=f"C{i}", agreeableness=rng.random())
        for i in range(CHARACTERS)
    ]
    for i, person in enumerate(people):
        for other in rng.sample([p for p in people if p is not person], 4):
            RelationshipFactory(source=person, target=other, strength=rng.uniform(-1, 1))
        if i < 3:
            texts = [f"{person.name} remembers the picnic number {n}." for n in range(200)]
            for text, vector in zip(texts, embed_texts(texts), strict=True):
                MemoryFactory(character=person, content=text, embedding=vector)
    for start in range(0, EVENTS, 500):
        batch = [builders.ecosystem_status(status=f"draft {n}") for n in range(start, start + 500)]
        publish(ecosystem=world, events=batch)
    for n in range(10):
        StoryFactory(ecosystem=world, title=f"Story {n}", participants=people[n : n + 2])
    w, c = world.pk, people[0].pk
    paths = [
        f"/api/v1/ecosystems/{w}/",
        f"/api/v1/ecosystems/{w}/characters/",
        f"/api/v1/characters/{c}/",
        f"/api/v1/ecosystems/{w}/relationships/",
        f"/api/v1/ecosystems/{w}/graph/",
        f"/api/v1/ecosystems/{w}/events/?after={EVENTS // 2}&limit=50",
        f"/api/v1/ecosystems/{w}/stories/",
        f"/api/v1/characters/{c}/memories/",
        f"/api/v1/characters/{c}/memories/?q=picnic&limit=10",
        "/api/v1/billing/usage/",
    ]
    return api_key_create(user=user, name="bench").key, paths


def _server_env() -> dict[str, str]:
    from django.db import connection

    from config.launcher import web_env
    from tests.live import test_process_env

    env = web_env(test_process_env())  # as `make run` starts it, on the bench database
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["DRAMATIS_CACHE_PREFIX"] = "dramatis-bench"
    env["DRAMATIS_LOG_LEVEL"] = "WARNING"
    env["DJANGO_DEBUG"] = "false"
    assert connection.settings_dict["NAME"] in env["DATABASE_URL"]
    return env


@dataclass
class _Load:
    samples: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _measure(label, command, key: str, paths: list[str], *, target: float | None) -> list[Figure]:
    from tests.live import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        command("127.0.0.1", port),
        env=_server_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_serving(base, proc)
        _load(base, key, paths, WARMUP_SECONDS)  # workers warm: imports, WordLlama, pools
        cpu_before = _cpu_seconds(proc.pid)
        load = _load(base, key, paths, DURATION_SECONDS)
        cpu_per_request_ms = (_cpu_seconds(proc.pid) - cpu_before) * 1000 / len(load.samples)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    cuts = percentiles_ms(load.samples)
    errors_target = 0 if target is not None else None  # the comparison is not judged
    achieved = len(load.samples) / DURATION_SECONDS
    return [
        Figure(f"{label}: reads p50", cuts["p50"], "ms"),
        Figure(f"{label}: reads p95", cuts["p95"], "ms", target),
        Figure(f"{label}: reads p99", cuts["p99"], "ms"),
        Figure(f"{label}: reads served", achieved, "req/s"),
        # Independent of what else the machine runs: the server's own CPU time per request.
        Figure(f"{label}: server CPU per read", cpu_per_request_ms, "ms"),
        Figure(f"{label}: errors (non-200 or timeout)", load.errors, "requests", errors_target),
    ]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the server and all its worker processes."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _wait_serving(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the web server exited during start-up")
        try:
            if requests.get(f"{base}/health/", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not serve within {START_TIMEOUT_SECONDS} s")


def _load(base: str, key: str, paths: list[str], seconds: float) -> _Load:
    """Open loop: one request every 1/RATE s, whatever the answers' speed."""
    load = _Load()
    local = threading.local()

    def one(path: str) -> None:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            session.headers["Authorization"] = f"Bearer {key}"
        started = time.perf_counter()
        try:
            ok = session.get(base + path, timeout=10).status_code == 200
        except requests.RequestException:
            ok = False
        elapsed = time.perf_counter() - started
        with load.lock:
            load.samples.append(elapsed)
            load.errors += not ok

    interval = 1 / RATE_PER_SECOND
    total = int(seconds * RATE_PER_SECOND)
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        start = time.perf_counter()
        for i in range(total):
            delay = start + i * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, paths[i % len(paths)])
    return load


if __name__ == "__main__":
    for figure in run():
        print(f"{figure.name}: {figure.value:,.2f} {figure.unit} (target {figure.target})")
