"""Projecting a world's relationship graph into the graph database, and the analytics read
from it in Cypher.

The projection follows the event log: every ``relationship_changed`` event carries the pair's
absolute axes and kind, so replaying events in ``seq`` order converges on the relational state,
and an edge is only written by an event newer than the one it holds (``updated_seq``). That
makes a sync idempotent (running it twice changes nothing) and resumable from the world's
``GraphCursor``. What the log does not carry is read from the tables:

- the first sync of a world, and ``rebuild``, load every character and relationship, stamped
  with the world's ``last_event_seq`` read *before* the rows (so any event after it, replayed
  next time, is newer than what the rows showed or equal to it);
- each sync creates the nodes of characters new to the graph and removes those of characters
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
        try:
            db.set_connection(url=url)
            install_labels(CharacterNode)
        except (DriverError, Neo4jError, OSError) as error:
            raise ServiceUnavailable(
                f"The graph database at NEO4J_BOLT_URL does not answer ({error}); "
                "check that it runs, or unset NEO4J_BOLT_URL."
            ) from error
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

# ``inclusive``: rows read from the tables are stamped with the seq read before them, so they
# may overwrite an edge written by that same event (they are at least as new); an event may not.
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


def _edges_merge(db: Database, rows: list[dict[str, Any]], *, inclusive: bool) -> int:
    written = 0
    for chunk in _chunks(rows):
        result = _run(db, EDGES_MERGE, rows=chunk, inclusive=inclusive)
        written += result[0][0] if result else 0
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


def _logged_edges(ecosystem: Ecosystem, after: int, upto: int) -> tuple[int, list[dict]]:
    """The newest logged state of each pair changed in ``(after, upto]``: the number of events
    read and one edge row per pair (each event holds absolute values, so the last one wins)."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    read = 0
    events = (
        Event.objects.filter(
            ecosystem=ecosystem,
            kind=EventKind.RELATIONSHIP_CHANGED,
            seq__gt=after,
            seq__lte=upto,
        )
        .order_by("seq")
        .values_list("seq", "payload")
    )
    for seq, payload in events.iterator(chunk_size=EVENTS_CHUNK):
        read += 1
        pair = (payload["source"]["id"], payload["target"]["id"])
        latest[pair] = _edge_row(pair[0], pair[1], seq, payload)
    return read, list(latest.values())


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
                events_read, logged = _logged_edges(ecosystem, from_seq, to_seq)
                logged = [e for e in logged if e["source"] in people and e["target"] in people]
                authored = _table_edges(
                    relationships.filter(updated_at__gte=cursor.synced_at), to_seq
                )
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
MATCH p = shortestPath((s)<-[:RELATES*..{INFLUENCE_MAX_HOPS}]-(t))
WHERE all(r IN relationships(p) WHERE r.trust > 0)
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
