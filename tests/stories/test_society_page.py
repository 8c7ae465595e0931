"""The Society page, server-rendered: circles, influence, power, contagion, heatmap and the
history as tables that work without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.services.ticks import ecosystem_run_ticks
from stories.society import social_snapshot_take

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    ecosystem_run_ticks(ecosystem=world, ticks=2)
    social_snapshot_take(ecosystem_id=world.pk)
    ecosystem_run_ticks(ecosystem=world, ticks=2)
    social_snapshot_take(ecosystem_id=world.pk)
    return world


def test_the_owner_sees_the_circles_findings_and_history_as_tables(client, owner, demo):
    client.force_login(owner)

    response = client.get(reverse("society", args=[demo.pk]))

    assert response.status_code == 200
    page = response.text
    assert 'aria-current="page">Society</a>' in page
    assert "'s circle" in page
    assert 'id="influence"' in page and 'id="heatmap"' in page and 'id="chains"' in page
    assert 'Snapshot at tick <span id="snapshot-tick">4</span>' in page
    assert page.count('href="?at=') == 2


def test_at_a_past_tick_the_page_shows_that_snapshot(client, owner, demo):
    client.force_login(owner)

    page = client.get(reverse("society", args=[demo.pk]), {"at": "2"}).text

    assert 'Snapshot at tick <span id="snapshot-tick">2</span>' in page
    assert "Show the latest" in page


def test_a_stranger_gets_404_for_a_private_world(client, stranger, demo):
    client.force_login(stranger)

    assert client.get(reverse("society", args=[demo.pk])).status_code == 404


def test_a_world_never_ticked_is_analysed_on_the_spot(client, owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    client.force_login(owner)

    page = client.get(reverse("society", args=[world.pk])).text

    assert "Analysed now at tick" in page
    assert "No snapshot kept yet." in page


def test_at_naming_no_snapshot_shows_the_latest(client, owner, demo):
    client.force_login(owner)

    for at in ("9" * 30, "not-a-tick", "1"):
        page = client.get(reverse("society", args=[demo.pk]), {"at": at}).text
        assert 'Snapshot at tick <span id="snapshot-tick">4</span>' in page
        assert "No snapshot at that tick or id" in page
