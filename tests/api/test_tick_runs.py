"""A batch of ticks is a run the client can ask about (probe finding 8): its id comes back in
the body and the Location header, its progress is saved after every tick, a retry with the
same Idempotency-Key runs nothing twice, and a batch that failed says how far it got."""

from __future__ import annotations

import pytest

from ecosystems.models import Ecosystem, TickRun
from ecosystems.services import ticks as ticks_module
from ecosystems.services.ticks import tick_run_execute, tick_run_start
from tests.api.conftest import error_of
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner) -> Ecosystem:
    world = EcosystemFactory(owner=owner)
    CharacterFactory(ecosystem=world, name="Alice")
    CharacterFactory(ecosystem=world, name="Bob")
    return world


def test_a_batch_answers_its_run_id_and_the_run_says_all_of_it_ran(world, as_owner):
    response = as_owner.post(f"/api/v1/ecosystems/{world.pk}/tick/", {"ticks": 3}, format="json")

    assert response.status_code == 200
    run = response.json()["run"]
    assert (run["requested"], run["done"], run["status"]) == (3, 3, "finished")
    assert (run["first_tick"], run["last_tick"]) == (1, 3)
    assert response["Location"] == f"/api/v1/ecosystems/{world.pk}/tick-runs/{run['id']}/"
    asked = as_owner.get(response["Location"]).json()
    assert (asked["done"], asked["progress"], asked["status"]) == (3, 1.0, "finished")


def test_a_retry_with_the_same_idempotency_key_runs_nothing_twice(world, as_owner):
    path = f"/api/v1/ecosystems/{world.pk}/tick/"
    first = as_owner.post(path, {"ticks": 2}, format="json", HTTP_IDEMPOTENCY_KEY="batch-7")

    again = as_owner.post(path, {"ticks": 2}, format="json", HTTP_IDEMPOTENCY_KEY="batch-7")

    assert again.json()["replayed"] is True and again.json()["ticks"] == []
    assert again.json()["run"]["id"] == first.json()["run"]["id"]
    world.refresh_from_db()
    assert world.current_tick == 2
    found = as_owner.get(f"/api/v1/ecosystems/{world.pk}/tick-runs/?idempotency_key=batch-7")
    assert [r["id"] for r in found.json()["results"]] == [first.json()["run"]["id"]]


def test_progress_is_saved_after_every_tick_not_at_the_end(world, monkeypatch):
    run, _ = tick_run_start(ecosystem=world, ticks=3)
    seen: list[int] = []
    real_tick = ticks_module.ecosystem_tick

    def tick_and_look(**kwargs):
        seen.append(TickRun.objects.get(pk=run.pk).done)
        return real_tick(**kwargs)

    monkeypatch.setattr(ticks_module, "ecosystem_tick", tick_and_look)
    tick_run_execute(run=run)

    assert seen == [0, 1, 2]


def test_a_batch_that_fails_half_way_says_how_many_ran_and_why(world, monkeypatch, as_owner):
    run, _ = tick_run_start(ecosystem=world, ticks=5)
    real_tick = ticks_module.ecosystem_tick
    calls = []

    def third_fails(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real_tick(**kwargs)

    monkeypatch.setattr(ticks_module, "ecosystem_tick", third_fails)
    with pytest.raises(RuntimeError):
        tick_run_execute(run=run)

    asked = as_owner.get(f"/api/v1/ecosystems/{world.pk}/tick-runs/{run.pk}/").json()
    assert (asked["status"], asked["done"], asked["requested"]) == ("failed", 2, 5)
    assert asked["error"] == "the database went away" and asked["finished_at"]


def test_a_stranger_learns_nothing_of_someone_elses_runs(world, as_owner, as_stranger):
    ran = as_owner.post(f"/api/v1/ecosystems/{world.pk}/tick/", {"ticks": 1}, format="json")
    location = ran["Location"]

    assert as_stranger.get(location).status_code == 404
    assert as_stranger.get(f"/api/v1/ecosystems/{world.pk}/tick-runs/").status_code == 404


def test_an_overlong_idempotency_key_is_refused_with_what_to_send(world, as_owner):
    response = as_owner.post(
        f"/api/v1/ecosystems/{world.pk}/tick/", {"ticks": 1}, format="json",
        HTTP_IDEMPOTENCY_KEY="k" * 201,
    )  # fmt: skip

    assert response.status_code == 400
    assert "at most 200" in error_of(response)["message"]
    assert not TickRun.objects.exists()
