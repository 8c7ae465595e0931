"""Alliances: who forms them (mutual trust, shared values or interests, mutual benefit)
and when they break (a betrayal, or trust between members collapsing)."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from characters.engine.personality import compatibility
from characters.engine.relationships import derive_kind
from characters.engine.types import (
    ENEMY,
    RIVAL,
    Personality,
    RelationshipState,
)
from ecosystems.engine.goals import INVESTIGATE, PROTECT, REVENGE
from ecosystems.engine.world import (
    Alliance,
    SceneResult,
    World,
)

HOSTILE_KINDS = frozenset({RIVAL, ENEMY})

# --- alliances ---------------------------------------------------------------------------------
ALLIANCE_MIN_TRUST = 0.45  # each member's trust in each other member, at least
ALLIANCE_MIN_STRENGTH = 0.2  # ... and affinity
ALLIANCE_MIN_SHARED = 0.2  # shared interest: values overlap (Jaccard) + goal fit, at least
COMMON_FOE_BENEFIT = 0.5  # both regard some third character as a rival or enemy
COMPLEMENTARY_GOAL_BENEFIT = 0.4  # goals aimed at the same third character that fit together
ALLIANCE_FORM_SCORE = 1.1  # min trust + shared interest + benefit must reach this
ALLIANCE_BREAK_TRUST = 0.1  # an alliance breaks when any member's trust in another drops below
ALLIANCE_MAX_SIZE = 4
# Goal intents that make common cause when aimed at the same third character.
COMPLEMENTARY_INTENTS = frozenset(
    {
        frozenset({REVENGE}),
        frozenset({REVENGE, INVESTIGATE}),
        frozenset({INVESTIGATE}),
        frozenset({PROTECT}),
    }
)
BETRAYAL_KINDS = frozenset({"betray", "deceive"})  # a deceit counts once it is seen through
ALLIANCE_NOUNS = (
    "Rose Garden", "Gazebo", "Lily Pond", "Croquet Lawn", "Willow", "Lantern", "Ivy",
    "Teacup", "Hedge Maze", "Orchard", "Sundial", "Silver Spoon", "Bluebell", "Oak",
)  # fmt: skip
ALLIANCE_WORDS = ("Pact", "Circle", "League", "Accord", "Compact", "Society", "Alliance")
VALUE_ADJECTIVES = {
    "loyalty": "Loyal", "honesty": "Honest", "kindness": "Kindly", "friendship": "Friendly",
    "ambition": "Ambitious", "family": "Family", "duty": "Dutiful", "freedom": "Free",
    "fun": "Merry", "status": "Gilded", "cleverness": "Clever", "privacy": "Quiet",
    "independence": "Independent", "competence": "Able",
}  # fmt: skip

FORMED = "formed"
BROKEN = "broken"


@dataclass(frozen=True, slots=True)
class AllianceChange:
    """An alliance formed or broke. ``reason`` is readable ("Alice and Frank trust each
    other (0.62) and share kindness and honesty; both distrust Eve")."""

    change: str
    key: str
    name: str
    members: tuple[str, ...]
    reason: str
    tick: int

    def alliance(self) -> Alliance:
        return Alliance(self.key, self.name, self.members, self.tick)


def alliance_key(members: Iterable[str]) -> str:
    return "alliance:" + ",".join(sorted(members))


def _views_after(
    world: World, results: Iterable[SceneResult]
) -> dict[tuple[str, str], RelationshipState]:
    """Relationship states as they stand after the played scenes."""
    views: dict[tuple[str, str], RelationshipState] = {}
    for result in results:
        for done in result.executed:
            o = done.outcome
            for update in (o.initiator_view, o.target_view):
                if update is not None:
                    views[(update.source_id, update.target_id)] = update.after
    return views


def shared_interest(a: Personality, b: Personality) -> tuple[float, tuple[str, ...]]:
    """(values Jaccard overlap + goal fit from ``compatibility``, the shared values)."""
    va = {v.strip().lower() for v in a.values if v.strip()}
    vb = {v.strip().lower() for v in b.values if v.strip()}
    union = va | vb
    common = tuple(sorted(va & vb))
    jaccard = len(common) / len(union) if union else 0.0
    factors = compatibility(a, b).factors
    return jaccard + factors["shared goals"] + factors["competing goals"], common


def _benefit(world: World, a: str, b: str, view) -> tuple[float, str]:
    """(mutual benefit, readable why): a common foe, or goals that fit together."""
    foes = [
        c
        for c, v in world.out.get(a, {}).items()
        if c != b and v.kind in HOSTILE_KINDS and view(b, c).kind in HOSTILE_KINDS
    ]
    if foes:
        return COMMON_FOE_BENEFIT, f"both are at odds with {world.name(foes[0])}"
    ga, gb = world.agents[a].goals, world.agents[b].goals
    for x in ga:
        if x.target_id in (None, a, b):
            continue
        for y in gb:
            if (
                y.target_id == x.target_id
                and frozenset({x.intent, y.intent}) in COMPLEMENTARY_INTENTS
            ):
                return (
                    COMPLEMENTARY_GOAL_BENEFIT,
                    f"both have designs on {world.name(x.target_id)}",
                )
    return 0.0, ""


def _pair_score(world: World, a: str, b: str, view) -> tuple[float, str] | None:
    ab, ba = view(a, b), view(b, a)
    trust = min(ab.trust, ba.trust)
    if trust < ALLIANCE_MIN_TRUST or min(ab.strength, ba.strength) < ALLIANCE_MIN_STRENGTH:
        return None
    pa, pb = world.agents[a].snapshot.personality, world.agents[b].snapshot.personality
    shared, common = shared_interest(pa, pb)
    if shared < ALLIANCE_MIN_SHARED:
        return None
    benefit, why = _benefit(world, a, b, view)
    score = trust + shared + benefit
    if score < ALLIANCE_FORM_SCORE:
        return None
    parts = [f"trust each other ({trust:.2f})"]
    if common:
        parts.append("share " + " and ".join(common))
    elif shared > 0:
        parts.append("want compatible things")
    if why:
        parts.append(why)
    return score, "; ".join(parts)


def alliance_name(members: Sequence[str], world: World, taken: Iterable[str] = ()) -> str:
    """A stable, readable name: "The Loyal Rose Garden Pact". Varies to avoid ``taken``."""
    taken = set(taken)
    values: dict[str, int] = {}
    for cid in members:
        for v in world.agents[cid].snapshot.personality.values:
            values[v.strip().lower()] = values.get(v.strip().lower(), 0) + 1
    shared = sorted(v for v, n in values.items() if n == len(members) and v in VALUE_ADJECTIVES)
    adjective = VALUE_ADJECTIVES[shared[0]] + " " if shared else ""
    seed = zlib.crc32(alliance_key(members).encode())
    for attempt in range(len(ALLIANCE_NOUNS) * len(ALLIANCE_WORDS)):
        n = seed + attempt
        noun = ALLIANCE_NOUNS[n % len(ALLIANCE_NOUNS)]
        word = ALLIANCE_WORDS[(n // len(ALLIANCE_NOUNS)) % len(ALLIANCE_WORDS)]
        name = f"The {adjective}{noun} {word}"
        if name not in taken:
            return name
    return f"The {adjective}Alliance of {len(members)} ({seed % 1000})"


def alliance_changes(
    world: World, results: Iterable[SceneResult], *, tick: int
) -> tuple[AllianceChange, ...]:
    """Alliances broken and formed after the played scenes (broken first).

    Break-up: a member betrayed (or was caught deceiving) another this tick, or any
    member's trust in another is below ``ALLIANCE_BREAK_TRUST``, or a member is gone.
    Formation, among characters in no alliance who shared a scene this tick: every pair
    trusts (``ALLIANCE_MIN_TRUST``) and likes (``ALLIANCE_MIN_STRENGTH``) the other, shares
    interests (``ALLIANCE_MIN_SHARED``), and trust + shared + benefit reaches
    ``ALLIANCE_FORM_SCORE``; groups grow greedily to ``ALLIANCE_MAX_SIZE``. Deterministic.
    """
    results = tuple(results)
    after = _views_after(world, results)

    def view(a: str, b: str) -> RelationshipState:
        return after.get((a, b)) or world.view(a, b)

    changes: list[AllianceChange] = []
    allied: set[str] = set()
    betrayals = _betrayals(results)
    for alliance in world.alliances:
        reason = _break_reason(world, alliance, betrayals, view)
        if reason is None:
            allied.update(alliance.members)
        else:
            changes.append(
                AllianceChange(BROKEN, alliance.key, alliance.name, alliance.members, reason, tick)
            )
    taken = {a.name for a in world.alliances}
    for result in results:
        changes.extend(_formed_in_scene(world, result, view, allied, taken, tick))
    return tuple(changes)


def _betrayals(results: Sequence[SceneResult]) -> dict[tuple[str, str], str]:
    """(betrayer, betrayed) -> what happened, for the betrayals caught this tick."""
    betrayals: dict[tuple[str, str], str] = {}
    for result in results:
        for done in result.executed:
            o = done.outcome
            if o.ok and done.action.kind in BETRAYAL_KINDS and o.detected:
                betrayals.setdefault((o.initiator_id, o.target_id), o.summary)
    return betrayals


def _formed_in_scene(
    world: World,
    result: SceneResult,
    view: Callable[[str, str], RelationshipState],
    allied: set[str],
    taken: set[str],
    tick: int,
) -> list[AllianceChange]:
    """The alliances formed among a scene's free members: the best-scoring pairs first, each
    grown greedily by whoever pairs well with every member. Updates ``allied`` and ``taken``."""
    free = [c for c in result.scene.participants if c not in allied and c in world.agents]
    edges: dict[tuple[str, str], tuple[float, str]] = {}
    for i, a in enumerate(free):
        for b in free[i + 1 :]:
            scored = _pair_score(world, a, b, view)
            if scored is not None:
                edges[(a, b)] = edges[(b, a)] = scored
    authored = world.authored
    ranked = sorted(
        ((s, a, b) for (a, b), (s, _) in edges.items() if authored(a) < authored(b)),
        key=lambda x: (-x[0], authored(x[1]), authored(x[2])),
    )
    formed: list[AllianceChange] = []
    for _, a, b in ranked:
        if a in allied or b in allied:
            continue
        members = [a, b]
        for c in free:
            if len(members) >= ALLIANCE_MAX_SIZE:
                break
            if c not in members and c not in allied and all((c, m) in edges for m in members):
                members.append(c)
        members.sort(key=authored)
        allied.update(members)
        names = [world.name(m) for m in members]
        who = ", ".join(names[:-1]) + " and " + names[-1]
        why = edges[(members[0], members[1])][1]
        name = alliance_name(members, world, taken)
        taken.add(name)
        reason = f"{who} formed {name}: they {why}"
        formed.append(
            AllianceChange(FORMED, alliance_key(members), name, tuple(members), reason, tick)
        )
    return formed


def _break_reason(world: World, alliance: Alliance, betrayals, view) -> str | None:
    members = alliance.members
    for m in members:
        if m not in world.agents:
            return f"{alliance.name} broke up: a member is gone"
    for a in members:
        for b in members:
            if a != b and (a, b) in betrayals:
                return f"{alliance.name} broke up: {betrayals[(a, b)]}"
    for a in members:
        for b in members:
            if a != b and view(a, b).trust < ALLIANCE_BREAK_TRUST:
                return (
                    f"{alliance.name} broke up: {world.name(a)} no longer trusts "
                    f"{world.name(b)} (trust {view(a, b).trust:.2f})"
                )
    return None


def alliance_relationship_kinds(change: AllianceChange, world: World) -> dict[tuple[str, str], str]:
    """Relationship kinds to store after ``change``: "ally" both ways between members of a
    formed alliance; for a broken one, the kind their numbers imply (``derive_kind``)."""
    out: dict[tuple[str, str], str] = {}
    for a in change.members:
        for b in change.members:
            if a == b:
                continue
            if change.change == FORMED:
                out[(a, b)] = "ally"
            else:
                v = world.view(a, b)
                out[(a, b)] = derive_kind(v.strength, v.trust, v.familiarity, v.attraction)
    return out
