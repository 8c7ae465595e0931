"""The same act logs the same events whichever path does it: an interaction sent through the
API, one played in a tick, and one the Director sets up."""

from __future__ import annotations

from collections import defaultdict

import pytest

from ecosystems.demo import demo_world_seed
from ecosystems.models import Ecosystem, Event
from ecosystems.services.director import scene_direct
from ecosystems.services.ticks import ecosystem_run_ticks
from tests.api.conftest import client_with_key

# What one interaction logs, whichever path: the exchange and what it moved.
ACT_KINDS = {"character_interaction", "relationship_changed", "emotion_changed"}


def acts(events: list[Event]) -> list[list[Event]]:
    """The log cut into acts: each character_interaction with the events that follow it up to
    the next one, keeping only the kinds an interaction itself logs."""
    cut: list[list[Event]] = []
    for event in events:
        if event.kind == "character_interaction":
            cut.append([event])
        elif cut and event.kind in ACT_KINDS:
            cut[-1].append(event)
    return cut


def shapes(events: list[Event]) -> dict[str, set[frozenset[str]]]:
    """Kind -> the payload key sets seen for it."""
    found: dict[str, set[frozenset[str]]] = defaultdict(set)
    for event in events:
        found[event.kind].add(frozenset(event.payload))
    return found


def log_after(world: Ecosystem, seq: int) -> list[Event]:
    return list(Event.objects.filter(ecosystem=world, seq__gt=seq).order_by("seq"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_api_interaction_a_tick_and_the_director_log_the_same_kinds_and_keys(owner):
    world = demo_world_seed(owner=owner).ecosystem
    ecosystem_run_ticks(ecosystem=world, ticks=3)
    tick_acts = acts(log_after(world, 0))
    assert tick_acts, "the demo world's first ticks play interactions"
    played = tick_acts[0][0].payload
    initiator, responder = (p["id"] for p in played["participants"])
    kind = played["interaction_type"]

    world.refresh_from_db()
    before_api = world.last_event_seq
    response = client_with_key(owner).post(
        "/api/v1/interactions/",
        {"initiator_id": initiator, "target_id": responder, "interaction_type": kind,
         "content": "", "context": {}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    api_log = log_after(world, before_api)

    world.refresh_from_db()
    before_director = world.last_event_seq
    scene_direct(ecosystem=world, initiator_id=initiator, target_id=responder,
                 interaction_type=kind)  # fmt: skip
    director_log = log_after(world, before_director)

    (api_act,) = acts(api_log)
    (director_act,) = acts(director_log)
    assert director_log[0].kind == "director_intervention"
    tick_shapes = shapes([e for act in tick_acts for e in act])
    for path, act in (("api", api_act), ("director", director_act)):
        assert act[0].payload["interaction_type"] == kind, path
        for event_kind, keys in shapes(act).items():
            assert keys <= tick_shapes.get(event_kind, keys), (path, event_kind)
    # The exchange itself has one shape on every path.
    assert (
        shapes(api_act)["character_interaction"]
        == shapes(director_act)["character_interaction"]
        == tick_shapes["character_interaction"]
    )
