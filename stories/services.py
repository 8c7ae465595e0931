"""Writes of the stories app: sifting the event log into stories, pacing a world with the
drama manager, telling a story in chapters, exporting it (metered by plan), notes.

Sifting is incremental and idempotent: a world's ``SiftCursor`` holds the seq of the last event
sifted (and a snapshot of the engine, see ``_engine_take``); each batch reads only events after
it and moves it in the same transaction as the stories it wrote. Running it twice finds
nothing new the second time; a failure midway rolls back both the stories and the cursor, so
the batch is sifted again.
"""

from __future__ import annotations

import logging
import random
from collections import OrderedDict
from dataclasses import asdict, dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from billing.limits import plan_limit_check
from characters.llm.services import text_generate
from characters.models import Character
from core.errors import InvalidInput
from ecosystems.events import EventKind, NewEvent, builders, publish
from ecosystems.models import Ecosystem, Event
from ecosystems.redaction import Redactor
from ecosystems.selectors import providers_for_world
from ecosystems.services.director import director_intervene
from stories.engine import (
    PATTERNS,
    CharacterBrief,
    DramaSettings,
    DramaState,
    LogEvent,
    Sifter,
    StoryBoard,
    StoryChange,
    drama_decide,
    world_tension,
)
from stories.engine.board import StoryView
from stories.engine.document import Chapter, StoryDocument
from stories.engine.exports import EXPORT_FORMATS, export, slug_filename
from stories.engine.narrative import (
    NARRATIVE_VERSION,
    chapters_from_llm_text,
    narrate,
    narrative_prompt,
)
from stories.models import SiftCursor, Story, StoryBeat, StoryNarrative
from stories.selectors import (
    story_document,
    story_with_beats,
)

log = logging.getLogger(__name__)

# Events sifted per transaction: a 10,000-character tick logs ~20,000 events; one batch keeps a
# caught-up world to one transaction, and a world with a long backlog commits as it goes.
SIFT_BATCH = 20_000
NARRATIVE_MAX_TOKENS = 1_800  # a few short chapters; more costs money and rarely reads better
TENSION_CURVE_POINTS = 200  # kept per story (the engine bounds it too)


@dataclass(frozen=True)
class SiftResult:
    ecosystem_id: str
    events: int  # events read
    detected: int  # stories new to the board
    updated: int
    last_seq: int


def _cursor_locked(ecosystem_id: UUID | str) -> SiftCursor:
    """The world's cursor, locked for this transaction (made on first use without a race).
    The engine snapshot is not loaded: it is megabytes, and usually the cached engine is used."""
    SiftCursor.objects.bulk_create([SiftCursor(ecosystem_id=ecosystem_id)], ignore_conflicts=True)
    return (
        SiftCursor.objects.select_for_update()
        .defer("sifter_state", "board_state")
        .get(ecosystem_id=ecosystem_id)
    )


# The engine's state of a busy town is megabytes of JSON: loading and saving it on every sift
# cost more than sifting (0.6 s of a 0.75 s sift after one tick of a 300-character town). So
# each worker process keeps the engines of the worlds it sifted, valid while the cursor still
# stands where that engine stopped, and the state is saved as a snapshot every
# ``SNAPSHOT_EVERY_EVENTS`` events. An engine that is missing or stale (another process sifted
# the world since) is rebuilt from the snapshot by replaying the events after it: replay only
# feeds the engine, it writes nothing, since those events' stories are saved already.
SNAPSHOT_EVERY_EVENTS = 20_000  # replaying this many costs about as much as one first sift
ENGINES_CACHED = 32  # worlds per worker process


@dataclass
class _Engine:
    seq: int  # the last event fed
    sifter: Sifter
    board: StoryBoard


_engines: OrderedDict[str, _Engine] = OrderedDict()


def _engine_take(cursor: SiftCursor) -> _Engine:
    """The world's engine as of ``cursor.last_seq``, taken out of the cache (it goes back after
    commit, so a rolled-back batch can never leave a cached engine ahead of the cursor).
    Caller holds the cursor's lock."""
    key = str(cursor.ecosystem_id)
    cached = _engines.pop(key, None)
    if cached is not None and cached.seq == cursor.last_seq:
        return cached
    sifter_state, board_state = (
        SiftCursor.objects.filter(pk=cursor.pk).values_list("sifter_state", "board_state").get()
    )
    engine = _Engine(cursor.state_seq, Sifter(PATTERNS, state=sifter_state or None),
                     StoryBoard(state=board_state or None))  # fmt: skip
    while engine.seq < cursor.last_seq:
        rows = _rows_after(cursor.ecosystem_id, engine.seq, until=cursor.last_seq)
        _feed(engine, rows)
    return engine


def _engine_keep(ecosystem_id: UUID | str, engine: _Engine) -> None:
    _engines[str(ecosystem_id)] = engine
    while len(_engines) > ENGINES_CACHED:
        _engines.popitem(last=False)


def _rows_after(
    ecosystem_id: UUID | str, seq: int, *, until: int | None = None
) -> list[tuple[Any, ...]]:
    """Up to ``SIFT_BATCH`` events after ``seq`` (and up to ``until``), in order."""
    events = Event.objects.filter(ecosystem_id=ecosystem_id, seq__gt=seq)
    if until is not None:
        events = events.filter(seq__lte=until)
    return list(
        events.order_by("seq").values_list("id", "seq", "tick", "kind", "payload")[:SIFT_BATCH]
    )


def _feed(engine: _Engine, rows: list[tuple[Any, ...]]) -> list[StoryChange]:
    """Feed events to the engine tick by tick (the board ages stories by tick), so a replay
    that batches differently still sees every tick as its own step."""
    changes: list[StoryChange] = []
    for tick, group in groupby(rows, key=itemgetter(2)):
        events = [LogEvent(seq, tick, kind, payload) for _, seq, _, kind, payload in group]
        changes += engine.board.apply(engine.sifter.feed(events), tick=tick)
    engine.seq = rows[-1][1]
    return changes


def stories_sift(*, ecosystem_id: UUID | str) -> SiftResult:
    """Sift every event after the world's cursor into stories; publish ``story_detected`` and
    ``story_updated`` for what changed. Safe to call at any time, from several workers."""
    events = detected = updated = 0
    last_seq = 0
    while True:
        with transaction.atomic():
            cursor = _cursor_locked(ecosystem_id)
            last_seq = cursor.last_seq
            rows = _rows_after(ecosystem_id, cursor.last_seq)
            if not rows:
                break
            new, moved = _sift_batch(cursor, rows)
            events, detected, updated = events + len(rows), detected + new, updated + moved
            last_seq = cursor.last_seq
        if len(rows) < SIFT_BATCH:
            break
    return SiftResult(str(ecosystem_id), events, detected, updated, last_seq)


def _sift_batch(cursor: SiftCursor, rows: list[tuple[Any, ...]]) -> tuple[int, int]:
    """Feed one batch to the engine, save what changed, move the cursor (and snapshot the
    engine when due). Caller holds the cursor's lock."""
    engine = _engine_take(cursor)
    changes = _feed(engine, rows)
    event_ids = {seq: pk for pk, seq, *_ in rows}
    new, moved, logged = _stories_save(cursor.ecosystem_id, changes, event_ids)
    if logged and logged[0].seq == engine.seq + 1:
        # Our own story events follow the batch directly (no other event was logged between):
        # step over them, so the next sift (or the sweep) does not wake up just to skip them.
        engine.seq = logged[-1].seq
    cursor.last_seq = engine.seq
    fields = ["last_seq", "updated_at"]
    if cursor.last_seq - cursor.state_seq >= SNAPSHOT_EVERY_EVENTS or not cursor.state_seq:
        cursor.state_seq = engine.seq
        cursor.sifter_state, cursor.board_state = engine.sifter.state(), engine.board.state()
        fields += ["state_seq", "sifter_state", "board_state"]
    cursor.save(update_fields=fields)
    world_id = cursor.ecosystem_id
    transaction.on_commit(lambda: _engine_keep(world_id, engine))
    return new, moved


def _stories_save(
    ecosystem_id: UUID | str, changes: list[StoryChange], event_ids: dict[int, Any]
) -> tuple[int, int, list[Event]]:
    """Upsert the changed stories, their new beats and participants; log their events
    (returned)."""
    if not changes:
        return 0, 0, []
    world = Ecosystem.objects.get(pk=ecosystem_id)
    latest = {c.story.key: c for c in changes}  # the last change of a story in a batch wins
    created_keys = {c.story.key for c in changes if c.kind == "created"}
    existing = {s.key: s for s in Story.objects.filter(ecosystem=world, key__in=list(latest))}
    # Only the rows these changes can touch: a big world has thousands of characters and
    # hundreds of stories, and this runs after every tick.
    cast_ids = {p.id for c in latest.values() for p in c.story.participants}
    characters = {
        str(pk)
        for pk in Character.objects.filter(ecosystem=world, pk__in=cast_ids).values_list(
            "pk", flat=True
        )
    }
    clashing = Q(key__in=list(latest))
    for change in latest.values():
        clashing |= Q(title__startswith=change.story.title[:190])
    titles = dict(Story.objects.filter(clashing, ecosystem=world).values_list("key", "title"))
    to_create, to_update, beats, links, frames = [], [], [], [], []
    for key, change in latest.items():
        fresh = key not in existing
        story = existing.get(key) or Story(
            ecosystem=world, key=key, started_tick=change.story.started_tick, revision=0
        )
        before = story.last_seq
        _story_fill(story, change.story, title=_title_unique(change.story.title[:190], key, titles))
        (to_create if fresh else to_update).append(story)
        beats += _new_beats(story, change.story, before, event_ids)
        links += [(story, p.id) for p in change.story.participants if p.id in characters]
        kind = (
            EventKind.STORY_DETECTED if key in created_keys and fresh else EventKind.STORY_UPDATED
        )
        frames.append((kind, story, change))
    Story.objects.bulk_create(to_create)
    Story.objects.bulk_update(to_update, [
        "title", "summary", "genre", "pattern", "status", "tension", "tension_curve", "cast",
        "predictions", "updated_tick", "last_seq", "revision", "updated_at",
    ])  # fmt: skip
    StoryBeat.objects.bulk_create(beats, ignore_conflicts=True)
    Story.participants.through.objects.bulk_create(
        [Story.participants.through(story_id=s.pk, character_id=c) for s, c in links],
        ignore_conflicts=True,
    )
    logged = publish(ecosystem=world, events=[
        _story_event(kind, story, change) for kind, story, change in frames
    ])  # fmt: skip
    new = sum(1 for kind, *_ in frames if kind == EventKind.STORY_DETECTED)
    return new, len(frames) - new, logged


def _story_fill(story: Story, view: StoryView, *, title: str) -> None:
    """Copy what the engine's story view says onto the row (a new revision of it)."""
    story.title = title
    story.summary = view.summary
    story.genre, story.pattern, story.status = view.genre, view.pattern, view.status
    story.tension = min(1.0, max(0.0, float(view.tension)))
    story.tension_curve = [[t, round(v, 4)] for t, v in view.tension_curve][-TENSION_CURVE_POINTS:]
    story.cast = [{"id": p.id, "name": p.name, "role": p.role} for p in view.participants]
    story.predictions = list(view.predictions)
    story.updated_tick = view.updated_tick
    story.last_seq = max([b.seq for b in view.beats] or [story.last_seq])
    story.revision += 1


def _new_beats(
    story: Story, view: StoryView, before: int, event_ids: dict[int, Any]
) -> list[StoryBeat]:
    """The beats of ``view`` after seq ``before``, linked to their events."""
    return [
        StoryBeat(story=story, event_id=event_ids.get(b.seq), seq=b.seq, tick=b.tick,
                  kind=b.kind, label=b.label[:64], text=b.text[:400])
        for b in view.beats
        if b.seq > before
    ]  # fmt: skip


ROMAN = ("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _title_unique(title: str, key: str, titles: dict[str, str]) -> str:
    """``title``, or "title (II)", "(III)"... when another story of the world has it: the same
    pair can quarrel twice, and the board must tell the two apart."""
    if titles.get(key, "").startswith(title):
        return titles[key]  # keep the numeral a story already has
    taken = {t for k, t in titles.items() if k != key}
    chosen = title
    for numeral in ROMAN:
        if chosen not in taken:
            break
        chosen = f"{title} ({numeral})"
    titles[key] = chosen
    return chosen


def _story_event(kind: EventKind, story: Story, change: StoryChange) -> NewEvent:
    """The ``story_detected`` / ``story_updated`` event of a story that changed."""
    build = builders.story_detected if kind == EventKind.STORY_DETECTED else builders.story_updated
    return build(
        story_id=str(story.pk),
        title=story.title,
        genre=story.genre,
        status=story.status,
        tension=story.tension,
        summary=story.summary,
        participants=story.cast,
        predictions=story.predictions[:3],
        changed=change.changed,
        beat=change.story.beats[-1].text if change.story.beats else None,
    )


# --- drama manager ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DramaResult:
    ecosystem_id: str
    decided: bool  # False: disabled, not running, or this tick was already decided
    tension: float = 0.0
    injected: str = ""  # the intervention kind, if any


def drama_direct(*, ecosystem_id: UUID | str) -> DramaResult:
    """Let the world's drama manager look at the world's tension once per tick and, when the
    engine says so, inject a director event (``director_intervene`` with its reason). Does
    nothing for a world without the drama manager or not running."""
    world = Ecosystem.objects.filter(pk=ecosystem_id).first()
    if world is None or not world.drama_manager or world.status != Ecosystem.Status.RUNNING:
        return DramaResult(str(ecosystem_id), decided=False)
    with transaction.atomic():
        cursor = _cursor_locked(ecosystem_id)
        saved = cursor.drama_state or {}
        if saved.get("tick", -1) >= world.current_tick:  # this tick was decided already
            return DramaResult(str(ecosystem_id), decided=False)
        state = DramaState.from_dict(saved.get("engine"))
        engine = _engine_take(cursor)
        tension = world_tension(engine.board.stories(tick=world.current_tick))
        transaction.on_commit(lambda: _engine_keep(ecosystem_id, engine))
        cast = [
            CharacterBrief(id=str(pk), name=name)
            for pk, name in Character.objects.filter(ecosystem=world, is_active=True)
            .order_by("name")
            .values_list("pk", "name")
        ]
        rng = random.Random(f"{world.seed}:drama:{world.current_tick}")
        decision = drama_decide(state=state, world_tension=tension, tick=world.current_tick,
                                characters=cast, rng=rng, settings=DramaSettings(),
                                minutes_per_tick=world.minutes_per_tick)  # fmt: skip
        cursor.drama_state = {"tick": world.current_tick, "engine": decision.state.as_dict()}
        cursor.save(update_fields=["drama_state", "updated_at"])
    # After the decision commits: the intervention runs meetings (interactions, perhaps model
    # servers), which must not wait while the cursor is locked. If it fails, this tick's nudge
    # is lost, which the next quiet stretch makes up for.
    injection = decision.injection
    if injection is not None:
        director_intervene(
            ecosystem=world,
            kind=injection.kind,
            text=injection.detail,
            narration=injection.text,
            character_ids=list(injection.character_ids),
            reason=injection.reason,
            source="drama_manager",
        )
    return DramaResult(str(ecosystem_id), decided=True, tension=tension,
                       injected=injection.kind if injection else "")  # fmt: skip


# --- narrative and exports --------------------------------------------------------------------


def story_chapters(*, story: Story, doc: StoryDocument | None = None) -> tuple[Chapter, ...]:
    """The story told in chapters: cached per story revision and narrator version, written
    again only when the story changed. The LLM provider chain writes them when configured;
    the template narrator otherwise, or when no provider gives usable chapters. ``doc``: the
    story's document when the caller has it already."""
    cached = StoryNarrative.objects.filter(
        story=story, revision=story.revision, version=NARRATIVE_VERSION
    ).first()
    if cached is not None:
        return tuple(
            Chapter(number=c["number"], title=c["title"], paragraphs=tuple(c["paragraphs"]))
            for c in cached.chapters
        )
    doc = doc or _document(story)
    chapters: tuple[Chapter, ...] | None = None
    narrator = "template"
    result = text_generate(
        messages=narrative_prompt(doc),
        accept=lambda text: chapters_from_llm_text(text) is not None,
        max_tokens=NARRATIVE_MAX_TOKENS,
        ecosystem_id=story.ecosystem_id,
        owner_id=story.ecosystem.owner_id,
        providers=providers_for_world(ecosystem_id=story.ecosystem_id),
    )
    if result is not None:
        chapters = chapters_from_llm_text(result.text)
        narrator = result.provider
    if not chapters:
        chapters, narrator = narrate(doc), "template"
    StoryNarrative.objects.update_or_create(
        story=story,
        defaults={"revision": story.revision, "version": NARRATIVE_VERSION,
                  "narrator": narrator[:64], "chapters": [asdict(c) for c in chapters]},
    )  # fmt: skip
    return chapters


def _document(story: Story) -> StoryDocument:
    """The story's document, its beats and their events read in one go."""
    return story_document(story=story_with_beats(story_id=story.pk) or story)


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def story_export(
    *, story: Story, user: AbstractBaseUser, fmt: str, redactor: Redactor
) -> ExportFile:
    """The story as a file in ``fmt`` (md, html, json, epub) as ``redactor``'s reader may see
    it, counted against the user's plan (story exports per calendar month). Raises
    ``InvalidInput`` for an unknown format and ``PlanLimitReached`` when this month's exports
    are used up (nothing is counted then)."""
    fmt = (fmt or "").lower()
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(
            f"Unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}.",
            details={"format": [f"One of: {', '.join(EXPORT_FORMATS)}."]},
        )
    with transaction.atomic():
        plan_limit_check(owner=user, usage="story_exports")
        doc = _document(story)
        chapters = redactor.value(story_chapters(story=story, doc=doc))
        doc = redactor.value(doc)
        content = export(fmt, doc, chapters)
        story.exports.create(user=user, format=fmt)
    content_type, _ = EXPORT_FORMATS[fmt]
    return ExportFile(slug_filename(doc, fmt), content_type, content)


NOTES_MAX_LENGTH = 10_000


def story_notes_save(*, story: Story, notes: str) -> Story:
    """The owner's notes on a story (plain text)."""
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise InvalidInput(
            f"Notes are {len(notes)} characters; keep them under {NOTES_MAX_LENGTH}.",
            details={"notes": [f"At most {NOTES_MAX_LENGTH} characters."]},
        )
    story.notes = notes
    story.save(update_fields=["notes", "updated_at"])
    return story
