"""Answer options from the model servers: strict JSON, validated, the engine's on any failure."""

from __future__ import annotations

import json

import pytest

from characters.engine.talk import OPTION_KINDS, AnswerOption
from characters.llm.breaker import breaker_for
from characters.llm.options import (
    MAX_OPTION_CHARS,
    OptionsRequest,
    options_generate,
    options_messages,
    options_parse,
)
from characters.llm.providers import provider_from_mapping
from characters.llm.services import chain_policy_from_settings
from tests.characters.llm.chat_server import ChatServer, Hang, Reply

GOOD = {
    "options": [
        {"kind": "follow_up", "text": "Where did you find the locket?"},
        {"kind": "share", "text": "I lost something dear to me once."},
        {"kind": "way_out", "text": "I should let you get back to your garden."},
    ]
}
ENGINE = (
    AnswerOption("follow_up", "What happened then?", "question"),
    AnswerOption("share", "I grew up by the sea.", "small_talk"),
    AnswerOption("way_out", "I must be going.", "farewell"),
)
REQUEST = OptionsRequest(
    character="Diana",
    persona="Tom",
    reply_text="The locket was my mother's.",
    heard_kind="question",
    closeness=0.6,
    persona_description="A traveller from Kent.",
    recent_turns=(("Tom", "Hello Diana."), ("Diana", "Hello, Tom.")),
)


def _json(data: object) -> str:
    return json.dumps(data)


def _with(**changes: object) -> dict:
    options = [dict(o) for o in GOOD["options"]]
    for key, value in changes.items():
        n, field = key.rsplit("_", 1)[0], key.rsplit("_", 1)[1]
        options[int(n.removeprefix("o"))][field] = value
    return {"options": options}


def test_good_json_gives_the_three_options_in_the_engines_order():
    shuffled = {"options": [GOOD["options"][2], GOOD["options"][0], GOOD["options"][1]]}

    parsed = options_parse(_json(shuffled))

    assert parsed is not None
    assert [o.kind for o in parsed] == list(OPTION_KINDS)
    assert [o.text for o in parsed] == [o["text"] for o in GOOD["options"]]
    assert parsed[0].intent == "question"


def test_a_code_fence_around_the_json_is_tolerated():
    assert options_parse(f"```json\n{_json(GOOD)}\n```") is not None


@pytest.mark.parametrize(
    "reply",
    [
        "Here are three options: ask, share, leave.",  # not JSON
        '{"options": [{"kind": "follow_up", "text": "Why?"}',  # cut off
        _json(GOOD["options"]),  # a list, not the object
        _json({"choices": GOOD["options"]}),  # wrong key
        _json({"options": GOOD["options"][:2]}),  # two
        _json({"options": [*GOOD["options"], {"kind": "share", "text": "More."}]}),  # four
        _json(_with(o1_kind="follow_up")),  # a kind twice
        _json(_with(o1_kind="question")),  # not one of the engine's kinds
        _json(_with(o1_text="   ")),  # empty
        _json(_with(o1_text=7)),  # not text
        _json(_with(o1_text="x" * (MAX_OPTION_CHARS + 1))),  # too long
        _json(_with(o2_text="Where did you find the locket?")),  # a duplicate
        _json(_with(o2_text="where did you find the LOCKET")),  # the same, differently written
        "{}",
        "null",
    ],
)
def test_anything_but_three_distinct_kinds_of_short_distinct_lines_is_refused(reply):
    assert options_parse(reply) is None


def test_a_line_of_exactly_the_limit_is_accepted():
    assert options_parse(_json(_with(o1_text="x" * MAX_OPTION_CHARS))) is not None


def test_the_request_asks_for_strict_json_of_the_three_kinds_with_the_situation():
    system, user = options_messages(request=REQUEST)

    assert "strict JSON only" in system["content"]
    for kind in OPTION_KINDS:
        assert f'"{kind}"' in system["content"]
    assert f"at most {MAX_OPTION_CHARS} characters" in system["content"]
    assert "The person is Tom." in user["content"]
    assert "About Tom: A traveller from Kent." in user["content"]
    assert '- Tom: "Hello Diana."' in user["content"]
    assert "Tom's last words read as question." in user["content"]
    assert 'Diana just said: "The locket was my mother\'s."' in user["content"]
    assert "very close to" in user["content"]


# --- through a real chat server -----------------------------------------------------------------


def _provider(server: ChatServer):
    return provider_from_mapping(server.provider(), position=1, default_timeout=0.5)


def _generate(server: ChatServer):
    return options_generate(request=REQUEST, fallback=lambda: ENGINE, providers=[_provider(server)])


@pytest.mark.django_db
def test_a_servers_good_json_is_used(chat_server):
    chat_server.always(Reply(_json(GOOD)))

    result = _generate(chat_server)

    assert result.source == "llm"
    assert result.provider == chat_server.name
    assert [o.text for o in result.options] == [o["text"] for o in GOOD["options"]]
    (sent,) = chat_server.requests
    assert sent.body["messages"] == options_messages(request=REQUEST)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reply", ["Sure! 1. Ask 2. Share 3. Leave", _json({"options": GOOD["options"][:2]})]
)
def test_malformed_json_or_a_wrong_count_falls_back_to_the_engine(chat_server, reply):
    chat_server.always(Reply(reply))

    result = _generate(chat_server)

    assert result.source == "engine"
    assert result.options == ENGINE
    assert len(chat_server.requests) == 1  # a bad answer is not paid for twice


@pytest.mark.django_db
def test_a_timeout_falls_back_to_the_engine(chat_server):
    chat_server.always(Hang())

    result = _generate(chat_server)

    assert result.source == "engine"
    assert result.options == ENGINE
    assert len(chat_server.requests) == 2  # LLM_ATTEMPTS_PER_PROVIDER in the tests' settings


@pytest.mark.django_db
def test_an_open_breaker_falls_back_to_the_engine_without_asking(chat_server):
    chat_server.always(Reply(_json(GOOD)))
    policy = chain_policy_from_settings().breaker
    for _ in range(policy.failures):
        breaker_for(provider_name=chat_server.name).record_failure(policy=policy)

    result = _generate(chat_server)

    assert result.source == "engine"
    assert result.options == ENGINE
    assert chat_server.requests == []


def test_no_provider_means_the_engines_options_at_once():
    result = options_generate(request=REQUEST, fallback=lambda: ENGINE, providers=[])

    assert (result.source, result.options) == ("engine", ENGINE)
