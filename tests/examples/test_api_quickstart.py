"""examples/api_quickstart.py end to end against real servers: daphne (HTTP and WebSocket) and
a Celery worker (story sifting after each tick), as under `make run`."""

from __future__ import annotations

import importlib.util

import pytest
from django.core.cache import cache

from billing.metering import _key, month_start
from config.embedded import BASE_DIR
from tests.factories import PASSWORD
from tests.live import celery_worker_and_beat

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def load_example():
    spec = importlib.util.spec_from_file_location(
        "api_quickstart", BASE_DIR / "examples" / "api_quickstart.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_quickstart_builds_a_world_streams_its_events_and_finds_stories(
    live_daphne, owner, tmp_path, capsys
):
    example = load_example()
    try:
        with celery_worker_and_beat(str(tmp_path)):
            key = example.api_key(live_daphne, "owner", PASSWORD)
            result = example.run(live_daphne, key, ticks=15, name="Quickstart", story_wait=45)
    finally:  # the live server meters into the shared Redis under the test prefix
        cache.delete(_key(owner.pk, month_start()))

    assert set(result["characters"]) == {"Alice", "Bob", "Eve"}
    seqs = [e["seq"] for e in result["events"]]
    assert seqs == list(range(1, len(seqs) + 1))  # every event once, in order
    assert "character_interaction" in {e["type"] for e in result["events"]}
    assert result["stories"], "the worker sifted no story out of a quarrel and 15 ticks"
    out = capsys.readouterr().out
    assert "Stories:" in out and "API calls this month" in out
