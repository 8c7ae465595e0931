"""Reads of the stories app: the board of a world, one story as a document for the narrator
and the exporters, and the exports a user made this month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ecosystems.branding import branding_for
from ecosystems.models import Ecosystem
from stories.engine.document import DocBeat, DocParticipant, Quote, StoryDocument
from stories.models import Story, StoryBeat, StoryExport

LIVE_STATUSES = (Story.Status.BREWING, Story.Status.DEVELOPING, Story.Status.CLIMAX)


def stories_for_world(*, ecosystem: Ecosystem, status: str | None = None) -> QuerySet[Story]:
    """A world's stories, most recently active first, with participants and beats joined.
    ``status`` filters to one status (brewing, developing, climax, resolved, fizzled) or to
    ``live`` (brewing, developing or climax)."""
    stories = Story.objects.filter(ecosystem=ecosystem).prefetch_related(
        "participants", Prefetch("beats", queryset=StoryBeat.objects.order_by("seq"))
    )
    if status == "live":
        stories = stories.filter(status__in=LIVE_STATUSES)
    elif status:
        stories = stories.filter(status=status)
    return stories.order_by("-updated_tick", "-tension", "title")


def story_with_beats(*, story_id: Any) -> Story | None:
    """One story with its world, participants, and beats joined to their events."""
    return (
        Story.objects.select_related("ecosystem")
        .prefetch_related(
            "participants",
            Prefetch("beats", queryset=StoryBeat.objects.select_related("event").order_by("seq")),
        )
        .filter(pk=story_id)
        .first()
    )


def _world_time(world: Ecosystem, tick: int) -> str:
    moment = world.world_start + dt.timedelta(minutes=world.minutes_per_tick * tick)
    # "11:00 am on Tuesday": the narrator writes "At ..." / "Around ..." before it.
    return f"{moment:%-I:%M %p} on {moment:%A}".replace("AM", "am").replace("PM", "pm")


def _quote(payload: dict[str, Any]) -> Quote | None:
    people = payload.get("participants") or []
    if len(people) < 2 or not payload.get("content"):
        return None
    return Quote(
        speaker=people[0].get("name", ""),
        line=str(payload.get("content", "")),
        listener=people[1].get("name", ""),
        reply=str(payload.get("response", "")),
    )


def story_document(*, story: Story) -> StoryDocument:
    """The story as the narrator and the exporters see it. ``story`` should come from
    ``story_with_beats`` (beats with their events joined), else beats are fetched here."""
    world = story.ecosystem
    beats = []
    for beat in story.beats.all():
        payload = beat.event.payload if beat.event_id and beat.event else {}
        quote = _quote(payload) if beat.kind == "character_interaction" else None
        beats.append(DocBeat(seq=beat.seq, tick=beat.tick, kind=beat.kind, label=beat.label,
                             text=beat.text, world_time=_world_time(world, beat.tick),
                             quote=quote, data=payload))  # fmt: skip
    return StoryDocument(
        id=str(story.pk),
        title=story.title,
        genre=story.genre,
        status=story.status,
        summary=story.summary,
        world_name=world.name,
        participants=tuple(
            DocParticipant(id=p["id"], name=p["name"], role=p.get("role", "")) for p in story.cast
        ),
        tension=story.tension,
        tension_curve=tuple((int(t), float(v)) for t, v in story.tension_curve),
        beats=tuple(beats),
        predictions=tuple(story.predictions),
        started_tick=story.started_tick,
        updated_tick=story.updated_tick,
        generated_at=timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        brand=branding_for(ecosystem=world).product_name,
    )


def month_start(now: dt.datetime | None = None) -> dt.datetime:
    """The first instant of the current calendar month (UTC): plan quotas reset then."""
    now = now or timezone.now()
    return now.astimezone(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def story_exports_this_month(*, user: AbstractBaseUser) -> int:
    """How many story exports ``user`` made since the start of this calendar month."""
    return StoryExport.objects.filter(user=user, created_at__gte=month_start()).count()
