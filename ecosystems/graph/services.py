"""Projecting a world's relationship graph into the graph database, and the analytics read
from it in Cypher.

The projection follows the event log. The events after the world's ``GraphCursor`` name the
pairs whose relationship changed: every ``relationship_changed`` and both directions of every
``character_interaction`` (a tick writes both rows of an interaction but logs
``relationship_changed`` only for a change worth telling, so the payloads alone would miss
small drifts). Those pairs' rows are read from the table and written stamped with the world's
``last_event_seq`` as read *before* the rows, so each row is at least as new as its stamp. An
edge is written only by a stamp newer than the one it holds (``updated_seq``): a sync run twice
changes nothing, one replayed from an old cursor cannot undo a newer write, and a sync that
failed half-way is simply run again from the cursor. What the log does not name is read from
the tables too:

- the first sync of a world, and ``rebuild``, load every character and relationship;
- each sync creates the nodes of characters new to the graph, removes those of characters
  deleted, and loads relationships authored since the last sync (``relationship_create``
  logs no event).

A character renamed without an event keeps its old name in the graph until ``--rebuild``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from characters.models import Character
from core.errors import ServiceUnavailable
from ecosystems.engine.events import EventKind
from ecosystems.models import Ecosystem, Event, GraphCursor, Relationship

if TYPE_CHECKING:
    from neomodel.sync_.core import Database

log = logging.getLogger(__name__)

ROWS_PER_WRITE = 1_000  # rows per UNWIND statement: one round trip each, a few ms on loopback
EVENTS_CHUNK = 2_000  # log rows fetched per round trip while reading from the cursor
# Ties along which influence travels, and the two ends of "my friend's friend is my enemy".
FRIENDLY_KINDS = ("friend", "close_friend", "ally", "partner")
HOSTILE_KINDS = ("enemy", "rival")
# Six degrees: a path longer than that is no influence worth showing, and bounds the search.
INFLUENCE_MAX_HOPS = 6
FRENEMIES_MAX = 50
# The events that name a pair whose relationship row changed: a tick writes both rows of every
# interaction, but logs ``relationship_changed`` only for a change worth telling.
PAIR_KINDS = (EventKind.RELATIONSHIP_CHANGED, EventKind.CHARACTER_INTERACTION)

_connected_url: str | None = None


def graph_configured() -> bool:
    """Whether a graph database is configured (``NEO4J_BOLT_URL``)."""
    return bool(settings.NEO4J_BOLT_URL)


def _db() -> Database:
    """neomodel's connection, pointed at ``NEO4J_BOLT_URL`` (connects and installs the schema's
    constraints the first time, or when the setting changed)."""
    global _connected_url
    url = settings.NEO4J_BOLT_URL
    if not url:
        raise ServiceUnavailable(
            "No graph database is configured: set NEO4J_BOLT_URL (e.g. "
            "bolt://neo4j:secret@127.0.0.1:7687) and run `manage.py graph_sync <world>`."
        )
    from neo4j.exceptions import DriverError, Neo4jError
    from neomodel import db, install_labels

    from ecosystems.graph.nodes import CharacterNode

    if _connected_url != url:
        _connected_url = None
        if db.driver is not None:
            db.close_connection()
        try:
            db.set_connection(url=url)
            db.cypher_query("RETURN 1")  # set_connection does not always connect
        except (DriverError, Neo4jError, OSError) as error:
            if db.driver is not None:
                db.close_connection()
            raise ServiceUnavailable(
                f"The graph database at NEO4J_BOLT_URL does not answer ({error}); "
                "check that it runs, or unset NEO4J_BOLT_URL."
            ) from error
        try:
            install_labels(CharacterNode)
        except Neo4jError as error:
            # Neo4j reports an existing constraint in a way neomodel passes over; ArcadeDB as a
            # plain error. Either way the uniqueness of ``uid`` is already there.
            log.info("graph constraints not installed (%s); already present?", error.message)
        _connected_url = url
    return db


def _run(db: Database, query: str, **params: Any) -> list[list[Any]]:
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        rows, _ = db.cypher_query(query, params)
    except (DriverError, Neo4jError, OSError) as error:
        raise ServiceUnavailable(f"The graph database failed a query ({error}).") from error
    return rows


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), ROWS_PER_WRITE):
        yield rows[start : start + ROWS_PER_WRITE]


# --- writing -----------------------------------------------------------------------------------

NODES_MERGE = """
UNWIND $rows AS row
MERGE (n:CharacterNode {uid: row.uid})
SET n.world = $world, n.name = row.name
RETURN count(n)
"""

# ``inclusive``: an authored row (no event names it) may overwrite an edge holding the same
# stamp, since nothing was logged between; a pair the log names always carries a newer stamp.
EDGES_MERGE = """
UNWIND $rows AS row
MATCH (s:CharacterNode {uid: row.source}), (t:CharacterNode {uid: row.target})
MERGE (s)-[r:RELATES]->(t)
WITH r, row
WHERE coalesce(r.updated_seq, -1) < row.seq OR ($inclusive AND r.updated_seq = row.seq)
SET r.strength = row.strength, r.trust = row.trust, r.familiarity = row.familiarity,
    r.attraction = row.attraction, r.kind = row.kind, r.updated_seq = row.seq
RETURN count(r)
"""


def _nodes_merge(db: Database, world: str, people: dict[str, str], uids: Iterable[str]) -> int:
    rows = [{"uid": uid, "name": people[uid]} for uid in sorted(set(uids)) if uid in people]
    for chunk in _chunks(rows):
        _run(db, NODES_MERGE, rows=chunk, world=world)
    return len(rows)


# ``TRUSTS`` mirrors ``RELATES`` with trust > 0: the influence path is a shortest path over
# it. A predicate on the path (``WHERE all(r IN relationships(p) WHERE r.trust > 0)``) would
# do on Neo4j, which searches under it; ArcadeDB filters the one shortest path found
# afterwards, so a shorter distrustful way would hide the trusted one.
TRUSTS_MERGE = """
UNWIND $rows AS row
MATCH (s:CharacterNode {uid: row.source})-[r:RELATES]->(t:CharacterNode {uid: row.target})
WHERE r.trust > 0
MERGE (s)-[:TRUSTS]->(t)
"""
TRUSTS_DELETE = """
UNWIND $rows AS row
MATCH (s:CharacterNode {uid: row.source})-[x:TRUSTS]->(t:CharacterNode {uid: row.target})
MATCH (s)-[r:RELATES]->(t)
WHERE r.trust <= 0
DELETE x
"""


def _edges_merge(db: Database, rows: list[dict[str, Any]], *, inclusive: bool) -> int:
    written = 0
    for chunk in _chunks(rows):
        result = _run(db, EDGES_MERGE, rows=chunk, inclusive=inclusive)
        written += result[0][0] if result else 0
        pairs = [{"source": row["source"], "target": row["target"]} for row in chunk]
        _run(db, TRUSTS_MERGE, rows=pairs)
        _run(db, TRUSTS_DELETE, rows=pairs)
    return written


def _edge_row(source: str, target: str, seq: int, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": source,
        "target": target,
        "seq": seq,
        "strength": float(values["strength"]),
        "trust": float(values["trust"]),
        "familiarity": float(values["familiarity"]),
        "attraction": float(values["attraction"]),
        "kind": str(values["kind"]),
    }


def _table_edges(relationships: Any, seq: int) -> list[dict[str, Any]]:
    columns = ("source_id", "target_id", "strength", "trust", "familiarity", "attraction", "kind")
    return [
        _edge_row(str(row["source_id"]), str(row["target_id"]), seq, row)
        for row in relationships.order_by().values(*columns)
    ]


def _logged_pairs(ecosystem: Ecosystem, after: int, upto: int) -> tuple[int, set[tuple]]:
    """The directed pairs whose relationship the log in ``(after, upto]`` says changed, and the
    number of events read: both directions of every interaction (a tick updates both rows) and
    every ``relationship_changed``."""
    pairs: set[tuple[str, str]] = set()
    read = 0
    events = (
        Event.objects.filter(ecosystem=ecosystem, kind__in=PAIR_KINDS, seq__gt=after, seq__lte=upto)
        .order_by("seq")
        .values_list("payload__source__id", "payload__target__id", "payload__participants")
    )
    for source, target, participants in events.iterator(chunk_size=EVENTS_CHUNK):
        read += 1
        if source and target:
            pairs.add((source, target))
        elif participants and len(participants) == 2:
            first, second = participants[0]["id"], participants[1]["id"]
            pairs |= {(first, second), (second, first)}
    return read, pairs


def _pairs_edges(relationships: Any, pairs: set[tuple[str, str]], seq: int) -> list[dict]:
    """The table's rows of ``pairs`` (a pair without a row, e.g. deleted since, has none)."""
    sources = sorted({source for source, _ in pairs})
    candidates = _table_edges(relationships.filter(source_id__in=sources), seq)
    return [e for e in candidates if (e["source"], e["target"]) in pairs]


@dataclass(frozen=True)
class GraphSyncResult:
    ecosystem_id: str
    from_seq: int  # the cursor before (0 for a first sync or a rebuild)
    to_seq: int  # the cursor after: every event up to it is in the graph
    events_read: int
    characters_written: int
    characters_removed: int
    relationships_written: int  # edges created or changed (an unchanged replay writes 0)
    rebuilt: bool


def graph_sync(*, ecosystem: Ecosystem, rebuild: bool = False) -> GraphSyncResult:
    """Bring the world's graph up to its log's last event; ``rebuild`` drops the world's graph
    and loads it again from the tables.

    Syncs of one world are serialised by a row lock on its cursor, held while the graph is
    written (one graph transaction). The cursor moves only after the graph committed, so a sync
    that fails half-way is simply run again. Raises ``ServiceUnavailable`` when no graph
    database is configured or it does not answer."""
    db = _db()
    world = str(ecosystem.pk)
    GraphCursor.objects.get_or_create(ecosystem=ecosystem)
    with transaction.atomic():
        cursor = GraphCursor.objects.select_for_update().get(ecosystem=ecosystem)
        started = timezone.now()
        # Read before any row: the rows are then at least as new as this seq.
        to_seq = Ecosystem.objects.values_list("last_event_seq", flat=True).get(pk=ecosystem.pk)
        first = rebuild or cursor.synced_at is None
        from_seq = 0 if first else cursor.last_seq
        people = {
            str(pk): name
            for pk, name in Character.objects.filter(ecosystem=ecosystem).values_list("id", "name")
        }
        relationships = Relationship.objects.filter(ecosystem=ecosystem)
        with db.transaction:
            if first:
                removed = _run(
                    db,
                    "MATCH (n:CharacterNode {world: $world}) DETACH DELETE n RETURN count(n)",
                    world=world,
                )[0][0]
                nodes = _nodes_merge(db, world, people, people)
                events_read = 0
                edges = _edges_merge(db, _table_edges(relationships, to_seq), inclusive=True)
            else:
                present = {
                    row[0]
                    for row in _run(
                        db, "MATCH (n:CharacterNode {world: $world}) RETURN n.uid", world=world
                    )
                }
                gone = sorted(present - people.keys())
                removed = len(gone)
                if gone:
                    _run(
                        db,
                        "MATCH (n:CharacterNode) WHERE n.uid IN $gone DETACH DELETE n",
                        gone=gone,
                    )
                events_read, changed = _logged_pairs(ecosystem, from_seq, to_seq)
                logged = _pairs_edges(relationships, changed, to_seq)
                authored = [
                    e
                    for e in _table_edges(
                        relationships.filter(updated_at__gte=cursor.synced_at), to_seq
                    )
                    if (e["source"], e["target"]) not in changed
                ]
                ends = {e[end] for e in logged + authored for end in ("source", "target")}
                nodes = _nodes_merge(db, world, people, (people.keys() - present) | ends)
                edges = _edges_merge(db, logged, inclusive=False)
                edges += _edges_merge(db, authored, inclusive=True)
        cursor.last_seq = to_seq
        cursor.synced_at = started
        cursor.save(update_fields=["last_seq", "synced_at"])
    return GraphSyncResult(
        ecosystem_id=world,
        from_seq=from_seq,
        to_seq=to_seq,
        events_read=events_read,
        characters_written=nodes,
        characters_removed=removed,
        relationships_written=edges,
        rebuilt=first,
    )


# --- reading (the analytics) -------------------------------------------------------------------


def _ref(uid: str, name: str) -> dict[str, str]:
    return {"id": uid, "name": name}


def graph_synced_seq(*, ecosystem: Ecosystem) -> int | None:
    """The event seq the world's graph holds, or None when it was never synced."""
    cursor = GraphCursor.objects.filter(ecosystem=ecosystem, synced_at__isnull=False).first()
    return cursor.last_seq if cursor else None


INFLUENCE_PATH = f"""
MATCH (s:CharacterNode {{uid: $source}}), (t:CharacterNode {{uid: $target}})
MATCH p = shortestPath((s)<-[:TRUSTS*..{INFLUENCE_MAX_HOPS}]-(t))
RETURN [n IN nodes(p) | [n.uid, n.name]]
"""


def influence_path(
    *, ecosystem: Ecosystem, source_id: str, target_id: str
) -> list[dict[str, str]] | None:
    """The shortest chain by which ``source`` can sway ``target``: each character in it trusts
    the one before (``trust > 0`` on their tie towards them), at most ``INFLUENCE_MAX_HOPS``
    long. Returns the characters from source to target, or None when there is no such chain.
    Reads the projected graph (as of ``graph_synced_seq``)."""
    if source_id == target_id:
        return None
    db = _db()
    world = str(ecosystem.pk)
    ends = _run(
        db,
        "MATCH (n:CharacterNode) WHERE n.uid IN $ids AND n.world = $world RETURN count(n)",
        ids=[source_id, target_id],
        world=world,
    )
    if not ends or ends[0][0] != 2:
        return None
    rows = _run(db, INFLUENCE_PATH, source=source_id, target=target_id)
    if not rows:
        return None
    return [_ref(uid, name) for uid, name in rows[0][0]]


FRENEMIES = """
MATCH (a:CharacterNode {world: $world})-[r1:RELATES]->(b:CharacterNode)-[r2:RELATES]->(c:CharacterNode)
MATCH (a)-[r3:RELATES]->(c)
WHERE r1.kind IN $friendly AND r2.kind IN $friendly AND r3.kind IN $hostile AND a <> c
RETURN a.uid, a.name, b.uid, b.name, c.uid, c.name, r3.kind
ORDER BY a.name, c.name, b.name, a.uid, c.uid, b.uid
LIMIT $limit
"""  # noqa: E501


def frenemies(*, ecosystem: Ecosystem, limit: int = FRENEMIES_MAX) -> list[dict[str, Any]]:
    """Unbalanced triads, "my friend's friend is my enemy": a character, a friend of theirs
    (a friendly tie from them), and someone that friend befriends whom the character regards
    as an enemy or a rival. At most ``limit``, by name."""
    rows = _run(
        _db(),
        FRENEMIES,
        world=str(ecosystem.pk),
        friendly=list(FRIENDLY_KINDS),
        hostile=list(HOSTILE_KINDS),
        limit=limit,
    )
    return [
        {
            "character": _ref(a, a_name),
            "friend": _ref(b, b_name),
            "enemy": _ref(c, c_name),
            "kind": kind,
        }
        for a, a_name, b, b_name, c, c_name, kind in rows
    ]


def graph_analytics(
    *, ecosystem: Ecosystem, path_from: str | None = None, path_to: str | None = None
) -> dict[str, Any]:
    """What the graph API adds when a graph database is configured: the synced seq, the
    frenemies and, when both ends are given, the influence path. A graph database that does
    not answer leaves the rest of the response whole: ``available`` is false and ``detail``
    says why (the nodes and edges come from PostgreSQL)."""
    analytics: dict[str, Any] = {"synced_seq": graph_synced_seq(ecosystem=ecosystem)}
    try:
        analytics["frenemies"] = frenemies(ecosystem=ecosystem)
        if path_from and path_to:
            analytics["influence_path"] = influence_path(
                ecosystem=ecosystem, source_id=path_from, target_id=path_to
            )
    except ServiceUnavailable as error:
        log.warning("graph analytics of %s unavailable: %s", ecosystem.pk, error.message)
        return {**analytics, "available": False, "detail": error.message, "frenemies": []}
    return {**analytics, "available": True}
