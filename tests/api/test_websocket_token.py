"""The event stream takes an API key in ``?token=``, with no session and no Origin header (a
script or game server); a wrong or revoked key is refused like no credentials at all."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from billing.services import api_key_revoke
from config.asgi import application
from ecosystems.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from ecosystems.events import builders, publish
from tests.factories import ApiKeyFactory, EcosystemFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


# database_sync_to_async: closes the helper thread's connection, so the test database can go.
@database_sync_to_async
def world_with_event_and_key():
    owner = UserFactory()
    world = EcosystemFactory(owner=owner)
    publish(ecosystem=world, events=[builders.ecosystem_status(status="draft")])
    return world, ApiKeyFactory(user=owner)


async def test_a_script_streams_its_world_with_its_key_and_no_origin():
    world, key = await world_with_event_and_key()
    ws = WebsocketCommunicator(application, f"/ws/ecosystems/{world.pk}/?after=0&token={key.key}")
    connected, _ = await ws.connect()
    assert connected
    frame = await ws.receive_json_from(timeout=5)
    assert frame["event"]["seq"] == 1
    await ws.disconnect()


async def test_a_wrong_token_is_refused():
    world, _ = await world_with_event_and_key()
    ws = WebsocketCommunicator(application, f"/ws/ecosystems/{world.pk}/?token=dra_wrong_key")
    connected, code = await ws.connect()
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


async def test_a_revoked_token_is_refused():
    world, key = await world_with_event_and_key()
    await database_sync_to_async(api_key_revoke)(api_key=key)
    ws = WebsocketCommunicator(application, f"/ws/ecosystems/{world.pk}/?token={key.key}")
    connected, code = await ws.connect()
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


async def test_a_strangers_token_does_not_open_a_private_world():
    world, _ = await world_with_event_and_key()
    stranger_key = await database_sync_to_async(ApiKeyFactory)()
    ws = WebsocketCommunicator(application, f"/ws/ecosystems/{world.pk}/?token={stranger_key.key}")
    connected, code = await ws.connect()
    assert not connected
    assert code == CLOSE_NOT_FOUND


async def test_without_a_token_the_origin_is_still_checked():
    world, _ = await world_with_event_and_key()
    ws = WebsocketCommunicator(
        application, f"/ws/ecosystems/{world.pk}/", headers=[(b"origin", b"http://evil.test")]
    )
    connected, _ = await ws.connect()
    assert not connected
