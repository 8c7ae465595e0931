"""Social analytics of a world, pure: who forms circles, who matters, who prevails, whose
feelings spread, who brokers and who stands alone; plain-language findings on top.

``society_analyse`` takes plain records (characters, directed relationships, interaction
tallies, conflict outcomes, feelings in log order, alliances) and the previous snapshot's
communities, and returns an ``Analysis`` of dataclasses. No Django: the service
(``stories/society.py``) reads the database and the event log into these records.

The graph work is igraph's (C): PageRank and betweenness, and Leiden communities through
leidenalg (Traag et al. 2019: Louvain's successor, which never returns a disconnected
community), both seeded, so the same world gives the same circles.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import igraph
import leidenalg

from characters.engine.interactions import CATALOGUE

# Leiden's seed: fixed, so a world's circles do not shuffle between two identical snapshots.
COMMUNITY_SEED = 7
# Louvain/Leiden resolution 1.0 is plain modularity (Newman 2006).
COMMUNITY_RESOLUTION = 1.0
# Interactions count toward a tie as log(1 + n) times this: ten warm talks add about as much
# as a relationship strength of 0.5, and a thousand do not drown every feeling.
INTERACTION_WEIGHT = 0.2
# A tie weaker than this (mean of both directions' strength and trust, plus the interaction
# term) is no tie: acquaintances of 0.02 do not glue circles together.
MIN_TIE = 0.05
# Betweenness is exact up to this many characters; above it, estimated from this many
# sampled sources (Brandes & Pich 2007), which keeps a 10,000-character world within seconds.
BETWEENNESS_EXACT_MAX = 1500
BETWEENNESS_SAMPLES = 400
# A community keeps its id when its members overlap the previous snapshot's by at least this
# Jaccard index; below it, it is a new circle.
STABLE_ID_MIN_JACCARD = 0.3
# A broker links at least two communities and is in the top of betweenness by this share.
BROKER_TOP_SHARE = 0.1
BROKER_MAX = 10
# How much of each list a snapshot keeps: what a page can show (and a 10,000-character
# world's snapshot stays a few hundred kilobytes).
GRAPH_MAX_NODES = 300
GRAPH_MAX_EDGES = 1500
RANKING_MAX = 20
HEATMAP_MAX = 15
CHAINS_MAX = 10
COMMUNITY_MEMBERS_SHOWN = 12
ISOLATES_SHOWN = 20
# Emotions that spread "from" someone in a finding only when passed on at least this often.
SPREADER_MIN_TRANSMISSIONS = 2
# Acts where the target gives way: the initiator of an apology yields to its target.
YIELDING_KINDS = frozenset({"apologise"})
CONFLICT_KINDS = frozenset(k for k, t in CATALOGUE.items() if t.conflict)


# --- input ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Tie:
    """How ``source`` regards ``target`` (directed), strength and trust -1..1."""

    source: str
    target: str
    strength: float
    trust: float
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Tally:
    """``count`` interactions of ``kind`` from ``initiator`` to ``target``."""

    initiator: str
    target: str
    kind: str
    count: int


@dataclass(frozen=True, slots=True)
class Clash:
    """One conflict or yielding act and how the target took it (its emotion deltas)."""

    initiator: str
    target: str
    kind: str
    tick: int
    target_fear: float = 0.0  # fear + sadness gained: cowed
    target_anger: float = 0.0  # anger gained: stood their ground


@dataclass(frozen=True, slots=True)
class Feeling:
    """A character's dominant emotion became ``emotion`` (log order ``seq``), caused by an
    interaction with ``source`` (None when the cause was not an interaction), who felt it
    strongly then (``source_felt``)."""

    seq: int
    tick: int
    character: str
    emotion: str
    source: str | None = None
    source_felt: bool = False


@dataclass(frozen=True, slots=True)
class Band:
    """An alliance: its name, members and when it formed."""

    name: str
    members: tuple[str, ...]
    formed_tick: int


@dataclass(frozen=True, slots=True)
class World:
    people: Sequence[Person]
    ties: Sequence[Tie] = ()
    tallies: Sequence[Tally] = ()
    clashes: Sequence[Clash] = ()
    feelings: Sequence[Feeling] = ()
    alliances: Sequence[Band] = ()


# --- output -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Community:
    id: str  # stable across snapshots ("c1", "c2", ...)
    name: str  # "Diana's circle", after its most influential member
    members: tuple[str, ...]  # ids, most influential first
    size: int


@dataclass(frozen=True, slots=True)
class Standing:
    """One character's place: community, influence, power."""

    id: str
    name: str
    community: str | None
    pagerank: float
    betweenness: float
    degree: int
    power: float  # 0..1: share of decided clashes won, weighted by whom they were won over
    wins: int
    losses: int


@dataclass(frozen=True, slots=True)
class Dominance:
    winner: str
    loser: str
    wins: int
    losses: int


@dataclass(frozen=True, slots=True)
class Chain:
    emotion: str
    path: tuple[str, ...]  # ids, from where it started to where it last went
    ticks: tuple[int, ...]  # the tick of each hop


@dataclass(frozen=True, slots=True)
class HeatCell:
    initiator: str
    target: str
    count: int
    warmth: float  # mean valence of the acts, -1 (hostile) .. 1 (warm)


@dataclass(frozen=True, slots=True)
class Analysis:
    standings: dict[str, Standing]
    communities: list[Community]
    next_community: int  # the number the next new circle's id takes
    edges: list[tuple[str, str, float]]  # undirected ties (a < b), weight
    modularity: float
    brokers: list[str]
    isolates: list[str]
    dominance: list[Dominance]
    chains: list[Chain]
    spreaders: list[tuple[str, str, int]]  # (character, emotion, times passed on)
    heatmap_people: list[str]
    heatmap: list[HeatCell]
    alliances: list[Band]
    findings: list[str] = field(default_factory=list)


# --- analysis ---------------------------------------------------------------------------------


def society_analyse(
    world: World,
    *,
    previous: Mapping[str, Iterable[str]] | None = None,
    next_community: int = 1,
) -> Analysis:
    """Analyse ``world``. ``previous`` maps the last snapshot's community ids to their member
    ids, so a circle that is mostly the same people keeps its id; ``next_community`` is the
    number the next new id takes (the last snapshot's ``next_community``)."""
    names = {p.id: p.name for p in world.people}
    ids = list(names)
    index = {pid: i for i, pid in enumerate(ids)}
    edges = _undirected_ties(world.ties, world.tallies, index)
    graph = igraph.Graph(n=len(ids), edges=[(index[a], index[b]) for a, b, _ in edges])
    weights = [w for _, _, w in edges]
    graph.es["weight"] = weights

    pagerank = graph.pagerank(weights="weight") if ids else []
    betweenness = _betweenness(graph)
    partition = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=COMMUNITY_RESOLUTION,
        seed=COMMUNITY_SEED,
    )
    degree = graph.degree()
    groups = [
        sorted((ids[v] for v in part), key=lambda pid: -pagerank[index[pid]])
        for part in partition
        if len(part) > 1  # a lone character is an isolate, not a circle
    ]
    communities, next_community = _stable_ids(groups, previous or {}, next_community, names)
    community_of = {pid: c.id for c in communities for pid in c.members}
    modularity = graph.modularity(partition.membership, weights="weight") if edges else 0.0

    power, wins, losses, dominance = _power(world.clashes, set(ids))
    standings = {
        pid: Standing(
            id=pid,
            name=names[pid],
            community=community_of.get(pid),
            pagerank=round(pagerank[i], 6),
            betweenness=round(betweenness[i], 6),
            degree=degree[i],
            power=round(power.get(pid, 0.0), 4),
            wins=wins[pid],
            losses=losses[pid],
        )
        for pid, i in index.items()
    }
    brokers = _brokers(graph, ids, betweenness, community_of)
    isolates = [pid for pid, i in index.items() if degree[i] == 0]
    chains, spreaders = _contagion(world.feelings)
    heat_people, heat = _heatmap(world.tallies, pagerank, index)
    alliances = [b for b in world.alliances if len(b.members) > 1]
    analysis = Analysis(
        standings=standings,
        communities=communities,
        next_community=next_community,
        edges=edges,
        modularity=round(modularity, 4),
        brokers=brokers,
        isolates=isolates,
        dominance=dominance,
        chains=chains,
        spreaders=spreaders,
        heatmap_people=heat_people,
        heatmap=heat,
        alliances=alliances,
    )
    analysis.findings.extend(findings(analysis, names))
    return analysis


def tie_weight(strength: float, trust: float) -> float:
    """A directed view's contribution to a tie: the mean of affinity and trust, never below 0
    (enemies are not one circle, and modularity needs no negative weights)."""
    return max(0.0, (strength + trust) / 2)


def _undirected_ties(
    ties: Iterable[Tie], tallies: Iterable[Tally], index: Mapping[str, int]
) -> list[tuple[str, str, float]]:
    feeling: dict[tuple[str, str], float] = defaultdict(float)
    views: Counter[tuple[str, str]] = Counter()
    for t in ties:
        if t.source in index and t.target in index and t.source != t.target:
            pair = (t.source, t.target) if t.source < t.target else (t.target, t.source)
            feeling[pair] += tie_weight(t.strength, t.trust)
            views[pair] += 1
    talks: Counter[tuple[str, str]] = Counter()
    for t in tallies:
        a, b = t.initiator, t.target
        # A quarrel is contact, not closeness.
        if a in index and b in index and a != b and t.kind not in CONFLICT_KINDS:
            talks[(a, b) if a < b else (b, a)] += t.count
    edges = []
    for pair in sorted(set(feeling) | set(talks)):
        # Both directions' views averaged (an unreturned view counts half), plus the talks.
        weight = feeling.get(pair, 0.0) / 2 + INTERACTION_WEIGHT * math.log1p(talks.get(pair, 0))
        if pair in feeling and feeling[pair] == 0.0 and views[pair]:
            continue  # they know each other and like or trust each other not at all
        if weight >= MIN_TIE:
            edges.append((pair[0], pair[1], round(weight, 4)))
    return edges


def _betweenness(graph: igraph.Graph) -> list[float]:
    """Normalised betweenness (0..1) over the unweighted ties: exact for small worlds, sampled
    from evenly spaced sources (scaled up) above ``BETWEENNESS_EXACT_MAX``."""
    n = graph.vcount()
    if n < 3:
        return [0.0] * n
    scale = 1.0
    if n <= BETWEENNESS_EXACT_MAX:
        raw = graph.betweenness(directed=False)
    else:
        step = n / BETWEENNESS_SAMPLES
        sources = sorted({int(i * step) for i in range(BETWEENNESS_SAMPLES)})
        raw = graph.betweenness(directed=False, sources=sources)
        scale = n / len(sources) / 2  # each sampled pair counted from one end only
    norm = (n - 1) * (n - 2) / 2
    return [min(1.0, b * scale / norm) for b in raw]


def _stable_ids(
    groups: list[list[str]],
    previous: Mapping[str, Iterable[str]],
    next_number: int,
    names: Mapping[str, str],
) -> tuple[list[Community], int]:
    """Give each group the id of the previous community it overlaps most (Jaccard, each id
    used once, best overlaps first); the rest get new ids."""
    before = {cid: set(members) for cid, members in previous.items()}
    candidates = []
    for g, group in enumerate(groups):
        members = set(group)
        for cid, old in before.items():
            overlap = len(members & old)
            if overlap:
                jaccard = overlap / len(members | old)
                if jaccard >= STABLE_ID_MIN_JACCARD:
                    candidates.append((jaccard, cid, g))
    assigned: dict[int, str] = {}
    taken: set[str] = set()
    for _, cid, g in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if g not in assigned and cid not in taken:
            assigned[g] = cid
            taken.add(cid)
    # New circles numbered biggest first, so the numbering does not depend on Leiden's order.
    for g in sorted(range(len(groups)), key=lambda g: (-len(groups[g]), groups[g][0])):
        if g not in assigned:
            assigned[g] = f"c{next_number}"
            next_number += 1
    communities = [
        Community(
            id=assigned[g],
            name=f"{names[group[0]]}'s circle",
            members=tuple(group),
            size=len(group),
        )
        for g, group in enumerate(groups)
    ]
    communities.sort(key=lambda c: (-c.size, c.id))
    return communities, next_number


def _power(
    clashes: Iterable[Clash], people: set[str]
) -> tuple[dict[str, float], Counter[str], Counter[str], list[Dominance]]:
    """Who prevails over whom. In a conflict the initiator prevails when the target was cowed
    (gained more fear and sadness than anger); a target who bristled decided nothing. The
    initiator of an apology yields: its target prevails. Power is PageRank over the
    loser->winner graph (prevailing over the powerful counts more), scaled to 0..1."""
    beats: Counter[tuple[str, str]] = Counter()
    for c in clashes:
        if c.initiator not in people or c.target not in people or c.initiator == c.target:
            continue
        if c.kind in YIELDING_KINDS:
            beats[(c.target, c.initiator)] += 1
        elif c.kind in CONFLICT_KINDS and c.target_fear > c.target_anger:
            beats[(c.initiator, c.target)] += 1
    wins: Counter[str] = Counter()
    losses: Counter[str] = Counter()
    for (winner, loser), n in beats.items():
        wins[winner] += n
        losses[loser] += n
    if not beats:
        return {}, wins, losses, []
    fighters = sorted(set(wins) | set(losses))
    at = {pid: i for i, pid in enumerate(fighters)}
    graph = igraph.Graph(
        n=len(fighters), edges=[(at[lo], at[w]) for (w, lo) in beats], directed=True
    )
    graph.es["weight"] = list(beats.values())
    rank = graph.pagerank(weights="weight", directed=True)
    top = max(rank)
    power = {pid: rank[at[pid]] / top for pid in fighters}
    pairs = []
    for a, b in {tuple(sorted(p)) for p in beats}:
        ab, ba = beats.get((a, b), 0), beats.get((b, a), 0)
        if ab != ba:
            winner, loser = (a, b) if ab > ba else (b, a)
            pairs.append(Dominance(winner, loser, max(ab, ba), min(ab, ba)))
    pairs.sort(key=lambda d: (-(d.wins - d.losses), -d.wins, d.winner, d.loser))
    return power, wins, losses, pairs[:RANKING_MAX]


def _contagion(feelings: Iterable[Feeling]) -> tuple[list[Chain], list[tuple[str, str, int]]]:
    """Chains of one emotion passing from person to person, in log order. A feeling is passed
    on when it came from an interaction with someone who felt it then (they felt it strongly
    in that interaction, or it was their dominant emotion last we saw). The chain that
    brought an emotion to someone is extended when they pass it on; a person is never in one
    chain twice."""
    dominant: dict[str, str] = {}
    reached: dict[tuple[str, str], tuple[tuple[str, ...], tuple[int, ...]]] = {}
    passed: Counter[tuple[str, str]] = Counter()
    ends: list[tuple[tuple[str, ...], tuple[int, ...], str]] = []
    for f in sorted(feelings, key=lambda f: f.seq):
        src = f.source
        if src and src != f.character and (f.source_felt or dominant.get(src) == f.emotion):
            path, ticks = reached.get((src, f.emotion), ((src,), ()))
            if f.character not in path:
                new = ((*path, f.character), (*ticks, f.tick))
                reached[(f.character, f.emotion)] = new
                passed[(src, f.emotion)] += 1
                ends.append((*new, f.emotion))
        dominant[f.character] = f.emotion
    # Keep chains no other chain extends, longest first.
    prefixes = {(e, p[:k]) for p, _, e in ends for k in range(2, len(p))}
    # The same chain again later (Alice cheered Frank twice) is shown once, when it first ran.
    first: dict[tuple[str, tuple[str, ...]], tuple[int, ...]] = {}
    for p, t, e in ends:
        if (e, p) not in prefixes:
            first.setdefault((e, p), t)
    maximal = [(p, t, e) for (e, p), t in first.items()]
    ordered = sorted(maximal, key=lambda c: (-len(c[0]), c[1][0], c[2], c[0]))
    chains = [Chain(emotion=e, path=p, ticks=t) for p, t, e in ordered[:CHAINS_MAX]]
    spreaders = sorted(
        ((pid, emotion, n) for (pid, emotion), n in passed.items()),
        key=lambda s: (-s[2], s[0], s[1]),
    )
    return chains, spreaders[:RANKING_MAX]


def _brokers(
    graph: igraph.Graph,
    ids: Sequence[str],
    betweenness: Sequence[float],
    community_of: Mapping[str, str],
) -> list[str]:
    """Characters with top betweenness whose ties reach at least two communities."""
    if not ids:
        return []
    threshold_rank = max(1, math.ceil(len(ids) * BROKER_TOP_SHARE))
    top = sorted(range(len(ids)), key=lambda i: (-betweenness[i], ids[i]))[:threshold_rank]
    brokers = []
    for i in top:
        if betweenness[i] <= 0:
            break
        reached = {community_of.get(ids[j]) for j in graph.neighbors(i)} - {None}
        reached.add(community_of.get(ids[i]))
        if len(reached - {None}) >= 2:
            brokers.append(ids[i])
        if len(brokers) >= BROKER_MAX:
            break
    return brokers


def _heatmap(
    tallies: Iterable[Tally], pagerank: Sequence[float], index: Mapping[str, int]
) -> tuple[list[str], list[HeatCell]]:
    """Who talks to whom and how warmly, among the characters who talk most."""
    counts: Counter[tuple[str, str]] = Counter()
    valence: dict[tuple[str, str], float] = defaultdict(float)
    spoken: Counter[str] = Counter()
    for t in tallies:
        if t.initiator not in index or t.target not in index:
            continue
        kind = CATALOGUE.get(t.kind)
        pair = (t.initiator, t.target)
        counts[pair] += t.count
        valence[pair] += (kind.valence if kind else 0.0) * t.count
        spoken[t.initiator] += t.count
        spoken[t.target] += t.count
    people = sorted(spoken, key=lambda p: (-spoken[p], -pagerank[index[p]], p))[:HEATMAP_MAX]
    shown = set(people)
    cells = [
        HeatCell(a, b, n, round(valence[(a, b)] / n, 3))
        for (a, b), n in sorted(counts.items())
        if a in shown and b in shown
    ]
    return people, cells


# --- findings ---------------------------------------------------------------------------------


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def findings(analysis: Analysis, names: Mapping[str, str]) -> list[str]:
    """What a reader should notice, in plain words, most telling first."""
    out: list[str] = []
    communities = analysis.communities
    if len(communities) >= 2:
        count = "two" if len(communities) == 2 else str(len(communities))
        largest = ", ".join(f"{c.name} ({c.size})" for c in communities[:3])
        out.append(f"The world has {count} circles: {largest}.")
    elif len(communities) == 1:
        out.append(f"Everyone who has ties belongs to one circle, {communities[0].name}.")
    circle_names = {c.id: c.name for c in communities}
    for pid in analysis.brokers[:3]:
        standing = analysis.standings[pid]
        own = standing.community
        linked = sorted(
            {
                analysis.standings[other].community
                for a, b, _ in analysis.edges
                if pid in (a, b)
                for other in (b if a == pid else a,)
                if analysis.standings[other].community not in (None, own)
            }
        )
        circles = [circle_names[c] for c in ([own] if own else []) + linked if c in circle_names]
        if len(circles) == 2 and len(communities) == 2:
            out.append(f"{names[pid]} brokers between the two circles.")
        elif len(circles) >= 2:
            out.append(f"{names[pid]} brokers between {_join(circles)}.")
    ranked = sorted(analysis.standings.values(), key=lambda s: (-s.pagerank, s.name))
    if ranked and ranked[0].degree > 0:
        out.append(f"{ranked[0].name} is the most influential character.")
    if analysis.dominance:
        d = analysis.dominance[0]
        out.append(f"{names[d.winner]} prevails over {names[d.loser]} ({d.wins} to {d.losses}).")
    for pid, emotion, n in analysis.spreaders[:2]:
        if n >= SPREADER_MIN_TRANSMISSIONS:
            out.append(f"{emotion.capitalize()} spreads from {names[pid]} ({n} times).")
    if analysis.chains and len(analysis.chains[0].path) >= 3:
        chain = analysis.chains[0]
        out.append(
            f"{chain.emotion.capitalize()} travelled "
            + " → ".join(names[p] for p in chain.path)
            + "."
        )
    if analysis.isolates:
        shown = [names[p] for p in analysis.isolates[:3]]
        more = len(analysis.isolates) - len(shown)
        tail = f" and {more} more" if more else ""
        verb = "stands" if len(analysis.isolates) == 1 else "stand"
        out.append(f"{_join(shown)}{tail} {verb} alone, with no ties.")
    for band in analysis.alliances[:2]:
        out.append(f"{band.name} stands together ({_join([names[m] for m in band.members])}).")
    return out
