"""Conversations: a person talks with characters through a persona, and it matters to them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from billing.models import Plan
from characters.engine.talk import REVEAL_MIN_TRUST
from characters.models import Character, Memory
from characters.services import characters_used
from core.errors import InvalidInput, InvalidTransition, NotFeasible, PlanLimitReached
from ecosystems.demo import demo_world_seed
from ecosystems.models import Conversation, ConversationMessage, Event, Relationship
from ecosystems.quotas import relationships_used
from ecosystems.services import ecosystem_tick
from ecosystems.services.conversations import (
    conversation_start,
    conversations_archive_idle,
    conversations_search,
    message_send,
)
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db


def _talk(owner, character, *, goal: str = "", persona: str = "Tom") -> Conversation:
    return conversation_start(
        user=owner,
        ecosystem=character.ecosystem,
        character_ids=[character.pk],
        persona_name=persona,
        persona_description="A traveller from Kent.",
        goal=goal,
    )


def _feeling(character: Character, persona: Character) -> Relationship:
    return Relationship.objects.get(source=character, target=persona)


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.7)


def test_a_compliment_raises_the_characters_feeling_toward_the_persona(owner, bob):
    talk = _talk(owner, bob)
    message_send(conversation=talk, user=owner, text="Hello Bob.")
    before = _feeling(bob, talk.persona)

    sent = message_send(conversation=talk, user=owner, text="You look lovely today")

    after = _feeling(bob, talk.persona)
    assert sent["intent"] == "compliment"
    assert after.strength > before.strength
    assert sent["relationship_change"]["strength_delta"] > 0


def test_an_insult_lowers_the_characters_feeling_toward_the_persona(owner, bob):
    talk = _talk(owner, bob)
    message_send(conversation=talk, user=owner, text="Hello Bob.")
    before = _feeling(bob, talk.persona)

    sent = message_send(conversation=talk, user=owner, text="You're a liar")

    after = _feeling(bob, talk.persona)
    assert sent["intent"] == "insult"
    assert after.strength < before.strength and after.trust < before.trust
    assert sent["relationship_change"]["trust_delta"] < 0


def test_every_reply_comes_with_three_different_options(owner, bob):
    talk = _talk(owner, bob)
    for text in ("Good morning, Bob!", "You're a liar", "What do you think of the roses?",
                 "I'm so sorry, I was wrong.", "Thank you for listening."):  # fmt: skip
        options = message_send(conversation=talk, user=owner, text=text)["options"]
        assert len(options) == 3 and len(set(options)) == 3
        assert all(isinstance(o, str) and o.strip() for o in options)
        assert not any("Tom" in o for o in options)  # the person is not their own subject


def test_the_reply_has_the_design_shape(owner, bob):
    talk = _talk(owner, bob)

    sent = message_send(conversation=talk, user=owner, text="Hello Bob, how are you?")

    assert set(sent) >= {"replies", "options", "relationship_change", "goal_progress"}
    (reply,) = sent["replies"]
    assert reply["character_id"] == str(bob.pk) and reply["text"] and reply["emotion"]
    assert 0.0 <= sent["goal_progress"] <= 1.0
    assert list(talk.messages.values_list("speaker_kind", flat=True)) == ["person", "character"]


def test_the_character_later_brings_up_what_the_person_told_it(owner, bob):
    talk = _talk(owner, bob)
    message_send(conversation=talk, user=owner, text="I grew roses in Kent for twenty years.")
    message_send(conversation=talk, user=owner, text="The weather is fine today.")
    message_send(conversation=talk, user=owner, text="Have you eaten?")

    sent = message_send(conversation=talk, user=owner, text="Do you like growing flowers?")

    assert "roses in Kent" in sent["replies"][0]["text"]
    assert Memory.objects.filter(character=bob, content__contains="roses in Kent").exists()
    again = message_send(conversation=talk, user=owner, text="Do you like growing flowers?")
    assert "roses in Kent" not in again["replies"][0]["text"]  # brought up once


# Diana opens up to someone who confides in her, praises and thanks her: the scripted path
# (29 messages before she trusts the persona enough, with the engine of December 2026).
TRUST_SCRIPT = (
    "Good afternoon, Diana.",
    "I have to tell you something: I lost my mother last spring.",
    "You look lovely today.",
    "The truth is, I am lonely here.",
    "Thank you for listening to me.",
    "I must confess I was afraid to come today.",
    "You are so clever and kind.",
    "I've never told anyone how much I miss home.",
    "Thank you, truly, I am grateful.",
)


def test_a_goal_to_find_out_who_has_the_locket_is_reached_by_winning_dianas_trust(owner):
    world = demo_world_seed(owner=owner).ecosystem
    diana = Character.objects.get(ecosystem=world, name="Diana")
    talk = _talk(owner, diana, goal="find out who has the locket")
    turns, progress = 0, []
    while trust_of(diana, talk.persona) < REVEAL_MIN_TRUST:
        sent = message_send(conversation=talk, user=owner, text=TRUST_SCRIPT[turns % 9])
        progress.append(sent["goal_progress"])
        assert sent["goal_progress"] < 1.0
        turns += 1
        assert turns <= 20, f"Diana's trust is only {trust_of(diana, talk.persona):.2f}"

    # Winning her trust showed on the way, though only telling completes the goal.
    assert progress == sorted(progress) and progress[-1] >= 0.4
    sent = message_send(conversation=talk, user=owner, text="Who has the locket?")

    assert sent["goal_progress"] == 1.0
    assert "locket" in sent["replies"][0]["text"]
    assert sent["replies"][0]["intent"] == "share_secret"
    talk.refresh_from_db()
    assert talk.goal_completed_at is not None
    completed = Event.objects.filter(ecosystem=world, kind="conversation_goal_completed")
    assert completed.count() == 1
    message_send(conversation=talk, user=owner, text="Thank you for telling me.")
    assert completed.count() == 1  # once


def trust_of(character: Character, persona: Character) -> float:
    view = Relationship.objects.filter(source=character, target=persona).first()
    return view.trust if view else 0.0


def test_search_finds_a_message_by_a_paraphrase(owner, bob):
    talk = _talk(owner, bob)
    message_send(conversation=talk, user=owner, text="I grew roses in my garden in Kent.")
    message_send(conversation=talk, user=owner, text="The train was late this morning.")

    found = conversations_search(user=owner, q="flowers I cultivated")

    assert found and found[0].text == "I grew roses in my garden in Kent."
    assert found[0].matched == "meaning"


def test_search_finds_words_and_only_my_own_conversations(owner, stranger, bob):
    message_send(conversation=_talk(owner, bob), user=owner, text="The vicar's parrot escaped.")
    theirs = CharacterFactory(ecosystem=EcosystemFactory(owner=stranger), name="Vic")
    message_send(conversation=_talk(stranger, theirs), user=stranger, text="A parrot again.")

    mine = conversations_search(user=owner, q="parrot")

    assert [m.text for m in mine] == ["The vicar's parrot escaped."]
    assert mine[0].matched in ("words", "both")


@pytest.mark.parametrize(
    ("text", "says"),
    [("", "empty"), ("   ", "empty"), ("x" * 2001, "limit is 2,000"), ("x" * 20_000, "20,000")],
)
def test_bad_messages_are_refused_with_what_to_do(owner, bob, text, says):
    talk = _talk(owner, bob)
    with pytest.raises(InvalidInput, match=says):
        message_send(conversation=talk, user=owner, text=text)
    assert not talk.messages.exists()


def test_an_inactive_character_cannot_answer(owner, bob):
    talk = _talk(owner, bob)
    Character.objects.filter(pk=bob.pk).update(is_active=False)

    with pytest.raises(NotFeasible, match="Bob is not present"):
        message_send(conversation=talk, user=owner, text="Hello?")


def test_an_archived_conversation_takes_no_more_messages(owner, bob):
    talk = _talk(owner, bob)
    message_send(conversation=talk, user=owner, text="Hello.")
    Conversation.objects.filter(pk=talk.pk).update(
        last_message_at=timezone.now() - dt.timedelta(days=8)
    )

    assert conversations_archive_idle() == 1

    with pytest.raises(InvalidTransition, match="archived"):
        message_send(conversation=talk, user=owner, text="Still there?")


def test_the_monthly_message_quota_stops_the_next_message(owner, bob):
    Plan.objects.filter(code="free").update(conversation_messages_per_month=2)
    talk = _talk(owner, bob)
    message_send(conversation=talk, user=owner, text="Hello.")
    message_send(conversation=talk, user=owner, text="Lovely day.")

    with pytest.raises(PlanLimitReached, match="allows 2 conversation messages a month"):
        message_send(conversation=talk, user=owner, text="One more?")


def test_the_seeded_plans_allow_200_10000_and_unlimited_messages():
    limits = dict(Plan.objects.values_list("code", "conversation_messages_per_month"))
    assert limits == {"free": 200, "pro": 10_000, "enterprise": None}


def test_a_persona_is_reused_by_name_and_never_counts_toward_the_plan(owner, bob):
    first = _talk(owner, bob)
    message_send(conversation=first, user=owner, text="Hello.")
    characters, relationships = characters_used(user=owner), relationships_used(user=owner)

    second = _talk(owner, bob)

    assert second.persona == first.persona and second.persona.persona_of == owner
    assert characters_used(user=owner) == characters == 1  # Bob, not Tom
    assert relationships == 0


def test_a_persona_cannot_take_a_characters_name(owner, bob):
    with pytest.raises(InvalidInput, match="already called 'Bob'"):
        _talk(owner, bob, persona="Bob")


def test_a_tick_never_makes_a_persona_act(owner, world, alice, bob):
    talk = _talk(owner, bob)
    message_send(conversation=talk, user=owner, text="Hello Bob, lovely to meet you.")
    persona = talk.persona
    interactions = persona.interactions_started.count()

    for _ in range(8):
        assert ecosystem_tick(ecosystem_id=world.pk).ran

    assert persona.interactions_started.count() == interactions
    assert not persona.interactions_received.exists()
    assert ConversationMessage.objects.filter(conversation=talk).count() == 2


def test_a_world_bundle_leaves_personas_and_their_ties_behind(owner, world, bob):
    from ecosystems.bundles.services import bundle_export

    message_send(conversation=_talk(owner, bob), user=owner, text="Hello Bob.")

    bundle = bundle_export(ecosystem=world)

    assert [c["name"] for c in bundle["characters"]] == ["Bob"]
    assert bundle["relationships"] == []


def test_a_group_conversation_gets_a_reply_from_each_character(owner, alice, bob):
    talk = conversation_start(
        user=owner, ecosystem=bob.ecosystem, character_ids=[alice.pk, bob.pk], persona_name="Tom"
    )

    sent = message_send(conversation=talk, user=owner, text="Good evening, both of you!")

    assert [r["name"] for r in sent["replies"]] == ["Alice", "Bob"]
    assert set(sent["relationship_change"]["by_character"]) == {str(alice.pk), str(bob.pk)}
    assert len(sent["options"]) == 3


def test_a_sharp_swing_of_feeling_is_an_event_stories_can_read(owner, bob):
    talk = _talk(owner, bob)
    message_send(conversation=talk, user=owner, text="You look lovely today, truly wonderful.")
    message_send(conversation=talk, user=owner, text="You're a liar, I'll make you pay")

    swing = Event.objects.get(ecosystem=bob.ecosystem, kind="conversation_arc_swing")
    assert swing.payload["character"]["name"] == "Bob" and swing.payload["swing"] >= 0.6


def test_a_relationship_goal_is_never_done_before_a_word_is_said(owner, bob):
    persona = _talk(owner, bob).persona
    Relationship.objects.create(
        ecosystem=bob.ecosystem, source=bob, target=persona, trust=0.8, strength=0.5
    )
    talk = _talk(owner, bob, goal="win Bob's trust")

    sent = message_send(conversation=talk, user=owner, text="Good morning, Bob.")

    assert talk.goal_start[str(bob.pk)]["trust"] == 0.8  # the axis, not the emotion
    assert sent["goal_progress"] < 1.0
