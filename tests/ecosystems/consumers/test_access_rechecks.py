"""A live socket keeps only the access it still has (probe findings 1 and 2).

A revoked key, a world made private or deleted, a deactivated user: the socket is closed
within a second (after commit, by an ``access.changed`` message), or at its next client frame
or periodic re-check if that message was lost. A visitor's frames, live and replayed, carry no
secret. Real ASGI application, real Redis channel layer, committed database.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model

import billing.services
from billing.services import api_key_revoke
from config.asgi import application
from ecosystems import consumers
from ecosystems.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from ecosystems.events import builders, publish
from ecosystems.models import Ecosystem
from ecosystems.services import ecosystem_save
from ecosystems.services.authoring import ecosystem_delete
from tests.factories import ApiKeyFactory, CharacterFactory, EcosystemFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]
SECRET = "I buried the deeds under the old sundial"
CLOSED_WITHIN = 1.0  # seconds: the probe's bar for cutting off a socket that lost access


@database_sync_to_async
def public_world_with_a_secret():
    owner = UserFactory()
    world = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC)
    keeper = CharacterFactory(ecosystem=world, name="Hugo", secrets=[SECRET])
    listener = CharacterFactory(ecosystem=world, name="Ines")
    return world, ApiKeyFactory(user=owner), ApiKeyFactory(), keeper, listener


@database_sync_to_async
def gossip(world, keeper, listener) -> int:
    people = [{"id": str(c.pk), "name": c.name} for c in (keeper, listener)]
    rows = publish(ecosystem=world, events=[builders.gossip_spread(
        teller=people[1], listener=people[0], subject=people[0], fact=SECRET,
        text=f'Ines whispered about Hugo: "{SECRET}."',
    )])  # fmt: skip
    return rows[-1].seq


def stream(world, key, after: int = 0) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, f"/ws/ecosystems/{world.pk}/?after={after}&token={key.key}"
    )


async def closed_with(ws: WebsocketCommunicator, timeout: float = CLOSED_WITHIN) -> int:
    """The close code the server sends within ``timeout`` (frames before it are skipped)."""
    while True:
        output = await ws.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output["code"]


async def test_a_visitor_streams_the_world_with_its_secrets_redacted_and_the_owner_in_full():
    world, owner_key, visitor_key, keeper, listener = await public_world_with_a_secret()
    await gossip(world, keeper, listener)
    owner, visitor = stream(world, owner_key), stream(world, visitor_key)
    assert (await owner.connect())[0] and (await visitor.connect())[0]

    replayed = [await ws.receive_json_from(timeout=5) for ws in (owner, visitor)]
    await gossip(world, keeper, listener)
    live_frames = [await ws.receive_json_from(timeout=5) for ws in (owner, visitor)]

    for seen_by_owner, seen_by_visitor in (replayed, live_frames):
        assert SECRET in str(seen_by_owner)
        assert SECRET.lower() not in str(seen_by_visitor).lower()
        assert seen_by_visitor["event"]["data"]["fact"] == "[a secret]"
        assert seen_by_visitor["event"]["seq"] == seen_by_owner["event"]["seq"]
    await owner.disconnect()
    await visitor.disconnect()


async def test_revoking_a_key_closes_its_socket_within_a_second():
    world, owner_key, *_ = await public_world_with_a_secret()
    ws = stream(world, owner_key)
    assert (await ws.connect())[0]

    await database_sync_to_async(api_key_revoke)(api_key=owner_key)

    assert await closed_with(ws) == CLOSE_UNAUTHENTICATED


async def test_making_a_world_private_closes_visitors_within_a_second_and_keeps_the_owner():
    world, owner_key, visitor_key, keeper, listener = await public_world_with_a_secret()
    owner, visitor = stream(world, owner_key), stream(world, visitor_key)
    assert (await owner.connect())[0] and (await visitor.connect())[0]

    world.visibility = Ecosystem.Visibility.PRIVATE
    await database_sync_to_async(ecosystem_save)(ecosystem=world)

    assert await closed_with(visitor) == CLOSE_NOT_FOUND
    seq = await gossip(world, keeper, listener)
    assert (await owner.receive_json_from(timeout=5))["event"]["seq"] == seq
    await owner.disconnect()


async def test_deleting_a_world_closes_every_socket_on_it():
    world, owner_key, *_ = await public_world_with_a_secret()
    ws = stream(world, owner_key)
    assert (await ws.connect())[0]

    await database_sync_to_async(ecosystem_delete)(ecosystem=world)

    assert await closed_with(ws) == CLOSE_NOT_FOUND


async def test_a_revoked_key_cannot_resume_even_if_the_notice_was_lost(monkeypatch):
    world, owner_key, *_ = await public_world_with_a_secret()
    ws = stream(world, owner_key)
    assert (await ws.connect())[0]
    monkeypatch.setattr(billing.services, "group_notify", lambda *args, **kwargs: None)  # lost
    await database_sync_to_async(api_key_revoke)(api_key=owner_key)
    assert await ws.receive_nothing(timeout=0.3)

    await ws.send_json_to({"type": "resume", "after": 0})

    assert await closed_with(ws) == CLOSE_UNAUTHENTICATED


async def test_the_periodic_recheck_closes_the_socket_of_a_deactivated_user(monkeypatch):
    monkeypatch.setattr(consumers.EcosystemEventsConsumer, "recheck_seconds", 0.2)
    world, owner_key, *_ = await public_world_with_a_secret()
    ws = stream(world, owner_key)
    assert (await ws.connect())[0]

    # An admin switches the user off with a bulk update: no notice is sent at all.
    await database_sync_to_async(
        lambda: get_user_model().objects.filter(pk=world.owner_id).update(is_active=False)
    )()

    assert await closed_with(ws, timeout=2.0) == CLOSE_UNAUTHENTICATED
