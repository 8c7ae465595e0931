"""GET /api/v1/ecosystems/{id}/analytics/?days=: a world's figures day by day, for its owner
and staff (the matrix covers the stranger's 404 and 403 and anonymous 401)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from billing.metering import _day_key, api_calls_by_day
from billing.models import ApiCallsDay
from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.models import Interaction
from ecosystems.services.ticks import ecosystem_run_ticks
from stories.services import stories_sift
from tests.api.conftest import client_with_key, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    ecosystem_run_ticks(ecosystem=world, ticks=5)
    stories_sift(ecosystem_id=world.pk)
    return world


def url(world, query: str = "") -> str:
    return f"/api/v1/ecosystems/{world.pk}/analytics/{query}"


def test_the_owner_reads_the_figures_of_a_run_world(as_owner, demo):
    response = as_owner.get(url(demo, "?days=7"))

    assert response.status_code == 200, response.content
    data = response.json()
    assert len(data["days"]) == 7
    assert set(data) == {"days", "stories", "interactions", "engagement"}
    interactions = data["interactions"]
    assert interactions["total"] == Interaction.objects.filter(ecosystem=demo).count() > 0
    assert interactions["per_day"][-1] == interactions["total"]  # all of them ran today
    assert sum(sum(s) for s in interactions["by_type"].values()) == interactions["total"]
    assert 1 <= interactions["ticks"] <= 5
    top = interactions["top_characters"][0]
    assert set(top) == {"id", "name", "started", "received", "total"}
    assert set(data["stories"]["time_to_climax"]) == {
        "stories", "median_hours", "p90_hours", "median_ticks", "p90_ticks",
    }  # fmt: skip
    assert all(len(v) == 7 for v in data["stories"]["by_genre"].values())
    assert len(data["engagement"]["director_interventions"]) == 7


def test_thirty_days_by_default(as_owner, demo):
    assert len(as_owner.get(url(demo)).json()["days"]) == 30


@pytest.mark.parametrize("days", ["0", "366", "many"])
def test_days_out_of_range_are_a_400_that_says_the_range(as_owner, demo, days):
    response = as_owner.get(url(demo, f"?days={days}"))
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"
    assert "days" in str(error_of(response))


def test_staff_read_any_worlds_figures(staff, demo):
    assert client_with_key(staff).get(url(demo)).status_code == 200


def test_the_meter_counts_the_platforms_api_calls_per_day(as_owner, as_stranger):
    today = timezone.now().date()
    for client in (as_owner, as_owner, as_stranger):
        assert client.get("/api/v1/ecosystems/").status_code == 200

    assert api_calls_by_day([today - dt.timedelta(days=1), today]) == [0, 3]
    # Each user's first call of the month copied the day's count to the database: were the
    # live counter lost, the day would still show what was copied.
    cache.delete(_day_key(today))
    assert ApiCallsDay.objects.get(day=today).calls == 3
    assert api_calls_by_day([today]) == [3]
