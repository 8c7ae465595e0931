"""The world speaks in its own voice: after a seeded run of the demo world, nothing a reader
sees (what characters say, what they remember and know, what gossip carries, the log's
sentences, the stories, their chapters and the exports) counts ticks or gives percentages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from characters.models import Memory
from ecosystems.demo import demo_world_seed
from ecosystems.models import Event, Interaction, Knowledge
from ecosystems.services import interaction_process
from ecosystems.services.ticks import ecosystem_run_ticks
from stories.engine.exports import export
from stories.models import Story
from stories.services import _document, stories_sift, story_chapters

pytestmark = pytest.mark.django_db
TICKS = 40  # enough for gossip, goals moving, escalations and a few stories (seed 1887)
ENGINE_WORDS = [re.compile(r"\btick \d", re.IGNORECASE), re.compile(r"\d+\s?%"),
                re.compile(r"->")]  # fmt: skip
STAGE_DIRECTION = re.compile(r"\([a-z][a-z ]+\)|\*[a-z]+\*")  # "(nervously)", "*sighs*"
# Payload keys whose values are sentences someone reads (the rest are ids and figures).
READ_KEYS = {"content", "response", "summary", "text", "cause", "fact", "reason", "description"}


def sentences(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in READ_KEYS and isinstance(item, str):
                yield item
            else:
                yield from sentences(item)
    elif isinstance(value, list):
        for item in value:
            yield from sentences(item)


def leaks(texts: Iterator[str]) -> list[str]:
    return [t for t in texts if any(p.search(t) for p in ENGINE_WORDS)]


@pytest.fixture
def ran(owner):
    world = demo_world_seed(owner=owner).ecosystem
    diana, eve = (world.characters.get(name__startswith=n) for n in ("Diana", "Eve"))
    for act, a, b in [("argue", eve, diana), ("insult", diana, eve), ("threaten", eve, diana)]:
        interaction_process(initiator=a, target=b, interaction_type=act)
    ecosystem_run_ticks(ecosystem=world, ticks=TICKS)
    # A confidence told through the API path too, so there is always gossip to read (whether
    # the run itself spread some depends on more than the seed).
    charlie = world.characters.get(name__startswith="Charlie")
    diana.refresh_from_db()
    interaction_process(
        initiator=diana, target=charlie, interaction_type="share_secret",
        context={"secret": diana.secrets[0]},
    )  # fmt: skip
    stories_sift(ecosystem_id=world.pk)
    return world


def test_what_characters_say_remember_and_know_carries_no_engine_words(ran):
    said = [t for pair in Interaction.objects.filter(ecosystem=ran).values_list(
        "content", "response") for t in pair]  # fmt: skip
    remembered = list(Memory.objects.filter(character__ecosystem=ran).values_list(
        "content", flat=True))  # fmt: skip
    known = list(Knowledge.objects.filter(character__ecosystem=ran).values_list(
        "content", flat=True))  # fmt: skip

    assert said and remembered
    assert leaks(iter(said)) == []
    assert [t for t in said if STAGE_DIRECTION.search(t)] == []
    assert leaks(iter(remembered)) == []
    assert leaks(iter(known)) == []


def test_the_logs_sentences_and_what_gossip_carries_carry_no_engine_words(ran):
    payloads = list(
        Event.objects.filter(ecosystem=ran).exclude(kind__in=["tick", "story_detected",
            "story_updated"]).values_list("payload", flat=True)
    )  # fmt: skip

    assert any(p.get("fact") for p in payloads), "the run spread no gossip to check"
    assert leaks(t for p in payloads for t in sentences(p)) == []


def test_stories_their_chapters_and_exports_carry_no_engine_words(ran):
    stories = list(Story.objects.filter(ecosystem=ran))
    assert stories, "the run told no story to check"
    for story in stories:
        told = [story.title, story.summary, *map(str, story.predictions)]
        doc = _document(story)
        chapters = story_chapters(story=story, doc=doc)
        told += [p for c in chapters for p in (c.title, *c.paragraphs)]
        told.append(export("md", doc, chapters).decode())
        assert leaks(iter(told)) == [], story.title
