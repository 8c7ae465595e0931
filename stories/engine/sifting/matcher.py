"""The incremental matcher: partial matches indexed by the values they wait for."""

from __future__ import annotations

import heapq
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from ecosystems.engine.events import (
    AllianceChange,
    CharacterInteraction,
    ConflictEscalated,
    ConversationArcSwing,
    ConversationGoalCompleted,
    EmotionChanged,
    GoalProgress,
    GossipSpread,
    RelationshipChanged,
)
from stories.engine.sifting.pattern import Pattern, Step
from stories.engine.sifting.predicates import Predicate, Proposal, event_kinds, is_mapping, ref_id
from stories.engine.sifting.rendering import event_text, plan_text, render, template_vars
from stories.engine.sifting.types import (
    ALLIANCE_BROKEN,
    ALLIANCE_FORMED,
    ARC_SWING,
    COMPLETE,
    EMOTION,
    ESCALATION,
    EXPIRED,
    GOAL,
    GOSSIP,
    INTERACTION,
    KILLED,
    PROGRESS,
    RELATIONSHIP,
    STORY_KINDS,
    TALK_GOAL,
    Beat,
    LogEvent,
    MatchStatus,
    MatchUpdate,
    RoleBinding,
)

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
    elif kind == ARC_SWING:
        swing = cast(ConversationArcSwing, data)
        refs = [swing.get("persona"), swing.get("character")]
    elif kind == TALK_GOAL:
        reached = cast(ConversationGoalCompleted, data)
        refs = [reached.get("persona"), *(reached.get("characters") or ())]
    else:
        refs = []
    keys: list[str] = []
    for ref in refs:
        if not is_mapping(ref):
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
        who = ref_id(data.get("character"))
        character_id = who[0] if who else str(data.get("character_id") or "")
        if not character_id:
            return None
        if data.get("kind") in ("created", "progress") and data.get("text"):
            target = str(data.get("target_id") or "")
            self._plans[character_id] = (event.tick, plan_text(data, who), target)
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
        next_outcome: tuple[str, tuple[str, ...]] | None = None
        if not done and status == PROGRESS:
            step = pattern.steps[partial.step]
            prediction = render(step.prediction, names)
            next_label = step.label
            if step.outcome:
                next_outcome = (step.outcome, step.people(pattern.roles, partial.bindings))
        elif done and status == COMPLETE and pattern.aftermath and not pattern.resolves:
            prediction = render(pattern.aftermath, names)
            if pattern.aftermath_outcome:
                everyone = tuple(sorted(r.id for r in roles))
                next_outcome = (pattern.aftermath_outcome, everyone)
        told = tuple(
            (step.outcome, step.people(pattern.roles, partial.bindings), beat.tick)
            for step, beat in zip(pattern.steps, partial.beats, strict=False)
            if step.outcome
        )
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
            told=told,
            next_outcome=next_outcome,
        )

    @staticmethod
    def _title(partial: _Partial) -> str:
        pattern = partial.pattern
        usable = [t for t in pattern.titles if template_vars(t) <= partial.bindings.keys()]
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
