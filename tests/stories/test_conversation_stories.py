"""Stories from conversations on the real database: a person's words through the conversation
service reach the world's log, and the sifting task tells them as stories like any other."""

from __future__ import annotations

import pytest

from characters.models import Character
from ecosystems.models import Conversation, Event, Relationship
from ecosystems.services.conversations import conversation_start, message_send
from stories.models import Story
from stories.tasks import stories_sift_task
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db

INSULTS = (
    "Hello Bob.",
    "You're a liar",
    "You are a worthless fool",
    "I hate you, you coward",
    "I'll make you pay for this",
    "You're a liar",
    "You are pathetic",
)
COMPLIMENTS = (
    "You look lovely today",
    "You are so kind and wise",
    "I admire you greatly",
    "You are wonderful, truly",
    "Thank you for everything",
    "You're the bravest person I know",
)


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.7)


def _talk(owner, bob, *, strength: float, trust: float, goal: str = "") -> Conversation:
    """Tom's conversation with Bob, who already regards Tom with ``strength`` and ``trust``."""
    persona = conversation_start(
        user=owner, ecosystem=bob.ecosystem, character_ids=[bob.pk], persona_name="Tom"
    ).persona
    for source, target in ((bob, persona), (persona, bob)):
        Relationship.objects.create(ecosystem=bob.ecosystem, source=source, target=target,
                                    strength=strength, trust=trust, familiarity=0.5)  # fmt: skip
    return conversation_start(user=owner, ecosystem=bob.ecosystem, character_ids=[bob.pk],
                              persona_name="Tom", goal=goal)  # fmt: skip


def _stories_of(bob: Character, persona: Character) -> list[Story]:
    return list(Story.objects.filter(participants=bob).filter(participants=persona).distinct())


def test_every_turn_of_a_conversation_names_it_and_the_characters_standing(owner, bob):
    talk = _talk(owner, bob, strength=0.5, trust=0.5)

    message_send(conversation=talk, user=owner, text="You're a liar")

    said = Event.objects.get(ecosystem=bob.ecosystem, kind="character_interaction")
    turn = said.payload["conversation"]
    assert turn["id"] == str(talk.pk) and turn["persona"]["name"] == "Tom"
    assert turn["before"] == {"strength": 0.5, "trust": 0.5}
    assert turn["after"]["strength"] < 0.5 and turn["after"]["trust"] < 0.5


def test_insulting_a_friend_until_he_turns_cold_is_a_story_of_the_world(owner, bob):
    talk = _talk(owner, bob, strength=0.5, trust=0.5)
    for line in INSULTS:
        message_send(conversation=talk, user=owner, text=line)

    result = stories_sift_task(str(bob.ecosystem_id))

    [story] = _stories_of(bob, talk.persona)
    assert result["detected"] == 1
    assert {p["name"] for p in story.cast} == {"Bob", "Tom"}
    assert "Bob turned cold toward Tom" in {b.text for b in story.beats.all()}
    assert story.genre in ("conflict", "drama") and "Bob" in story.title
    assert all(b.event is not None for b in story.beats.all())


def test_sifting_after_every_message_tells_the_same_one_story(owner, bob):
    talk = _talk(owner, bob, strength=0.5, trust=0.5)
    for line in INSULTS:
        message_send(conversation=talk, user=owner, text=line)
        stories_sift_task(str(bob.ecosystem_id))

    [story] = _stories_of(bob, talk.persona)
    assert "Bob turned cold toward Tom" in {b.text for b in story.beats.all()}
    assert {"falling-out", "change of heart"} <= {b.label for b in story.beats.all()}


def test_complimenting_a_cold_character_until_he_likes_the_persona_wins_him_over(owner, bob):
    talk = _talk(owner, bob, strength=-0.3, trust=-0.2, goal="make Bob like me")
    for line in ("Hello Bob.", *COMPLIMENTS, *COMPLIMENTS):
        message_send(conversation=talk, user=owner, text=line)

    stories_sift_task(str(bob.ecosystem_id))

    [story] = _stories_of(bob, talk.persona)
    assert story.pattern == "won_over" and story.status == Story.Status.RESOLVED
    assert [b.label for b in story.beats.order_by("seq")] == ["wary", "won over"]
    assert story.summary.endswith("Tom won Bob over.")
