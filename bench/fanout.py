"""World-stream fan-out: one event, published after commit, reaching N live sockets (issue 19).

Product: N sockets on ``/ws/ecosystems/<id>/`` (in-process ASGI communicators against the real
``AccessGate`` + ``EcosystemEventsConsumer``, the real Redis channel layer and the database; as
in ``bench/rooms.py`` each socket's user is set in its scope, so the session middleware is left
out). All are the world owner's sockets (the ``ecosystem.<id>`` group). One ``tick`` event is
logged through ``ecosystems.events.publish`` in a transaction; the clock starts right after the
COMMIT (an ``on_commit`` callback registered before ``publish``'s own, so it runs first) and
stops when a socket receives the frame: the latency of the last socket, and of each.

Floor: the rawest fan-out the same Redis allows: redis-py asyncio ``PUBLISH`` of the same frame
(as JSON) to N ``SUBSCRIBE`` connections in the same process, the clock started before the
PUBLISH. The two are interleaved (``bench.common.interleave``); the ratio target is 2x on p95.

The sockets and subscribers live on one event loop in a thread of their own; the product's
publish runs in the main thread, as a service would (its frames go through ``core.live``'s
publisher loop). The world does not tick during the run (issue 19 asks for that too).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections import defaultdict
from collections.abc import Coroutine
from typing import Any

from bench.common import Figure, django_bench_database, floor_figures, interleave

CLIENTS = (100,)  # 500 too: not measured yet (its setup and close are slow in-process)
ROUNDS = {100: 60, 500: 30}
RATIO_TARGET = 2.0
WAIT_SECONDS = 30.0
FLOOR_CHANNEL = "bench.fanout.floor"


class Arrivals:
    """When each reader got each numbered message, and a way to wait for all N (loop thread)."""

    def __init__(self, clients: int) -> None:
        self.clients = clients
        self.at: dict[int, list[float]] = defaultdict(list)
        self.done: dict[int, asyncio.Event] = {}

    def record(self, key: int) -> None:
        self.at[key].append(time.perf_counter())
        if len(self.at[key]) >= self.clients and key in self.done:
            self.done[key].set()

    async def wait(self, key: int) -> list[float]:
        if len(self.at[key]) < self.clients:
            self.done[key] = asyncio.Event()
            await asyncio.wait_for(self.done[key].wait(), WAIT_SECONDS)
        return self.at.pop(key)


def run() -> list[Figure]:
    django_bench_database("bench_fanout")
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="fanout-clients", daemon=True).start()
    figures: list[Figure] = []
    try:
        for clients in CLIENTS:
            figures.extend(_measure(loop, clients))
    finally:
        loop.call_soon_threadsafe(loop.stop)
    return figures


def _on(loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run_coroutine_threadsafe(coroutine, loop).result(WAIT_SECONDS * 4)


def _measure(loop: asyncio.AbstractEventLoop, clients: int) -> list[Figure]:
    from django.db import transaction

    from ecosystems.events import builders, frame, publish

    world, owner = _setup(clients)
    sockets, product_arrivals, socket_readers = _on(loop, _connect(world, owner, clients))
    floor_arrivals = Arrivals(clients)
    subscribers, floor_readers, publisher = _on(loop, _subscribe(clients, floor_arrivals))
    each_product: list[list[float]] = []
    each_floor: list[list[float]] = []
    sample_frame: list[str] = []

    def product() -> float:
        stamp: list[float] = []
        with transaction.atomic():
            transaction.on_commit(lambda: stamp.append(time.perf_counter()))
            new = builders.tick(tick=world.current_tick, world_clock="Day 1, 08:00", scenes=12,
                                interactions=40, resting=3, idle=5, memories=80, learned=2,
                                alliance_changes=0, goal_events=1)  # fmt: skip
            (event,) = publish(ecosystem=world, events=[new])
        if not sample_frame:
            sample_frame.append(json.dumps(frame(event)))
        got = _on(loop, product_arrivals.wait(event.seq))
        each_product.append([at - stamp[0] for at in got])
        return max(got) - stamp[0]

    rounds_done = [0]

    def floor() -> float:
        rounds_done[0] += 1
        key = rounds_done[0]
        payload = json.dumps({"key": key, "frame": sample_frame[0]})

        async def one() -> list[float]:
            started = time.perf_counter()
            await publisher.publish(FLOOR_CHANNEL, payload)
            return [at - started for at in await floor_arrivals.wait(key)]

        got = _on(loop, one())
        each_floor.append(got)
        return max(got)

    warmup = 3
    last_product, last_floor = interleave(product, floor, ROUNDS[clients], warmup=warmup)
    missing = sum(1 for got in each_product if len(got) != clients)
    with contextlib.suppress(Exception):  # best effort: the figures are measured already
        _on(loop, _close(sockets, socket_readers, subscribers, floor_readers, publisher))
    floor_name = f"redis-py asyncio PUBLISH -> {clients} SUBSCRIBE connections, same Redis"
    flat = [s for got in each_product[warmup:] for s in got]
    flat_floor = [s for got in each_floor[warmup:] for s in got]
    return [
        *floor_figures(
            f"{clients} sockets: commit->frame, last socket",
            last_product,
            last_floor,
            floor_name=floor_name,
            ratio_target=RATIO_TARGET,
        ),
        *floor_figures(
            f"{clients} sockets: commit->frame, each socket",
            flat,
            flat_floor,
            floor_name=floor_name,
        ),
        Figure(f"{clients} sockets: events not seen by all", missing, "events", 0),
    ]


async def _connect(world: Any, owner: Any, clients: int) -> tuple[list, Arrivals, list]:
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    from ecosystems.routing import websocket_urlpatterns

    app = URLRouter(websocket_urlpatterns)
    arrivals = Arrivals(clients)
    sockets = []
    for _ in range(clients):
        ws = WebsocketCommunicator(app, f"/ws/ecosystems/{world.pk}/?after={world.last_event_seq}")
        ws.scope["user"] = owner
        connected, code = await ws.connect(timeout=20)
        assert connected, code
        sockets.append(ws)

    async def read(ws: WebsocketCommunicator) -> None:
        while True:
            text = await ws.receive_from(timeout=3600)
            arrivals.record(json.loads(text)["event"]["seq"])

    readers = [asyncio.create_task(read(ws)) for ws in sockets]
    return sockets, arrivals, readers


async def _subscribe(clients: int, arrivals: Arrivals) -> tuple[list, list, Any]:
    import redis.asyncio as redis
    from django.conf import settings

    subscribers = []
    for _ in range(clients):
        connection = redis.Redis.from_url(settings.REDIS_URL)
        pubsub = connection.pubsub()
        await pubsub.subscribe(FLOOR_CHANNEL)
        await pubsub.get_message(timeout=5)  # the subscribe confirmation
        subscribers.append((connection, pubsub))

    async def read(pubsub: Any) -> None:
        async for message in pubsub.listen():
            if message["type"] == "message":
                arrivals.record(json.loads(message["data"])["key"])

    readers = [asyncio.create_task(read(pubsub)) for _, pubsub in subscribers]
    return subscribers, readers, redis.Redis.from_url(settings.REDIS_URL)


async def _close(
    sockets: list, socket_readers: list, subscribers: list, floor_readers: list, publisher: Any
) -> None:
    for task in [*socket_readers, *floor_readers]:
        task.cancel()
    closing = [ws.disconnect() for ws in sockets]
    closing += [
        c for connection, pubsub in subscribers for c in (pubsub.aclose(), connection.aclose())
    ]
    await asyncio.wait_for(asyncio.gather(*closing, return_exceptions=True), 20)
    await publisher.aclose()


def _setup(clients: int) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from ecosystems.models import Ecosystem

    owner, _ = get_user_model().objects.get_or_create(username="bench-fanout")
    Ecosystem.objects.filter(owner=owner).delete()
    world = Ecosystem.objects.create(owner=owner, name=f"Bench fan-out {clients}")
    return world, owner


if __name__ == "__main__":
    for figure in run():
        print(f"{figure.name}: {figure.value:,.2f} {figure.unit} (floor {figure.floor})")
