"""A real embeddings server on 127.0.0.1 speaking ``POST /v1/embeddings`` for the ``openai`` client.

Each input gets a deterministic vector of the requested ``dimensions`` (not normalised, so tests
see the client side normalise); every request is recorded so tests can read what was asked.
``fail_next`` makes the next request answer HTTP 500.
"""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def fake_vector(text: str, dimensions: int) -> list[float]:
    """Deterministic, text-dependent, length ~3 (so normalising it is visible)."""
    seed = hashlib.sha256(text.encode()).digest()
    return [((seed[i % 32] + i) % 17 - 8) / 4.0 for i in range(dimensions)]


class EmbeddingServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.failures_left = 0
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._http.embeddings = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def fail_next(self, count: int = 1) -> None:
        with self._lock:
            self.failures_left = count

    def record(self, body: dict[str, Any], headers: dict[str, str]) -> bool:
        """Records the request; True if it should fail."""
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            if self.failures_left:
                self.failures_left -= 1
                return True
            return False

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        server: EmbeddingServer = self.server.embeddings  # type: ignore[attr-defined]
        if self.path != "/v1/embeddings":
            self._send(404, {"error": {"message": f"No route {self.path}", "type": "not_found"}})
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        headers = {name.lower(): value for name, value in self.headers.items()}
        if server.record(body, headers):
            self._send(500, {"error": {"message": "Scripted failure.", "type": "server_error"}})
            return
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        dimensions = int(body.get("dimensions", 1536))
        data = [
            {"object": "embedding", "index": i, "embedding": fake_vector(text, dimensions)}
            for i, text in enumerate(inputs)
        ]
        data.reverse()  # the API does not promise order; the client must sort by index
        self._send(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model", ""),
                "usage": {"prompt_tokens": len(inputs), "total_tokens": len(inputs)},
            },
        )

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass
