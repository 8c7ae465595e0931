"""The WebSocket stream: authorise in connect, replay from the log, then live, exactly once.

Runs the real ASGI application on the real channel layer (Redis); the database is committed
(transaction=True) because the consumer reads it from other threads.
"""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from ecosystems import events as events_module
from ecosystems.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, MAX_CLIENT_FRAME_BYTES
from ecosystems.events import builders, publish
from ecosystems.models import Ecosystem
from ecosystems.services import interaction_process
from tests.factories import CharacterFactory, EcosystemFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]
RECEIVE_TIMEOUT = 5  # seconds; frames arrive in milliseconds on the embedded Redis


def session_headers(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"cookie", cookie.encode()), (b"origin", b"http://testserver")]


async def connect(user, world, after: int | None = None) -> WebsocketCommunicator:
    path = f"/ws/ecosystems/{world.pk}/" + (f"?after={after}" if after is not None else "")
    headers = (
        await sync_to_async(session_headers)(user) if user else [(b"origin", b"http://testserver")]
    )
    return WebsocketCommunicator(application, path, headers=headers)


async def receive_seqs(communicator: WebsocketCommunicator, count: int) -> list[int]:
    frames = [await communicator.receive_json_from(timeout=RECEIVE_TIMEOUT) for _ in range(count)]
    assert all(f["type"] == "ecosystem_event" for f in frames), frames
    return [f["event"]["seq"] for f in frames]


@sync_to_async
def make_world(public: bool = False):
    owner = UserFactory()
    world = EcosystemFactory(
        owner=owner,
        visibility=Ecosystem.Visibility.PUBLIC if public else Ecosystem.Visibility.PRIVATE,
    )
    alice = CharacterFactory(ecosystem=world, name="Alice", agreeableness=0.9)
    bob = CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.2)
    return owner, world, alice, bob


@sync_to_async
def log_events(world, count: int) -> int:
    """Publish ``count`` status events; returns the last seq."""
    rows = publish(
        ecosystem=world,
        events=[builders.ecosystem_status(status=f"draft {i}") for i in range(count)],
    )
    return rows[-1].seq


async def test_the_owner_gets_the_log_replayed_then_live_events():
    owner, world, alice, bob = await make_world()
    await log_events(world, 3)
    ws = await connect(owner, world, after=0)
    connected, _ = await ws.connect()
    assert connected
    assert await receive_seqs(ws, 3) == [1, 2, 3]

    await sync_to_async(interaction_process)(
        initiator=alice, target=bob, interaction_type="greeting"
    )

    frame = await ws.receive_json_from(timeout=RECEIVE_TIMEOUT)
    assert frame["event"]["seq"] == 4
    assert frame["event"]["type"] == "character_interaction"
    data = frame["event"]["data"]
    assert data["ecosystem_id"] == str(world.pk)
    assert data["participants"][1]["name"] == "Bob"
    assert data["response"]
    assert frame["event"]["timestamp"].endswith("Z")
    await ws.disconnect()


async def test_reconnecting_with_after_resumes_with_no_gap_and_no_duplicate():
    owner, world, *_ = await make_world()
    await log_events(world, 2)
    first = await connect(owner, world)
    await first.connect()
    seen = await receive_seqs(first, 2)
    await first.disconnect()

    await log_events(world, 3)  # published while the client was away

    second = await connect(owner, world, after=seen[-1])
    await second.connect()
    seen += await receive_seqs(second, 3)
    await log_events(world, 1)
    seen += await receive_seqs(second, 1)
    assert seen == [1, 2, 3, 4, 5, 6]
    assert await second.receive_nothing(timeout=0.3)
    await second.disconnect()


async def test_a_frame_lost_by_the_channel_layer_is_back_filled_from_the_log(monkeypatch):
    owner, world, *_ = await make_world()
    ws = await connect(owner, world)
    await ws.connect()
    real_broadcast = events_module.broadcast
    monkeypatch.setattr(events_module, "broadcast", lambda *args, **kwargs: None)  # Redis "hiccups"
    await log_events(world, 2)
    monkeypatch.setattr(events_module, "broadcast", real_broadcast)
    await log_events(world, 1)

    assert await receive_seqs(ws, 3) == [1, 2, 3]
    await ws.disconnect()


async def test_resume_and_ping_frames_are_answered():
    owner, world, *_ = await make_world()
    await log_events(world, 2)
    ws = await connect(owner, world, after=2)
    await ws.connect()
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from(timeout=RECEIVE_TIMEOUT) == {"type": "pong", "last_seq": 2}
    await ws.send_json_to({"type": "resume", "after": 0})
    assert await receive_seqs(ws, 2) == [1, 2]
    await ws.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("this is not json", "malformed"),
        (json.dumps({"type": "dance"}), "unknown_type"),
        (json.dumps({"type": "resume", "after": -4}), "invalid_after"),
        (json.dumps(["ping"]), "unknown_type"),
        ("x" * (MAX_CLIENT_FRAME_BYTES + 1), "frame_too_large"),
    ],
)
async def test_bad_client_frames_get_an_error_frame_and_the_connection_stays(raw, code):
    owner, world, *_ = await make_world()
    ws = await connect(owner, world)
    await ws.connect()
    await ws.send_to(text_data=raw)
    error = await ws.receive_json_from(timeout=RECEIVE_TIMEOUT)
    assert error["type"] == "error"
    assert error["error"]["code"] == code
    assert error["error"]["message"]
    await ws.send_json_to({"type": "ping"})
    assert (await ws.receive_json_from(timeout=RECEIVE_TIMEOUT))["type"] == "pong"
    await ws.disconnect()


async def test_a_stranger_is_refused_a_private_world_as_if_it_did_not_exist():
    _, world, *_ = await make_world()
    stranger = await sync_to_async(UserFactory)()
    ws = await connect(stranger, world)
    connected, code = await ws.connect()
    assert not connected
    assert code == CLOSE_NOT_FOUND


async def test_anonymous_visitors_are_refused():
    _, world, *_ = await make_world(public=True)
    ws = await connect(None, world)
    connected, code = await ws.connect()
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


async def test_anyone_signed_in_may_watch_a_public_world():
    _, world, *_ = await make_world(public=True)
    await log_events(world, 1)
    stranger = await sync_to_async(UserFactory)()
    ws = await connect(stranger, world)
    connected, _ = await ws.connect()
    assert connected
    assert await receive_seqs(ws, 1) == [1]
    await ws.disconnect()
