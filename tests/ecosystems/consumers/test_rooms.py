"""The live room: ``/ws/conversations/<id>/``. The room's history on join, who is here, a
person's typing to the others, the characters composing, every message to everyone once and in
order (after a drop too), error frames for bad frames, 4404 for a stranger, 4409 for a full
room. Real ASGI application, real Redis (presence and channel layer), committed database."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from ecosystems.consumers import CLOSE_NOT_FOUND
from ecosystems.conversation_consumers import CLOSE_ROOM_FULL
from ecosystems.models import Ecosystem
from ecosystems.services.conversations import conversation_start, message_send
from ecosystems.services.rooms import room_create, room_join, room_leave
from tests.factories import ApiKeyFactory, CharacterFactory, EcosystemFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


@database_sync_to_async
def a_room(capacity: int = 8):
    """A public world's room with Alice and Bob, its owner in it as Olga."""
    owner = UserFactory(username="olga")
    world = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC)
    cast = [CharacterFactory(ecosystem=world, name=n) for n in ("Alice", "Bob")]
    room = room_create(user=owner, ecosystem=world, title="Tea", character_ids=[c.pk for c in cast],
                       capacity=capacity)  # fmt: skip
    room_join(room=room, user=owner, persona_name="Olga")
    return room, owner, ApiKeyFactory(user=owner)


@database_sync_to_async
def a_visitor(room, name: str = "Victor", *, join: bool = True):
    visitor = UserFactory()
    if join:
        room_join(room=room, user=visitor, persona_name=name)
    return visitor, ApiKeyFactory(user=visitor)


@database_sync_to_async
def say(room, user, text: str) -> dict:
    return message_send(conversation=room, user=user, text=text)


@database_sync_to_async
def one_to_one(room, owner):
    alice = room.characters.get(name="Alice")
    return conversation_start(
        user=owner, ecosystem=room.ecosystem, character_ids=[alice.pk], persona_name="Olga"
    )


def socket(room, key, query: str = "") -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, f"/ws/conversations/{room.pk}/?token={key.key}{query}"
    )


async def frames_until(ws: WebsocketCommunicator, done, timeout: float = 10) -> list[dict]:
    """Frames until ``done(frames)`` holds."""
    got: list[dict] = []
    while not done(got):
        got.append(await ws.receive_json_from(timeout=timeout))
    return got


def messages(frames: list[dict]) -> list[dict]:
    return [f["message"] for f in frames if f["type"] == "message"]


async def quiet(ws: WebsocketCommunicator, kind: str) -> None:
    """No frame of ``kind`` arrives in a short while (others may)."""
    while not await ws.receive_nothing(timeout=0.5):
        frame = await ws.receive_json_from(timeout=1)
        assert frame["type"] != kind, frame


async def test_a_person_joining_gets_the_rooms_history_and_everyone_sees_who_is_here():
    room, owner, owner_key = await a_room()
    await say(room, owner, "Hello everyone.")
    _visitor, visitor_key = await a_visitor(room)

    ws = socket(room, visitor_key)
    assert (await ws.connect())[0]
    got = await frames_until(ws, lambda f: any(x["type"] == "presence" for x in f))

    history = messages(got)
    assert [m["seq"] for m in history] == [1, 2, 3, 4, 5]
    assert history[0] == {**history[0], "speaker_kind": "system", "name": "Olga",
                          "text": "Olga joined the room."}  # fmt: skip
    assert (history[1]["name"], history[1]["text"]) == ("Olga", "Hello everyone.")
    assert {history[2]["name"], history[3]["name"]} == {"Alice", "Bob"}
    assert history[4]["text"] == "Victor joined the room."
    assert len(history[3]["options"]) == 3
    assert got[-1] == {"type": "presence", "people": ["Victor"]}

    mine = socket(room, owner_key, "&after=5")
    assert (await mine.connect())[0]
    presence = await frames_until(mine, lambda f: any(x["type"] == "presence" for x in f))
    assert messages(presence) == []  # nothing after 5
    assert presence[-1]["people"] == ["Olga", "Victor"]
    assert (await frames_until(ws, lambda f: f and f[-1]["type"] == "presence"))[-1]["people"] == [
        "Olga",
        "Victor",
    ]
    await mine.disconnect()
    assert (await frames_until(ws, lambda f: f and f[-1]["type"] == "presence"))[-1]["people"] == [
        "Victor"
    ]
    await ws.disconnect()


async def test_typing_goes_to_the_others_not_to_the_typist():
    room, _owner, owner_key = await a_room()
    _visitor, visitor_key = await a_visitor(room)
    mine, theirs = socket(room, owner_key), socket(room, visitor_key)
    for ws in (mine, theirs):
        assert (await ws.connect())[0]
    await frames_until(theirs, lambda f: any(x.get("people") == ["Olga", "Victor"] for x in f))
    await frames_until(mine, lambda f: any(x.get("people") == ["Olga", "Victor"] for x in f))

    await mine.send_json_to({"type": "typing"})

    got = await frames_until(theirs, lambda f: any(x["type"] == "typing" for x in f))
    assert got[-1] == {"type": "typing", "who": "Olga", "kind": "person"}
    await quiet(mine, "typing")
    for ws in (mine, theirs):
        await ws.disconnect()


async def test_a_say_shows_the_characters_composing_then_every_message_to_everyone():
    room, _owner, owner_key = await a_room()
    _visitor, visitor_key = await a_visitor(room)
    mine, theirs = socket(room, owner_key, "&after=2"), socket(room, visitor_key, "&after=2")
    for ws in (mine, theirs):
        assert (await ws.connect())[0]

    await theirs.send_json_to({"type": "say", "text": "You look lovely today, Alice."})

    for ws in (mine, theirs):
        got = await frames_until(ws, lambda f: len(messages(f)) == 3)
        composing = [f["who"] for f in got if f["type"] == "typing"]
        assert sorted(composing) == ["Alice", "Bob"]
        first_message = next(i for i, f in enumerate(got) if f["type"] == "message")
        assert all(f["type"] != "typing" for f in got[first_message:])  # composing came first
        said = messages(got)
        assert [m["seq"] for m in said] == [3, 4, 5]
        assert (said[0]["speaker_kind"], said[0]["name"]) == ("person", "Victor")
        assert {m["name"] for m in said[1:]} == {"Alice", "Bob"}
    for ws in (mine, theirs):
        await ws.disconnect()


async def test_a_dropped_socket_resumes_from_its_last_seq_without_loss_or_duplicates():
    room, owner, _owner_key = await a_room()
    _visitor, visitor_key = await a_visitor(room)
    ws = socket(room, visitor_key)
    assert (await ws.connect())[0]
    seen = messages(await frames_until(ws, lambda f: len(messages(f)) == 2))
    await ws.disconnect()  # the connection drops

    await say(room, owner, "Did Victor leave?")  # said while they were away: seq 3-5

    back = socket(room, visitor_key, f"&after={seen[-1]['seq']}")
    assert (await back.connect())[0]
    seen += messages(await frames_until(back, lambda f: len(messages(f)) == 3))
    await say(room, owner, "Ah, there you are.")  # live: 6-8
    seen += messages(await frames_until(back, lambda f: len(messages(f)) == 3))
    await back.send_json_to({"type": "resume", "after": 6})  # a client unsure of 7, 8
    resumed = messages(await frames_until(back, lambda f: len(messages(f)) == 2))
    await quiet(back, "message")

    assert [m["seq"] for m in seen] == list(range(1, 9))
    assert [m["seq"] for m in resumed] == [7, 8]
    await back.disconnect()


async def test_bad_frames_get_error_frames_and_the_socket_stays_open():
    room, _owner, owner_key = await a_room()
    ws = socket(room, owner_key)
    assert (await ws.connect())[0]
    await frames_until(ws, lambda f: any(x["type"] == "presence" for x in f))

    async def error_for(raw: str) -> str:
        await ws.send_to(text_data=raw)
        got = await frames_until(ws, lambda f: any(x["type"] == "error" for x in f))
        return got[-1]["error"]["code"]

    assert await error_for("{not json") == "malformed"
    assert await error_for('["a", "list"]') == "unknown_type"
    assert await error_for('{"type": "shout"}') == "unknown_type"
    assert await error_for('{"type": "resume", "after": -1}') == "invalid_after"
    assert await error_for('{"type": "say", "text": ""}') == "invalid"
    assert await error_for('{"type": "say", "text": 5}') == "invalid"
    assert await error_for('{"type": "say", "text": "' + "a" * 20_000 + '"}') == "frame_too_large"
    assert await error_for('{"type": "say", "text": "' + "a" * 2_001 + '"}') == "invalid"
    await ws.send_json_to({"type": "ping"})
    assert (await frames_until(ws, lambda f: f and f[-1]["type"] == "pong"))[-1]["last_seq"] == 1
    await ws.disconnect()


async def test_a_stranger_who_is_not_in_the_room_is_refused_with_4404():
    room, _owner, _owner_key = await a_room()
    _stranger, stranger_key = await a_visitor(room, join=False)

    connected, code = await socket(room, stranger_key).connect()

    assert (connected, code) == (False, CLOSE_NOT_FOUND)


async def test_someone_elses_one_to_one_conversation_is_a_4404_and_the_own_one_opens():
    room, owner, owner_key = await a_room()
    talk = await one_to_one(room, owner)
    _stranger, stranger_key = await a_visitor(room, join=False)

    assert (await socket(talk, stranger_key).connect()) == (False, CLOSE_NOT_FOUND)
    ws = socket(talk, owner_key)
    assert (await ws.connect())[0]
    await ws.send_json_to({"type": "say", "text": "Hello."})
    said = messages(await frames_until(ws, lambda f: len(messages(f)) == 2))
    assert next((m["speaker_kind"], m["name"]) for m in said) == ("person", "Olga")
    await ws.disconnect()


async def test_a_visitor_may_join_with_the_socket_unless_the_room_is_full():
    room, _owner, _owner_key = await a_room(capacity=2)
    _first, first_key = await a_visitor(room, join=False)
    _second, second_key = await a_visitor(room, join=False)

    ws = socket(room, first_key, "&persona=Victor")
    assert (await ws.connect())[0]
    got = messages(await frames_until(ws, lambda f: len(messages(f)) == 2))
    assert got[-1]["text"] == "Victor joined the room."

    assert (await socket(room, second_key, "&persona=Wanda").connect()) == (
        False,
        CLOSE_ROOM_FULL,
    )
    await ws.disconnect()


async def test_leaving_the_room_closes_the_persons_socket():
    room, _owner, _owner_key = await a_room()
    visitor, visitor_key = await a_visitor(room)
    ws = socket(room, visitor_key)
    assert (await ws.connect())[0]
    await frames_until(ws, lambda f: any(x["type"] == "presence" for x in f))

    await database_sync_to_async(room_leave)(room=room, user=visitor)

    while True:
        output = await ws.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            assert output["code"] == CLOSE_NOT_FOUND
            break
    await ws.disconnect()
