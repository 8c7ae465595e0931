"""A world's social analytics: the snapshot service (read the world and its log into the pure
``stories.engine.society``, keep the result as a ``SocialSnapshot``, announce it) and the
selectors the Society page and the API read.

Snapshots are taken after ticks, debounced (``stories/apps.py``): at most one per world per
``STORIES_SOCIAL_DEBOUNCE_SECONDS``, and none when the world has not ticked since the last.
One snapshot per world and tick (a unique constraint): a task delivered twice writes once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from characters.models import Character
from ecosystems.events import EventKind, builders, publish
from ecosystems.models import Alliance, Ecosystem, Event, Interaction, Relationship
from stories.engine.society import (
    CONFLICT_KINDS,
    GRAPH_MAX_EDGES,
    GRAPH_MAX_NODES,
    ISOLATES_SHOWN,
    RANKING_MAX,
    YIELDING_KINDS,
    Analysis,
    Band,
    Clash,
    Feeling,
    Person,
    Tally,
    Tie,
    World,
    society_analyse,
)
from stories.models import SocialSnapshot

log = logging.getLogger(__name__)

# How far back power and contagion look: the latest conflicts (rows) and the latest events of
# the log. A running world's power and moods are what happened lately, and a 10,000-character
# world's whole history would not fit a snapshot's budget of seconds.
CLASH_WINDOW = 5_000
CONTAGION_WINDOW_EVENTS = 20_000
HISTORY_MAX = 200  # snapshots in the API's and the page's history series
# Snapshots kept per world, the oldest pruned: a world ticking all day is snapshotted every
# 30 s (2,880 a day); 500 cover its last four hours at that pace, or months of a slow world.
SNAPSHOTS_KEPT = 500
TICK_DIGITS_MAX = 18  # a tick is a bigint: a longer number names no tick (and no 500)
COMMUNITY_MEMBERS_SHOWN = 12
CIRCLES_IN_FIGURES = 8  # the largest communities whose sizes the history keeps


@dataclass(frozen=True)
class SocialView:
    """What the page and the API show: one snapshot (saved, or taken now for a world that has
    none yet) and the history series."""

    id: str | None
    tick: int
    created_at: str
    data: dict[str, Any]
    history: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        snapshot = {"id": self.id, "tick": self.tick, "created_at": self.created_at, **self.data}
        return {"snapshot": snapshot, "history": self.history}


# --- reading the world ------------------------------------------------------------------------


def _ref(pid: str, names: dict[str, str]) -> dict[str, str]:
    return {"id": pid, "name": names.get(pid, "")}


def society_world(*, ecosystem: Ecosystem) -> World:
    """The world's characters, ties, interaction tallies, recent clashes, recent feelings and
    standing alliances, as the engine's records. A handful of queries whatever the size."""
    people = [
        Person(id=str(pk), name=name)
        for pk, name in Character.objects.filter(ecosystem=ecosystem, is_active=True)
        .order_by("name", "id")
        .values_list("id", "name")
    ]
    ties = [
        Tie(str(s), str(t), strength, trust, kind)
        for s, t, strength, trust, kind in Relationship.objects.filter(
            ecosystem=ecosystem
        ).values_list("source_id", "target_id", "strength", "trust", "kind")
    ]
    tallies = [
        Tally(str(row["initiator_id"]), str(row["target_id"]), row["interaction_type"], row["n"])
        for row in Interaction.objects.filter(ecosystem=ecosystem)
        .values("initiator_id", "target_id", "interaction_type")
        .annotate(n=Count("id"))
        .order_by()
    ]
    clashes = [
        _clash(initiator, target, kind, tick, impact)
        for initiator, target, kind, tick, impact in Interaction.objects.filter(
            ecosystem=ecosystem, interaction_type__in=CONFLICT_KINDS | YIELDING_KINDS
        )
        .order_by("-tick", "-created_at")
        .values_list("initiator_id", "target_id", "interaction_type", "tick", "emotional_impact")[
            :CLASH_WINDOW
        ]
    ]
    return World(
        people=people,
        ties=ties,
        tallies=tallies,
        clashes=clashes,
        feelings=_feelings(ecosystem),
        alliances=_alliances(ecosystem),
    )


def _clash(initiator: UUID, target: UUID, kind: str, tick: int, impact: Any) -> Clash:
    felt = (impact or {}).get(str(target), {}) if isinstance(impact, dict) else {}
    return Clash(
        initiator=str(initiator),
        target=str(target),
        kind=kind,
        tick=tick,
        target_fear=max(0.0, felt.get("fear", 0.0)) + max(0.0, felt.get("sadness", 0.0)),
        target_anger=max(0.0, felt.get("anger", 0.0)),
    )


def _feelings(ecosystem: Ecosystem) -> list[Feeling]:
    """Each ``emotion_changed`` of the recent log with the interaction that caused it: the
    builders log an interaction's emotion changes right after it, with its summary as their
    cause, so the other participant is the source, and the interaction's ``emotional_states``
    say whether the source felt that emotion strongly then."""
    rows = (
        Event.objects.filter(
            ecosystem=ecosystem,
            kind__in=[EventKind.CHARACTER_INTERACTION, EventKind.EMOTION_CHANGED],
            seq__gt=ecosystem.last_event_seq - CONTAGION_WINDOW_EVENTS,
        )
        .order_by("seq")
        .values_list(
            "seq",
            "tick",
            "kind",
            "payload__participants",
            "payload__emotional_states",
            "payload__summary",
            "payload__character__id",
            "payload__dominant",
            "payload__cause",
        )
    )
    feelings = []
    last_ids: list[str] = []
    last_states: dict[str, Any] = {}
    last_summary = None
    for seq, tick, kind, participants, states, summary, who, dominant, cause in rows:
        if kind == EventKind.CHARACTER_INTERACTION:
            last_ids = [p["id"] for p in participants or []]
            last_states = states or {}
            last_summary = summary
            continue
        source = None
        if cause == last_summary and who in last_ids and len(last_ids) == 2:
            source = last_ids[1] if last_ids[0] == who else last_ids[0]
        felt = bool(source and (last_states.get(source) or {}).get(dominant, 0.0) > 0)
        feelings.append(Feeling(seq, tick, who, dominant, source, felt))
    return feelings


def _alliances(ecosystem: Ecosystem) -> list[Band]:
    standing = list(
        Alliance.objects.filter(ecosystem=ecosystem, broken_tick__isnull=True).values_list(
            "id", "name", "formed_tick"
        )
    )
    members: dict[UUID, list[str]] = {pk: [] for pk, _, _ in standing}
    for alliance_id, character_id in Alliance.members.through.objects.filter(
        alliance_id__in=members
    ).values_list("alliance_id", "character_id"):
        members[alliance_id].append(str(character_id))
    return [Band(name, tuple(sorted(members[pk])), formed) for pk, name, formed in standing]


# --- shaping a snapshot -----------------------------------------------------------------------


def society_data(analysis: Analysis, names: dict[str, str]) -> tuple[dict, dict, dict]:
    """The snapshot's ``data`` (what the page shows), ``figures`` (the history's numbers) and
    ``memberships`` (for the next snapshot's stable ids) of one analysis."""
    s = analysis.standings
    by_influence = sorted(s.values(), key=lambda x: (-x.pagerank, x.name, x.id))
    by_power = sorted(
        (x for x in s.values() if x.wins or x.losses),
        key=lambda x: (-x.power, -x.wins, x.losses, x.name),
    )
    shown = {x.id for x in by_influence[:GRAPH_MAX_NODES]}
    edges = sorted(
        (e for e in analysis.edges if e[0] in shown and e[1] in shown), key=lambda e: -e[2]
    )[:GRAPH_MAX_EDGES]
    top_rank = by_influence[0].pagerank if by_influence else 1.0

    def standing(x: Any) -> dict[str, Any]:
        return {
            "id": x.id,
            "name": x.name,
            "community": x.community,
            "pagerank": x.pagerank,
            "influence": round(x.pagerank / top_rank, 4) if top_rank else 0.0,
            "betweenness": x.betweenness,
            "degree": x.degree,
            "power": x.power,
            "wins": x.wins,
            "losses": x.losses,
        }

    communities = [
        {
            "id": c.id,
            "name": c.name,
            "size": c.size,
            "members": [_ref(m, names) for m in c.members[:COMMUNITY_MEMBERS_SHOWN]],
        }
        for c in analysis.communities
    ]
    transmissions = sum(n for _, _, n in analysis.spreaders)
    data = {
        "findings": analysis.findings,
        "communities": communities,
        "modularity": analysis.modularity,
        "graph": {
            "nodes": [standing(x) for x in by_influence[:GRAPH_MAX_NODES]],
            "edges": [{"source": a, "target": b, "weight": w} for a, b, w in edges],
            "total_nodes": len(s),
            "total_edges": len(analysis.edges),
        },
        "influence": [standing(x) for x in by_influence[:RANKING_MAX]],
        "power": [standing(x) for x in by_power[:RANKING_MAX]],
        "dominance": [
            {
                "winner": _ref(d.winner, names),
                "loser": _ref(d.loser, names),
                "wins": d.wins,
                "losses": d.losses,
            }
            for d in analysis.dominance
        ],
        "contagion": {
            "chains": [
                {
                    "emotion": c.emotion,
                    "path": [_ref(p, names) for p in c.path],
                    "ticks": list(c.ticks),
                }
                for c in analysis.chains
            ],
            "spreaders": [
                {**_ref(pid, names), "emotion": emotion, "count": n}
                for pid, emotion, n in analysis.spreaders
            ],
        },
        "brokers": [standing(s[pid]) for pid in analysis.brokers],
        "isolates": {
            "count": len(analysis.isolates),
            "characters": [_ref(p, names) for p in analysis.isolates[:ISOLATES_SHOWN]],
        },
        "alliances": [
            {
                "name": b.name,
                "members": [_ref(m, names) for m in b.members],
                "formed_tick": b.formed_tick,
            }
            for b in analysis.alliances
        ],
        "heatmap": {
            "characters": [_ref(p, names) for p in analysis.heatmap_people],
            "cells": [
                {"initiator": c.initiator, "target": c.target, "count": c.count, "warmth": c.warmth}
                for c in analysis.heatmap
            ],
        },
        "next_community": analysis.next_community,
    }
    figures = {
        "characters": len(s),
        "ties": len(analysis.edges),
        "communities": len(analysis.communities),
        "modularity": analysis.modularity,
        "brokers": len(analysis.brokers),
        "isolates": len(analysis.isolates),
        "transmissions": transmissions,
        "decided_clashes": sum(x.wins for x in s.values()),
        "top_influencer": by_influence[0].name if by_influence and by_influence[0].degree else "",
        "top_power": by_power[0].name if by_power else "",
        "circles": {c.id: c.size for c in analysis.communities[:CIRCLES_IN_FIGURES]},
    }
    memberships = {c.id: list(c.members) for c in analysis.communities}
    return data, figures, memberships


def _analyse(ecosystem: Ecosystem, latest: SocialSnapshot | None) -> tuple[dict, dict, dict]:
    world = society_world(ecosystem=ecosystem)
    analysis = society_analyse(
        world,
        previous=latest.memberships if latest else None,
        next_community=(latest.data.get("next_community", 1) if latest else 1),
    )
    return society_data(analysis, {p.id: p.name for p in world.people})


# --- the service ------------------------------------------------------------------------------


def social_snapshot_take(*, ecosystem_id: UUID | str) -> SocialSnapshot | None:
    """Take the world's social analytics at its current tick, keep them and announce them
    (``social_updated``, after commit). None when a snapshot of this tick already exists
    (the world has not ticked since, or another task took it first)."""
    ecosystem = Ecosystem.objects.get(pk=ecosystem_id)
    latest = _latest(ecosystem)
    if latest is not None and latest.tick >= ecosystem.current_tick:
        return None
    data, figures, memberships = _analyse(ecosystem, latest)
    try:
        with transaction.atomic():
            snapshot = SocialSnapshot.objects.create(
                ecosystem=ecosystem,
                tick=ecosystem.current_tick,
                figures=figures,
                data=data,
                memberships=memberships,
            )
            publish(
                ecosystem=ecosystem,
                events=[
                    builders.social_updated(
                        snapshot_id=str(snapshot.pk),
                        tick=snapshot.tick,
                        communities=figures["communities"],
                        headline=data["findings"][0] if data["findings"] else "",
                    )
                ],
            )
    except IntegrityError:  # the same tick, taken by a task delivered twice
        log.info("social snapshot of %s at tick %s already taken", ecosystem_id, latest)
        return None
    _prune(ecosystem)
    return snapshot


def _prune(ecosystem: Ecosystem) -> None:
    """Drop the world's snapshots older than its latest ``SNAPSHOTS_KEPT``."""
    cutoff = (
        SocialSnapshot.objects.filter(ecosystem=ecosystem)
        .order_by("-tick")
        .values_list("tick", flat=True)[SNAPSHOTS_KEPT : SNAPSHOTS_KEPT + 1]
    )
    oldest_kept = cutoff.first()
    if oldest_kept is not None:
        SocialSnapshot.objects.filter(ecosystem=ecosystem, tick__lte=oldest_kept).delete()


# --- selectors --------------------------------------------------------------------------------


def _latest(ecosystem: Ecosystem) -> SocialSnapshot | None:
    return SocialSnapshot.objects.filter(ecosystem=ecosystem).order_by("-tick").first()


def social_history(*, ecosystem: Ecosystem) -> list[dict[str, Any]]:
    """The compact figures of the world's latest snapshots, oldest first (data not read)."""
    rows = list(
        SocialSnapshot.objects.filter(ecosystem=ecosystem)
        .order_by("-tick")
        .values("id", "tick", "created_at", "figures")[:HISTORY_MAX]
    )
    return [
        {"id": str(r["id"]), "tick": r["tick"], "created_at": _iso(r["created_at"]),
         **r["figures"]}
        for r in reversed(rows)
    ]  # fmt: skip


def _iso(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def social_view(*, ecosystem: Ecosystem, at: str | None = None) -> SocialView | None:
    """The snapshot ``at`` names (a snapshot id, or a tick: the latest taken at or before it)
    or the latest, with the history. A world with no snapshot yet is analysed now, unsaved,
    so its page is never empty. None when ``at`` names no snapshot of this world."""
    snapshots = SocialSnapshot.objects.filter(ecosystem=ecosystem).defer("memberships")
    if at is None:
        snapshot = snapshots.order_by("-tick").first()
    elif at.isdigit():
        tick = int(at) if len(at) <= TICK_DIGITS_MAX else None
        found = snapshots.filter(tick__lte=tick) if tick is not None else snapshots.none()
        snapshot = found.order_by("-tick").first()
    else:
        try:
            snapshot = snapshots.filter(pk=UUID(at)).first()
        except ValueError:
            snapshot = None
    history = social_history(ecosystem=ecosystem)
    if snapshot is not None:
        return SocialView(
            str(snapshot.pk), snapshot.tick, _iso(snapshot.created_at), snapshot.data, history
        )
    if at is not None:
        return None
    data, _, _ = _analyse(ecosystem, None)
    return SocialView(None, ecosystem.current_tick, _iso(timezone.now()), data, history)
