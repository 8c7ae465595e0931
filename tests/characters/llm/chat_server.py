"""A real chat-completions server on 127.0.0.1, scriptable per test.

``ChatServer`` is a ``ThreadingHTTPServer`` on port 0 speaking enough of the
OpenAI API (``POST /v1/chat/completions``) for the real ``openai`` client. Each request takes
the next scripted behaviour (``Reply``, ``Fail``, ``Hang``), then the default one; every request
is recorded so tests can count them and read what was sent.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAST_TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class Reply:
    text: str
    prompt_tokens: int = 50
    completion_tokens: int = 12
    finish_reason: str = "stop"


@dataclass(frozen=True)
class Fail:
    status: int = 500


@dataclass(frozen=True)
class Hang:
    seconds: float = 2.0  # longer than any timeout the tests give


Behaviour = Reply | Fail | Hang


@dataclass(frozen=True)
class RecordedRequest:
    body: dict[str, Any]
    headers: dict[str, str]  # names in lower case


class ChatServer:
    def __init__(self) -> None:
        self.script_queue: deque[Behaviour] = deque()
        self.default: Behaviour = Reply("Fine weather for a garden party, Bob.")
        self.requests: list[RecordedRequest] = []
        self.released = threading.Event()  # set at teardown so hanging handlers return
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._http.chat = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.name = f"test-{uuid.uuid4().hex[:8]}"  # unique: no cache or breaker carries over

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self.script_queue.extend(behaviours)

    def always(self, behaviour: Behaviour) -> None:
        with self._lock:
            self.script_queue.clear()
            self.default = behaviour

    def provider(self, **overrides: Any) -> dict[str, Any]:
        """This server as one ``LLM_PROVIDERS`` entry."""
        return {
            "name": self.name,
            "base_url": self.base_url,
            "model": "dramatis-test-model",
            "timeout_seconds": FAST_TIMEOUT_SECONDS,
            **overrides,
        }

    def take(self, request: RecordedRequest) -> tuple[Behaviour, int]:
        with self._lock:
            self.requests.append(request)
            behaviour = self.script_queue.popleft() if self.script_queue else self.default
            return behaviour, next(self._ids)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.released.set()
        self._http.shutdown()
        self._http.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        chat: ChatServer = self.server.chat  # type: ignore[attr-defined]
        if self.path != "/v1/chat/completions":
            self._send(404, {"error": {"message": f"No route {self.path}", "type": "not_found"}})
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        headers = {name.lower(): value for name, value in self.headers.items()}
        behaviour, n = chat.take(RecordedRequest(body=body, headers=headers))
        if isinstance(behaviour, Hang):
            chat.released.wait(behaviour.seconds)
            behaviour = chat.default if not isinstance(chat.default, Hang) else Reply("Late.")
        if isinstance(behaviour, Fail):
            error = {"message": "The scripted server failed.", "type": "server_error"}
            self._send(behaviour.status, {"error": error})
            return
        self._send(200, _completion(body=body, reply=behaviour, n=n))

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client timed out and left, as the test intended

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _completion(*, body: dict[str, Any], reply: Reply, n: int) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-test-{n}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", ""),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.text},
                "finish_reason": reply.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }
