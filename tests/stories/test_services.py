"""Story services on the real database: sifting the log into stories (incremental and
idempotent), the drama manager, chapters (template and LLM, cached) and metered exports."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import transaction

from billing.models import Plan
from core.errors import InvalidInput, PlanLimitReached
from ecosystems.models import Ecosystem, Event
from ecosystems.redaction import Redactor
from ecosystems.services import interaction_process
from stories.models import SiftCursor, Story, StoryBeat, StoryExport, StoryNarrative
from stories.services import drama_direct, stories_sift, story_chapters, story_export
from tests.characters.llm.chat_server import Reply
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.2, neuroticism=0.7)


def _quarrel(alice, bob, acts=("argue", "insult", "threaten")) -> None:
    """Alice and Bob trade hostile acts (each answered by the other), in the world's log."""
    for i, act in enumerate(acts):
        first, second = (alice, bob) if i % 2 == 0 else (bob, alice)
        interaction_process(initiator=first, target=second, interaction_type=act)


def _story(world) -> Story:
    return Story.objects.get(ecosystem=world)


def test_a_quarrel_in_the_log_becomes_a_story_with_people_beats_and_tension(world, alice, bob):
    _quarrel(alice, bob)

    result = stories_sift(ecosystem_id=world.pk)

    story = _story(world)
    assert result.detected == 1
    assert {p["name"] for p in story.cast} == {"Alice", "Bob"}
    assert set(story.participants.all()) == {alice, bob}
    assert story.title and story.summary and story.genre
    assert 0 < story.tension <= 1 and story.tension_curve
    beats = list(story.beats.order_by("seq"))
    assert beats and all(b.event is not None and b.event.seq == b.seq for b in beats)
    detected = Event.objects.get(kind="story_detected")
    assert detected.payload["story_id"] == str(story.pk)
    assert detected.payload["title"] == story.title


def test_sifting_twice_changes_nothing(world, alice, bob):
    _quarrel(alice, bob)
    stories_sift(ecosystem_id=world.pk)
    before = (Story.objects.values_list("revision", "tension", "status").get(),
              StoryBeat.objects.count(), Event.objects.count())  # fmt: skip

    again = stories_sift(ecosystem_id=world.pk)

    after = (Story.objects.values_list("revision", "tension", "status").get(),
             StoryBeat.objects.count(), Event.objects.count())  # fmt: skip
    assert after == before
    assert again.detected == again.updated == 0
    cursor = SiftCursor.objects.get(ecosystem=world)
    assert cursor.last_seq == Event.objects.order_by("-seq").first().seq


def test_new_events_update_the_story_incrementally(world, alice, bob):
    _quarrel(alice, bob, acts=("argue", "insult"))
    stories_sift(ecosystem_id=world.pk)
    story = _story(world)
    cursor = SiftCursor.objects.get(ecosystem=world).last_seq

    _quarrel(alice, bob, acts=("threaten", "threaten"))
    result = stories_sift(ecosystem_id=world.pk)

    story.refresh_from_db()
    assert result.events == Event.objects.filter(seq__gt=cursor).count() - result.updated
    assert result.updated >= 1 and story.revision >= 2
    assert Event.objects.filter(kind="story_updated").exists()
    assert story.beats.filter(seq__gt=cursor).exists()


def test_neutral_small_talk_makes_no_story(world, alice, bob):
    carol = CharacterFactory(ecosystem=world, name="Carol")
    people = [alice, bob, carol]
    for i in range(30):
        a, b = people[i % 3], people[(i + 1) % 3]
        interaction_process(initiator=a, target=b,
                            interaction_type=("greeting", "small_talk", "joke")[i % 3])  # fmt: skip

    stories_sift(ecosystem_id=world.pk)

    assert not Story.objects.exists()


def test_a_failed_batch_leaves_no_story_and_no_cursor_move(world, alice, bob, monkeypatch):
    _quarrel(alice, bob)
    import stories.services as services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "publish", broken)
    with pytest.raises(RuntimeError):
        stories_sift(ecosystem_id=world.pk)

    assert not Story.objects.exists()
    assert SiftCursor.objects.filter(ecosystem=world, last_seq__gt=0).count() == 0


def test_chapters_are_cached_until_the_story_changes(world, alice, bob):
    _quarrel(alice, bob, acts=("argue", "insult"))
    stories_sift(ecosystem_id=world.pk)
    story = _story(world)

    first = story_chapters(story=story)
    cached = StoryNarrative.objects.get(story=story)
    assert story_chapters(story=story) == first
    assert StoryNarrative.objects.get(story=story).created_at == cached.created_at
    assert cached.narrator == "template" and cached.revision == story.revision

    _quarrel(alice, bob, acts=("threaten", "threaten"))
    stories_sift(ecosystem_id=world.pk)
    story.refresh_from_db()
    story_chapters(story=story)
    assert StoryNarrative.objects.get(story=story).revision == story.revision


def test_the_model_server_writes_the_chapters_when_configured(world, alice, bob, model_server):
    _quarrel(alice, bob, acts=("argue", "insult"))
    stories_sift(ecosystem_id=world.pk)
    text = "## The Quarrel\n\nAlice and Bob fell out by the roses.\n\nNobody knew who began."
    model_server.always(Reply(text, completion_tokens=40))

    chapters = story_chapters(story=_story(world))

    assert chapters[0].title == "The Quarrel"
    assert "fell out by the roses" in chapters[0].paragraphs[0]
    assert StoryNarrative.objects.get().narrator == model_server.name


def test_unusable_model_text_falls_back_to_the_template_narrator(world, alice, bob, model_server):
    _quarrel(alice, bob, acts=("argue", "insult"))
    stories_sift(ecosystem_id=world.pk)
    model_server.always(Reply(""))

    chapters = story_chapters(story=_story(world))

    assert chapters and StoryNarrative.objects.get().narrator == "template"


def _export(world, owner, fmt):
    return story_export(story=_story(world), user=owner, fmt=fmt, redactor=Redactor.none())


def test_every_export_format_parses_back(world, owner, alice, bob):
    owner.subscription.plan = Plan.objects.get(code="pro")
    owner.subscription.save()
    _quarrel(alice, bob)
    stories_sift(ecosystem_id=world.pk)
    story = _story(world)

    md = _export(world, owner, "md")
    assert md.filename.endswith(".md") and story.title in md.content.decode()
    html = _export(world, owner, "html").content.decode()
    assert "<html" in html and "<script" not in html
    data = json.loads(_export(world, owner, "json").content)
    assert data["story"]["title"] == story.title
    assert [b["seq"] for b in data["beats"]] == list(story.beats.values_list("seq", flat=True))
    epub = zipfile.ZipFile(io.BytesIO(_export(world, owner, "epub").content))
    assert epub.namelist()[0] == "mimetype"
    assert epub.read("mimetype") == b"application/epub+zip"
    assert StoryExport.objects.filter(user=owner).count() == 4


def test_the_free_plan_refuses_the_fourth_export_of_the_month(world, owner, alice, bob):
    _quarrel(alice, bob)
    stories_sift(ecosystem_id=world.pk)
    for _ in range(3):
        _export(world, owner, "md")

    with pytest.raises(PlanLimitReached, match="allows 3 story exports a month"):
        _export(world, owner, "md")
    assert StoryExport.objects.filter(user=owner).count() == 3


def test_an_unknown_format_is_refused_and_not_counted(world, owner, alice, bob):
    _quarrel(alice, bob)
    stories_sift(ecosystem_id=world.pk)
    with pytest.raises(InvalidInput, match="md, html, json, epub"):
        _export(world, owner, "pdf")
    assert not StoryExport.objects.exists()


def test_the_drama_manager_stirs_a_quiet_running_world_and_says_why(world, alice, bob):
    CharacterFactory(ecosystem=world, name="Carol")
    Ecosystem.objects.filter(pk=world.pk).update(drama_manager=True, status="running")
    injected = []
    for tick in range(1, 40):
        Ecosystem.objects.filter(pk=world.pk).update(current_tick=tick)
        with transaction.atomic():
            result = drama_direct(ecosystem_id=world.pk)
        assert result.decided
        if result.injected:
            injected.append(tick)

    assert injected, "a world with no tension at all must be stirred"
    event = Event.objects.filter(kind="director_intervention").first()
    assert event.payload["source"] == "drama_manager"
    assert event.payload["reason"].startswith("Tension has been low for ")
    assert "tick" not in event.payload["reason"]
    assert len(injected) < 39 / 2  # quiet stretches: not every tick


def test_the_drama_manager_decides_once_per_tick_and_never_when_off(world, alice, bob):
    Ecosystem.objects.filter(pk=world.pk).update(status="running", current_tick=5)
    assert not drama_direct(ecosystem_id=world.pk).decided  # off by default
    Ecosystem.objects.filter(pk=world.pk).update(drama_manager=True)
    assert drama_direct(ecosystem_id=world.pk).decided
    assert not drama_direct(ecosystem_id=world.pk).decided  # tick 5 already decided


def test_a_worker_without_the_engine_rebuilds_it_from_the_snapshot_and_the_log(
    world, alice, bob, monkeypatch
):
    import stories.services as services

    monkeypatch.setattr(services, "SNAPSHOT_EVERY_EVENTS", 10_000)  # one snapshot, at the start
    interaction_process(initiator=alice, target=bob, interaction_type="small_talk")
    stories_sift(ecosystem_id=world.pk)  # snapshot here, before the quarrel
    _quarrel(alice, bob, acts=("argue", "insult"))
    stories_sift(ecosystem_id=world.pk)
    services._engines.clear()  # another worker process, or a restart

    _quarrel(alice, bob, acts=("threaten", "threaten"))
    stories_sift(ecosystem_id=world.pk)

    story = _story(world)  # the same story went on: the replay remembered the quarrel
    assert story.beats.filter(label="threat").exists()
    cursor = SiftCursor.objects.get(ecosystem=world)
    assert cursor.state_seq < cursor.last_seq  # no new snapshot was due


def test_a_story_whose_title_is_taken_gets_a_numeral_and_keeps_it():
    from stories.services import _title_unique

    titles = {"old": "A Quarrel Between Alice and Bob"}

    assert _title_unique("A Quarrel Between Alice and Bob", "new", titles) == (
        "A Quarrel Between Alice and Bob (II)"
    )
    assert _title_unique("A Quarrel Between Alice and Bob", "new", titles) == (
        "A Quarrel Between Alice and Bob (II)"
    )  # the same story again keeps its numeral
    assert _title_unique("The Feud of Alice and Bob", "other", titles) == (
        "The Feud of Alice and Bob"
    )
