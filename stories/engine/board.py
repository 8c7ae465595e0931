"""The story board: shown matches merged into stories, with status, tension, title, summary
and predicted next beats.

Contracts:

- A story starts from a match that reached its pattern's ``min_steps`` (brewing); its
  ``key`` is that match's id, so the same log always gives the same keys.
- Merge rule: a shown match joins the live story whose participants equal its own, or are a
  subset or a superset of its own (largest overlap wins, then the oldest story). Each match
  belongs to one story for its whole life. Escalating conflict and rivalry on one pair are one
  story; a triangle swallows the quarrel between its two suitors. With no such live story, it
  joins a closed one of the same people that its own matches ended (not quiet) no earlier
  than the match began: the same episode, whether the log was sifted in one batch or turn by
  turn (a story a conversation's turn resolved still takes the match the next turn shows).
- Status: ``brewing`` (a match just shown) → ``developing`` (a match went past its
  ``min_steps``) → ``climax`` (a match reached its climax step) → ``resolved`` (a resolving
  match completed, or the story went quiet after its climax). ``fizzled``: every match died
  (window, span, ``unless``) or went quiet for ``STALE_TICKS`` before any climax. A quiet
  story reopens if one of its matches advances again.
- Tension (0..1) is the sum of the story's beats' contributions, halved every
  ``TENSION_HALF_LIFE_TICKS`` of inactivity. The tension curve gets a point on each emitted
  change (the last ``MAX_CURVE_POINTS``).
- ``apply`` returns a ``StoryChange`` only when something a reader sees changed: tension by at
  least ``TENSION_EMIT_STEP``, or status, title, genre, participants, beats or predictions.
- Determinism: the same updates and ticks give the same changes and the same ``state()``;
  ``StoryBoard(state=board.state())`` resumes exactly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from stories.engine.sifting import COMPLETE, PROGRESS, MatchUpdate

BREWING = "brewing"
DEVELOPING = "developing"
CLIMAX = "climax"
RESOLVED = "resolved"
FIZZLED = "fizzled"
LIVE_STATUSES = frozenset({BREWING, DEVELOPING, CLIMAX})
CLOSED_STATUSES = frozenset({RESOLVED, FIZZLED})

CREATED = "created"
UPDATED = "updated"
STORY_DETECTED = "story_detected"
STORY_UPDATED = "story_updated"

# Ticks of inactivity that halve a story's tension: a day of quiet (24 hourly ticks) takes a
# quarrel from boiling to simmering.
TENSION_HALF_LIFE_TICKS = 24
# Ticks without a beat after which a story is over (resolved after a climax, else fizzled):
# the longest window of the library (a week of hourly ticks, TRUST_WINDOW_TICKS) would let
# a match wait longer, but a story nobody has touched in four days reads as finished.
STALE_TICKS = 96
# Smallest tension move (0..1) worth a story_updated: decay alone would otherwise emit one
# update per story per tick.
TENSION_EMIT_STEP = 0.1
MAX_CURVE_POINTS = 48
MAX_BEATS = 24
MAX_PREDICTIONS = 3
# Ticks a closed story stays on the board (still reopenable by its own matches) before it is
# dropped from the state, keeping the state bounded in a world that runs for months.
CLOSED_RETENTION_TICKS = 240
# World tension: soft OR of the tensest few live stories. Counting every story would pin a
# 1,000-character world at 1.0; counting one would ignore a world with three fires burning.
WORLD_TENSION_TOP = 3
STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Participant:
    """A character in a story and the role it first played there ("aggressor", "beloved")."""

    id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class StoryBeat:
    """A key beat, linked to its event by ``seq`` (one beat per seq)."""

    seq: int
    tick: int
    kind: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as readers see it. ``pattern``/``genre``/``title`` come from its most
    advanced match; ``matches`` are the ids of all its matches."""

    key: str
    genre: str
    pattern: str
    title: str
    summary: str
    status: str
    tension: float
    tension_curve: tuple[tuple[int, float], ...]
    participants: tuple[Participant, ...]
    beats: tuple[StoryBeat, ...]
    predictions: tuple[str, ...]
    started_tick: int
    updated_tick: int
    matches: tuple[str, ...]

    @property
    def live(self) -> bool:
        return self.status in LIVE_STATUSES

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (lists instead of tuples): the ``data`` of story events."""
        data = asdict(self)
        data["tension_curve"] = [list(p) for p in self.tension_curve]
        data["participants"] = [asdict(p) for p in self.participants]
        data["beats"] = [asdict(b) for b in self.beats]
        data["predictions"] = list(self.predictions)
        data["matches"] = list(self.matches)
        return data


@dataclass(frozen=True, slots=True)
class StoryChange:
    """A story was created or changed; ``changed`` names the fields that moved (all of them
    for a creation)."""

    kind: str
    story: StoryView
    changed: tuple[str, ...]

    @property
    def event_kind(self) -> str:
        """The log event to publish: ``story_detected`` or ``story_updated``."""
        return STORY_DETECTED if self.kind == CREATED else STORY_UPDATED


# Fields compared to decide whether a story changed (tension separately, with a threshold).
_COMPARED = ("status", "genre", "pattern", "title", "participants", "beats", "predictions")


def world_tension(stories: Iterable[StoryView]) -> float:
    """0..1 summary of the live stories for the drama manager: a soft OR (1 - Π(1 - t)) of
    the ``WORLD_TENSION_TOP`` tensest live stories. No live story: 0."""
    top = sorted((s.tension for s in stories if s.live), reverse=True)[:WORLD_TENSION_TOP]
    calm = 1.0
    for tension in top:
        calm *= 1.0 - min(1.0, max(0.0, tension))
    return round(1.0 - calm, 4)


class _Story:
    """Mutable story record; its ``to_json`` is what ``StoryBoard.state`` stores."""

    __slots__ = (
        "base",
        "beats",
        "closed_tick",
        "curve",
        "emitted",
        "key",
        "last_beat_tick",
        "matches",
        "order",
        "participants",
        "started_tick",
        "status",
        "wake",
    )

    def __init__(self, key: str, order: int, started_tick: int) -> None:
        self.key = key
        self.order = order
        self.started_tick = started_tick
        self.last_beat_tick = started_tick
        # match id -> record (see _record)
        self.matches: dict[str, dict[str, Any]] = {}
        # [id, name, role] in order of appearance
        self.participants: list[list[str]] = []
        # seq -> [seq, tick, kind, label, text, tension]
        self.beats: dict[int, list[Any]] = {}
        self.curve: list[list[Any]] = []
        self.emitted: dict[str, Any] | None = None
        self.status = BREWING
        self.closed_tick: int | None = None
        self.base = 0.0  # undecayed tension, from the beats (see rebase)
        self.wake = 0  # first tick an untouched story may need a refresh (derived, see _wake)

    def rebase(self) -> None:
        self.base = min(1.0, max(0.0, sum(float(b[5]) for b in self.beats.values())))

    @property
    def ids(self) -> set[str]:
        return {p[0] for p in self.participants}

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "order": self.order,
            "started_tick": self.started_tick,
            "last_beat_tick": self.last_beat_tick,
            "matches": self.matches,
            "participants": self.participants,
            "beats": [self.beats[s] for s in sorted(self.beats)],
            "curve": self.curve,
            "emitted": self.emitted,
            "status": self.status,
            "closed_tick": self.closed_tick,
        }

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> _Story:
        story = cls(row["key"], int(row["order"]), int(row["started_tick"]))
        story.last_beat_tick = int(row["last_beat_tick"])
        story.matches = {k: dict(v) for k, v in row["matches"].items()}
        story.participants = [list(p) for p in row["participants"]]
        story.beats = {int(b[0]): list(b) for b in row["beats"]}
        story.curve = [list(p) for p in row["curve"]]
        story.emitted = row["emitted"]
        story.status = row["status"]
        story.closed_tick = row["closed_tick"]
        story.rebase()
        story.wake = _wake(story)
        return story


def _record(update: MatchUpdate, order: int) -> dict[str, Any]:
    return {
        "pattern": update.pattern,
        "genre": update.genre,
        "status": update.status,
        "step": update.step,
        "total": update.total_steps,
        "min_steps": update.min_steps,
        "climax": update.climax_step,
        "resolves": update.resolves,
        "title": update.title,
        "prediction": update.prediction,
        "next": update.next_label,
        "done": [b.label for b in update.beats],
        "plans": list(update.plans),
        "order": order,
        "first_tick": update.first_tick,
        "told": [[name, list(people), tick] for name, people, tick in update.told],
        "next_outcome": (
            [update.next_outcome[0], list(update.next_outcome[1])] if update.next_outcome else None
        ),
    }


Told = dict[tuple[str, tuple[str, ...]], int]  # (outcome, people) -> last tick it was told


def _told_by(stories: Iterable[_Story]) -> Told:
    told: Told = {}
    for story in stories:
        for record in story.matches.values():
            _note_told(told, record)
    return told


def _note_told(told: Told, record: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """Fold a record's told outcomes into ``told``; returns the keys that moved."""
    moved = []
    for name, people, tick in record.get("told", ()):
        key = (str(name), tuple(people))
        if told.get(key, -1) < int(tick):
            told[key] = int(tick)
            moved.append(key)
    return moved


# Outcomes that make a foretold one impossible for the same people: once they made peace or
# became a couple, "may become open enemies" no longer fits the story; once they are open
# enemies, nor do a courtship or a couple. (Order of the people does not matter here.)
PRECLUDED_BY: dict[str, frozenset[str]] = {
    "enmity": frozenset({"peace", "couple"}),
    "clash": frozenset({"peace", "couple"}),
    "courting": frozenset({"enmity"}),
    "couple": frozenset({"enmity"}),
}


def _foretold(record: Mapping[str, Any], told: Told) -> bool:
    """Whether what ``record`` predicts was already told, by a match of any pattern about the
    same people, since ``record``'s match began (so a feud long over does not count); or can
    no longer happen, because an outcome that precludes it was told about them since then."""
    outcome = record.get("next_outcome")
    if not outcome:
        return False
    began = int(record.get("first_tick", 0))
    name, people = outcome[0], tuple(outcome[1])
    if told.get((name, people), -1) >= began:
        return True
    precluding = PRECLUDED_BY.get(name, frozenset())
    return any(
        other in precluding and set(others) == set(people) and tick >= began
        for (other, others), tick in told.items()
    )


class StoryBoard:
    """Stories built from ``MatchUpdate``s. ``StoryBoard(state=board.state())`` resumes."""

    def __init__(self, state: Mapping[str, Any] | None = None) -> None:
        self._stories: dict[str, _Story] = {}
        self._by_match: dict[str, str] = {}
        # character id -> keys of the stories it is in, so a new match meets only its people's
        # stories when looking for a home.
        self._by_character: dict[str, dict[str, None]] = {}
        self._order = 0
        # What every match on the board has told, so a prediction told by another pattern's
        # match (in this story or another) is retired. Derived from the stories' records.
        self._told: Told = {}
        if state:
            if state.get("version") != STATE_VERSION:
                raise ValueError(
                    f"Story board state version {state.get('version')!r} is not "
                    f"{STATE_VERSION}; rebuild the board by replaying the log."
                )
            self._order = int(state["order"])
            for row in state["stories"]:
                story = _Story.from_json(row)
                self._stories[story.key] = story
                for match_id in story.matches:
                    self._by_match[match_id] = story.key
                for character_id in story.ids:
                    self._by_character.setdefault(character_id, {})[story.key] = None
            self._told = _told_by(self._stories.values())

    # -- public ---------------------------------------------------------------------------

    def apply(self, updates: Sequence[MatchUpdate], *, tick: int) -> list[StoryChange]:
        """Fold ``updates`` in and let time pass to ``tick``; returns the stories that changed
        (creations first in update order, then updates in story order)."""
        touched: list[str] = []
        for update in updates:
            key = self._absorb(update)
            if key is not None and key not in touched:
                touched.append(key)
            if key is not None:
                record = self._stories[key].matches[update.match_id]
                for _, people in _note_told(self._told, record):
                    # Stories of these people elsewhere may foretell what was just told.
                    for other in self._stories_of(people):
                        if other not in touched:
                            touched.append(other)
        changes: list[StoryChange] = []
        # Stories are kept in creation order (dict insertion order, restored by the state).
        for story in list(self._stories.values()):
            if story.key in touched or (
                story.status in LIVE_STATUSES and tick >= story.wake and _due(story, tick)
            ):
                change = self._refresh(story, tick)
                story.wake = _wake(story)
                if change is not None:
                    changes.append(change)
        changes.sort(key=lambda c: c.kind != CREATED)
        self._prune(tick)
        return changes

    def _stories_of(self, people: Sequence[str]) -> list[str]:
        """Keys of the live stories every one of ``people`` is in."""
        keys = [set(self._by_character.get(p, {})) for p in people]
        shared = set.intersection(*keys) if keys else set()
        return sorted((k for k in shared if self._stories[k].status in LIVE_STATUSES),
                      key=lambda k: self._stories[k].order)  # fmt: skip

    def stories(self, *, tick: int | None = None) -> list[StoryView]:
        """Every story on the board, oldest first, as of ``tick`` (default: last emitted)."""
        return [self._view(s, tick) for s in sorted(self._stories.values(), key=lambda s: s.order)]

    def story(self, key: str, *, tick: int | None = None) -> StoryView | None:
        story = self._stories.get(key)
        return None if story is None else self._view(story, tick)

    def state(self) -> dict[str, Any]:
        """JSON-serialisable state."""
        return {
            "version": STATE_VERSION,
            "order": self._order,
            "stories": [s.to_json() for s in sorted(self._stories.values(), key=lambda s: s.order)],
        }

    # -- folding updates ------------------------------------------------------------------

    def _absorb(self, update: MatchUpdate) -> str | None:
        if update.step < update.min_steps or not update.roles:
            return None  # not shown yet: stories appear only once brewing
        key = self._by_match.get(update.match_id)
        story = self._stories.get(key) if key is not None else None
        if story is None:
            if update.status not in (PROGRESS, COMPLETE):
                return None  # a match we never showed died: nothing to tell
            story = self._home(update)
            if story is None:
                self._order += 1
                story = _Story(update.match_id, self._order, update.first_tick)
                self._stories[story.key] = story
            self._by_match[update.match_id] = story.key
        previous = story.matches.get(update.match_id)
        order = previous["order"] if previous else len(story.matches)
        story.matches[update.match_id] = _record(update, order)
        known = story.ids
        for role in update.roles:
            if role.id not in known:
                story.participants.append([role.id, role.name, role.role])
                known.add(role.id)
                self._by_character.setdefault(role.id, {})[story.key] = None
        beats = list(update.beats)
        if update.ended_by is not None:
            beats.append(update.ended_by)
        for beat in beats:
            if beat.seq not in story.beats:
                story.beats[beat.seq] = [
                    beat.seq, beat.tick, beat.kind, beat.label, beat.text, beat.tension
                ]  # fmt: skip
                story.last_beat_tick = max(story.last_beat_tick, beat.tick)
        if len(story.beats) > MAX_BEATS:
            for seq in sorted(story.beats)[: len(story.beats) - MAX_BEATS]:
                del story.beats[seq]
        story.rebase()
        return story.key

    def _home(self, update: MatchUpdate) -> _Story | None:
        """The story this new match belongs to (merge rule in the module docstring): a live
        one, else a closed one of the same episode (``_same_episode``)."""
        ids = update.participant_ids
        best: tuple[bool, int, int] | None = None
        home = None
        keys: dict[str, None] = {}
        for character_id in sorted(ids):
            keys.update(self._by_character.get(character_id, {}))
        for key in keys:
            story = self._stories[key]
            live = story.status in LIVE_STATUSES
            if not live and not _same_episode(story, update):
                continue
            theirs = story.ids
            if not (ids <= theirs or theirs <= ids):
                continue
            rank = (live, len(ids & theirs), -story.order)
            if best is None or rank > best:
                best, home = rank, story
        return home

    # -- views ----------------------------------------------------------------------------

    def _refresh(self, story: _Story, tick: int) -> StoryChange | None:
        view = self._view(story, tick)
        fields = _comparable(view)
        before = story.emitted
        if before is None:
            changed = (*_COMPARED, "tension", "summary")
        else:
            changed = tuple(f for f in _COMPARED if fields[f] != before[f])
            if _moved(view.tension, before["tension"]):
                changed = (*changed, "tension")
            if changed and fields["summary"] != before["summary"]:
                changed = (*changed, "summary")
        if not changed:
            return None
        if not story.curve or story.curve[-1][1] != view.tension:
            story.curve.append([tick, view.tension])
            del story.curve[:-MAX_CURVE_POINTS]
        if view.status in CLOSED_STATUSES:
            if story.closed_tick is None:
                story.closed_tick = tick
        else:
            story.closed_tick = None
        story.status = view.status
        story.emitted = {**fields, "tick": tick}
        curve = tuple((int(t), float(v)) for t, v in story.curve)
        view = replace(view, tension_curve=curve, updated_tick=tick)
        return StoryChange(CREATED if before is None else UPDATED, view, changed)

    def _view(self, story: _Story, tick: int | None) -> StoryView:
        at = tick if tick is not None else (story.emitted or {}).get("tick", story.last_beat_tick)
        records = sorted(story.matches.items(), key=lambda kv: kv[1]["order"])
        lead = max(records, key=lambda kv: _strength(kv[1]))[1]
        status = _status([r for _, r in records], at - story.last_beat_tick)
        beats = [story.beats[s] for s in sorted(story.beats)]
        tension = 0.0 if status == FIZZLED else _tension(story, at)
        predictions: list[str] = []
        if status in LIVE_STATUSES:
            # A prediction that came true is retired: another match of the same shape in this
            # story already told that beat (the two mirror matches of one rivalry, say), or a
            # match of any pattern told the same outcome about the same people (a quarrel's
            # threat already made the rivals open enemies).
            happened = {(r["pattern"], label) for _, r in records for label in r.get("done", ())}
            live = [
                r for _, r in records
                if r["status"] == PROGRESS and (r["pattern"], r.get("next")) not in happened
                and not _foretold(r, self._told)
            ]  # fmt: skip
            live.sort(key=_strength, reverse=True)
            seen: set[tuple[str, ...]] = set()
            done = [  # their aftermath
                r for _, r in records
                if r["status"] == COMPLETE and not _foretold(r, self._told)
            ]  # fmt: skip
            for text in [p for r in live for p in r["plans"]] + [
                r["prediction"] for r in live + done if r["prediction"]
            ]:
                # "Alice and Frank may..." and "Frank and Alice may..." say the same thing.
                words = tuple(sorted(text.lower().split()))
                if words not in seen:
                    seen.add(words)
                    predictions.append(text)
        story_beats = tuple(StoryBeat(b[0], b[1], b[2], b[3], b[4]) for b in beats)
        emitted_tick = (story.emitted or {}).get("tick", story.started_tick)
        return StoryView(
            key=story.key,
            genre=lead["genre"],
            pattern=lead["pattern"],
            title=lead["title"],
            summary=_summary(beats, status),
            status=status,
            tension=round(tension, 2),
            tension_curve=tuple((int(t), float(v)) for t, v in story.curve),
            participants=tuple(Participant(*p) for p in story.participants),
            beats=story_beats,
            predictions=tuple(predictions[:MAX_PREDICTIONS]),
            started_tick=story.started_tick,
            updated_tick=emitted_tick,
            matches=tuple(k for k, _ in records),
        )

    def _prune(self, tick: int) -> None:
        pruned = False
        for story in list(self._stories.values()):
            if story.closed_tick is not None and tick - story.closed_tick > CLOSED_RETENTION_TICKS:
                pruned = True
                del self._stories[story.key]
                for match_id in story.matches:
                    self._by_match.pop(match_id, None)
                for character_id in story.ids:
                    mine = self._by_character.get(character_id, {})
                    mine.pop(story.key, None)
                    if not mine:
                        self._by_character.pop(character_id, None)
        if pruned:  # as a board resumed from the state would know it
            self._told = _told_by(self._stories.values())


def _same_episode(story: _Story, update: MatchUpdate) -> bool:
    """Whether a closed story still takes a new match: its own matches ended it (it did not
    just go quiet) and the match began no later than the story's last beat. Without this a
    story resolved by one turn of a conversation and a match completed by the next turn are
    one story when the log is sifted in one batch, two when it is sifted turn by turn."""
    if story.closed_tick is None or story.closed_tick - story.last_beat_tick > STALE_TICKS:
        return False
    return update.first_tick <= story.last_beat_tick


def _tension(story: _Story, tick: int) -> float:
    """Sum of the beats' contributions (0..1), halved every half-life of quiet."""
    quiet = max(0, tick - story.last_beat_tick)
    return story.base * 0.5 ** (quiet / TENSION_HALF_LIFE_TICKS)


def _wake(story: _Story) -> int:
    """The first tick at which an untouched story can have gone stale or decayed by a full
    ``TENSION_EMIT_STEP`` (or to zero): until then ``apply`` does not look at it."""
    stale = story.last_beat_tick + STALE_TICKS + 1
    if story.emitted is None:
        return 0
    # Tension is compared rounded to 0.01: wake half a hundredth early (never late; waking
    # early only costs a cheap _due check).
    floor = float(story.emitted["tension"]) - TENSION_EMIT_STEP + 0.005
    floor = floor if floor > 0.005 else 0.005  # rounds to 0.00
    if story.base <= floor:
        return min(stale, story.last_beat_tick)
    quiet = TENSION_HALF_LIFE_TICKS * math.log2(story.base / floor)
    return min(stale, story.last_beat_tick + math.floor(quiet))


def _due(story: _Story, tick: int) -> bool:
    """Whether an untouched live story may have changed by ``tick``: gone stale, or its
    decayed tension moved enough to be worth an update. Cheap, so quiet stories cost little."""
    if tick - story.last_beat_tick > STALE_TICKS or story.emitted is None:
        return True
    now = round(_tension(story, tick), 2)
    before = float(story.emitted["tension"])
    return _moved(now, before)


def _moved(now: float, before: float) -> bool:
    """Tension moved enough to tell (compared in hundredths: 0.5 - 0.4 is 0.0999... in
    floating point), or fell to zero."""
    return round(abs(now - before), 2) >= TENSION_EMIT_STEP or (now == 0.0 and before != 0.0)


def _strength(record: Mapping[str, Any]) -> tuple[bool, bool, float, int, int]:
    """How advanced a match is: alive, past its climax, share of steps, steps, age."""
    return (
        record["status"] in (PROGRESS, COMPLETE),
        record["step"] >= record["climax"],
        record["step"] / record["total"],
        record["step"],
        -record["order"],
    )


def _status(records: Sequence[Mapping[str, Any]], quiet_ticks: int) -> str:
    climaxed = any(r["step"] >= r["climax"] for r in records)
    if any(r["status"] == COMPLETE and r["resolves"] for r in records):
        return RESOLVED
    alive = any(r["status"] in (PROGRESS, COMPLETE) for r in records)
    if not alive or quiet_ticks > STALE_TICKS:
        return RESOLVED if climaxed else FIZZLED
    if climaxed:
        return CLIMAX
    if any(r["step"] > r["min_steps"] for r in records):
        return DEVELOPING
    return BREWING


_AT_TICK = re.compile(r"\s+at tick \d+")  # the engine's summaries carry it; prose does not


def _sentence(text: str) -> str:
    text = _AT_TICK.sub("", text.strip())
    return text if text.endswith((".", "!", "?", '."', '!"', '?"')) else f"{text}."


def _summary(beats: Sequence[Sequence[Any]], status: str) -> str:
    """One to three sentences: how it began, its sharpest turn, how it stands."""
    if not beats:
        return ""
    texts = [str(b[4]) for b in beats]
    parts = [_sentence(texts[0])]
    if len(beats) >= 3:
        middle = max(beats[1:-1], key=lambda b: float(b[5]))
        parts.append(f"Then {_sentence(str(middle[4]))}")
    if len(beats) >= 2:
        lead = "In the end" if status in CLOSED_STATUSES else "Most recently"
        parts.append(f"{lead}, {_sentence(texts[-1])}")
    if status == FIZZLED and beats[-1][3] == "averted":
        parts[-1] = f"It ended there: {_sentence(texts[-1])}"
    return " ".join(parts)


def _comparable(view: StoryView) -> dict[str, Any]:
    return {
        "status": view.status,
        "genre": view.genre,
        "pattern": view.pattern,
        "title": view.title,
        "participants": [[p.id, p.name, p.role] for p in view.participants],
        "beats": [b.seq for b in view.beats],
        "predictions": list(view.predictions),
        "tension": view.tension,
        "summary": view.summary,
    }
