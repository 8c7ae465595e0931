"""The game socket's frames: every frame type parses, and each bad input says which code."""

from __future__ import annotations

import json

import pytest

from ecosystems.engine.games.features import GameInputError
from ecosystems.engine.games.frames import (
    MAX_FRAME_BYTES,
    ActionOutcome,
    ActionRequest,
    Heartbeat,
    error_frame,
    heartbeat_frame,
    parse_frame,
    request_id_of,
    session_frame,
)


def _code(text: str | bytes) -> str:
    with pytest.raises(GameInputError) as caught:
        parse_frame(text)
    return caught.value.code


def test_action_request_parses() -> None:
    frame = parse_frame(
        json.dumps(
            {
                "type": "action_request",
                "request_id": "r1",
                "npc_id": "n1",
                "session_id": "s1",
                "context": {"dodge": 0.8, "moves": ["roll", "roll"]},
            }
        )
    )
    assert frame == ActionRequest("r1", "n1", "s1", {"dodge": 0.8, "moves": ["roll", "roll"]})


def test_single_and_batch_outcomes_parse() -> None:
    one = parse_frame(
        json.dumps(
            {
                "type": "action_outcome",
                "decision_id": "d1",
                "outcome": "success",
                "effectiveness": 0.9,
                "damage": 12,
                "metrics": {"t": 3},
            }
        )
    )
    assert isinstance(one, ActionOutcome) and not one.batch
    assert one.outcomes == [
        {
            "decision_id": "d1",
            "outcome": "success",
            "effectiveness": 0.9,
            "damage": 12,
            "metrics": {"t": 3},
        }
    ]
    many = parse_frame(
        json.dumps(
            {
                "type": "action_outcome",
                "outcomes": [
                    {"decision_id": "d1", "outcome": "success"},
                    {"decision_id": "d2", "outcome": "failure"},
                ],
            }
        )
    )
    assert isinstance(many, ActionOutcome) and many.batch
    assert [o["decision_id"] for o in many.outcomes] == ["d1", "d2"]
    assert many.outcomes[1]["effectiveness"] is None


def test_heartbeat_parses() -> None:
    assert parse_frame('{"type": "heartbeat"}') == Heartbeat()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("not json", "malformed"),
        ("[1, 2]", "malformed"),
        ('{"type": "dance"}', "unknown_type"),
        (
            '{"type": "action_request", "request_id": "r", "npc_id": "n", "session_id": "s", '
            '"context": {"hp": NaN}}',
            "not_finite",
        ),
        (
            '{"type": "action_outcome", "decision_id": "d", "outcome": "success", '
            '"effectiveness": Infinity}',
            "not_finite",
        ),
        (
            '{"type": "action_request", "request_id": "r", "npc_id": "n", "context": {}}',
            "malformed",
        ),
        (
            '{"type": "action_request", "request_id": "r", "npc_id": "n", "session_id": "s", '
            '"context": [1]}',
            "malformed",
        ),
        (
            '{"type": "action_outcome", "decision_id": "d", "outcome": "success", '
            '"effectiveness": "high"}',
            "malformed",
        ),
        ('{"type": "action_outcome", "outcomes": []}', "malformed"),
        ('{"type": "action_outcome", "outcomes": [{"decision_id": "d"}]}', "malformed"),
    ],
)
def test_bad_frames_say_what_is_wrong(text: str, code: str) -> None:
    assert _code(text) == code


def test_oversized_frame_is_refused_before_parsing() -> None:
    big = json.dumps(
        {
            "type": "action_request",
            "request_id": "r",
            "npc_id": "n",
            "session_id": "s",
            "context": {"pad": "x" * MAX_FRAME_BYTES},
        }
    )
    assert _code(big) == "too_large"


def test_error_frame_carries_the_request_id() -> None:
    text = '{"type": "dance", "request_id": "r9"}'
    with pytest.raises(GameInputError) as caught:
        parse_frame(text)
    frame = error_frame(caught.value, request_id_of(text))
    assert frame["type"] == "error" and frame["code"] == "unknown_type"
    assert frame["request_id"] == "r9" and "action_request" in frame["message"]
    assert request_id_of("not json") is None


def test_session_frame_tells_how_to_resume() -> None:
    frame = session_frame("g1", heartbeat_s=15.0, server_time=1000.5)
    assert frame["type"] == "session" and frame["game_id"] == "g1"
    assert frame["heartbeat_s"] == 15.0 and frame["max_frame_bytes"] == MAX_FRAME_BYTES
    assert "same session_id" in frame["resume"]


def test_heartbeat_frame_marks_replies() -> None:
    assert heartbeat_frame(5.0, reply=True) == {
        "type": "heartbeat",
        "server_time": 5.0,
        "reply": True,
    }
    assert heartbeat_frame(6.0)["reply"] is False
