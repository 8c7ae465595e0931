"""Conversations through the model servers: sampling shaped by closeness to the persona, the
person and the talk so far in the prompt, answer options from the server (the engine's when
its answer does not hold up), and the quality retry. A real chat server on 127.0.0.1 answers."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from characters.llm.sampling import sampling_for_closeness, sampling_for_personality
from ecosystems.models import Conversation, ConversationMessage, Relationship
from ecosystems.services import conversations
from ecosystems.services.conversations import conversation_start, message_send
from ecosystems.services.interactions import interaction_process
from tests.characters.llm.chat_server import Reply
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db

GOOD_OPTIONS = {
    "options": [
        {"kind": "follow_up", "text": "What do you grow in your garden, Bob?"},
        {"kind": "share", "text": "I kept bees once, back in Kent."},
        {"kind": "way_out", "text": "I will leave you to your roses, Bob."},
    ]
}


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob", extraversion=0.5, openness=0.5)


def _talk(owner, *cast, description: str = "A traveller from Kent.") -> Conversation:
    return conversation_start(
        user=owner,
        ecosystem=cast[0].ecosystem,
        character_ids=[c.pk for c in cast],
        persona_name="Tom",
        persona_description=description,
    )


def _feels(character, persona, **axes) -> None:
    Relationship.objects.create(
        ecosystem=character.ecosystem, source=character, target=persona, **axes
    )


def _replies_by(server, name: str) -> list[dict]:
    """The bodies of the dialogue requests in which ``name`` speaks, in order."""
    return [
        r.body
        for r in server.requests
        if r.body["messages"][0]["content"].startswith(f"You are {name},")
    ]


def _options_requests(server) -> list[dict]:
    return [r.body for r in server.requests if "answer options" in r.body["messages"][0]["content"]]


# --- sampling -----------------------------------------------------------------------------------


def test_a_warm_characters_reply_to_a_person_samples_hotter_and_longer(owner, bob, model_server):
    talk = _talk(owner, bob)
    _feels(bob, talk.persona, strength=0.8, trust=0.6, familiarity=1.0)
    model_server.script(Reply("Tom! Always good to see you."), Reply(json.dumps(GOOD_OPTIONS)))

    message_send(conversation=talk, user=owner, text="Hello Bob.")

    (sent,) = _replies_by(model_server, "Bob")
    base = sampling_for_personality(big_five=bob.big_five)
    shaped = sampling_for_closeness(base, closeness=0.7, familiarity=1.0)
    assert (sent["temperature"], sent["max_tokens"]) == (shaped.temperature, shaped.max_tokens)
    assert sent["temperature"] > base.temperature
    assert sent["max_tokens"] > base.max_tokens


def test_a_cold_characters_reply_to_a_person_samples_cooler_and_shorter(owner, bob, model_server):
    talk = _talk(owner, bob)
    _feels(bob, talk.persona, strength=-0.9, trust=-0.7, familiarity=0.0)
    model_server.script(Reply("What do you want."), Reply(json.dumps(GOOD_OPTIONS)))

    message_send(conversation=talk, user=owner, text="Hello Bob.")

    (sent,) = _replies_by(model_server, "Bob")
    base = sampling_for_personality(big_five=bob.big_five)
    shaped = sampling_for_closeness(base, closeness=-0.8, familiarity=0.0)
    assert (sent["temperature"], sent["max_tokens"]) == (shaped.temperature, shaped.max_tokens)
    assert sent["temperature"] < base.temperature
    assert sent["max_tokens"] <= base.max_tokens * 0.6


def test_between_characters_sampling_stays_the_characters_own(world, bob, model_server):
    alice = CharacterFactory(ecosystem=world, name="Alice")
    _feels(bob, alice, strength=0.9, trust=0.9, familiarity=1.0)
    model_server.script(Reply("Good morning, Bob."), Reply("Morning, Alice."))

    interaction_process(initiator=alice, target=bob, interaction_type="greeting")

    (sent,) = _replies_by(model_server, "Bob")
    base = sampling_for_personality(big_five=bob.big_five)
    assert (sent["temperature"], sent["max_tokens"]) == (base.temperature, base.max_tokens)


# --- the prompt ---------------------------------------------------------------------------------


def test_the_reply_prompt_names_the_person_their_earlier_words_and_their_intent(
    owner, bob, model_server
):
    talk = _talk(owner, bob, description="A traveller from Kent who grows roses.")
    model_server.script(
        Reply("Good day to you, Tom."),
        Reply(json.dumps(GOOD_OPTIONS)),
        Reply("Roses? I should like to see them."),
        Reply(json.dumps(GOOD_OPTIONS)),
        Reply("Why, thank you, Tom."),
        Reply(json.dumps(GOOD_OPTIONS)),
    )

    message_send(conversation=talk, user=owner, text="Hello Bob.")
    message_send(conversation=talk, user=owner, text="I grew roses in Kent.")
    sent = message_send(conversation=talk, user=owner, text="You look lovely today")

    assert sent["intent"] == "compliment"
    first, _, third = (body["messages"][-1]["content"] for body in _replies_by(model_server, "Bob"))
    assert "Tom is a person talking with you." in third
    assert "About Tom: A traveller from Kent who grows roses." in third
    assert (
        '- Tom: "Hello Bob."\n- Bob: "Good day to you, Tom."\n'
        '- Tom: "I grew roses in Kent."\n- Bob: "Roses? I should like to see them."'
    ) in third
    assert "Tom's words now read as a compliment." in third
    assert 'Tom says to you: "You look lovely today"' in third
    assert "Earlier in this conversation" not in first  # nothing was said before
    assert "Tom's words now read as a greeting." in first


def test_the_options_request_carries_the_person_the_talk_and_the_reply(owner, bob, model_server):
    talk = _talk(owner, bob)
    model_server.script(Reply("Good day to you, Tom."), Reply(json.dumps(GOOD_OPTIONS)))

    message_send(conversation=talk, user=owner, text="Hello Bob.")

    (asked,) = _options_requests(model_server)
    user = asked["messages"][-1]["content"]
    assert "The person is Tom." in user
    assert "About Tom: A traveller from Kent." in user
    assert '- Tom: "Hello Bob."' in user
    assert 'Bob just said: "Good day to you, Tom."' in user


# --- answer options -----------------------------------------------------------------------------


@pytest.fixture
def engine_options(monkeypatch) -> list[tuple]:
    """Every set of options the engine gave (the offline path), spied on, not replaced."""
    given: list[tuple] = []
    real = conversations._options

    def spy(*args, **kwargs):
        given.append(real(*args, **kwargs))
        return given[-1]

    monkeypatch.setattr(conversations, "_options", spy)
    return given


def test_the_servers_options_are_offered_when_its_json_is_good(
    owner, bob, model_server, engine_options
):
    talk = _talk(owner, bob)
    model_server.script(Reply("Good day to you, Tom."), Reply(json.dumps(GOOD_OPTIONS)))

    sent = message_send(conversation=talk, user=owner, text="Hello Bob.")

    offered = [o["text"] for o in GOOD_OPTIONS["options"]]
    assert sent["options"] == offered
    reply = ConversationMessage.objects.get(pk=sent["replies"][0]["message_id"])
    assert reply.options == offered
    assert engine_options == []


@pytest.mark.parametrize(
    "answer",
    [
        "Here are some ideas: ask about roses, talk about Kent, or say goodbye.",
        '{"options": [{"kind": "follow_up", "text": "What do you grow?"',
        json.dumps({"options": GOOD_OPTIONS["options"][:2]}),
        json.dumps({"options": [*GOOD_OPTIONS["options"], GOOD_OPTIONS["options"][0]]}),
    ],
    ids=["prose", "malformed-json", "two-options", "four-options"],
)
def test_a_bad_options_answer_falls_back_to_the_engines_options(
    owner, bob, model_server, engine_options, answer
):
    talk = _talk(owner, bob)
    model_server.script(Reply("Good day to you, Tom."), Reply(answer))

    sent = message_send(conversation=talk, user=owner, text="Hello Bob.")

    assert len(_options_requests(model_server)) == 1  # the server was asked
    (given,) = engine_options
    assert sent["options"] == [o.text for o in given]
    assert len(set(sent["options"])) == 3
    assert (
        ConversationMessage.objects.get(pk=sent["replies"][0]["message_id"]).options
        == (sent["options"])
    )


def test_offline_the_engine_gives_the_options_and_the_servers_are_read_once(
    owner, world, bob, engine_options
):
    alice = CharacterFactory(ecosystem=world, name="Alice")
    talk = _talk(owner, alice, bob)

    with CaptureQueriesContext(connection) as queries:
        sent = message_send(conversation=talk, user=owner, text="Hello everyone.")

    assert len(sent["replies"]) == 2
    assert len(engine_options) == 1
    assert sent["options"] == [o.text for o in engine_options[0]]
    reads = [q["sql"] for q in queries.captured_queries if "worldmodelserver" in q["sql"].lower()]
    assert len(reads) == 1  # once per message, however many characters answer


# --- the quality check --------------------------------------------------------------------------


def test_a_reply_that_breaks_character_is_retried_once_in_a_conversation(owner, bob, model_server):
    talk = _talk(owner, bob)
    model_server.script(
        Reply("As an AI language model, I cannot pretend to be Bob."),
        Reply("Good day, Tom. The roses are in bloom."),
        Reply(json.dumps(GOOD_OPTIONS)),
    )

    sent = message_send(conversation=talk, user=owner, text="Hello Bob.")

    assert sent["replies"][0]["text"] == "Good day, Tom. The roses are in bloom."
    first, retry = _replies_by(model_server, "Bob")
    assert retry["messages"][-2] == {
        "role": "assistant",
        "content": "As an AI language model, I cannot pretend to be Bob.",
    }
    assert "rejected (breaks character)" in retry["messages"][-1]["content"]
    assert (retry["temperature"], retry["max_tokens"]) == (
        first["temperature"],
        first["max_tokens"],
    )


def test_a_reply_repeating_the_characters_last_turn_is_retried(owner, bob, model_server):
    talk = _talk(owner, bob)
    model_server.script(
        Reply("Good day to you, Tom."),
        Reply(json.dumps(GOOD_OPTIONS)),
        Reply("Good day to you, Tom!"),
        Reply("Roses? How lovely."),
        Reply(json.dumps(GOOD_OPTIONS)),
    )
    message_send(conversation=talk, user=owner, text="Hello Bob.")

    sent = message_send(conversation=talk, user=owner, text="I grew roses in Kent.")

    assert sent["replies"][0]["text"] == "Roses? How lovely."
    retry = _replies_by(model_server, "Bob")[-1]
    assert "rejected (repeats last line)" in retry["messages"][-1]["content"]


def test_when_the_retry_fails_too_the_template_engine_answers_the_person(owner, bob, model_server):
    talk = _talk(owner, bob)
    model_server.script(
        Reply("As an AI language model, I cannot pretend to be Bob."),
        Reply("I'm an AI, so I don't have feelings."),
        Reply(json.dumps(GOOD_OPTIONS)),
    )

    sent = message_send(conversation=talk, user=owner, text="Hello Bob.")

    text = sent["replies"][0]["text"]
    assert text and "AI" not in text
    assert len(_replies_by(model_server, "Bob")) == 2  # one try, one retry, no more
