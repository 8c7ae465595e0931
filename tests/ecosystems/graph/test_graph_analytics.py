"""The analytics answered in Cypher by a real Bolt server (ArcadeDB), the command, the API's
extra fields and the sync after ticks."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecosystems.graph.services import INFLUENCE_MAX_HOPS, frenemies, graph_sync, influence_path
from ecosystems.models import GraphCursor
from tests.api.conftest import client_with_key
from tests.ecosystems.graph.conftest import graph_nodes
from tests.factories import CharacterFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world):
    """Ann, Ben, Cal and Dee, each trusting the one before (Ben trusts Ann, ...); Dee distrusts
    Ann outright, which is a tie but no way for Ann to sway Dee."""
    people = [CharacterFactory(ecosystem=world, name=n) for n in ("Ann", "Ben", "Cal", "Dee")]
    for earlier, later in itertools.pairwise(people):
        RelationshipFactory(source=later, target=earlier, kind="friend", trust=0.6)
    RelationshipFactory(source=people[3], target=people[0], kind="rival", trust=-0.5)
    return people


def _ids(path):
    return [step["name"] for step in path] if path is not None else None


def test_the_influence_path_runs_through_trust_only(graph_db, world, chain):
    ann, _ben, _cal, dee = chain
    graph_sync(ecosystem=world)

    path = influence_path(ecosystem=world, source_id=str(ann.pk), target_id=str(dee.pk))

    assert _ids(path) == ["Ann", "Ben", "Cal", "Dee"]  # not the one distrustful step Ann→Dee
    assert path[0] == {"id": str(ann.pk), "name": "Ann"}


def test_no_influence_path_against_the_flow_of_trust(graph_db, world, chain):
    ann, _ben, _cal, dee = chain
    graph_sync(ecosystem=world)

    assert influence_path(ecosystem=world, source_id=str(dee.pk), target_id=str(ann.pk)) is None


def test_an_influence_path_longer_than_the_limit_is_none(graph_db, world):
    line = [CharacterFactory(ecosystem=world, name=f"P{n}") for n in range(INFLUENCE_MAX_HOPS + 2)]
    for earlier, later in itertools.pairwise(line):
        RelationshipFactory(source=later, target=earlier, kind="friend", trust=0.6)
    graph_sync(ecosystem=world)

    near = influence_path(ecosystem=world, source_id=str(line[0].pk), target_id=str(line[-2].pk))
    far = influence_path(ecosystem=world, source_id=str(line[0].pk), target_id=str(line[-1].pk))

    assert len(near) == INFLUENCE_MAX_HOPS + 1 and far is None


def test_no_influence_path_into_another_world(graph_db, world, chain, owner):
    from tests.factories import EcosystemFactory

    elsewhere = CharacterFactory(ecosystem=EcosystemFactory(owner=owner), name="Far")
    graph_sync(ecosystem=world)
    graph_sync(ecosystem=elsewhere.ecosystem)

    found = influence_path(ecosystem=world, source_id=str(chain[0].pk), target_id=str(elsewhere.pk))

    assert found is None


def test_frenemies_are_a_friends_friend_one_regards_as_an_enemy(graph_db, world):
    ann, ben, cal, dee = (
        CharacterFactory(ecosystem=world, name=n) for n in ["Ann", "Ben", "Cal", "Dee"]
    )
    RelationshipFactory(source=ann, target=ben, kind="friend")
    RelationshipFactory(source=ben, target=cal, kind="close_friend")
    RelationshipFactory(source=ann, target=cal, kind="enemy")
    RelationshipFactory(source=ben, target=dee, kind="ally")
    RelationshipFactory(source=ann, target=dee, kind="acquaintance")  # balanced: not one
    RelationshipFactory(source=cal, target=ann, kind="rival")  # Cal has no friend here
    graph_sync(ecosystem=world)

    found = frenemies(ecosystem=world)

    assert found == [
        {
            "character": {"id": str(ann.pk), "name": "Ann"},
            "friend": {"id": str(ben.pk), "name": "Ben"},
            "enemy": {"id": str(cal.pk), "name": "Cal"},
            "kind": "enemy",
        }
    ]


def test_frenemies_follow_the_log_after_a_sync(graph_db, world):
    from tests.ecosystems.graph.conftest import relationship_change

    ann, ben, cal = (CharacterFactory(ecosystem=world, name=n) for n in ("Ann", "Ben", "Cal"))
    RelationshipFactory(source=ann, target=ben, kind="friend")
    RelationshipFactory(source=ben, target=cal, kind="friend")
    ac = RelationshipFactory(source=ann, target=cal, kind="acquaintance")
    graph_sync(ecosystem=world)
    assert frenemies(ecosystem=world) == []

    relationship_change(ac, kind="rival", strength=-0.5)
    graph_sync(ecosystem=world)

    assert [f["kind"] for f in frenemies(ecosystem=world)] == ["rival"]


# --- the command -----------------------------------------------------------------------------


def test_the_command_syncs_then_resumes_then_rebuilds(graph_db, world, chain):
    out = StringIO()
    call_command("graph_sync", world.name, stdout=out)
    call_command("graph_sync", str(world.pk), stdout=out)
    call_command("graph_sync", world.name, "--rebuild", stdout=out)

    first, again, rebuilt = out.getvalue().splitlines()
    assert first == (
        f"{world.name}: rebuilt to #0: 0 events read, 4 characters and 4 relationships "
        "written, 0 characters removed."
    )
    assert again.startswith(f"{world.name}: synced from #0 to #0: 0 events read, 0 characters")
    assert "4 characters removed" in rebuilt
    assert len(graph_nodes(graph_db, world)) == 4


def test_the_command_without_a_graph_database_says_what_to_set(settings, world):
    settings.NEO4J_BOLT_URL = ""
    with pytest.raises(CommandError, match="unavailable: No graph database is configured"):
        call_command("graph_sync", world.name)
    assert not GraphCursor.objects.filter(ecosystem=world).exists()


# --- the API ---------------------------------------------------------------------------------


def test_the_graph_api_adds_the_cypher_analytics_when_configured(graph_db, owner, world, chain):
    ann, _ben, _cal, dee = chain
    graph_sync(ecosystem=world)
    api = client_with_key(owner)

    body = api.get(
        f"/api/v1/ecosystems/{world.pk}/graph/", {"path_from": ann.pk, "path_to": dee.pk}
    ).json()

    assert {n["name"] for n in body["nodes"]} == {"Ann", "Ben", "Cal", "Dee"}
    analytics = body["graph_db"]
    assert (analytics["available"], analytics["synced_seq"]) == (True, 0)
    assert [step["name"] for step in analytics["influence_path"]] == ["Ann", "Ben", "Cal", "Dee"]
    assert analytics["frenemies"] == []


def test_the_graph_api_wants_both_ends_of_a_path(graph_db, owner, world, chain):
    response = client_with_key(owner).get(
        f"/api/v1/ecosystems/{world.pk}/graph/", {"path_from": chain[0].pk}
    )
    assert response.status_code == 400


def test_without_a_graph_database_the_graph_api_has_no_graph_db_field(
    settings, owner, world, chain
):
    settings.NEO4J_BOLT_URL = ""
    body = client_with_key(owner).get(f"/api/v1/ecosystems/{world.pk}/graph/").json()
    assert "graph_db" not in body and len(body["nodes"]) == 4


def test_a_graph_database_that_does_not_answer_leaves_the_graph_whole(
    settings, owner, world, chain
):
    from config.embedded import _free_port

    settings.NEO4J_BOLT_URL = f"bolt://root:x@127.0.0.1:{_free_port()}/dramatis"
    body = client_with_key(owner).get(f"/api/v1/ecosystems/{world.pk}/graph/").json()

    assert len(body["edges"]) == 4
    assert body["graph_db"]["available"] is False
    assert "does not answer" in body["graph_db"]["detail"]


# --- after ticks ---------------------------------------------------------------------------------


def test_a_tick_enqueues_one_debounced_sync_only_when_configured(settings, world, monkeypatch):
    from django.core.cache import cache

    from ecosystems.apps import _graph_sync_after_tick
    from ecosystems.tasks import graph_sync_task

    sent: list[tuple] = []
    monkeypatch.setattr(graph_sync_task, "apply_async", lambda *a, **kw: sent.append((a, kw)))
    cache.delete(f"ecosystems:graph-sync-soon:{world.pk}")

    settings.NEO4J_BOLT_URL = ""
    _graph_sync_after_tick(str(world.pk), 1, "q")
    settings.NEO4J_BOLT_URL = "bolt://root:x@127.0.0.1:1/dramatis"
    _graph_sync_after_tick(str(world.pk), 2, "q")
    _graph_sync_after_tick(str(world.pk), 3, "q")
    cache.delete(f"ecosystems:graph-sync-soon:{world.pk}")

    assert sent == [
        (((str(world.pk),),), {"countdown": settings.GRAPH_SYNC_DEBOUNCE_SECONDS, "queue": "q"})
    ]


def test_the_task_syncs_the_world(graph_db, world, chain):
    from ecosystems.tasks import graph_sync_task

    result = graph_sync_task.apply(args=(str(world.pk),)).get()

    assert result == {"ecosystem_id": str(world.pk), "synced": True, "to_seq": 0,
                      "relationships_written": 4}  # fmt: skip
    assert len(graph_nodes(graph_db, world)) == 4
