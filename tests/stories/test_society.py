"""Social snapshots of a real world: taken after ticks, kept as history, announced once."""

from __future__ import annotations

import pytest

from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.models import Event
from ecosystems.services.ticks import ecosystem_run_ticks
from stories.models import SocialSnapshot
from stories.society import social_snapshot_take, social_view
from stories.tasks import social_snapshot_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    ecosystem_run_ticks(ecosystem=world, ticks=3)
    return world


def test_a_snapshot_of_the_demo_world_after_ticks_has_its_circles_and_findings(demo):
    snapshot = social_snapshot_take(ecosystem_id=demo.pk)

    assert snapshot is not None and snapshot.tick == 3
    data = snapshot.data
    names = {c.name for c in demo.characters.all()}
    assert data["communities"], "the demo world's guests form circles"
    assert {m["name"] for c in data["communities"] for m in c["members"]} <= names
    assert len(data["graph"]["nodes"]) == len(names)
    assert data["findings"]
    assert snapshot.figures["communities"] == len(data["communities"])
    assert set(snapshot.memberships) == {c["id"] for c in data["communities"]}


def test_a_snapshot_is_announced_on_the_log_once(demo):
    snapshot = social_snapshot_take(ecosystem_id=demo.pk)

    event = Event.objects.get(ecosystem=demo, kind="social_updated")
    assert event.payload["snapshot_id"] == str(snapshot.pk)
    assert event.payload["tick"] == 3


def test_the_task_takes_nothing_when_the_world_has_not_ticked_since(demo):
    first = social_snapshot_task(str(demo.pk))
    again = social_snapshot_task(str(demo.pk))

    assert first["snapshot_id"] is not None
    assert again["snapshot_id"] is None
    assert SocialSnapshot.objects.filter(ecosystem=demo).count() == 1


def test_snapshots_after_more_ticks_make_a_history_with_stable_circle_ids(demo):
    first = social_snapshot_take(ecosystem_id=demo.pk)
    ecosystem_run_ticks(ecosystem=demo, ticks=2)
    second = social_snapshot_take(ecosystem_id=demo.pk)

    view = social_view(ecosystem=demo)
    assert [h["tick"] for h in view.history] == [3, 5]
    assert view.id == str(second.pk)
    earlier = social_view(ecosystem=demo, at="4")
    assert earlier.id == str(first.pk)
    # Circles that are mostly the same guests keep their ids.
    before = {frozenset(m): cid for cid, m in first.memberships.items()}
    for cid, members in second.memberships.items():
        if frozenset(members) in before:
            assert before[frozenset(members)] == cid


def test_a_world_with_no_snapshot_yet_is_analysed_now_without_saving(owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem

    view = social_view(ecosystem=world)

    assert view.id is None and view.history == []
    assert view.data["graph"]["nodes"]
    assert not SocialSnapshot.objects.filter(ecosystem=world).exists()


def test_a_task_for_a_deleted_world_does_nothing(demo):
    world_id = str(demo.pk)
    demo.delete()

    assert social_snapshot_task(world_id) == {"ecosystem_id": world_id, "missing": True}


def test_ticks_in_one_debounce_window_ask_for_one_snapshot_on_the_ticks_queue(world, monkeypatch):
    from django.conf import settings
    from django.core.cache import cache

    from ecosystems.hooks import after_tick_run

    cache.delete(f"stories:social-soon:{world.pk}")
    asked: list[tuple[tuple, int, str]] = []
    monkeypatch.setattr(
        social_snapshot_task, "apply_async",
        lambda args, countdown, queue: asked.append((args, countdown, queue)),
    )  # fmt: skip
    monkeypatch.setattr("stories.tasks.stories_sift_task.apply_async", lambda *a, **k: None)

    for tick in (1, 2, 3):
        after_tick_run(str(world.pk), tick, queue="the-ticks-queue")

    assert asked == [
        ((str(world.pk),), settings.STORIES_SOCIAL_DEBOUNCE_SECONDS, "the-ticks-queue")
    ]


def test_only_the_latest_snapshots_are_kept(demo, monkeypatch):
    monkeypatch.setattr("stories.society.SNAPSHOTS_KEPT", 2)
    for _ in range(3):
        social_snapshot_take(ecosystem_id=demo.pk)
        ecosystem_run_ticks(ecosystem=demo, ticks=1)

    ticks = list(SocialSnapshot.objects.filter(ecosystem=demo).values_list("tick", flat=True))
    assert sorted(ticks) == [4, 5]
