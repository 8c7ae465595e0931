"""Integration: a real Celery worker and beat on the embedded Redis tick the demo world, the
ticks' events arrive over the channel layer, and stories are sifted from them after each tick."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from ecosystems.demo import demo_world_seed
from ecosystems.events import group_name
from ecosystems.models import Ecosystem, Event, Tick
from ecosystems.services import interaction_process
from stories.models import SiftCursor, Story
from tests.live import celery_worker_and_beat

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.slow,
    pytest.mark.usefixtures("fresh_channel_layer"),
]
WAIT_SECONDS = 45  # worker start-up (~3 s) plus a few one-second ticks, with room for a slow CI


def test_beat_and_a_worker_tick_the_demo_world_and_its_events_stream_live(owner, tmp_path):
    world = demo_world_seed(owner=owner).ecosystem
    diana, eve = (world.characters.get(name__startswith=n) for n in ("Diana", "Eve"))
    quarrel = [("argue", eve, diana), ("insult", diana, eve), ("threaten", eve, diana)]
    for act, a, b in quarrel:
        interaction_process(initiator=a, target=b, interaction_type=act)  # a quarrel brews
    Ecosystem.objects.filter(pk=world.pk).update(
        status=Ecosystem.Status.RUNNING, tick_interval_seconds=1, next_tick_at=timezone.now()
    )
    layer = get_channel_layer()

    async def collect() -> tuple[list[str], set[int]]:
        """Listen on the world's group (one event loop: channels-redis binds to it)."""
        channel = await layer.new_channel()
        await layer.group_add(group_name(world.pk), channel)
        kinds: list[str] = []
        ticks: set[int] = set()
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and (len(ticks) < 3 or "story_detected" not in kinds):
            try:
                message = await asyncio.wait_for(layer.receive(channel), timeout=2)
            except TimeoutError:
                continue
            for frame in message["frames"]:
                kinds.append(frame["event"]["type"])
                if frame["event"]["type"] == "tick":
                    ticks.add(frame["event"]["tick"])
        return kinds, ticks

    with celery_worker_and_beat(str(tmp_path)):
        kinds, ticks = async_to_sync(collect)()

    assert len(ticks) >= 3, f"saw ticks {sorted(ticks)} and events {kinds[:20]}"
    assert "character_interaction" in kinds
    assert Tick.objects.filter(ecosystem=world).count() >= 3
    # Sifting ran after the ticks (in the worker) and found the quarrel.
    assert "story_detected" in kinds
    story = Story.objects.filter(ecosystem=world, participants=diana).order_by("created_at")[0]
    assert {p["name"] for p in story.cast} >= {diana.name, eve.name}
    assert (
        SiftCursor.objects.get(ecosystem=world).last_seq
        >= Event.objects.filter(ecosystem=world, kind="story_detected").values_list(
            "seq", flat=True
        )[0]
        - 1
    )
