"""One launcher for every way Dramatis starts: ``run``, ``test`` and ``exec``.

It owns the embedded servers for as long as it lives (see ``config/embedded.py``) and hands
their URLs to its children through the environment, so the web server, the Celery workers
and beat, ``manage.py`` and pytest are plain clients. With ``DATABASE_URL`` and ``REDIS_URL``
already set it starts no server at all. It never imports Django settings itself: that would
attach in-process.

``run`` supervises: a dead embedded server is restarted in place (same data, same socket) and
a dead child (web, the two workers, beat) is started again with back-off, so losing one
process never stops the product; while a server is down, requests get a 503 (config/outages.py).

    python -m config.launcher run [--host H] [--port P]   # the whole product
    python -m config.launcher test [pytest args...]       # the test suite
    python -m config.launcher exec -- CMD [ARGS...]       # anything else, e.g. a benchmark
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from config.embedded import BASE_DIR, EmbeddedServers, var_dir
from config.queues import queue_env, queue_names

PYTHON = sys.executable
STOP_GRACE_SECONDS = 20  # Celery's warm shutdown finishes the task in hand; a tick takes < 10 s
READY_TIMEOUT_SECONDS = 120  # first start on a new machine: initdb + migrations
# Web processes by default: one per core on the 2-core reference machine, beside the Celery
# worker and beat. bench/api.py, 100 API reads/s on a quiet machine: p50 9.9 ms, p95 18 ms,
# p99 28 ms (one daphne process under the same load: p95 about 1 s, with timeouts).
WEB_WORKERS = 2
DEFAULT_WORKER_NICE = 19  # the free worlds' worker runs at the lowest CPU priority (see below)
SUPERVISE_INTERVAL_SECONDS = 0.5  # how often the launcher looks for a dead server or child
# A child that dies is restarted at once; one that keeps dying within STABLE_SECONDS of its
# start waits 1, 2, 4 ... up to RESTART_BACKOFF_MAX_SECONDS (a crash loop must not spin a core).
STABLE_SECONDS = 60
RESTART_BACKOFF_MAX_SECONDS = 30


def log(message: str) -> None:
    print(f"[dramatis] {message}", flush=True)


@contextlib.contextmanager
def servers() -> Iterator[tuple[dict[str, str], EmbeddedServers | None]]:
    """Yield the environment for children and the embedded servers (None when external URLs
    are given: then no server is started here)."""
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    if env.get("DATABASE_URL") and env.get("REDIS_URL"):
        log("using external servers from DATABASE_URL and REDIS_URL")
        yield env, None
        return
    embedded = EmbeddedServers()
    started = time.monotonic()
    urls = embedded.start()
    stripe = f", Stripe-compatible server at {urls.stripe_api_base}" if urls.stripe_api_base else ""
    log(
        f"embedded PostgreSQL+pgvector and Redis{stripe} up in "
        f"{time.monotonic() - started:.1f} s (data in {var_dir()})"
    )
    try:
        yield {**env, **urls.as_env()}, embedded
    finally:
        if embedded.stop():
            log("embedded servers stopped")
        else:
            log("embedded servers left running: another process still uses them")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=BASE_DIR, check=True)


@dataclass
class Child:
    argv: Sequence[str]
    env: dict[str, str]
    proc: subprocess.Popen
    started_at: float
    failures: int = 0  # exits in a row, each within STABLE_SECONDS of its start
    restart_at: float | None = None  # set while a dead child waits out its back-off


@dataclass
class Children:
    """Long-running children in their own sessions, so a terminal's Ctrl-C reaches only us and
    we stop them in order, each with a grace period. A child that dies is started again after
    a back-off that doubles while it keeps dying young (``supervise``)."""

    procs: dict[str, Child] = field(default_factory=dict)

    def start(self, name: str, argv: Sequence[str], env: dict[str, str]) -> None:
        proc = subprocess.Popen(argv, env=env, cwd=BASE_DIR, start_new_session=True)
        previous = self.procs.get(name)
        failures = previous.failures if previous else 0
        self.procs[name] = Child(argv, env, proc, time.monotonic(), failures=failures)

    def first_exited(self) -> str | None:
        return next((name for name, c in self.procs.items() if c.proc.poll() is not None), None)

    def supervise(self) -> None:
        """Start again every child that exited: at once the first time, then after 1, 2, 4 ...
        up to RESTART_BACKOFF_MAX_SECONDS while it keeps exiting within STABLE_SECONDS."""
        now = time.monotonic()
        for name, child in list(self.procs.items()):
            code = child.proc.poll()
            if code is None:
                continue
            if child.restart_at is None:
                lived = now - child.started_at
                child.failures = child.failures + 1 if lived < STABLE_SECONDS else 1
                delay = restart_delay(child.failures)
                child.restart_at = now + delay
                log(f"{name} exited with code {code} after {lived:.0f} s; restarting in {delay} s")
                _kill_session(child.proc)  # its own children (pool, web workers) go with it
            if now >= child.restart_at:
                self.start(name, child.argv, child.env)

    def stop(self) -> None:
        for child in self.procs.values():
            if child.proc.poll() is None:
                child.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name, child in self.procs.items():
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop within {STOP_GRACE_SECONDS} s; killing it")
                _kill_session(child.proc)
                child.proc.wait()


def restart_delay(failures: int) -> float:
    """Seconds before the ``failures``-th restart in a row: 0, then 1, 2, 4 ... capped."""
    return 0.0 if failures <= 1 else min(RESTART_BACKOFF_MAX_SECONDS, 2.0 ** (failures - 2))


def _kill_session(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


class Interrupted(Exception):
    pass


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signal.Signals(signum).name)


def wait_ready(url: str, children: Children) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if (crashed := children.first_exited()) is not None:
            raise RuntimeError(f"{crashed} exited during start-up; see its output above")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} was not ready after {READY_TIMEOUT_SECONDS} s")


def web_command(host: str, port: int) -> list[str]:
    """The web server: gunicorn managing ``DRAMATIS_WEB_WORKERS`` uvicorn workers, each serving
    the ASGI application, so HTTP *and* WebSockets are served on one port by several processes
    (one daphne process serves requests one Django view at a time; bench/api.py compares).
    ``DRAMATIS_WEB_SERVER=daphne`` goes back to a single daphne process."""
    if os.environ.get("DRAMATIS_WEB_SERVER", "gunicorn") == "daphne":
        return [PYTHON, "-m", "daphne", "-b", host, "-p", str(port), "config.asgi:application"]
    return [
        PYTHON, "-m", "gunicorn", "config.web:application",
        "--worker-class", "uvicorn_worker.UvicornWorker",
        "--workers", os.environ.get("DRAMATIS_WEB_WORKERS", str(WEB_WORKERS)),
        "--bind", f"{host}:{port}",
        # Long enough for POST .../tick/ with 100 ticks of a big world; WebSockets are not
        # subject to it (uvicorn workers heartbeat while a socket is open).
        "--timeout", "120",
        "--graceful-timeout", str(STOP_GRACE_SECONDS // 2),
        "--keep-alive", "5",
        # The server keeps the TCP peer as the client address; whether X-Forwarded-For is
        # believed is the application's one rule (DRAMATIS_TRUSTED_PROXIES, core/clients.py).
        # uvicorn's default trusts the header from 127.0.0.1, which let a local client pick
        # any address it liked.
        "--forwarded-allow-ips", "",
    ]  # fmt: skip


def web_env(env: dict[str, str]) -> dict[str, str]:
    """Web processes keep their database connection between requests (each uvicorn worker runs
    Django's sync views on one thread, so one connection each): opening one per request cost
    more than most API reads. ``DATABASE_CONN_MAX_AGE`` overrides the 60 seconds."""
    return {**env, "DATABASE_CONN_MAX_AGE": env.get("DATABASE_CONN_MAX_AGE", "60")}


def worker_commands(env: dict[str, str]) -> dict[str, list[str]]:
    """The two Celery workers of ``make run``: ``worker`` consumes only the default queue
    (``CELERY_CONCURRENCY`` processes, default 2, at ``DRAMATIS_DEFAULT_WORKER_NICE``) and
    ``worker-priority`` only the priority queue (``CELERY_PRIORITY_CONCURRENCY``, default 1), so
    a crowd of free worlds due at once never delays a pro or enterprise world's tick
    (ecosystems/queues.py). Each has its own node name; more machines add workers the same way
    (README, "Priority processing")."""
    default, priority = queue_names(env)
    common = [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO"]
    # On one machine the free worlds' worker also yields the CPU: bench/priority.py, 2 cores,
    # a pro tick with 200 free ticks queued took 1.68x its time alone at equal niceness, 1.11x
    # with the default worker at nice 19.
    niceness = env.get("DRAMATIS_DEFAULT_WORKER_NICE", str(DEFAULT_WORKER_NICE))
    nice = ["nice", "-n", niceness] if shutil.which("nice") and niceness != "0" else []
    return {
        "worker": [*nice, *common, "-Q", default, "-n", f"{default}@%h",
                   "--concurrency", env.get("CELERY_CONCURRENCY", "2")],
        "worker-priority": [*common, "-Q", priority, "-n", f"{priority}@%h",
                            "--concurrency", env.get("CELERY_PRIORITY_CONCURRENCY", "1")],
    }  # fmt: skip


def run(host: str, port: int) -> int:
    """Everything on one machine: migrate, seed, admin, then web, the two workers (default and
    priority queues) and beat until Ctrl-C."""
    signal.signal(signal.SIGTERM, _raise_interrupted)
    signal.signal(signal.SIGINT, _raise_interrupted)
    started = time.monotonic()
    children = Children()
    try:
        with servers() as (env, embedded):
            site = f"http://{host}:{port}"
            env = {**env, "DRAMATIS_SITE_URL": env.get("DRAMATIS_SITE_URL", site)}
            env = {**env, **queue_env(env)}  # every child sends to the queues the workers read
            manage(env, "migrate", "--noinput")
            manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # served by WhiteNoise
            manage(env, "bootstrap")
            children.start("web", web_command(host, port), web_env(env))
            for name, argv in worker_commands(env).items():
                children.start(name, argv, env)
            children.start(
                "beat",
                [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO"],
                env,
            )
            try:
                wait_ready(f"{site}/health/ready/", children)
                log(
                    f"ready in {time.monotonic() - started:.1f} s: open {site}/ "
                    f"(studio {site}/studio/, admin {site}/admin/). Ctrl-C stops everything."
                )
                while True:
                    time.sleep(SUPERVISE_INTERVAL_SECONDS)
                    supervise(embedded, children)
            finally:
                log("stopping web, workers and beat")
                children.stop()
    except Interrupted as signal_name:
        log(f"{signal_name} received; stopped cleanly")
        return 0


def supervise(embedded: EmbeddedServers | None, children: Children) -> None:
    """Keep the product up: restart a dead embedded server in place (clients reconnect to the
    same sockets), then any dead child. A failed restart is tried again next time round."""
    if embedded is not None:
        try:
            for name in embedded.revive():
                log(f"embedded {name} had stopped; restarted it")
        except Exception as error:  # e.g. a port or disk problem: keep trying, keep serving
            log(f"could not restart an embedded server yet: {error}")
    children.supervise()


def run_child(argv: Sequence[str], *, settings_module: str | None = None) -> int:
    """Run one command against the servers; Ctrl-C reaches it (same session) and we clean up."""
    with servers() as (env, _):
        if settings_module:
            env["DJANGO_SETTINGS_MODULE"] = settings_module
        proc = subprocess.Popen(list(argv), env=env, cwd=BASE_DIR)
        while True:
            try:
                return proc.wait()
            except KeyboardInterrupt:
                continue  # the child got the same SIGINT; wait for it to finish


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m config.launcher",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="the whole product on the embedded default")
    run_parser.add_argument("--host", default=os.environ.get("DRAMATIS_HOST", "127.0.0.1"))
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    sub.add_parser("test", help="the pytest suite (extra arguments go to pytest)")
    sub.add_parser("exec", help="any command, e.g. exec -- python bench/run.py")
    args, rest = parser.parse_known_args(argv)
    if rest[:1] == ["--"]:
        rest = rest[1:]
    if args.command == "run":
        return run(args.host, args.port)
    if args.command == "test":
        # Importing this package set DJANGO_SETTINGS_MODULE (config/celery.py), and pytest-django
        # prefers the environment to pyproject.toml: name the test settings explicitly.
        return run_child([PYTHON, "-m", "pytest", *rest], settings_module="config.settings_test")
    if not rest:
        parser.error("exec needs a command, e.g. exec -- python manage.py shell")
    return run_child(rest)


if __name__ == "__main__":
    sys.exit(main())
