"""The provider chain against real chat-completions servers, through the real openai client."""

import time
from decimal import Decimal

import pytest

from characters.llm.breaker import BreakerState, breaker_for
from characters.llm.services import chain_policy_from_settings, dialogue_generate
from characters.models import LLMUsage
from tests.characters.llm.builders import dialogue_request, template_line
from tests.characters.llm.chat_server import Fail, Hang, Reply

pytestmark = pytest.mark.django_db

GOOD = "Oh... yes. The roses are out."
OUT_OF_CHARACTER = "As an AI language model, I do not experience mornings."


def test_with_no_provider_configured_the_template_speaks():
    result = dialogue_generate(request=dialogue_request(), fallback=template_line)

    assert result.text == "Oh. Hello, Bob."
    assert result.source == "template"
    assert result.attempts == 0
    assert not LLMUsage.objects.exists()


def test_a_configured_provider_voices_the_line_through_the_openai_client(settings, chat_server):
    settings.LLM_PROVIDERS = [chat_server.provider()]
    chat_server.script(Reply(f'Alice: "{GOOD}"'))

    result = dialogue_generate(request=dialogue_request(), fallback=template_line)

    assert result.text == GOOD
    assert (result.source, result.provider, result.attempts) == ("llm", chat_server.name, 1)
    (sent,) = chat_server.requests
    assert sent.body["model"] == "dramatis-test-model"
    assert [m["role"] for m in sent.body["messages"]] == ["system", "user"]
    assert "temperature" in sent.body
    assert "max_tokens" in sent.body


def test_when_the_first_provider_errors_the_second_answers(settings, start_chat_server):
    broken, healthy = start_chat_server(), start_chat_server()
    broken.always(Fail(500))
    settings.LLM_PROVIDERS = [broken.provider(), healthy.provider()]
    healthy.script(Reply(GOOD))

    result = dialogue_generate(request=dialogue_request(), fallback=template_line)

    assert (result.text, result.source, result.provider) == (GOOD, "llm", healthy.name)
    assert len(broken.requests) == settings.LLM_ATTEMPTS_PER_PROVIDER, "retried, then moved on"
    assert result.attempts == settings.LLM_ATTEMPTS_PER_PROVIDER + 1
    assert any("HTTP 500" in failure for failure in result.failures)


def test_a_client_error_is_not_retried_on_the_same_provider(settings, start_chat_server):
    unauthorised, healthy = start_chat_server(), start_chat_server()
    unauthorised.always(Fail(401))
    settings.LLM_PROVIDERS = [unauthorised.provider(), healthy.provider()]

    result = dialogue_generate(request=dialogue_request(), fallback=template_line)

    assert result.provider == healthy.name
    assert len(unauthorised.requests) == 1


def test_a_provider_that_times_out_hands_over_to_the_next(settings, start_chat_server):
    slow, healthy = start_chat_server(), start_chat_server()
    slow.always(Hang(seconds=2.0))
    settings.LLM_PROVIDERS = [slow.provider(timeout_seconds=0.3), healthy.provider()]
    healthy.script(Reply(GOOD))

    started = time.monotonic()
    result = dialogue_generate(request=dialogue_request(), fallback=template_line)

    assert (result.text, result.provider) == (GOOD, healthy.name)
    assert any("no answer within 0.3 s" in failure for failure in result.failures)
    assert time.monotonic() - started < 1.5, "each attempt gave up at the timeout"


def test_when_every_provider_times_out_the_template_speaks(settings, chat_server):
    chat_server.always(Hang(seconds=2.0))
    settings.LLM_PROVIDERS = [chat_server.provider(timeout_seconds=0.3)]

    result = dialogue_generate(request=dialogue_request(), fallback=template_line)

    assert (result.text, result.source) == ("Oh. Hello, Bob.", "template")
    assert result.attempts == len(chat_server.requests) == 2
    assert not LLMUsage.objects.exists(), "no response, no usage"


def test_a_reply_out_of_character_is_retried_once_and_the_good_answer_used(settings, chat_server):
    settings.LLM_PROVIDERS = [chat_server.provider()]
    chat_server.script(Reply(OUT_OF_CHARACTER), Reply(GOOD))

    result = dialogue_generate(request=dialogue_request(), fallback=template_line)

    assert (result.text, result.source, result.attempts) == (GOOD, "llm", 2)
    retry = chat_server.requests[1].body["messages"]
    assert retry[-2] == {"role": "assistant", "content": OUT_OF_CHARACTER}
    assert "rejected (breaks character)" in retry[-1]["content"]
    assert LLMUsage.objects.count() == 2, "the rejected reply was paid for too"


def test_a_second_bad_reply_falls_back_to_the_template_without_trying_more(
    settings, start_chat_server
):
    chatty, other = start_chat_server(), start_chat_server()
    chatty.always(Reply(OUT_OF_CHARACTER))
    settings.LLM_PROVIDERS = [chatty.provider(), other.provider()]

    result = dialogue_generate(request=dialogue_request(), fallback=template_line)

    assert (result.text, result.source) == ("Oh. Hello, Bob.", "template")
    assert len(chatty.requests) == 2
    assert other.requests == []
    assert result.failures == (
        f"{chatty.name}: reply rejected (breaks_character).",
        f"{chatty.name}: retry rejected (breaks_character).",
    )


def test_a_line_repeating_what_was_just_said_is_retried(settings, chat_server):
    settings.LLM_PROVIDERS = [chat_server.provider()]
    request = dialogue_request()
    chat_server.script(Reply(request.other_line), Reply(GOOD))

    result = dialogue_generate(request=request, fallback=template_line)

    assert result.text == GOOD
    assert "repeats last line" in chat_server.requests[1].body["messages"][-1]["content"]


def test_the_circuit_breaker_opens_after_repeated_failures_then_half_opens_after_cool_down(
    settings, start_chat_server
):
    flaky, healthy = start_chat_server(), start_chat_server()
    flaky.always(Fail(503))
    settings.LLM_PROVIDERS = [flaky.provider(), healthy.provider()]
    policy = chain_policy_from_settings().breaker

    def line(n: int):  # a different line each time, so no answer comes from the cache
        request = dialogue_request(other_line=f"Question number {n}?")
        return dialogue_generate(request=request, fallback=template_line)

    # Given three consecutive failed requests (2 attempts, then 1 before the breaker opens)
    line(1)
    line(2)
    assert len(flaky.requests) == 3
    assert breaker_for(provider_name=flaky.name).state(policy=policy) is BreakerState.OPEN

    # When the breaker is open, the provider is skipped without a request
    skipped = line(3)
    assert len(flaky.requests) == 3
    assert skipped.provider == healthy.name
    assert f"{flaky.name}: circuit open, skipped." in skipped.failures

    # After the cool-down one trial goes through; its success closes the breaker
    time.sleep(settings.LLM_BREAKER_COOLDOWN_SECONDS + 0.05)
    flaky.always(Reply(GOOD))
    recovered = line(4)
    assert (recovered.provider, recovered.attempts) == (flaky.name, 1)
    assert breaker_for(provider_name=flaky.name).state(policy=policy) is BreakerState.CLOSED


def test_a_failed_trial_after_the_cool_down_opens_the_breaker_again(settings, start_chat_server):
    flaky, healthy = start_chat_server(), start_chat_server()
    flaky.always(Fail(500))
    settings.LLM_PROVIDERS = [flaky.provider(), healthy.provider()]
    settings.LLM_ATTEMPTS_PER_PROVIDER = 3
    dialogue_generate(request=dialogue_request(other_line="One?"), fallback=template_line)
    assert len(flaky.requests) == 3

    time.sleep(settings.LLM_BREAKER_COOLDOWN_SECONDS + 0.05)
    dialogue_generate(request=dialogue_request(other_line="Two?"), fallback=template_line)

    assert len(flaky.requests) == 4, "one trial, no retries while half-open"
    policy = chain_policy_from_settings().breaker
    assert breaker_for(provider_name=flaky.name).state(policy=policy) is BreakerState.OPEN


def test_each_call_records_tokens_and_cost_for_the_world_and_its_owner(
    settings, chat_server, world, owner
):
    settings.LLM_PROVIDERS = [
        chat_server.provider(prompt_price_per_1k="0.50", completion_price_per_1k="1.50")
    ]
    chat_server.script(Reply(GOOD, prompt_tokens=120, completion_tokens=30))

    result = dialogue_generate(
        request=dialogue_request(),
        fallback=template_line,
        ecosystem_id=world.id,
        owner_id=owner.id,
    )

    usage = LLMUsage.objects.get()
    assert (usage.ecosystem_id, usage.owner_id) == (world.id, owner.id)
    assert (usage.provider, usage.model) == (chat_server.name, "dramatis-test-model")
    assert (usage.prompt_tokens, usage.completion_tokens) == (120, 30)
    assert usage.cost_usd == Decimal("0.105000")  # 120 x 0.50/1K + 30 x 1.50/1K
    assert usage.cached is False
    assert result.cost_usd == Decimal("0.105000")


def test_an_identical_prompt_is_served_from_the_cache_without_a_second_request(
    settings, chat_server, world, owner
):
    settings.LLM_PROVIDERS = [chat_server.provider(prompt_price_per_1k="1.00")]
    chat_server.script(Reply(GOOD, prompt_tokens=100))
    ask = dict(request=dialogue_request(), fallback=template_line, ecosystem_id=world.id)

    first = dialogue_generate(**ask)
    second = dialogue_generate(**ask)

    assert (first.source, second.source) == ("llm", "cache")
    assert second.text == first.text == GOOD
    assert (second.attempts, second.cost_usd) == (0, Decimal(0))
    assert len(chat_server.requests) == 1
    cached = LLMUsage.objects.get(cached=True)
    assert (cached.prompt_tokens, cached.completion_tokens, cached.cost_usd) == (0, 0, 0)


def test_a_different_personality_is_a_different_prompt_and_not_a_cache_hit(settings, chat_server):
    settings.LLM_PROVIDERS = [chat_server.provider()]
    dialogue_generate(request=dialogue_request(), fallback=template_line)

    other = dialogue_request(big_five={"openness": 0.9, "extraversion": 0.9})
    result = dialogue_generate(request=other, fallback=template_line)

    assert result.source == "llm"
    assert len(chat_server.requests) == 2


def test_the_shortcut_provider_sends_the_key_from_openai_api_key(
    settings, chat_server, monkeypatch
):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-shortcut")
    settings.OPENAI_BASE_URL = chat_server.base_url
    settings.LLM_MODEL = f"shortcut-{chat_server.name}"

    result = dialogue_generate(request=dialogue_request(), fallback=template_line)

    assert result.source == "llm"
    assert chat_server.requests[0].headers["authorization"] == "Bearer sk-test-shortcut"
    assert chat_server.requests[0].body["model"] == f"shortcut-{chat_server.name}"


def test_a_shy_and_an_outgoing_character_are_sampled_differently(settings, chat_server):
    settings.LLM_PROVIDERS = [chat_server.provider()]

    dialogue_generate(request=dialogue_request(), fallback=template_line)
    outgoing = {"openness": 0.9, "extraversion": 0.95}
    dialogue_generate(request=dialogue_request(big_five=outgoing), fallback=template_line)

    shy_body, outgoing_body = (r.body for r in chat_server.requests)
    assert shy_body["temperature"] < outgoing_body["temperature"]
    assert shy_body["max_tokens"] < outgoing_body["max_tokens"]
