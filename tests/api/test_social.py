"""GET /api/v1/ecosystems/{id}/social/: the latest snapshot, one `at` a tick or an id, and
the history of every snapshot's figures."""

from __future__ import annotations

import pytest

from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.models import Ecosystem
from ecosystems.services.ticks import ecosystem_run_ticks
from stories.society import social_snapshot_take
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    ecosystem_run_ticks(ecosystem=world, ticks=2)
    first = social_snapshot_take(ecosystem_id=world.pk)
    ecosystem_run_ticks(ecosystem=world, ticks=2)
    second = social_snapshot_take(ecosystem_id=world.pk)
    return world, first, second


def url(world) -> str:
    return f"/api/v1/ecosystems/{world.pk}/social/"


def test_the_latest_snapshot_comes_with_its_history(as_owner, demo):
    world, first, second = demo

    body = as_owner.get(url(world)).json()

    snapshot = body["snapshot"]
    assert snapshot["id"] == str(second.pk) and snapshot["tick"] == 4
    assert {"findings", "communities", "graph", "influence", "power", "dominance", "contagion",
            "brokers", "isolates", "alliances", "heatmap"} <= set(snapshot)  # fmt: skip
    assert snapshot["communities"][0]["members"][0]["name"]
    node = snapshot["graph"]["nodes"][0]
    assert node["influence"] == 1.0 and node["community"]
    assert [h["tick"] for h in body["history"]] == [2, 4]
    assert body["history"][0]["id"] == str(first.pk)
    assert body["history"][1]["communities"] == len(snapshot["communities"])


def test_at_a_tick_gives_the_snapshot_taken_at_or_before_it(as_owner, demo):
    world, first, _ = demo

    assert as_owner.get(url(world), {"at": "3"}).json()["snapshot"]["id"] == str(first.pk)
    assert as_owner.get(url(world), {"at": str(first.pk)}).json()["snapshot"]["tick"] == 2


def test_at_a_tick_before_any_snapshot_is_a_404_that_says_where_to_look(as_owner, demo):
    world, _, _ = demo

    response = as_owner.get(url(world), {"at": "1"})

    assert response.status_code == 404
    assert "history" in error_of(response)["message"]


def test_at_must_be_a_tick_or_a_snapshot_id(as_owner, demo):
    world, _, _ = demo

    response = as_owner.get(url(world), {"at": "yesterday"})

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


def test_a_stranger_gets_404_for_a_private_world(as_stranger, demo):
    world, _, _ = demo

    response = as_stranger.get(url(world))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_stranger_reads_a_public_worlds_society(as_stranger, demo):
    world, _, second = demo
    Ecosystem.objects.filter(pk=world.pk).update(visibility=Ecosystem.Visibility.PUBLIC)

    body = as_stranger.get(url(world)).json()

    assert body["snapshot"]["id"] == str(second.pk)


def test_a_world_with_no_snapshot_yet_is_analysed_now(as_owner, owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem

    body = as_owner.get(url(world)).json()

    assert body["snapshot"]["id"] is None
    assert body["snapshot"]["graph"]["nodes"]
    assert body["history"] == []


def test_at_a_tick_too_big_for_any_world_is_refused_not_a_crash(as_owner, demo):
    world, _, _ = demo

    response = as_owner.get(url(world), {"at": "9" * 30})

    assert response.status_code == 400
