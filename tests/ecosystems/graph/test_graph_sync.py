"""The projection into a real Bolt server (ArcadeDB): first sync, idempotency, resuming from
the cursor, rebuild, deletions and authored relationships, and real ticks."""

from __future__ import annotations

import pytest

from core.errors import ServiceUnavailable
from ecosystems.graph.services import graph_sync
from ecosystems.models import GraphCursor, Relationship
from tests.ecosystems.graph.conftest import graph_edges, graph_nodes, relationship_change
from tests.factories import CharacterFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world):
    """Alice, Bob and Cleo; Alice is Bob's friend, Bob regards Cleo as a rival."""
    alice = CharacterFactory(ecosystem=world, name="Alice")
    bob = CharacterFactory(ecosystem=world, name="Bob")
    cleo = CharacterFactory(ecosystem=world, name="Cleo")
    ab = RelationshipFactory(source=alice, target=bob, kind="friend", strength=0.6, trust=0.5)
    bc = RelationshipFactory(source=bob, target=cleo, kind="rival", strength=-0.4, trust=-0.2)
    return alice, bob, cleo, ab, bc


def test_a_first_sync_projects_every_character_and_relationship(graph_db, world, cast):
    alice, bob, cleo, ab, _bc = cast
    relationship_change(ab, strength=0.7, familiarity=0.3)  # seq 1

    result = graph_sync(ecosystem=world)

    assert result.rebuilt and result.from_seq == 0 and result.to_seq == 1
    assert graph_nodes(graph_db, world) == {
        str(alice.pk): "Alice", str(bob.pk): "Bob", str(cleo.pk): "Cleo"
    }  # fmt: skip
    edges = graph_edges(graph_db, world)
    assert set(edges) == {(str(alice.pk), str(bob.pk)), (str(bob.pk), str(cleo.pk))}
    assert edges[(str(alice.pk), str(bob.pk))] == {
        "kind": "friend", "strength": 0.7, "trust": 0.5, "familiarity": 0.3, "attraction": 0.0,
        "updated_seq": 1,
    }  # fmt: skip
    assert GraphCursor.objects.get(ecosystem=world).last_seq == 1


def test_running_the_sync_twice_changes_nothing(graph_db, world, cast):
    graph_sync(ecosystem=world)
    before = (graph_nodes(graph_db, world), graph_edges(graph_db, world))

    again = graph_sync(ecosystem=world)

    assert not again.rebuilt
    assert (again.events_read, again.relationships_written, again.characters_removed) == (0, 0, 0)
    assert (graph_nodes(graph_db, world), graph_edges(graph_db, world)) == before


def test_a_sync_resumes_from_the_cursor_and_reads_only_the_new_events(graph_db, world, cast):
    _alice, bob, cleo, ab, bc = cast
    relationship_change(ab, strength=0.65)  # seq 1
    graph_sync(ecosystem=world)
    relationship_change(bc, kind="enemy", strength=-0.8)  # seq 2
    relationship_change(bc, strength=-0.9)  # seq 3: the pair's last word

    result = graph_sync(ecosystem=world)

    assert (result.from_seq, result.to_seq, result.events_read) == (1, 3, 2)
    assert result.relationships_written == 1
    edge = graph_edges(graph_db, world)[(str(bob.pk), str(cleo.pk))]
    assert (edge["kind"], edge["strength"], edge["updated_seq"]) == ("enemy", -0.9, 3)


def test_an_event_replayed_from_an_old_cursor_never_overwrites_a_newer_edge(graph_db, world, cast):
    alice, bob, _cleo, ab, _bc = cast
    relationship_change(ab, strength=0.1)  # seq 1
    relationship_change(ab, strength=0.2)  # seq 2
    graph_sync(ecosystem=world)
    graph_db.cypher_query(  # as if a newer event (seq 9) had already been projected
        "MATCH (:CharacterNode {uid: $a})-[r:RELATES]->(:CharacterNode {uid: $b}) "
        "SET r.strength = 0.95, r.updated_seq = 9",
        {"a": str(alice.pk), "b": str(bob.pk)},
    )
    GraphCursor.objects.filter(ecosystem=world).update(last_seq=0)

    result = graph_sync(ecosystem=world)

    assert result.events_read == 2 and result.relationships_written == 0
    edge = graph_edges(graph_db, world)[(str(alice.pk), str(bob.pk))]
    assert (edge["strength"], edge["updated_seq"]) == (0.95, 9)


def test_rebuild_drops_the_worlds_graph_and_loads_it_from_the_tables(graph_db, world, cast):
    alice, bob, cleo, _ab, _bc = cast
    graph_sync(ecosystem=world)
    graph_db.cypher_query(  # drift: a stray node and a wrong edge
        "CREATE (:CharacterNode {uid: 'stray', world: $w, name: 'Stray'})", {"w": str(world.pk)}
    )
    graph_db.cypher_query(
        "MATCH (:CharacterNode {uid: $a})-[r:RELATES]->() SET r.kind = 'partner'",
        {"a": str(alice.pk)},
    )

    result = graph_sync(ecosystem=world, rebuild=True)

    assert result.rebuilt and result.characters_removed == 4
    assert set(graph_nodes(graph_db, world)) == {str(alice.pk), str(bob.pk), str(cleo.pk)}
    assert graph_edges(graph_db, world)[(str(alice.pk), str(bob.pk))]["kind"] == "friend"


def test_a_deleted_character_leaves_the_graph_with_its_ties(graph_db, world, cast):
    alice, bob, cleo, _ab, _bc = cast
    graph_sync(ecosystem=world)
    cleo.delete()

    result = graph_sync(ecosystem=world)

    assert result.characters_removed == 1
    assert str(cleo.pk) not in graph_nodes(graph_db, world)
    assert set(graph_edges(graph_db, world)) == {(str(alice.pk), str(bob.pk))}


def test_a_new_character_and_an_authored_relationship_arrive_without_an_event(
    graph_db, world, cast
):
    alice, _bob, _cleo, _ab, _bc = cast
    graph_sync(ecosystem=world)
    dora = CharacterFactory(ecosystem=world, name="Dora")
    RelationshipFactory(source=dora, target=alice, kind="ally", trust=0.4)

    result = graph_sync(ecosystem=world)

    assert result.events_read == 0
    assert graph_nodes(graph_db, world)[str(dora.pk)] == "Dora"
    assert graph_edges(graph_db, world)[(str(dora.pk), str(alice.pk))]["kind"] == "ally"


def test_two_worlds_graphs_stay_apart(graph_db, world, cast, owner):
    from tests.factories import EcosystemFactory

    other = EcosystemFactory(owner=owner)
    stranger = CharacterFactory(ecosystem=other, name="Other")
    graph_sync(ecosystem=world)
    graph_sync(ecosystem=other)

    graph_sync(ecosystem=world, rebuild=True)

    assert graph_nodes(graph_db, other) == {str(stranger.pk): "Other"}


def test_after_real_ticks_the_graph_holds_what_the_tables_hold(graph_db, owner):
    from ecosystems.demo import demo_world_seed
    from ecosystems.models import Ecosystem, Event
    from ecosystems.services.ticks import ecosystem_run_ticks

    demo_world_seed(owner=owner)
    world = Ecosystem.objects.get(owner=owner, name="The Garden Party")
    graph_sync(ecosystem=world)
    ecosystem_run_ticks(ecosystem=world, ticks=3)
    world.refresh_from_db()
    logged = Event.objects.filter(
        ecosystem=world, kind__in=["relationship_changed", "character_interaction"]
    ).count()

    result = graph_sync(ecosystem=world)

    assert logged > 0 and result.events_read == logged
    edges = graph_edges(graph_db, world)
    rows = Relationship.objects.filter(ecosystem=world)
    assert len(edges) == rows.count()
    for row in rows:
        edge = edges[(str(row.source_id), str(row.target_id))]
        assert edge["kind"] == row.kind
        for axis in ("strength", "trust", "familiarity", "attraction"):
            assert edge[axis] == pytest.approx(getattr(row, axis), abs=1e-4)  # events round


def test_without_a_graph_database_the_sync_says_what_to_set(settings, world):
    settings.NEO4J_BOLT_URL = ""
    with pytest.raises(ServiceUnavailable, match="set NEO4J_BOLT_URL"):
        graph_sync(ecosystem=world)


def test_a_graph_database_that_does_not_answer_is_unavailable(settings, world):
    from config.embedded import _free_port

    settings.NEO4J_BOLT_URL = f"bolt://root:x@127.0.0.1:{_free_port()}/dramatis"
    with pytest.raises(ServiceUnavailable, match="does not answer"):
        graph_sync(ecosystem=world)
