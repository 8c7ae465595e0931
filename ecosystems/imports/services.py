"""Book import writes: take an upload (``book_import_create``: the text is extracted now, so a
bad file is a 400 and nothing is kept), run the analysis (``book_import_run``, from
``book_import_task``; progress saved and sent to the import's live sockets as it goes) and
create a world from the reviewed cast (``book_import_world_create``, the API and the page alike).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from billing.limits import plan_room, plan_within_check
from characters.models import Character
from core.errors import InvalidInput, InvalidTransition, PlanLimitReached
from core.live import group_notify
from ecosystems.imports.extract import book_text_extract
from ecosystems.imports.review import CastChoice, Person, Tie, cast_of, cast_review_apply
from ecosystems.models import BookImport, Ecosystem, Relationship
from ecosystems.services.worlds import ecosystem_create

log = logging.getLogger(__name__)

# Progress is saved (one UPDATE) and sent at most this often, and whenever the stage changes:
# the engine may call back thousands of times; a bar moving twice a second looks live.
PROGRESS_SAVE_SECONDS = 0.5
# A run that has not reported for this long died with its worker (acks_late redelivers the
# task): a redelivery may take it over. The engine reports every few seconds at worst.
STALE_RUN_SECONDS = 300
WORLD_NAME_MAX_LENGTH = Ecosystem._meta.get_field("name").max_length
ORIGIN_MAX_LENGTH = Ecosystem._meta.get_field("origin").max_length
NO_PEOPLE = (
    "No people were found in this text: nobody is named often enough or speaks. Upload a "
    "story with named characters (a novel, a play, a short story)."
)


def import_group(import_id: object) -> str:
    """The channel-layer group of one import's live sockets (its owner's)."""
    return f"book_import.{import_id}"


def import_frame(book_import: BookImport) -> dict[str, Any]:
    """What a live socket receives, and what the page's script reads from the API too."""
    return {
        "type": "import_progress",
        "import": {
            "id": str(book_import.pk),
            "status": book_import.status,
            "progress": round(book_import.progress, 4),
            "stage": book_import.stage,
            "error": book_import.error,
            "world_id": str(book_import.world_id) if book_import.world_id else None,
        },
    }


def _notify_after_commit(book_import: BookImport) -> None:
    message = {"type": "import.progress", "frame": import_frame(book_import)}
    group = import_group(book_import.pk)
    transaction.on_commit(lambda: group_notify(group, message))


@transaction.atomic
def book_import_create(*, owner: AbstractBaseUser, filename: str, data: bytes) -> BookImport:
    """A queued import of the book in ``data``; its analysis is enqueued after commit.
    ``InvalidInput`` (nothing created) when the file cannot be read as a book."""
    extracted = book_text_extract(data=data, filename=filename)
    book_import = BookImport(
        owner=owner,
        filename=filename[:255],
        format=extracted.format,
        size_bytes=len(data),
        text=extracted.text,
        file_title=extracted.title,
        file_author=extracted.author,
        stage="Waiting for the analysis to start",
    )
    book_import.full_clean(exclude=["text"])
    book_import.save(force_insert=True)
    from ecosystems.tasks import book_import_task  # tasks import the services

    transaction.on_commit(lambda: book_import_task.delay(str(book_import.pk)))
    return book_import


def _claim(import_id: str) -> bool:
    """Take the run: a queued import, or one whose run went silent (its worker died)."""
    now = timezone.now()
    stale = now - timedelta(seconds=STALE_RUN_SECONDS)
    return (
        BookImport.objects.filter(
            Q(status=BookImport.Status.QUEUED)
            | Q(status=BookImport.Status.RUNNING, updated_at__lt=stale),
            pk=import_id,
        ).update(status=BookImport.Status.RUNNING, progress=0.0, stage="Starting", updated_at=now)
        == 1
    )


class _Reporter:
    """The engine's ``progress`` callback: saves and sends, throttled."""

    def __init__(self, book_import: BookImport, *, clock: Callable[[], float] = time.monotonic):
        self.book_import = book_import
        self.clock = clock
        self.last_saved = float("-inf")
        self.saves = 0

    def __call__(self, fraction: float, stage: str) -> None:
        fraction = min(1.0, max(0.0, float(fraction)))
        stage = str(stage)[:120]
        now = self.clock()
        stage_changed = stage != self.book_import.stage
        if not stage_changed and now - self.last_saved < PROGRESS_SAVE_SECONDS:
            return
        if fraction < self.book_import.progress:  # the bar never goes back
            fraction = self.book_import.progress
        self.book_import.progress, self.book_import.stage = fraction, stage
        self.book_import.updated_at = timezone.now()
        self.book_import.save(update_fields=["progress", "stage", "updated_at"])
        self.last_saved = now
        self.saves += 1
        _notify_after_commit(self.book_import)


def _analyse(text: str, progress: Callable[[float, str], None]) -> Any:
    from ecosystems.engine.book import analyse

    return analyse(text, progress=progress)


def book_import_run(*, import_id: str) -> BookImport | None:
    """Analyse the import's text once (a duplicate delivery finds it taken and returns
    ``None``). Ends ``done`` with the result, or ``failed`` with a message: no people in the
    text, or the analysis broke (logged). Not one transaction: each progress step commits, so
    the page sees it."""
    if not _claim(import_id):
        return None
    book_import = BookImport.objects.get(pk=import_id)
    _notify_after_commit(book_import)
    reporter = _Reporter(book_import)
    try:
        analysis = _analyse(book_import.text, reporter)
    except Exception:
        log.exception("the analysis of book import %s failed", import_id)
        return _finish(
            book_import,
            status=BookImport.Status.FAILED,
            error="The analysis of this book failed unexpectedly. Try again, or upload the "
            "text in another format.",
        )
    result = dataclasses.asdict(analysis)
    if not result.get("cast"):
        warnings = [w for w in result.get("warnings") or [] if w]
        detail = f" ({'; '.join(warnings)})" if warnings else ""
        return _finish(
            book_import, status=BookImport.Status.FAILED, error=NO_PEOPLE + detail, result=result
        )
    return _finish(book_import, status=BookImport.Status.DONE, result=result)


def _finish(
    book_import: BookImport, *, status: str, error: str = "", result: dict | None = None
) -> BookImport:
    book_import.status = status
    book_import.error = error
    book_import.result = result
    book_import.finished_at = timezone.now()
    if status == BookImport.Status.DONE:
        book_import.progress, book_import.stage = 1.0, "Done"
    else:
        book_import.stage = "Failed"
    book_import.save(
        update_fields=["status", "error", "result", "finished_at", "progress", "stage",
                       "updated_at"]
    )  # fmt: skip
    _notify_after_commit(book_import)
    return book_import


# --- the world ----------------------------------------------------------------------------------

# Relationship kinds the engine may propose beyond the world's own (family and marriage cues).
KIND_ALIASES = {"family": Relationship.Kind.CLOSE_FRIEND, "spouse": Relationship.Kind.PARTNER,
                "sibling": Relationship.Kind.CLOSE_FRIEND}  # fmt: skip
# How a kind colours the axes before the book's own sentiment moves them (affinity, trust,
# attraction): a partner starts warm and trusting, an enemy cold. Chosen by hand to sit inside
# the ranges the simulation's own relationship rules produce for such kinds.
KIND_BIAS: dict[str, tuple[float, float, float]] = {
    "stranger": (0.0, 0.0, 0.0),
    "acquaintance": (0.1, 0.1, 0.0),
    "friend": (0.35, 0.3, 0.05),
    "close_friend": (0.55, 0.5, 0.05),
    "ally": (0.3, 0.35, 0.0),
    "rival": (-0.25, -0.2, 0.05),
    "enemy": (-0.55, -0.5, 0.0),
    "romantic_interest": (0.4, 0.2, 0.6),
    "partner": (0.6, 0.55, 0.55),
}
SENTIMENT_WEIGHT = 0.5  # how far the book's tone (-1..1) moves affinity and trust


def _clamp(value: float, low: float, high: float) -> float:
    return round(min(high, max(low, value)), 3)


def relationship_axes(pair: dict[str, Any]) -> dict[str, Any]:
    """A ``Relationship``'s kind and axes from a proposed pair: familiarity grows with the
    pair's weight (how much they are together on the page), affinity and trust start from the
    kind and move with the sentiment of what the one says to or of the other."""
    kind = str(pair.get("kind") or "acquaintance")
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in Relationship.Kind.values:
        kind = Relationship.Kind.ACQUAINTANCE
    weight = float(pair.get("weight") or 0.0)
    sentiment = float(pair.get("sentiment") or 0.0)
    affinity, trust, attraction = KIND_BIAS[kind]
    return {
        "kind": kind,
        "familiarity": _clamp(0.2 + 0.8 * weight, 0.0, 1.0),
        "strength": _clamp(affinity + SENTIMENT_WEIGHT * sentiment, -1.0, 1.0),
        "trust": _clamp(trust + SENTIMENT_WEIGHT * sentiment, -1.0, 1.0),
        "attraction": _clamp(attraction * (0.5 + 0.5 * weight), 0.0, 1.0),
    }


def character_fields(person: Person, *, import_id: object) -> dict[str, Any]:
    """A ``Character``'s authored fields from a reviewed person. Goals and secrets the analysis
    suggested are kept and marked as suggestions (``suggested`` on each goal; the secrets
    listed under ``card_extensions["dramatis/book_import"]``) for the creator to confirm."""
    member = person.member
    big_five = member.get("big_five") or {}
    goals = [
        {"description": g["text"], "progress": 0.0, "suggested": True,
         "source": g.get("source", "rules")}
        for g in member.get("goals") or [] if g.get("text")
    ]  # fmt: skip
    secrets = [s["text"] for s in member.get("secrets") or [] if s.get("text")]
    return {
        "name": person.name,
        **{trait: _clamp(float(big_five.get(trait, 0.5)), 0.0, 1.0) for trait in
           ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")},
        "values": [str(v) for v in member.get("values") or []],
        "speaking_style": str(member.get("speaking_style") or ""),
        "backstory": person.description,
        "long_term_goals": goals,
        "secrets": secrets,
        "card_extensions": {
            "dramatis/book_import": {
                "import_id": str(import_id),
                "book_name": person.source_name,
                "aliases": list(member.get("aliases") or []),
                "merged": person.merged,
                "mentions": int(member.get("mentions") or 0),
                "speech_count": int(member.get("speech_count") or 0),
                "trait_method": member.get("trait_method", "lexicon"),
                "suggested_secrets": secrets,
            }
        },
    }  # fmt: skip


@dataclass
class WorldFromBook:
    world: Ecosystem
    characters: list[str]  # created, in the book's ranking
    left_out: list[str] = field(default_factory=list)  # chosen, but past the plan's limit
    relationships: int = 0
    relationships_left_out: int = 0
    notes: list[str] = field(default_factory=list)  # what the plan changed, to show the creator


def choices_default(book_import: BookImport) -> list[CastChoice]:
    return [CastChoice(name=m["name"]) for m in cast_of(book_import.result or {})]


@transaction.atomic
def book_import_world_create(
    *,
    book_import: BookImport,
    choices: Sequence[CastChoice] | None = None,
    name: str = "",
) -> WorldFromBook:
    """A new draft world of the import's owner with the chosen (reviewed) people and the
    relationships among them. Within the plan: past its character room the top of the book's
    ranking is kept (free: five) and the rest left out, said in ``notes``; so are the
    relationships past its relationship room (the strongest are kept). ``InvalidTransition``
    while the analysis is not done or once a world was made from it; ``PlanLimitReached`` when
    not one more character fits."""
    locked = BookImport.objects.select_for_update().get(pk=book_import.pk)
    if locked.status != BookImport.Status.DONE or not locked.result:
        raise InvalidTransition(
            "This book has not been analysed yet; wait for the analysis to finish."
            if not locked.finished
            else f"The analysis of this book failed ({locked.error}); upload it again."
        )
    if locked.world_id is not None:
        raise InvalidTransition(
            f"The world {locked.world.name!r} was already made from this book; open it from "
            "the dashboard, or delete it to make another."
        )
    owner = locked.owner
    plan_within_check(owner=owner)
    people, ties = cast_review_apply(
        result=locked.result, choices=list(choices) if choices is not None else
        choices_default(locked)
    )  # fmt: skip
    plan, room = plan_room(owner=owner, usage="characters")
    notes: list[str] = []
    left_out: list[Person] = []
    if room is not None and len(people) > room:
        if room == 0:
            raise PlanLimitReached(
                f"Plan {plan.name!r} allows {plan.max_characters} characters and your worlds "
                "have them all. Upgrade at /pricing/ or remove some to import this cast.",
                details={"characters": ["No room for another character on this plan."]},
            )
        people, left_out = people[:room], people[room:]
        notes.append(
            f"Plan {plan.name!r} allows {plan.max_characters} characters across your worlds, "
            f"so the top {_count(room)} of the book were kept: "
            f"{', '.join(p.name for p in people)}; left out: "
            f"{_names(left_out)} (upgrade at /pricing/ to bring them in)."
        )
    kept = {p.name for p in people}
    ties = [t for t in ties if t.source in kept and t.target in kept]
    _, tie_room = plan_room(owner=owner, usage="relationships")
    ties_left = 0
    if tie_room is not None and len(ties) > tie_room:
        ties_left = len(ties) - tie_room
        ties = ties[:tie_room]
        notes.append(
            f"Plan {plan.name!r} allows {plan.max_relationships} relationships across your "
            f"worlds, so the {_count(len(ties))} strongest were kept and {ties_left} left out."
        )
    result = locked.result
    title = str(result.get("title") or locked.file_title or "").strip()
    world_name = (name.strip() or title or _stem(locked.filename))[:WORLD_NAME_MAX_LENGTH]
    author = str(result.get("author") or locked.file_author or "").strip()
    world = ecosystem_create(
        owner=owner,
        name=world_name,
        description=f"The cast of {title or locked.filename}"
        + (f" by {author}" if author else "")
        + ", imported from the book and reviewed before the world was made.",
        setting=f"The world of {title}." if title else "",
        origin=f"Imported from the book {locked.filename}"[:ORIGIN_MAX_LENGTH],
    )
    characters = _characters_create(world=world, people=people, import_id=locked.pk)
    relationships = _relationships_create(world=world, ties=ties, by_name=characters)
    locked.world = world
    locked.save(update_fields=["world", "updated_at"])
    book_import.world = world
    _notify_after_commit(locked)
    return WorldFromBook(
        world=world,
        characters=[p.name for p in people],
        left_out=[p.name for p in left_out],
        relationships=relationships,
        relationships_left_out=ties_left,
        notes=notes,
    )


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten"]  # fmt: skip


NAMES_LISTED = 8  # a novel may leave dozens out: the note names the first few


def _names(people: Sequence[Person]) -> str:
    shown = ", ".join(p.name for p in people[:NAMES_LISTED])
    rest = len(people) - NAMES_LISTED
    return f"{shown} and {rest} more" if rest > 0 else shown


def _count(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _stem(filename: str) -> str:
    return filename.rsplit(".", 1)[0].replace("_", " ").strip() or "Imported book"


def _characters_create(
    *, world: Ecosystem, people: Sequence[Person], import_id: object
) -> dict[str, Character]:
    """One INSERT for the cast; the caller has fitted it to the plan's room (the count was
    taken under the owner's lock, which this transaction still holds)."""
    rows = []
    for person in people:
        character = Character(ecosystem=world, **character_fields(person, import_id=import_id))
        try:
            character.full_clean(exclude=["ecosystem"], validate_unique=False)
        except Exception as error:
            raise InvalidInput(
                f"{person.name!r} cannot be created: {error}",
                details={"characters": [f"{person.name}: {error}"]},
            ) from error
        rows.append(character)
    Character.objects.bulk_create(rows)
    return {c.name: c for c in rows}


def _relationships_create(
    *, world: Ecosystem, ties: Sequence[Tie], by_name: dict[str, Character]
) -> int:
    rows = [
        Relationship(
            ecosystem=world,
            source=by_name[tie.source],
            target=by_name[tie.target],
            **relationship_axes(tie.pair),
        )
        for tie in ties
    ]
    for row in rows:
        row.full_clean(exclude=["ecosystem", "source", "target"], validate_unique=False,
                       validate_constraints=False)  # fmt: skip
    Relationship.objects.bulk_create(rows)
    return len(rows)
