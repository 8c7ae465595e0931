"""Event predicates: which logged events a step matches and the roles and topics they bind."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from characters.engine.talk import parse_goal
from ecosystems.engine.events import (
    CharacterInteraction,
    ConversationArcSwing,
    ConversationGoalCompleted,
    ConversationTurn,
    GoalProgress,
    RelationshipChanged,
)
from stories.engine.sifting.types import (
    ALLIANCE_BROKEN,
    ALLIANCE_FORMED,
    ARC_SWING,
    DIRECTOR,
    ESCALATION,
    GOAL,
    GOSSIP,
    INTERACTION,
    RELATIONSHIP,
    TALK_GOAL,
    LogEvent,
)

# A binding proposal: variable -> (value, display name).
Proposal = dict[str, tuple[str, str]]
Binder = Callable[[Mapping[str, Any], Mapping[str, str]], list[Proposal]]


@dataclass(frozen=True, slots=True)
class Predicate:
    """An event test that binds variables.

    ``kinds`` are the event kinds it can match; ``refs`` the variables it mentions (all of
    them are bound when it matches); ``bind(data, bindings)`` returns the consistent ways the
    event's ``data`` extends ``bindings`` (empty when it does not match). ``parts`` are the
    alternatives of an ``any_of`` (a plain predicate is its own single part). ``index`` are
    the finer kinds it is indexed under ("character_interaction/insult", see ``event_kinds``)
    so a partial match waiting for an insult never looks at small talk; empty: ``kinds``.
    """

    kinds: frozenset[str]
    refs: tuple[str, ...]
    bind: Binder
    describe: str
    parts: tuple[Predicate, ...] = ()
    index: frozenset[str] = frozenset()

    def alternatives(self) -> tuple[Predicate, ...]:
        return self.parts or (self,)

    def index_kinds(self) -> frozenset[str]:
        return self.index or self.kinds


def _fine(kind: str, values: Iterable[str]) -> frozenset[str]:
    """Index kinds "kind/value" for each value (the kind itself when there are none)."""
    found = frozenset(f"{kind}/{v}" for v in values)
    return found or frozenset({kind})


def event_kinds(event: LogEvent) -> tuple[str, ...]:
    """The kinds an event is looked up under: its kind, and for interactions, relationship
    changes and goals a finer "kind/type" (interaction type, new relationship kind, intent)."""
    if event.kind == INTERACTION:
        said = cast(CharacterInteraction, event.data)
        return event.kind, f"{INTERACTION}/{said.get('interaction_type')}"
    if event.kind == RELATIONSHIP:
        moved = cast(RelationshipChanged, event.data)
        return event.kind, f"{RELATIONSHIP}/{moved.get('kind')}"
    if event.kind == GOAL:
        goal = cast(GoalProgress, event.data)
        return event.kind, f"{GOAL}/{goal.get('intent')}"
    return (event.kind,)


def is_mapping(value: Any) -> bool:
    # Payloads are plain dicts (decoded JSON); the ABC check is 10x slower on the hot path.
    return type(value) is dict or isinstance(value, Mapping)


def ref_id(ref: Any) -> tuple[str, str] | None:
    """(id, name) of a ``{"id", "name"}`` reference, or None."""
    if is_mapping(ref) and ref.get("id"):
        return str(ref["id"]), str(ref.get("name") or "")
    return None


def _unify(
    bindings: Mapping[str, str], slots: Iterable[tuple[str | None, tuple[str, str] | None]]
) -> Proposal | None:
    """Proposal binding each named slot to its (id, name), or None when a slot's value is
    missing or clashes with ``bindings`` (or with another slot of the same proposal)."""
    new: Proposal = {}
    for var, value in slots:
        if var is None:
            continue
        if value is None:
            return None
        known = bindings.get(var)
        if known is None and var in new:
            known = new[var][0]
        if known is None:
            new[var] = value
        elif known != value[0]:
            return None
    return new


def _pair(
    bindings: Mapping[str, str],
    first: tuple[str, str] | None,
    second: tuple[str, str] | None,
    by: str | None,
    to: str | None,
    between: tuple[str, str] | None,
    extra: Sequence[tuple[str | None, tuple[str, str] | None]] = (),
) -> list[Proposal]:
    """Directed (``by``/``to``) or undirected (``between``) binding of a pair of actors.

    ``between`` binds the first variable to ``first`` when neither is bound yet (one partial
    match per event, not two mirror images); once either is bound, both directions match.
    """
    if between is None:
        found = _unify(bindings, [(by, first), (to, second), *extra])
        return [] if found is None else [found]
    x, y = between
    straight = _unify(bindings, [(x, first), (y, second), *extra])
    if x not in bindings and y not in bindings:
        return [] if straight is None else [straight]
    mirrored = _unify(bindings, [(x, second), (y, first), *extra])
    return [p for p in (straight, mirrored) if p is not None]


def _refs(*names: str | tuple[str, ...] | None) -> tuple[str, ...]:
    out: list[str] = []
    for name in names:
        for item in name if isinstance(name, tuple) else (name,):
            if item is not None and item not in out:
                out.append(item)
    return tuple(out)


def _delta(data: Mapping[str, Any], key: str, axis: str) -> float:
    change = data.get(key)
    if isinstance(change, Mapping):
        try:
            return float(change.get(axis) or 0.0)
        except (TypeError, ValueError):
            return 0.0
    return 0.0


def interaction(
    *types: str,
    by: str | None = None,
    to: str | None = None,
    between: tuple[str, str] | None = None,
    trust_drop: float | None = None,
) -> Predicate:
    """A ``character_interaction`` of one of ``types`` (any type when none), initiated by
    ``by`` towards ``to``, or between the two variables of ``between`` in either direction.
    ``trust_drop``: the responder's trust in the initiator fell by at least this much."""
    wanted = frozenset(types)

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        if wanted and data.get("interaction_type") not in wanted:
            return []
        if trust_drop is not None and (
            _delta(data, "response_relationship_change", "trust_delta") > -trust_drop
        ):
            return []
        initiator = responder = None
        for person in data.get("participants") or ():
            role = person.get("role") if isinstance(person, Mapping) else None
            if role == "initiator":
                initiator = ref_id(person)
            elif role == "responder":
                responder = ref_id(person)
        return _pair(bindings, initiator, responder, by, to, between)

    label = "/".join(sorted(wanted)) or "any"
    return Predicate(
        frozenset({INTERACTION}), _refs(by, to, between), bind, f"{label} act",
        index=_fine(INTERACTION, wanted),
    )  # fmt: skip


def relationship(
    *,
    to_kinds: Iterable[str] | None = None,
    source: str | None = None,
    target: str | None = None,
    between: tuple[str, str] | None = None,
    trust_delta_below: float | None = None,
    trust_delta_above: float | None = None,
) -> Predicate:
    """A ``relationship_changed`` (``source`` regards ``target``). ``to_kinds``: the kind
    changed to one of these (rival to enemy counts; enemy to enemy does not). Trust bounds
    test ``trust_delta``."""
    kinds = frozenset(to_kinds) if to_kinds is not None else None

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        if kinds is not None and (
            data.get("kind") not in kinds or data.get("previous_kind") == data.get("kind")
        ):
            return []
        trust_delta = float(data.get("trust_delta") or 0.0)
        if trust_delta_below is not None and trust_delta > trust_delta_below:
            return []
        if trust_delta_above is not None and trust_delta < trust_delta_above:
            return []
        return _pair(
            bindings, ref_id(data.get("source")), ref_id(data.get("target")),
            source, target, between,
        )  # fmt: skip

    label = "/".join(sorted(kinds)) if kinds else "change"
    refs = _refs(source, target, between)
    return Predicate(
        frozenset({RELATIONSHIP}), refs, bind, f"relationship {label}",
        index=_fine(RELATIONSHIP, kinds or ()),
    )  # fmt: skip


def gossip(
    *,
    teller: str | None = None,
    listener: str | None = None,
    subject: str | None = None,
    fact: str | None = None,
) -> Predicate:
    """A ``gossip_spread`` hop; ``fact`` binds the fact's text as a topic variable, so later
    hops of the same rumour can be followed."""

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        told = data.get("fact")
        fact_value = (str(told), str(told)) if told else None
        found = _unify(
            bindings,
            [
                (teller, ref_id(data.get("teller"))),
                (listener, ref_id(data.get("listener"))),
                (subject, ref_id(data.get("subject"))),
                (fact, fact_value),
            ],
        )
        return [] if found is None else [found]

    refs = _refs(teller, listener, subject, fact)
    return Predicate(frozenset({GOSSIP}), refs, bind, "gossip")


def director(*kinds: str, characters: tuple[str, ...] = ()) -> Predicate:
    """A ``director_intervention`` of one of ``kinds`` (any kind when none are given).
    ``characters`` bind its cast in the logged order (a rumour: teller, subject, listener)."""
    wanted = frozenset(kinds)

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        if wanted and data.get("kind") not in wanted:
            return []
        cast = [ref_id(c) for c in data.get("characters") or ()]
        if len(cast) < len(characters):
            return []
        found = _unify(bindings, list(zip(characters, cast, strict=False)))
        return [] if found is None else [found]

    label = "/".join(sorted(wanted)) or "any"
    return Predicate(frozenset({DIRECTOR}), _refs(*characters), bind, f"director {label}")


def alliance(
    change: str,
    *,
    members: tuple[str, ...] = (),
    alliance: str | None = None,
    outsider: str | None = None,
) -> Predicate:
    """``alliance_formed`` (``change="formed"``) or ``alliance_broken``. ``members`` are
    variables that must be members; unbound ones take the first members not yet named, in the
    logged order (one binding per event, not every permutation). ``alliance`` binds the
    alliance id (display: its name); ``outsider`` names a bound variable that must NOT be a
    member."""
    kind = ALLIANCE_FORMED if change == "formed" else ALLIANCE_BROKEN

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        refs = [r for r in (ref_id(m) for m in data.get("members") or ()) if r is not None]
        ids = [r[0] for r in refs]
        if outsider is not None and bindings.get(outsider) in ids:
            return []
        taken = {bindings[v] for v in members if v in bindings}
        free = iter([r for r in refs if r[0] not in taken])
        slots: list[tuple[str | None, tuple[str, str] | None]] = []
        for var in members:
            if var in bindings:
                if bindings[var] not in ids:
                    return []
            else:
                slots.append((var, next(free, None)))
        group_id = data.get("alliance_id")
        group = (str(group_id), str(data.get("name") or "the alliance")) if group_id else None
        slots.append((alliance, group))
        found = _unify(bindings, slots)
        return [] if found is None else [found]

    return Predicate(frozenset({kind}), _refs(members, alliance), bind, f"alliance {change}")


def goal(
    *,
    intent: str | Iterable[str] | None = None,
    kinds: Iterable[str] = ("created", "progress"),
    who: str | None = None,
    target: str | None = None,
) -> Predicate:
    """A ``goal_progress`` of ``who`` (optionally aimed at ``target``) with one of the
    ``intent``s and one of the progress ``kinds``."""
    intents = frozenset({intent} if isinstance(intent, str) else intent or ())
    wanted = frozenset(kinds)

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        if data.get("kind") not in wanted or (intents and data.get("intent") not in intents):
            return []
        character = ref_id(data.get("character"))
        if character is None and data.get("character_id"):
            character = (str(data["character_id"]), "")
        aim = data.get("target_id")
        aimed = (str(aim), "") if aim else None
        found = _unify(bindings, [(who, character), (target, aimed)])
        return [] if found is None else [found]

    return Predicate(
        frozenset({GOAL}), _refs(who, target), bind, "goal", index=_fine(GOAL, intents)
    )


def escalation(
    change: str = "escalated",
    *,
    by: str | None = None,
    to: str | None = None,
    between: tuple[str, str] | None = None,
    min_rung: int = 0,
) -> Predicate:
    """A ``conflict_escalated`` with ``change`` ("escalated"/"deescalated") reaching at least
    ``min_rung`` (0 disagree, 1 argue, 2 insult, 3 threaten)."""

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        if data.get("change") != change or int(data.get("rung_after") or 0) < min_rung:
            return []
        initiator, target = ref_id(data.get("initiator")), ref_id(data.get("target"))
        return _pair(bindings, initiator, target, by, to, between)

    return Predicate(frozenset({ESCALATION}), _refs(by, to, between), bind, f"{change} conflict")


# --- conversations: a person's persona and a character ------------------------------------------

Thresholds = Mapping[str, float]  # axis ("strength", "trust") -> value


def _standing(side: Any, axis: str) -> float | None:
    if not is_mapping(side):
        return None
    try:
        return float(side[axis])
    except (KeyError, TypeError, ValueError):
        return None


def _any_axis(side: Any, limits: Thresholds | None, test: Callable[[float, float], bool]) -> bool:
    """Whether some axis of ``limits`` passes ``test(value, limit)`` (True without limits)."""
    if not limits:
        return True
    for axis, limit in limits.items():
        value = _standing(side, axis)
        if value is not None and test(value, limit):
            return True
    return False


def _crossed(turn: Mapping[str, Any], limits: Thresholds | None, *, rising: bool) -> bool:
    """Whether some axis of ``limits`` crossed its threshold in this turn (up: from below to at
    or above; down: from at or above to below). True without limits."""
    if not limits:
        return True
    for axis, limit in limits.items():
        before, after = _standing(turn.get("before"), axis), _standing(turn.get("after"), axis)
        if before is None or after is None:
            continue
        if (before < limit <= after) if rising else (after < limit <= before):
            return True
    return False


def talk(
    *types: str,
    persona: str | None = None,
    character: str | None = None,
    was_below: Thresholds | None = None,
    was_above: Thresholds | None = None,
    rises_past: Thresholds | None = None,
    falls_past: Thresholds | None = None,
    stays_below: Thresholds | None = None,
) -> Predicate:
    """A ``character_interaction`` that is a turn of a conversation (its ``conversation``
    names the persona): ``persona`` binds the person's persona, ``character`` the character
    they talk with, whichever of the two acted (the character confides, the person does the
    rest). ``types``: the act (any when none).

    Thresholds test how the character regarded the persona (``ConversationTurn``). These pass
    when ANY of their axes does: ``was_below``/``was_above`` before the turn (below; at or
    above), ``rises_past``/``falls_past`` the turn carried the axis across the value (from
    below to at or above; from at or above to below). ``stays_below`` passes when EVERY one
    of its axes is still below its value after the turn (the turn that warms a character
    is not also a turn it was still cold in)."""
    wanted = frozenset(types)

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        turn = cast(ConversationTurn | None, data.get("conversation"))
        if not is_mapping(turn) or (wanted and data.get("interaction_type") not in wanted):
            return []
        assert turn is not None
        speaker = ref_id(turn.get("persona"))
        if speaker is None:
            return []
        others = [
            ref_id(p) for p in data.get("participants") or () if is_mapping(p) and p.get("id")
        ]
        other = next((o for o in others if o is not None and o[0] != speaker[0]), None)
        before = turn.get("before")
        if not (
            _any_axis(before, was_below, lambda value, limit: value < limit)
            and _any_axis(before, was_above, lambda value, limit: value >= limit)
            and _crossed(turn, rises_past, rising=True)
            and _crossed(turn, falls_past, rising=False)
            and not (
                stays_below
                and _any_axis(turn.get("after"), stays_below, lambda value, limit: value >= limit)
            )
        ):
            return []
        found = _unify(bindings, [(persona, speaker), (character, other)])
        return [] if found is None else [found]

    label = "/".join(sorted(wanted)) or "any"
    return Predicate(
        frozenset({INTERACTION}), _refs(persona, character), bind, f"{label} talk",
        index=_fine(INTERACTION, wanted),
    )  # fmt: skip


def arc_swing(
    *,
    persona: str | None = None,
    character: str | None = None,
    min_swing: float = 0.0,
    direction: str | None = None,
    reversal: bool = False,
) -> Predicate:
    """A ``conversation_arc_swing``: talking with ``persona``, ``character``'s feeling swung
    by at least ``min_swing`` (0..1) in one turn. ``direction`` "warmer" / "colder": its
    sentiment rose / fell. ``reversal``: the sentiment changed sign (warm to cold or back)."""
    if direction not in (None, "warmer", "colder"):
        raise ValueError(f"direction is 'warmer', 'colder' or None, not {direction!r}.")

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        swing = cast(ConversationArcSwing, data)
        try:
            size = float(swing.get("swing") or 0.0)
            before = float(swing.get("sentiment_before") or 0.0)
            after = float(swing.get("sentiment_after") or 0.0)
        except (TypeError, ValueError):
            return []
        if size < min_swing:
            return []
        if (direction == "warmer" and after <= before) or (
            direction == "colder" and after >= before
        ):
            return []
        if reversal and before * after >= 0:
            return []
        found = _unify(
            bindings,
            [(persona, ref_id(swing.get("persona"))), (character, ref_id(swing.get("character")))],
        )
        return [] if found is None else [found]

    label = f"{direction or 'sharp'} swing"
    return Predicate(frozenset({ARC_SWING}), _refs(persona, character), bind, label)


def _goal_read(data: Mapping[str, Any]) -> tuple[str, str]:
    """(kind, axis) of a completed conversation goal: as logged, or read again from its text
    (logs written before the event said it)."""
    kind = data.get("goal_kind")
    if kind:
        return str(kind), str(data.get("axis") or "")
    try:
        goal = parse_goal(str(data.get("goal") or ""))
    except ValueError:
        return "", ""
    return goal.kind, goal.axis or ""


def talk_goal(
    *,
    persona: str | None = None,
    character: str | None = None,
    goal_kinds: Iterable[str] = ("relationship",),
    axes: Iterable[str] | None = None,
) -> Predicate:
    """A ``conversation_goal_completed``: the person talking as ``persona`` reached a goal
    about ``character`` (one of the characters it names, one binding each) of one of
    ``goal_kinds`` ("relationship", "knowledge", "emotion") and, for relationship goals, one
    of ``axes`` ("trust" for "win Bob's trust"; any axis when None)."""
    kinds = frozenset(goal_kinds)
    wanted_axes = frozenset(axes) if axes is not None else None

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        reached = cast(ConversationGoalCompleted, data)
        kind, axis = _goal_read(reached)
        if kind not in kinds or (wanted_axes is not None and axis not in wanted_axes):
            return []
        speaker = ref_id(reached.get("persona"))
        out: list[Proposal] = []
        for person in reached.get("characters") or ():
            found = _unify(bindings, [(persona, speaker), (character, ref_id(person))])
            if found is not None and found not in out:
                out.append(found)
        return out

    return Predicate(frozenset({TALK_GOAL}), _refs(persona, character), bind, "goal reached")


def any_of(*predicates: Predicate) -> Predicate:
    """Matches when any alternative matches; its proposals are the union, in order."""
    parts = tuple(p for pred in predicates for p in pred.alternatives())

    def bind(data: Mapping[str, Any], bindings: Mapping[str, str]) -> list[Proposal]:
        raise AssertionError("any_of is matched part by part")  # pragma: no cover

    common = [r for r in parts[0].refs if all(r in p.refs for p in parts)]
    return Predicate(
        frozenset().union(*(p.kinds for p in parts)),
        tuple(common),
        bind,
        " or ".join(p.describe for p in parts),
        parts,
    )
