"""Publishing one event: the product's ``publish()`` beside its floor, interleaved (issue 19).

Product: one ``character_interaction`` event through ``ecosystems.events.publish`` in its own
transaction (seq allocated on the world row, the row COPYed into ``ecosystems_event``), timed
from the start of the transaction to after COMMIT and the after-commit channel-layer
``group_send`` of its frame to the world's group.

Floor: the same work the rawest way the same servers allow: a raw ``INSERT`` of an equivalent
row (same columns, same JSON payload) into the same event table through the same psycopg
connection inside a transaction, ``COMMIT``, then a redis-py ``PUBLISH`` of the same frame as
JSON to the same Redis. The floor writes into a second world of its own (its seqs counted in
Python), so the two never contend for one world's seqs.

Both deliver to one listener, drained after each sample outside the clock: the world's group
holds one channel (read back with ``layer.receive``), the floor's Redis channel one subscriber.
Target: p95 <= 1.5x the floor (issue 19).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from bench.common import Figure, django_bench_database, floor_figures, interleave

ROUNDS = 400
RATIO_TARGET = 1.5
FLOOR_NAME = "raw INSERT + COMMIT (psycopg, same connection) + redis-py PUBLISH"
DRAIN_TIMEOUT_SECONDS = 5.0


def run() -> list[Figure]:
    django_bench_database("bench_events")
    import redis
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from core.live import run_on_layer
    from ecosystems.engine.events import ref
    from ecosystems.events import builders, group_name, publish
    from ecosystems.models import Ecosystem, Event
    from tests.factories import EcosystemFactory

    owner, _ = get_user_model().objects.get_or_create(username="bench-events")
    Ecosystem.objects.filter(owner=owner).delete()
    world = EcosystemFactory(owner=owner, name="Bench publish world")
    floor_world = EcosystemFactory(owner=owner, name="Bench floor world")
    alice, bob = ref(str(uuid.uuid4()), "Alice"), ref(str(uuid.uuid4()), "Bob")
    deltas = {
        "strength_delta": 0.04,
        "trust_delta": 0.02,
        "familiarity_delta": 0.05,
        "attraction_delta": 0.0,
    }

    def new_event() -> Any:
        return builders.character_interaction(
            interaction_id=str(uuid.uuid4()),
            initiator=alice,
            responder=bob,
            interaction_type="small_talk",
            content="Alice talks with Bob about the weather and the harvest.",
            response="Bob nods and says the rain came early this year.",
            summary="Alice and Bob made small talk.",
            relationship_change=deltas,
            response_relationship_change=deltas,
            emotional_states={
                alice["id"]: {"joy": 0.61, "trust": 0.55, "anger": 0.05},
                bob["id"]: {"joy": 0.48, "trust": 0.42, "anger": 0.1},
            },
        )

    # One listener on each path, drained after every sample (outside the clock).
    channel: dict[str, str] = {}

    async def join(layer: Any) -> None:
        channel["name"] = await layer.new_channel()
        await layer.group_add(group_name(world.pk), channel["name"])

    run_on_layer(join, what="join the bench group")
    received: list[dict[str, Any]] = []

    async def drain(layer: Any) -> None:
        received.append(
            await asyncio.wait_for(layer.receive(channel["name"]), DRAIN_TIMEOUT_SECONDS)
        )

    client = redis.Redis.from_url(settings.REDIS_URL)
    listener = redis.Redis.from_url(settings.REDIS_URL).pubsub(ignore_subscribe_messages=True)
    floor_channel = f"bench.floor.{floor_world.pk}"
    listener.subscribe(floor_channel)
    listener.get_message(timeout=1.0)  # the subscribe confirmation

    def product() -> float:
        event = new_event()
        started = time.perf_counter()
        with transaction.atomic():
            publish(ecosystem=world, events=[event])
        elapsed = time.perf_counter() - started  # commit and the on_commit group_send included
        before = len(received)
        run_on_layer(drain, what="drain the bench channel")
        if len(received) != before + 1:
            raise RuntimeError("the published frame never reached the group's channel")
        return elapsed

    connection.ensure_connection()
    raw = connection.connection  # the same psycopg connection Django uses
    floor_seq = [Event.objects.filter(ecosystem=floor_world).count()]
    insert = (
        'INSERT INTO "ecosystems_event" (id, ecosystem_id, seq, kind, tick, payload, created_at)'
        " VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s)"
    )

    def floor() -> float:
        event = new_event()
        floor_seq[0] += 1
        event_id, now = uuid.uuid4(), datetime.now(UTC)
        frame = {
            "type": "ecosystem_event",
            "event": {
                "id": str(event_id),
                "seq": floor_seq[0],
                "type": str(event.kind),
                "tick": floor_world.current_tick,
                "timestamp": now.isoformat().replace("+00:00", "Z"),
                "data": {"ecosystem_id": str(floor_world.pk), **event.data},
            },
        }
        started = time.perf_counter()
        with raw.transaction(), raw.cursor() as cursor:
            cursor.execute(
                insert,
                [
                    event_id,
                    floor_world.pk,
                    floor_seq[0],
                    str(event.kind),
                    floor_world.current_tick,
                    json.dumps(event.data),
                    now,
                ],
            )
        client.publish(floor_channel, json.dumps(frame))
        elapsed = time.perf_counter() - started
        if listener.get_message(timeout=DRAIN_TIMEOUT_SECONDS) is None:
            raise RuntimeError("the floor's PUBLISH never reached its subscriber")
        return elapsed

    try:
        mine, raw_samples = interleave(product, floor, ROUNDS)
    finally:
        listener.close()
        client.close()
    figures = floor_figures(
        "publish: one event, txn start -> commit + send",
        mine,
        raw_samples,
        floor_name=FLOOR_NAME,
        ratio_target=RATIO_TARGET,
    )
    return [*figures, Figure("publish: samples per path", len(mine), "events")]


if __name__ == "__main__":
    for figure in run():
        print(f"{figure.name}: {figure.value:,.2f} {figure.unit} (ratio {figure.ratio})")
