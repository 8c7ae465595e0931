"""Rooms: 100 people in one room each get every message (issue 15).

100 sockets on ``/ws/conversations/<id>/`` (in-process ASGI communicators against the real
consumer, the real Redis channel layer and the database; each socket's user is set in its
scope, so the session middleware in front is left out), all in one room with two characters.
One person says ``MESSAGES`` things through ``message_send``; each says makes three messages
(theirs and the two replies), sent to the room's group once after commit. Delivery latency is
from that group send (timed by wrapping ``group_notify``) to a socket receiving the frame, for
every (socket, message) pair; the figure that matters is that every socket got every message
exactly once, in order.
"""

from __future__ import annotations

import asyncio
import json
import time

from bench.common import Figure, django_bench_database, percentiles_ms

PEOPLE = 100
MESSAGES = 20
RECEIVE_TIMEOUT_SECONDS = 30.0


def run() -> list[Figure]:
    django_bench_database("bench_rooms")
    return asyncio.run(_run())


async def _run() -> list[Figure]:
    from channels.db import database_sync_to_async
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    import ecosystems.services.conversations as conversations
    from ecosystems.routing import websocket_urlpatterns

    room, owner, users = await database_sync_to_async(_setup)()
    sent_at: dict[int, float] = {}
    original = conversations.group_notify

    def timed(group: str, message: dict) -> None:
        now = time.perf_counter()
        for frame in message.get("frames", []):
            sent_at[frame["seq"]] = now
        original(group, message)

    conversations.group_notify = timed
    app = URLRouter(websocket_urlpatterns)
    sockets = []
    start_seq = room.last_message_seq
    for user in users:
        ws = WebsocketCommunicator(app, f"/ws/conversations/{room.pk}/?after={start_seq}")
        ws.scope["user"] = user
        connected, code = await ws.connect(timeout=10)
        assert connected, code
        sockets.append(ws)

    received: list[dict[int, float]] = [{} for _ in sockets]
    duplicates = 0
    out_of_order = 0
    expected = MESSAGES * 3  # the person's line and two replies each

    async def read(i: int, ws: WebsocketCommunicator) -> None:
        nonlocal duplicates, out_of_order
        last = start_seq
        while len(received[i]) < expected:
            frame = json.loads(await ws.receive_from(timeout=RECEIVE_TIMEOUT_SECONDS))
            if frame["type"] != "message":
                continue
            seq = frame["message"]["seq"]
            if seq in received[i]:
                duplicates += 1
            if seq != last + 1:
                out_of_order += 1
            last = seq
            received[i][seq] = time.perf_counter()

    readers = [asyncio.create_task(read(i, ws)) for i, ws in enumerate(sockets)]
    speak = database_sync_to_async(conversations.message_send)
    for n in range(MESSAGES):
        await speak(conversation=room, user=owner, text=f"Line {n}: what a lovely garden.")
    await asyncio.wait_for(asyncio.gather(*readers), RECEIVE_TIMEOUT_SECONDS * 2)
    conversations.group_notify = original
    for ws in sockets:
        await ws.disconnect()

    latencies = [at - sent_at[seq] for got in received for seq, at in got.items()]
    complete = sum(1 for got in received if len(got) == expected)
    cuts = percentiles_ms(latencies)
    return [
        Figure("people who got every message", complete, "people", PEOPLE, higher_is_better=True),
        Figure("messages each should get", expected, "messages"),
        Figure("duplicates or out of order", duplicates + out_of_order, "frames", 0),
        Figure("delivery p50 (group send to socket)", cuts["p50"], "ms"),
        Figure("delivery p95 (group send to socket)", cuts["p95"], "ms"),
    ]


def _setup():
    from django.contrib.auth import get_user_model

    from billing.models import Plan, Subscription
    from billing.services import subscription_ensure
    from characters.models import Character
    from ecosystems.models import Ecosystem
    from ecosystems.services.rooms import room_create, room_join

    users_model = get_user_model()
    owner, _ = users_model.objects.get_or_create(username="bench-rooms")
    subscription_ensure(user=owner)
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="enterprise"))
    Ecosystem.objects.filter(owner=owner).delete()
    world = Ecosystem.objects.create(
        owner=owner, name="Bench rooms", visibility=Ecosystem.Visibility.PUBLIC
    )
    cast = [Character.objects.create(ecosystem=world, name=n) for n in ("Alice", "Bob")]
    room = room_create(user=owner, ecosystem=world, title="Crowd",
                       character_ids=[c.pk for c in cast], capacity=PEOPLE)  # fmt: skip
    people = [owner] + [
        users_model.objects.get_or_create(username=f"bench-room-{i}")[0] for i in range(PEOPLE - 1)
    ]
    for i, user in enumerate(people):
        room_join(room=room, user=user, persona_name=f"Person {i}")
    room.refresh_from_db()
    return room, owner, people


if __name__ == "__main__":
    for figure in run():
        print(f"{figure.name}: {figure.value:,.2f} {figure.unit} (target {figure.target})")
