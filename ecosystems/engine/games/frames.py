"""The frames of the game socket (``/ws/games/{id}/``), parsed and checked before any service.

A client frame is a JSON object with a ``type``; ``parse_frame`` turns its text into one of
the typed frames below or raises ``GameInputError`` with a stable ``code`` the consumer sends
back in an ``error`` frame (with the ``request_id`` when the frame had one):

- ``too_large``: the text is over ``MAX_FRAME_BYTES`` (UTF-8).
- ``malformed``: not JSON, not an object, or a field of the wrong type or missing.
- ``not_finite``: ``NaN``, ``Infinity`` or ``-Infinity`` anywhere in the frame.
- ``unknown_type``: a ``type`` this socket does not speak.

Frames: ``action_request`` {request_id, npc_id, session_id, context};
``action_outcome`` {decision_id, outcome, effectiveness, damage, metrics} or
{outcomes: [...]} for a batch; ``heartbeat`` {} (a client ping).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ecosystems.engine.games.features import GameInputError

MAX_FRAME_BYTES = 256 * 1024
MAX_BATCH = 1000
FRAME_TYPES = ("action_request", "action_outcome", "heartbeat")


@dataclass(frozen=True)
class ActionRequest:
    request_id: str
    npc_id: str
    session_id: str
    context: dict[str, Any]


@dataclass(frozen=True)
class ActionOutcome:
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    batch: bool = False


@dataclass(frozen=True)
class Heartbeat:
    pass


Frame = ActionRequest | ActionOutcome | Heartbeat


def _reject_constant(name: str) -> float:
    raise GameInputError(
        f"{name} is not a number JSON allows; send a finite number", code="not_finite"
    )


def _text(data: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
        raise GameInputError(f"{key} must be a non-empty string", code="malformed", field=key)
    return str(value)


def _outcome(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise GameInputError(f"{where} must be an object", code="malformed", field=where)
    out: dict[str, Any] = {
        "decision_id": _text(item, "decision_id"),
        "outcome": _text(item, "outcome"),
    }
    for key in ("effectiveness", "damage"):
        value = item.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise GameInputError(f"{key} must be a number or null", code="malformed", field=key)
        out[key] = value
    metrics = item.get("metrics")
    if metrics is not None and not isinstance(metrics, dict):
        raise GameInputError("metrics must be an object or null", code="malformed", field="metrics")
    out["metrics"] = metrics
    return out


def request_id_of(text: str | bytes) -> str | None:
    """The ``request_id`` of a frame, if one can be read, for the ``error`` frame answering it."""
    try:
        data = json.loads(text, parse_constant=lambda _name: None)
    except ValueError:
        return None
    value = data.get("request_id") if isinstance(data, dict) else None
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def parse_frame(text: str | bytes) -> Frame:
    raw = text.encode() if isinstance(text, str) else text
    if len(raw) > MAX_FRAME_BYTES:
        raise GameInputError(
            f"frame of {len(raw)} bytes is over the limit of {MAX_FRAME_BYTES}", code="too_large"
        )
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except GameInputError:
        raise
    except ValueError as exc:
        raise GameInputError(f"frame is not JSON: {exc}", code="malformed") from None
    if not isinstance(data, dict):
        raise GameInputError("frame must be a JSON object with a type", code="malformed")
    kind = data.get("type")
    if kind == "heartbeat":
        return Heartbeat()
    if kind == "action_request":
        context = data.get("context", {})
        if not isinstance(context, dict):
            raise GameInputError("context must be an object", code="malformed", field="context")
        return ActionRequest(
            request_id=_text(data, "request_id"),
            npc_id=_text(data, "npc_id"),
            session_id=_text(data, "session_id"),
            context=context,
        )
    if kind == "action_outcome":
        items = data.get("outcomes")
        if items is None:
            return ActionOutcome(outcomes=[_outcome(data, "frame")])
        if not isinstance(items, list) or not items or len(items) > MAX_BATCH:
            raise GameInputError(
                f"outcomes must be a list of 1..{MAX_BATCH} objects",
                code="malformed",
                field="outcomes",
            )
        return ActionOutcome(
            outcomes=[_outcome(item, f"outcomes[{i}]") for i, item in enumerate(items)], batch=True
        )
    raise GameInputError(
        f"unknown frame type {kind!r}; send one of {', '.join(FRAME_TYPES)}",
        code="unknown_type",
        field="type",
    )


def error_frame(error: GameInputError, request_id: str | None = None) -> dict[str, Any]:
    return {"type": "error", "code": error.code, "message": error.message, "request_id": request_id}


def heartbeat_frame(server_time: float, *, reply: bool = False) -> dict[str, Any]:
    """The server's heartbeat: every ``heartbeat_s`` seconds, and at once as the answer to a
    client ping (``reply``), with the server's clock (Unix seconds) for latency estimates."""
    return {"type": "heartbeat", "server_time": server_time, "reply": reply}


def session_frame(game_id: str, *, heartbeat_s: float, server_time: float) -> dict[str, Any]:
    """The first frame after the handshake: how to keep continuity over reconnects. A
    session's A/B arm is a hash of the game and its ``session_id`` (``ab.ab_assign``) and its
    decisions are stored, so a client that reconnects and sends the same ``session_id`` keeps
    its arm and can still report outcomes of decisions made before the drop."""
    return {
        "type": "session",
        "game_id": game_id,
        "heartbeat_s": heartbeat_s,
        "server_time": server_time,
        "max_frame_bytes": MAX_FRAME_BYTES,
        "resume": (
            "reconnect with the same token and send the same session_id in action_request: "
            "the session keeps its A/B arm, and outcomes of its earlier decision_ids "
            "are still accepted"
        ),
    }
