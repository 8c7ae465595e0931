"""The launcher owns the embedded servers: children are plain clients and nothing is orphaned.

Each test gets its own DRAMATIS_VAR_DIR, so it starts (and must stop) its own servers without
touching the ones this test session runs on.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from config.embedded import BASE_DIR, EmbeddedServers

pytestmark = pytest.mark.slow

PROBE = """
import json, os, psycopg, redis, stripe
with psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")) as c:
    c.execute("CREATE EXTENSION IF NOT EXISTS vector")
    vector = c.execute("SELECT 1").fetchone()[0]
client = stripe.StripeClient(os.environ["STRIPE_SECRET_KEY"], max_network_retries=0,
                             base_addresses={"api": os.environ["STRIPE_API_BASE"]})
customer = client.v1.customers.create(params={"email": "probe@example.com"})
print(json.dumps({"db": vector, "redis": redis.Redis.from_url(os.environ["REDIS_URL"]).ping(),
                  "stripe": customer.id.startswith("cus_"),
                  "embedded": os.environ.get("DRAMATIS_EMBEDDED")}))
"""
# The three embedded servers: PostgreSQL, Redis and the Stripe-compatible localstripe.
SERVERS = {"postgres", "redis", "stripe"}


def isolated_env(var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DRAMATIS_EMBEDDED", "CELERY_BROKER_URL"}
        and not k.startswith("STRIPE_")  # the launcher under test starts its own localstripe
    }
    env["DRAMATIS_VAR_DIR"] = str(var_dir)
    return env


def launcher(*args: str, env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "config.launcher", *args], env=env, cwd=BASE_DIR, **kwargs
    )


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


def test_exec_gives_its_child_every_server_and_leaves_no_server_behind(tmp_path):
    proc = launcher(
        "exec",
        "--",
        sys.executable,
        "-c",
        PROBE,
        env=isolated_env(tmp_path),
        stdout=subprocess.PIPE,
        text=True,
    )
    out, _ = proc.communicate(timeout=120)

    assert proc.returncode == 0
    probe = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    assert probe == {"db": 1, "redis": True, "stripe": True, "embedded": "1"}
    servers = json.loads((tmp_path / "run" / "servers.json").read_text())
    assert set(servers) == SERVERS
    assert (tmp_path / "stripe" / "localstripe.pickle").stat().st_size > 0, "state not in var/"
    assert EmbeddedServers(tmp_path).server_pids() == {}, "a server outlived the launcher"


def test_servers_stay_up_while_another_user_is_attached_and_stop_after_the_last(tmp_path):
    env = isolated_env(tmp_path)
    release = tmp_path / "release"
    holder = launcher(
        "exec",
        "--",
        sys.executable,
        "-c",
        f"import pathlib, time\nwhile not pathlib.Path({str(release)!r}).exists(): time.sleep(0.1)",
        env=env,
    )
    try:
        wait_for(lambda: len(EmbeddedServers(tmp_path).server_pids()) == len(SERVERS))
        second = launcher(
            "exec", "--", sys.executable, "-c", PROBE, env=env, stdout=subprocess.DEVNULL
        )
        assert second.wait(timeout=60) == 0
        up = EmbeddedServers(tmp_path).server_pids()
        assert len(up) == len(SERVERS), "stopped under another user"
    finally:
        release.touch()
        holder.wait(timeout=60)
    assert EmbeddedServers(tmp_path).server_pids() == {}


def test_a_killed_user_does_not_keep_the_servers_alive_for_ever(tmp_path):
    env = isolated_env(tmp_path)
    holder = launcher("exec", "--", sys.executable, "-c", "import time; time.sleep(600)", env=env)
    wait_for(lambda: len(EmbeddedServers(tmp_path).server_pids()) == len(SERVERS))
    for child in psutil.Process(holder.pid).children(recursive=True):
        child.kill()
    holder.kill()
    holder.wait()

    after = launcher("exec", "--", sys.executable, "-c", PROBE, env=env, stdout=subprocess.DEVNULL)

    assert after.wait(timeout=60) == 0
    assert EmbeddedServers(tmp_path).server_pids() == {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_run_serves_the_product_and_ctrl_c_stops_every_process(tmp_path):
    port = free_port()
    proc = launcher(
        "run",
        "--port",
        str(port),
        env=isolated_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        for line in proc.stdout:
            output.append(line)
            if "ready in" in line or proc.poll() is not None:
                break
        transcript = "".join(output)
        assert "ready in" in transcript, transcript[-3000:]
        assert re.search(
            r"One-time admin login link: http://\S+/accounts/one-time-login/", transcript
        )
        assert "Seeded and started the demo world 'The Garden Party'" in transcript
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready/", timeout=5) as resp:
            assert json.load(resp)["status"] == "ready"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/studio/login/", timeout=5) as resp:
            assert resp.status == 200
        family = psutil.Process(proc.pid).children(recursive=True)
        assert len(family) >= 4  # web, two celery workers (+ their pools), celery beat
        queues = {_queue_of(child) for child in psutil.Process(proc.pid).children()}
        assert {"celery", "priority"} <= queues  # one worker each (priority processing)
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=90)

    assert proc.returncode == 0, rest[-3000:]
    assert "stopped cleanly" in rest
    assert not [p for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert EmbeddedServers(tmp_path).server_pids() == {}


def _queue_of(child: psutil.Process) -> str | None:
    """The queue a `make run` child consumes (``-Q``), if it is a Celery worker."""
    argv = child.cmdline()
    if "celery" not in " ".join(argv) or "worker" not in argv or "-Q" not in argv:
        return None
    return argv[argv.index("-Q") + 1]


def test_make_run_has_one_worker_for_each_queue_with_its_own_concurrency():
    from config.launcher import worker_commands

    workers = worker_commands({"CELERY_PRIORITY_CONCURRENCY": "3"})

    assert set(workers) == {"worker", "worker-priority"}
    default, priority = workers["worker"], workers["worker-priority"]
    assert default[default.index("-Q") + 1] == "celery"  # the default queue only
    assert priority[priority.index("-Q") + 1] == "priority"  # the priority queue only
    assert priority[priority.index("--concurrency") + 1] == "3"
    assert default[default.index("--concurrency") + 1] == "2"
    assert default[default.index("-n") + 1] != priority[priority.index("-n") + 1]
    named = worker_commands({"DRAMATIS_CELERY_PRIORITY_QUEUE": "fast"})["worker-priority"]
    assert named[named.index("-Q") + 1] == "fast"


def _ticks_of_running_worlds(var_dir: Path) -> int:
    import psycopg

    with psycopg.connect(host=str(var_dir / "pg"), user="postgres", dbname="dramatis") as conn:
        row = conn.execute(
            "SELECT coalesce(sum(current_tick), 0) FROM ecosystems_ecosystem"
            " WHERE status = 'running'"
        ).fetchone()
    return int(row[0])


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready/", timeout=2) as resp:
            return json.load(resp)["status"] == "ready"
    except OSError:
        return False


def test_run_restarts_dead_servers_and_a_dead_worker_and_the_world_ticks_on(tmp_path):
    """Probe finding 4: a killed Redis or postmaster stayed dead until someone restarted
    `make run`, and a killed Celery worker stopped the whole product."""
    port = free_port()
    proc = launcher(
        "run",
        "--port",
        str(port),
        env=isolated_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()  # drained all along: a full pipe would block every child's logging

    def ticks_go_on() -> None:
        ticks = _ticks_of_running_worlds(tmp_path)
        wait_for(lambda: _ticks_of_running_worlds(tmp_path) > ticks, timeout=30)

    try:
        wait_for(lambda: any("ready in" in line for line in output), timeout=180)
        wait_for(lambda: _ticks_of_running_worlds(tmp_path) > 0, timeout=30)

        # The servers die under a running worker, beat and web server.
        old_servers = EmbeddedServers(tmp_path).server_pids()
        for pid in old_servers.values():
            os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        wait_for(lambda: _ready(port), timeout=10)
        servers_back_in = time.monotonic() - killed_at
        new_servers = EmbeddedServers(tmp_path).server_pids()
        assert set(new_servers) == SERVERS
        assert not set(new_servers.values()) & set(old_servers.values())
        ticks_go_on()  # the same worker and beat carry on

        # The Celery main process of the default queue dies.
        worker = next(
            child for child in psutil.Process(proc.pid).children() if _queue_of(child) == "celery"
        )
        worker.kill()
        wait_for(lambda: any("worker exited" in line for line in output), timeout=10)
        ticks_go_on()
        assert proc.poll() is None, "the launcher stopped the product"
        print(f"ready again {servers_back_in:.1f} s after Redis and PostgreSQL were killed")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=90)
        reader.join(timeout=10)

    assert proc.returncode == 0, "".join(output)[-3000:]
    assert EmbeddedServers(tmp_path).server_pids() == {}
