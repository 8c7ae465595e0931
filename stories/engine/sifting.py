"""Story sifting: a small declarative pattern language and an incremental matcher over the log.

In the spirit of Kreminski's Felt and Winnow: a ``Pattern`` is an ordered tuple of ``Step``s,
each an event predicate over shared variables (roles such as ``a`` and ``b`` bound to
character ids, topics such as a secret's ``fact`` or an alliance id), with a time window to
the previous step and ``unless`` predicates that kill a partial match when they occur
between two steps. ``Sifter.feed`` advances partial matches as events arrive, so a story is
visible while it is still brewing.

Contracts of the matcher:

- Incremental: each event costs a few dictionary lookups plus the work on the partial
  matches it touches. Partial matches waiting for a step are indexed by (fine event kind such
  as "character_interaction/insult", the one or two bound values the step mentions), so an
  event only meets the partial matches about the very characters (or alliance, or fact) it
  involves, and small talk nobody waits for is dropped after one set lookup. Old events are
  never re-scanned; an event whose ``seq`` was already fed is skipped (feeding is idempotent).
- Felt-style branching without explosion: an event may advance any number of partial
  matches *and* start new ones. A step that binds a new role (the rival in a triangle, the
  next listener of a secret) forks: the partial match stays to wait for other candidates.
  A step that binds nothing new advances in place. Identical bindings at the same step are
  deduplicated, and partial matches are capped per pattern and per first role.
- Expiry: a partial match dies when its next step's window or the pattern's span runs out
  (checked against the tick of each incoming event).
- Updates: ``MatchUpdate``s are emitted only for matches that have reached the pattern's
  ``min_steps``; earlier partial matches are the sifter's private business.
- Determinism: the same events give the same updates and the same ``state()``; a sifter
  resumed from ``state()`` behaves exactly like the one that wrote it.
- ``story_detected`` / ``story_updated`` events are never matched: stories must not feed on
  themselves.
"""

from __future__ import annotations

import heapq
import re
import string
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from ecosystems.engine.events import (
    AllianceChange,
    CharacterInteraction,
    ConflictEscalated,
    EmotionChanged,
    EventKind,
    GoalProgress,
    GossipSpread,
    RelationshipChanged,
)

# Event kinds as logged: the event contract (``ecosystems.engine.events``, pure, no Django)
# names the kinds and the payload type of each; the sifter reads ``LogEvent.data`` through
# those types. ``.get`` stays: logs written before a key existed are still sifted.
INTERACTION = EventKind.CHARACTER_INTERACTION.value
RELATIONSHIP = EventKind.RELATIONSHIP_CHANGED.value
EMOTION = EventKind.EMOTION_CHANGED.value
GOAL = EventKind.GOAL_PROGRESS.value
GOSSIP = EventKind.GOSSIP_SPREAD.value
ALLIANCE_FORMED = EventKind.ALLIANCE_FORMED.value
ALLIANCE_BROKEN = EventKind.ALLIANCE_BROKEN.value
ESCALATION = EventKind.CONFLICT_ESCALATED.value
DIRECTOR = EventKind.DIRECTOR_INTERVENTION.value
STORY_KINDS = frozenset({EventKind.STORY_DETECTED.value, EventKind.STORY_UPDATED.value})

# Partial matches kept per pattern before the oldest not-yet-shown one is dropped: bounds
# memory in a 1,000-character world where every quarrel starts a partial match.
MAX_PARTIALS_PER_PATTERN = 5000
# Partial matches kept per (pattern, first bound role): one busy character cannot take the
# whole budget with forks (every flirt in a crowd could otherwise open a new triangle).
MAX_PARTIALS_PER_ANCHOR = 6
# Bound values a waiting partial match is indexed on (an event's pairs of values are looked
# up, so lookups per event stay quadratic in its handful of values, never in the matches).
ANCHOR_VALUES = 2
STATE_VERSION = 1

MatchStatus = str  # "progress" | "complete" | "expired" | "killed"
PROGRESS = "progress"
COMPLETE = "complete"
EXPIRED = "expired"
KILLED = "killed"


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One row of a world's event log: ``seq`` is gapless and increasing within a world."""

    seq: int
    tick: int
    kind: str
    data: Mapping[str, Any]


# --------------------------------------------------------------------------------------------
# Predicates
# --------------------------------------------------------------------------------------------

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


def _is_mapping(value: Any) -> bool:
    # Payloads are plain dicts (decoded JSON); the ABC check is 10x slower on the hot path.
    return type(value) is dict or isinstance(value, Mapping)


def _ref_id(ref: Any) -> tuple[str, str] | None:
    """(id, name) of a ``{"id", "name"}`` reference, or None."""
    if _is_mapping(ref) and ref.get("id"):
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
                initiator = _ref_id(person)
            elif role == "responder":
                responder = _ref_id(person)
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
            bindings, _ref_id(data.get("source")), _ref_id(data.get("target")),
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
                (teller, _ref_id(data.get("teller"))),
                (listener, _ref_id(data.get("listener"))),
                (subject, _ref_id(data.get("subject"))),
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
        cast = [_ref_id(c) for c in data.get("characters") or ()]
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
        refs = [r for r in (_ref_id(m) for m in data.get("members") or ()) if r is not None]
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
        character = _ref_id(data.get("character"))
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
        initiator, target = _ref_id(data.get("initiator")), _ref_id(data.get("target"))
        return _pair(bindings, initiator, target, by, to, between)

    return Predicate(frozenset({ESCALATION}), _refs(by, to, between), bind, f"{change} conflict")


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


# --------------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One beat of a pattern.

    ``text`` renders the beat once matched ("{a} insulted {b}"; None: the event's own
    summary), ``prediction`` renders it while it is the NEXT step ("{b} may threaten {a}").
    ``tension`` is its contribution (-1..1) to a story's tension. ``within``: at most this many
    ticks after the previous step. ``unless``: an event matching one of these while this step
    is awaited kills the partial match.
    """

    when: Predicate
    label: str
    prediction: str
    text: str | None = None
    tension: float = 0.1
    within: int | None = None
    unless: tuple[Predicate, ...] = ()


@dataclass(frozen=True, slots=True)
class Pattern:
    """A story shape. ``roles`` maps role variables to readable role names, in display order;
    other variables are topics. A match is shown once ``min_steps`` steps matched; step
    ``climax`` (1-based) is its climax; when ``resolves`` its last step resolves the story.
    ``max_span``: ticks from first to last step. ``unless`` applies between every two steps.
    ``titles`` are templates; one whose variables are all bound is chosen per match.
    ``symmetric``: two roles that every step treats alike (``between``), so a match with
    them swapped is the same match and is deduplicated. ``aftermath``: what may follow the
    last step of a story that it does not resolve (the prediction of a story at its climax)."""

    key: str
    genre: str
    roles: Mapping[str, str]
    steps: tuple[Step, ...]
    titles: tuple[str, ...]
    min_steps: int = 2
    climax: int = 0
    resolves: bool = False
    max_span: int = 240
    unless: tuple[Predicate, ...] = ()
    symmetric: tuple[str, ...] = ()
    aftermath: str = ""

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError(f"Pattern {self.key!r} has no steps; give it at least one.")
        if not 1 <= self.min_steps <= len(self.steps):
            raise ValueError(f"Pattern {self.key!r}: min_steps must be 1..{len(self.steps)}.")
        if self.symmetric and len(self.symmetric) != 2:
            raise ValueError(f"Pattern {self.key!r}: symmetric names exactly two roles.")
        if self.climax == 0:
            object.__setattr__(self, "climax", len(self.steps))
        if not 1 <= self.climax <= len(self.steps):
            raise ValueError(f"Pattern {self.key!r}: climax must be 1..{len(self.steps)}.")
        bound = set(self.steps[0].when.refs)
        for number, step in enumerate(self.steps[1:], start=2):
            # Every later step (and unless) must mention a variable already bound: that is
            # what the matcher indexes on, and what keeps the pattern about the same people.
            for part in (*step.when.alternatives(), *step.unless, *self.unless):
                for alt in part.alternatives():
                    if not any(r in bound for r in alt.refs):
                        raise ValueError(
                            f"Pattern {self.key!r} step {number}: {alt.describe!r} mentions no "
                            f"variable bound by earlier steps ({sorted(bound)}); name one."
                        )
            bound |= set(step.when.refs)


# --------------------------------------------------------------------------------------------
# Updates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Beat:
    """A matched step, linked to its event by ``seq``."""

    seq: int
    tick: int
    kind: str
    label: str
    text: str
    tension: float = 0.0


@dataclass(frozen=True, slots=True)
class RoleBinding:
    """A role of a match: variable, readable role name, character id and name."""

    var: str
    role: str
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class MatchUpdate:
    """A shown match moved: it advanced (``progress``), completed, expired or was killed.

    ``step`` steps of ``total_steps`` are matched. ``prediction`` renders the next step (None
    once complete). ``plans`` are the latest goal texts of participants aimed at another
    participant ("Bob plans to search Diana's room"). ``ended_by`` is the event that killed it.
    ``next_label``: the label of the step ``prediction`` foretells (a story retires the
    prediction once another of its matches told that step).
    """

    match_id: str
    pattern: str
    genre: str
    status: MatchStatus
    step: int
    total_steps: int
    min_steps: int
    climax_step: int
    resolves: bool
    tick: int
    first_tick: int
    roles: tuple[RoleBinding, ...]
    topics: Mapping[str, str]
    beats: tuple[Beat, ...]
    title: str
    prediction: str | None
    plans: tuple[str, ...] = ()
    ended_by: Beat | None = None
    next_label: str | None = None

    @property
    def participant_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.roles)

    @property
    def reached_climax(self) -> bool:
        return self.step >= self.climax_step


# --------------------------------------------------------------------------------------------
# Matcher
# --------------------------------------------------------------------------------------------


class _Names(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "someone"


def _plan_text(data: Mapping[str, Any], who: tuple[str, str] | None) -> str:
    """A goal as a prediction: "Diana means to get back at Eve for the lie". Goals are
    written as imperatives ("Get back at Eve..."); the event's own text is the fallback."""
    description = str(data.get("description") or "").strip().rstrip(".")
    if not description or who is None or not who[1]:
        return str(data.get("text") or "")
    if description.startswith(who[1]):  # already a sentence about them
        return description
    return f"{who[1]} means to {description[0].lower()}{description[1:]}"


def render(template: str, names: Mapping[str, str]) -> str:
    """``template`` with ``{var}`` replaced by display names ("someone" when unbound)."""
    return template.format_map(_Names(names))


def _template_vars(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_AT_TICK = re.compile(r"\s+at tick \d+")


def event_text(event: LogEvent) -> str:
    """The event's own readable sentence: its summary or text, else one made from its data."""
    data = event.data
    told = data.get("summary") or data.get("text")
    if told:
        return _AT_TICK.sub("", str(told))  # beats carry their tick; the sentence need not
    if event.kind == RELATIONSHIP:
        moved = cast(RelationshipChanged, data)
        source, target = _ref_id(moved.get("source")), _ref_id(moved.get("target"))
        kind = str(moved.get("kind") or "stranger").replace("_", " ")
        if source and target:
            article = "an" if kind[0] in "aeiou" else "a"
            return f"{source[1]} now sees {target[1]} as {article} {kind}"
    if event.kind in (ALLIANCE_FORMED, ALLIANCE_BROKEN):
        verb = "formed" if event.kind == ALLIANCE_FORMED else "broke up"
        alliance = cast(AllianceChange, data)
        members = [r[1] for r in (_ref_id(m) for m in alliance.get("members") or ()) if r]
        name = alliance.get("name") or ""
        return f"{', '.join(members) or 'An alliance'} {verb} {name}".strip()
    return event.kind.replace("_", " ").capitalize()


def event_keys(event: LogEvent, names: dict[str, str] | None = None) -> tuple[str, ...]:
    """Values a predicate could bind from this event: the characters it involves, plus an
    alliance id or a gossip fact. Partial matches are indexed on these. When ``names`` is
    given, the names of the characters referenced are recorded in it."""
    data, kind = event.data, event.kind
    refs: list[Any]
    extra: list[Any] = []
    if kind == INTERACTION:
        refs = list(cast(CharacterInteraction, data).get("participants") or ())
    elif kind == RELATIONSHIP:
        moved = cast(RelationshipChanged, data)
        refs = [moved.get("source"), moved.get("target")]
    elif kind == GOSSIP:
        hop = cast(GossipSpread, data)
        refs = [hop.get("teller"), hop.get("listener"), hop.get("subject")]
        extra = [hop.get("fact")]
    elif kind == GOAL:
        goal = cast(GoalProgress, data)
        refs = [goal.get("character")]
        extra = [goal.get("character_id"), goal.get("target_id")]
    elif kind in (ALLIANCE_FORMED, ALLIANCE_BROKEN):
        alliance = cast(AllianceChange, data)
        refs = list(alliance.get("members") or ())
        extra = [alliance.get("alliance_id")]
    elif kind == ESCALATION:
        quarrel = cast(ConflictEscalated, data)
        refs = [quarrel.get("initiator"), quarrel.get("target")]
    elif kind == EMOTION:
        refs = [cast(EmotionChanged, data).get("character")]
    else:
        refs = []
    keys: list[str] = []
    for ref in refs:
        if not _is_mapping(ref):
            continue
        value = ref.get("id")
        if value:
            value = str(value)
            if names is not None and ref.get("name"):
                names[value] = str(ref["name"])
            if value not in keys:
                keys.append(value)
    for value in extra:
        if value and str(value) not in keys:
            keys.append(str(value))
    return tuple(keys)


def binding_key(
    pattern: Pattern, step: int, bindings: Mapping[str, str]
) -> tuple[str, int, frozenset[tuple[str, str]]]:
    """Identity of a partial match for deduplication: pattern, steps matched, bindings (with
    the pattern's symmetric roles in a canonical order)."""
    items = dict(bindings)
    if pattern.symmetric:
        x, y = pattern.symmetric
        if x in items and y in items and items[x] > items[y]:
            items[x], items[y] = items[y], items[x]
    return pattern.key, step, frozenset(items.items())


# (index kinds, variables) per predicate alternative.
_Parts = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


def _anchor_key(values: Sequence[str]) -> str:
    return "\x1f".join(sorted(values))


def _anchors(keys: tuple[str, ...]) -> list[str]:
    """Index keys an event can hit: each of its values, and each pair of them."""
    out = list(keys)
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            out.append(_anchor_key((first, second)))
    return out


@dataclass(slots=True)
class _Partial:
    id: str
    pattern: Pattern
    step: int
    bindings: dict[str, str]
    names: dict[str, str]
    beats: list[Beat]
    first_tick: int
    last_tick: int
    order: int
    deadline: int = 0
    keys: list[tuple[str, str]] = field(default_factory=list)
    guards: list[tuple[str, str]] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        return self.step >= self.pattern.min_steps

    def binding_key(self) -> tuple[str, int, frozenset[tuple[str, str]]]:
        return binding_key(self.pattern, self.step, self.bindings)

    def anchor(self) -> str:
        return next(iter(self.bindings.values()))


class Sifter:
    """Matches ``patterns`` incrementally over a world's event log.

    ``Sifter(patterns, state=previous.state())`` resumes exactly where ``previous`` stopped;
    partial matches of patterns no longer in ``patterns`` are dropped.
    """

    def __init__(self, patterns: Sequence[Pattern], state: Mapping[str, Any] | None = None):
        self.patterns = {p.key: p for p in patterns}
        if len(self.patterns) != len(patterns):
            raise ValueError("Pattern keys must be unique.")
        self._starts: dict[str, list[Pattern]] = {}
        self._rank = {p.key: i for i, p in enumerate(patterns)}
        self._plans_cache: dict[tuple[str, int], tuple[_Parts, _Parts]] = {}
        # Every index kind some step or unless of some pattern can match.
        self._used = {
            kind
            for pattern in patterns
            for step in pattern.steps
            for predicate in (step.when, *step.unless, *pattern.unless)
            for part in predicate.alternatives()
            for kind in part.index_kinds()
        }
        for pattern in patterns:
            for part in pattern.steps[0].when.alternatives():
                for kind in sorted(part.index_kinds()):
                    starts = self._starts.setdefault(kind, [])
                    if pattern not in starts:
                        starts.append(pattern)
        self._partials: dict[str, _Partial] = {}
        self._waiting: dict[tuple[str, str], dict[str, None]] = {}
        self._guarded: dict[tuple[str, str], dict[str, None]] = {}
        self._by_binding: dict[tuple[str, int, frozenset[tuple[str, str]]], str] = {}
        self._by_pattern: dict[str, dict[str, None]] = {k: {} for k in self.patterns}
        self._by_anchor: dict[tuple[str, str], dict[str, None]] = {}
        self._shown_by_character: dict[str, dict[str, None]] = {}
        self._deadlines: list[tuple[int, int, str]] = []
        # Latest open goal of each character: (tick, text, target id or "").
        self._plans: dict[str, tuple[int, str, str]] = {}
        # Names of the characters seen so far: goal events name only their owner, not the
        # target, and a role bound from a bare id still needs a name in titles.
        self._known: dict[str, str] = {}
        self._last_seq = 0
        self._order = 0
        if state:
            self._load(state)

    # -- public ---------------------------------------------------------------------------

    @property
    def live_count(self) -> int:
        """Partial matches currently held (shown or not)."""
        return len(self._partials)

    def feed(self, events: Iterable[LogEvent]) -> list[MatchUpdate]:
        """Advance on ``events`` (in ``seq`` order); returns the updates of shown matches in a
        deterministic order. Events at or below the last fed ``seq`` are skipped."""
        updates: list[MatchUpdate] = []
        for event in events:
            if event.seq <= self._last_seq:
                continue
            self._last_seq = event.seq
            self._expire(event.tick, updates)
            if event.kind in STORY_KINDS:
                continue
            self._on_event(event, updates)
        return updates

    def state(self) -> dict[str, Any]:
        """JSON-serialisable state; ``Sifter(patterns, state=...)`` resumes from it."""
        return {
            "version": STATE_VERSION,
            "last_seq": self._last_seq,
            "order": self._order,
            "plans": {k: list(v) for k, v in sorted(self._plans.items())},
            "names": dict(sorted(self._known.items())),
            "partials": [
                {
                    "id": p.id,
                    "pattern": p.pattern.key,
                    "step": p.step,
                    "bindings": dict(p.bindings),
                    "names": dict(p.names),
                    "beats": [[b.seq, b.tick, b.kind, b.label, b.text, b.tension] for b in p.beats],
                    "first_tick": p.first_tick,
                    "last_tick": p.last_tick,
                    "order": p.order,
                }
                for p in sorted(self._partials.values(), key=lambda p: p.order)
            ],
        }

    # -- event handling -------------------------------------------------------------------

    def _on_event(self, event: LogEvent, updates: list[MatchUpdate]) -> None:
        kind = event.kind
        planner = self._note_plan(event) if kind == GOAL else None
        first_update = len(updates)
        kinds = event_kinds(event)
        values = event_keys(event, self._known)
        if planner is None and not any(k in self._used for k in kinds):
            return  # small talk and the like: no predicate anywhere looks at it
        keys = _anchors(values)
        if self._guarded:
            for partial in self._candidates(self._guarded, kinds, keys):
                ended = self._killer(partial, event)
                if ended is not None:
                    self._forget(partial)
                    if partial.visible:
                        updates.append(self._update(partial, KILLED, event.tick, ended))
        for partial in self._candidates(self._waiting, kinds, keys):
            if partial.id in self._partials:
                self._advance(partial, event, updates)
        for pattern in self._starting(kinds):
            first = pattern.steps[0]
            for number, proposal in enumerate(self._proposals(first.when, event, {})):
                suffix = f".{number}" if number else ""
                self._create(
                    f"{pattern.key}:{event.seq}{suffix}", pattern, {}, {}, [], proposal, event,
                    event.tick, updates,
                )  # fmt: skip
        if planner is not None:
            already = {u.match_id for u in updates[first_update:]}
            self._announce_plan(planner, event.tick, updates, already)

    def _starting(self, kinds: tuple[str, ...]) -> list[Pattern]:
        """Patterns whose first step can match an event of these kinds, in library order."""
        if len(kinds) == 1:
            return self._starts.get(kinds[0], [])
        found: dict[str, Pattern] = {}
        for kind in kinds:
            for pattern in self._starts.get(kind, ()):
                found[pattern.key] = pattern
        return sorted(found.values(), key=lambda p: self._rank[p.key])

    def _candidates(
        self,
        index: dict[tuple[str, str], dict[str, None]],
        kinds: tuple[str, ...],
        keys: list[str],
    ) -> list[_Partial]:
        found: dict[str, None] = {}
        for kind in kinds:
            for key in keys:
                hits = index.get((kind, key))
                if hits:
                    found.update(hits)
        if not found:
            return []
        partials = [self._partials[i] for i in found]
        partials.sort(key=lambda p: p.order)
        return partials

    def _proposals(
        self, predicate: Predicate, event: LogEvent, bindings: Mapping[str, str]
    ) -> list[Proposal]:
        """Consistent proposals of ``predicate`` on ``event``; all bound values stay distinct
        (two roles are never the same character), duplicates dropped."""
        out: list[Proposal] = []
        taken = set(bindings.values())
        for part in predicate.alternatives():
            if event.kind not in part.kinds:
                continue
            for proposal in part.bind(event.data, bindings):
                values = [v for v, _ in proposal.values()]
                if len(set(values)) != len(values) or taken.intersection(values):
                    continue
                if proposal not in out:
                    out.append(proposal)
        return out

    def _killer(self, partial: _Partial, event: LogEvent) -> Beat | None:
        pattern = partial.pattern
        for predicate in (*pattern.steps[partial.step].unless, *pattern.unless):
            if self._proposals(predicate, event, partial.bindings):
                return Beat(event.seq, event.tick, event.kind, "averted", event_text(event))
        return None

    def _advance(self, partial: _Partial, event: LogEvent, updates: list[MatchUpdate]) -> None:
        step = partial.pattern.steps[partial.step]
        for number, proposal in enumerate(self._proposals(step.when, event, partial.bindings)):
            if proposal:
                # A new role or topic: fork, and keep waiting for other candidates.
                suffix = f".{number}" if number else ""
                self._create(
                    f"{partial.id}/{event.seq}{suffix}", partial.pattern, partial.bindings,
                    partial.names, partial.beats, proposal, event, partial.first_tick, updates,
                )  # fmt: skip
                continue
            ahead = binding_key(partial.pattern, partial.step + 1, partial.bindings)
            twin = self._by_binding.get(ahead)
            if twin is not None:
                if self._partials[twin].visible:
                    # An older match already follows these people at that step: keep it.
                    self._forget(partial)
                    if partial.visible:
                        updates.append(self._update(partial, EXPIRED, event.tick))
                    return
                self._forget(self._partials[twin])
            self._unindex(partial)
            del self._by_binding[partial.binding_key()]
            partial.beats.append(self._beat(step, partial.names, event))
            partial.step += 1
            partial.last_tick = event.tick
            self._settle(partial, event.tick, updates, fresh=False)
            return

    def _create(
        self,
        match_id: str,
        pattern: Pattern,
        bindings: Mapping[str, str],
        names: Mapping[str, str],
        beats: Sequence[Beat],
        proposal: Proposal,
        event: LogEvent,
        first_tick: int,
        updates: list[MatchUpdate],
    ) -> None:
        step_index = len(beats)
        new_bindings = {**bindings, **{k: v for k, (v, _) in proposal.items()}}
        new_names = {
            **names,
            **{k: n or self._known.get(v, "") or v for k, (v, n) in proposal.items()},
        }
        self._order += 1
        partial = _Partial(
            id=match_id,
            pattern=pattern,
            step=step_index + 1,
            bindings=new_bindings,
            names=new_names,
            beats=[*beats, self._beat(pattern.steps[step_index], new_names, event)],
            first_tick=first_tick,
            last_tick=event.tick,
            order=self._order,
        )
        existing = self._by_binding.get(partial.binding_key())
        if existing is not None:
            older = self._partials[existing]
            if older.visible:
                return  # the story already follows these people at this step
            # Not shown yet: follow the fresher one, whose window runs longer.
            self._forget(older)
        self._settle(partial, event.tick, updates, fresh=True)

    def _settle(
        self, partial: _Partial, tick: int, updates: list[MatchUpdate], *, fresh: bool
    ) -> None:
        """Store (or complete) a partial match that just matched a step."""
        pattern = partial.pattern
        if partial.step >= len(pattern.steps):
            if not fresh:
                self._forget(partial)
            if partial.visible:
                updates.append(self._update(partial, COMPLETE, tick))
            return
        if fresh:
            self._make_room(partial, tick, updates)
            self._add(partial)
        self._reindex(partial)
        if partial.visible:
            updates.append(self._update(partial, PROGRESS, tick))

    def _add(self, partial: _Partial) -> None:
        """A new partial match, in the indexes that never change while it lives."""
        key = partial.pattern.key
        self._partials[partial.id] = partial
        self._by_pattern[key][partial.id] = None
        self._by_anchor.setdefault((key, partial.anchor()), {})[partial.id] = None

    def _reindex(self, partial: _Partial) -> None:
        """Index a partial match by its bindings and its next step (again after it advanced),
        and, once visible, by the characters it shows."""
        self._by_binding[partial.binding_key()] = partial.id
        self._index(partial)
        if partial.visible:
            for var in partial.pattern.roles:
                if var in partial.bindings:
                    shown = self._shown_by_character.setdefault(partial.bindings[var], {})
                    shown[partial.id] = None

    def _make_room(self, partial: _Partial, tick: int, updates: list[MatchUpdate]) -> None:
        key = partial.pattern.key
        for ids, cap in (
            (self._by_anchor.get((key, partial.anchor()), {}), MAX_PARTIALS_PER_ANCHOR),
            (self._by_pattern[key], MAX_PARTIALS_PER_PATTERN),
        ):
            while len(ids) >= cap:
                # Drop the oldest partial match not yet shown (a shown one only if all are).
                victim = self._partials[
                    next((i for i in ids if not self._partials[i].visible), next(iter(ids)))
                ]
                self._forget(victim)
                if victim.visible:
                    updates.append(self._update(victim, EXPIRED, tick))

    def _index(self, partial: _Partial) -> None:
        pattern = partial.pattern
        step = pattern.steps[partial.step]
        waits, guards = self._plan(pattern, partial.step)
        partial.keys = self._register(self._waiting, partial, waits)
        partial.guards = self._register(self._guarded, partial, guards) if guards else []
        window = [partial.first_tick + pattern.max_span]
        if step.within is not None:
            window.append(partial.last_tick + step.within)
        partial.deadline = min(window)
        heapq.heappush(self._deadlines, (partial.deadline, partial.order, partial.id))

    def _plan(self, pattern: Pattern, step: int) -> tuple[_Parts, _Parts]:
        """(index kinds, variables) of each alternative a partial waiting for ``step`` is
        indexed under: for the step itself and for its unless predicates. Cached."""
        key = (pattern.key, step)
        plan = self._plans_cache.get(key)
        if plan is None:
            waiting = pattern.steps[step]

            def parts(predicates: Iterable[Predicate]) -> _Parts:
                return tuple(
                    (tuple(sorted(part.index_kinds())), part.refs)
                    for predicate in predicates
                    for part in predicate.alternatives()
                )

            plan = parts((waiting.when,)), parts((*waiting.unless, *pattern.unless))
            self._plans_cache[key] = plan
        return plan

    def _register(
        self,
        index: dict[tuple[str, str], dict[str, None]],
        partial: _Partial,
        parts: _Parts,
    ) -> list[tuple[str, str]]:
        keys: list[tuple[str, str]] = []
        bindings = partial.bindings
        for kinds, refs in parts:
            # Anchor on up to two bound values the predicate mentions: an event between
            # Alice and Bob then meets only the partial matches about both of them.
            bound = [bindings[r] for r in refs if r in bindings][:ANCHOR_VALUES]
            anchor = bound[0] if len(bound) == 1 else _anchor_key(bound)
            for kind in kinds:
                key = (kind, anchor)
                if key not in keys:
                    keys.append(key)
                    ids = index.get(key)
                    if ids is None:
                        index[key] = {partial.id: None}
                    else:
                        ids[partial.id] = None
        return keys

    def _unindex(self, partial: _Partial) -> None:
        for index, keys in ((self._waiting, partial.keys), (self._guarded, partial.guards)):
            for key in keys:
                ids = index.get(key)
                if ids is not None:
                    ids.pop(partial.id, None)
                    if not ids:
                        del index[key]
        partial.keys, partial.guards = [], []

    def _forget(self, partial: _Partial) -> None:
        """Drop every trace of a stored partial match (it completed or died)."""
        self._unindex(partial)
        self._partials.pop(partial.id, None)
        if self._by_binding.get(partial.binding_key()) == partial.id:
            del self._by_binding[partial.binding_key()]
        key = partial.pattern.key
        self._by_pattern[key].pop(partial.id, None)
        anchored = self._by_anchor.get((key, partial.anchor()))
        if anchored is not None:
            anchored.pop(partial.id, None)
            if not anchored:
                del self._by_anchor[key, partial.anchor()]
        for var in partial.pattern.roles:
            shown = self._shown_by_character.get(partial.bindings.get(var, ""))
            if shown is not None:
                shown.pop(partial.id, None)
                if not shown:
                    del self._shown_by_character[partial.bindings[var]]

    def _expire(self, tick: int, updates: list[MatchUpdate]) -> None:
        heap = self._deadlines
        while heap and heap[0][0] < tick:
            deadline, _, match_id = heapq.heappop(heap)
            partial = self._partials.get(match_id)
            if partial is None or partial.deadline != deadline:
                continue  # stale entry: the partial moved on or is gone
            self._forget(partial)
            if partial.visible:
                updates.append(self._update(partial, EXPIRED, tick))

    def _note_plan(self, event: LogEvent) -> str | None:
        """Record a goal event's plan; returns its character id when a plan was set."""
        data = cast(GoalProgress, event.data)
        who = _ref_id(data.get("character"))
        character_id = who[0] if who else str(data.get("character_id") or "")
        if not character_id:
            return None
        if data.get("kind") in ("created", "progress") and data.get("text"):
            target = str(data.get("target_id") or "")
            self._plans[character_id] = (event.tick, _plan_text(data, who), target)
            return character_id
        if data.get("kind") in ("completed", "expired"):
            self._plans.pop(character_id, None)
        return None

    def _announce_plan(
        self, character_id: str, tick: int, updates: list[MatchUpdate], already: set[str]
    ) -> None:
        """Shown matches of a character with a new plan about a co-participant move on (their
        predictions change) unless this event already updated them."""
        for match_id in list(self._shown_by_character.get(character_id) or ()):
            partial = self._partials[match_id]
            if match_id not in already and self._plans_of(partial):
                updates.append(self._update(partial, PROGRESS, tick))

    # -- rendering ------------------------------------------------------------------------

    @staticmethod
    def _beat(step: Step, names: Mapping[str, str], event: LogEvent) -> Beat:
        text = render(step.text, names) if step.text else event_text(event)
        return Beat(event.seq, event.tick, event.kind, step.label, text, step.tension)

    def _plans_of(self, partial: _Partial) -> tuple[str, ...]:
        ids = [partial.bindings[v] for v in partial.pattern.roles if v in partial.bindings]
        plans = []
        for character_id in ids:
            plan = self._plans.get(character_id)
            if plan is not None and plan[2] in ids and plan[2] != character_id:
                plans.append(plan[1])
        return tuple(plans)

    def _update(
        self, partial: _Partial, status: MatchStatus, tick: int, ended_by: Beat | None = None
    ) -> MatchUpdate:
        pattern = partial.pattern
        names = partial.names
        roles = tuple(
            RoleBinding(var, label, partial.bindings[var], names.get(var, ""))
            for var, label in pattern.roles.items()
            if var in partial.bindings
        )
        topics = {k: names.get(k, v) for k, v in partial.bindings.items() if k not in pattern.roles}
        done = partial.step >= len(pattern.steps)
        prediction = next_label = None
        if not done and status == PROGRESS:
            prediction = render(pattern.steps[partial.step].prediction, names)
            next_label = pattern.steps[partial.step].label
        elif done and status == COMPLETE and pattern.aftermath and not pattern.resolves:
            prediction = render(pattern.aftermath, names)
        return MatchUpdate(
            match_id=partial.id,
            pattern=pattern.key,
            genre=pattern.genre,
            status=status,
            step=partial.step,
            total_steps=len(pattern.steps),
            min_steps=pattern.min_steps,
            climax_step=pattern.climax,
            resolves=pattern.resolves,
            tick=tick,
            first_tick=partial.first_tick,
            roles=roles,
            topics=topics,
            beats=tuple(partial.beats),
            title=self._title(partial),
            prediction=prediction,
            plans=self._plans_of(partial),
            ended_by=ended_by,
            next_label=next_label,
        )

    @staticmethod
    def _title(partial: _Partial) -> str:
        pattern = partial.pattern
        usable = [t for t in pattern.titles if _template_vars(t) <= partial.bindings.keys()]
        if not usable:
            return pattern.genre.replace("_", " ").title()
        root = partial.id.split("/", 1)[0]
        return render(usable[zlib.crc32(root.encode()) % len(usable)], partial.names)

    # -- state ----------------------------------------------------------------------------

    def _load(self, state: Mapping[str, Any]) -> None:
        if state.get("version") != STATE_VERSION:
            raise ValueError(
                f"Sifter state version {state.get('version')!r} is not {STATE_VERSION}; "
                "rebuild it by feeding the log again."
            )
        self._last_seq = int(state["last_seq"])
        self._order = int(state["order"])
        self._plans = {k: (int(v[0]), str(v[1]), str(v[2])) for k, v in state["plans"].items()}
        self._known = dict(state["names"])
        for row in state["partials"]:
            pattern = self.patterns.get(row["pattern"])
            if pattern is None or row["step"] >= len(pattern.steps):
                continue
            partial = _Partial(
                id=row["id"],
                pattern=pattern,
                step=int(row["step"]),
                bindings=dict(row["bindings"]),
                names=dict(row["names"]),
                beats=[Beat(*b) for b in row["beats"]],
                first_tick=int(row["first_tick"]),
                last_tick=int(row["last_tick"]),
                order=int(row["order"]),
            )
            self._add(partial)
            self._reindex(partial)
