"""A real Bolt graph server for the projection's tests: ArcadeDB with its Bolt plugin
(config/graph_server.py), started once per test session on a free loopback port. It must
start: a test that needs it fails, never skips, when it cannot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from config.graph_server import GraphServer
from ecosystems.engine.events import ref
from ecosystems.events import builders, publish
from ecosystems.models import Relationship


@pytest.fixture(scope="session")
def graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphServer]:
    server = GraphServer.start(tmp_path_factory.mktemp("graph"))
    yield server
    server.stop()


@pytest.fixture
def graph_db(settings, graph_server: GraphServer):
    """The graph database configured (``NEO4J_BOLT_URL``) and empty; yields neomodel's ``db``."""
    settings.NEO4J_BOLT_URL = graph_server.url
    from ecosystems.graph.services import _db

    db = _db()
    db.cypher_query("MATCH (n) DETACH DELETE n")
    return db


def relationship_change(relationship: Relationship, **axes: float | str) -> None:
    """Change a relationship as a tick does: the row and its ``relationship_changed`` event in
    one transaction (the event holds the absolute values)."""
    previous_kind = relationship.kind
    before = {k: getattr(relationship, k) for k in ("strength", "trust", "familiarity")}
    for field, value in axes.items():
        setattr(relationship, field, value)
    with transaction.atomic():
        relationship.save()
        publish(
            ecosystem=relationship.ecosystem,
            events=[
                builders.relationship_changed(
                    source=ref(str(relationship.source_id), relationship.source.name),
                    target=ref(str(relationship.target_id), relationship.target.name),
                    kind=relationship.kind,
                    previous_kind=previous_kind,
                    strength=relationship.strength,
                    trust=relationship.trust,
                    familiarity=relationship.familiarity,
                    attraction=relationship.attraction,
                    deltas={
                        "strength_delta": relationship.strength - before["strength"],
                        "trust_delta": relationship.trust - before["trust"],
                        "familiarity_delta": relationship.familiarity - before["familiarity"],
                        "attraction_delta": 0.0,
                    },
                    cause="a test",
                )
            ],
        )


def graph_edges(db, world) -> dict[tuple[str, str], dict]:
    """Every RELATES edge of the world's graph: (source id, target id) -> its properties."""
    rows, _ = db.cypher_query(
        "MATCH (s:CharacterNode {world: $w})-[r:RELATES]->(t:CharacterNode) "
        "RETURN s.uid, t.uid, r.kind, r.strength, r.trust, r.familiarity, r.attraction, "
        "r.updated_seq",
        {"w": str(world.pk)},
    )
    keys = ("kind", "strength", "trust", "familiarity", "attraction", "updated_seq")
    return {(s, t): dict(zip(keys, rest, strict=True)) for s, t, *rest in rows}


def graph_nodes(db, world) -> dict[str, str]:
    rows, _ = db.cypher_query(
        "MATCH (n:CharacterNode {world: $w}) RETURN n.uid, n.name", {"w": str(world.pk)}
    )
    return dict(rows)
