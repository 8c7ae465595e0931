"""Who is here now: the people whose sockets are open on a place (a world's stream, a room).

Kept in Redis, so every web process sees the same list: per place, a sorted set of socket ids
scored by when each one's presence lapses, and a hash of who each socket belongs to. A socket
enters when it opens, renews while it lives (well within ``PRESENCE_TTL_SECONDS``) and leaves
when it closes; a socket whose process died without a goodbye lapses on its own, so the list
never keeps a ghost for longer than the TTL. One person with two tabs is one person.

Async (the consumers call it from their event loop), with one client per event loop: a
redis.asyncio pool belongs to the loop it was made on.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import redis.asyncio as aioredis
from django.conf import settings

PRESENCE_TTL_SECONDS = 90.0  # a live socket renews at least every minute
_clients: dict[int, aioredis.Redis] = {}


def _client() -> aioredis.Redis:
    loop = id(asyncio.get_running_loop())
    client = _clients.get(loop)
    if client is None:
        client = _clients[loop] = aioredis.from_url(settings.REDIS_URL, socket_timeout=5)
    return client


def _keys(place: str) -> tuple[str, str]:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "dramatis")
    return f"{prefix}:presence:{place}", f"{prefix}:presence:{place}:who"


async def presence_enter(place: str, *, socket: str, person: dict[str, Any]) -> None:
    """``socket`` (a channel name) of ``person`` (``{"id", "name"}``) is at ``place`` now;
    also renews a socket already there."""
    until, who = _keys(place)
    expires = time.time() + PRESENCE_TTL_SECONDS
    async with _client().pipeline(transaction=True) as pipe:
        pipe.zadd(until, {socket: expires})
        pipe.hset(who, socket, json.dumps(person))
        pipe.expire(until, int(PRESENCE_TTL_SECONDS) * 2)
        pipe.expire(who, int(PRESENCE_TTL_SECONDS) * 2)
        await pipe.execute()


async def presence_leave(place: str, *, socket: str) -> None:
    until, who = _keys(place)
    async with _client().pipeline(transaction=True) as pipe:
        pipe.zrem(until, socket)
        pipe.hdel(who, socket)
        await pipe.execute()


async def presence_people(place: str) -> list[dict[str, Any]]:
    """Everyone present at ``place``, once each, by name; lapsed sockets are swept on the
    way."""
    until, who = _keys(place)
    client = _client()
    now = time.time()
    lapsed = await client.zrangebyscore(until, "-inf", now)
    if lapsed:
        async with client.pipeline(transaction=True) as pipe:
            pipe.zrem(until, *lapsed)
            pipe.hdel(who, *lapsed)
            await pipe.execute()
    sockets = await client.zrangebyscore(until, now, "+inf")
    if not sockets:
        return []
    people: dict[str, dict[str, Any]] = {}
    for raw in await client.hmget(who, sockets):
        if raw is None:
            continue
        person = json.loads(raw)
        person["id"] = str(person.get("id"))
        people.setdefault(person["id"], person)
    return sorted(people.values(), key=lambda p: (str(p.get("name", "")).lower(), p["id"]))
