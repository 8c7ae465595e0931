"""Who is watching a world: sockets that ask (``&presence=1``, as the world's pages do) count
as people watching and hear when that changes; the owner sees names, a visitor only the
count; API sockets that do not ask neither count nor get presence frames. Real ASGI
application, real Redis (presence and channel layer), committed database."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from ecosystems.models import Ecosystem
from tests.factories import ApiKeyFactory, EcosystemFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


@database_sync_to_async
def public_world():
    owner = UserFactory(username="olga")
    world = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC)
    visitor = UserFactory(username="victor")
    return world, ApiKeyFactory(user=owner), ApiKeyFactory(user=visitor)


def socket(world, key, presence: bool = True) -> WebsocketCommunicator:
    flag = "&presence=1" if presence else ""
    return WebsocketCommunicator(application, f"/ws/ecosystems/{world.pk}/?token={key.key}{flag}")


async def next_presence(ws: WebsocketCommunicator) -> dict:
    while True:
        frame = await ws.receive_json_from(timeout=5)
        if frame["type"] == "presence":
            return frame


async def test_watchers_are_counted_named_for_the_owner_and_leave_when_they_close():
    world, owner_key, visitor_key = await public_world()
    owner = socket(world, owner_key)
    assert (await owner.connect())[0]
    assert await next_presence(owner) == {"type": "presence", "count": 1, "watching": ["olga"]}

    visitor = socket(world, visitor_key)
    assert (await visitor.connect())[0]
    assert await next_presence(owner) == {
        "type": "presence", "count": 2, "watching": ["olga", "victor"]
    }  # fmt: skip
    assert await next_presence(visitor) == {"type": "presence", "count": 2}  # no names

    second_tab = socket(world, owner_key)  # the same person twice is one person
    assert (await second_tab.connect())[0]
    assert (await next_presence(owner))["count"] == 2

    await visitor.disconnect()
    assert await next_presence(owner) == {"type": "presence", "count": 1, "watching": ["olga"]}
    await second_tab.disconnect()
    await owner.disconnect()


async def test_a_socket_that_does_not_ask_neither_counts_nor_hears_presence():
    world, owner_key, visitor_key = await public_world()
    api = socket(world, visitor_key, presence=False)
    assert (await api.connect())[0]
    owner = socket(world, owner_key)
    assert (await owner.connect())[0]
    assert (await next_presence(owner))["count"] == 1  # the API socket is not counted
    assert await api.receive_nothing(timeout=0.5)
    await api.disconnect()
    await owner.disconnect()
