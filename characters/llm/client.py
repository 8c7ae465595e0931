"""The one place that talks to a provider: one chat-completions request through ``openai``.

The ``openai`` client's own retries are switched off (``max_retries=0``): the chain decides about
retries, backoff and circuit breaking, and counts every request. Clients are reused per
(base URL, key, timeout) so connections stay warm; ``openai.OpenAI`` is safe to share between
threads.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import openai

from characters.llm.providers import Provider
from characters.llm.sampling import Sampling

CLIENT_CACHE_SIZE = 32  # distinct providers per process; far more than anyone configures
RETRYABLE_STATUSES = frozenset({408, 409, 429})  # plus every 5xx: worth another try later


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    truncated: bool  # the model stopped at max_tokens


class ProviderError(Exception):
    """A request to a provider failed; ``retryable`` says whether trying again may help."""

    code = "llm_provider_error"

    def __init__(self, message: str, *, kind: str, retryable: bool) -> None:
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable


@functools.lru_cache(maxsize=CLIENT_CACHE_SIZE)
def _client(base_url: str, api_key: str, timeout_seconds: float) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout_seconds, max_retries=0)


def chat_complete(
    *, provider: Provider, messages: list[dict[str, str]], sampling: Sampling
) -> Completion:
    """One request; raises ``ProviderError`` for anything but a response with a choice."""
    client = _client(provider.base_url, provider.api_key(), provider.timeout_seconds)
    chat_messages: Any = messages  # plain role/content dicts are what the typed params describe
    try:
        response = client.chat.completions.create(
            model=provider.model,
            messages=chat_messages,
            temperature=sampling.temperature,
            # max_tokens rather than max_completion_tokens: every OpenAI-compatible server
            # (Groq, Together, Mistral, Ollama, vLLM) accepts it.
            max_tokens=sampling.max_tokens,
        )
    except openai.APITimeoutError as error:
        raise ProviderError(
            f"{provider.name}: no answer within {provider.timeout_seconds:g} s.",
            kind="timeout",
            retryable=True,
        ) from error
    except openai.APIConnectionError as error:
        raise ProviderError(
            f"{provider.name}: cannot connect to {provider.base_url} ({error}).",
            kind="connection",
            retryable=True,
        ) from error
    except openai.APIStatusError as error:
        status = error.status_code
        raise ProviderError(
            f"{provider.name}: HTTP {status} ({error.message}).",
            kind=f"http_{status}",
            retryable=status >= 500 or status in RETRYABLE_STATUSES,
        ) from error
    except openai.APIError as error:  # a 2xx body that is not a chat completion
        raise ProviderError(
            f"{provider.name}: unusable response ({error}).", kind="bad_response", retryable=False
        ) from error
    if not response.choices:
        raise ProviderError(
            f"{provider.name}: response has no choices.", kind="bad_response", retryable=False
        )
    choice = response.choices[0]
    usage = response.usage
    return Completion(
        text=choice.message.content or "",
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
        truncated=choice.finish_reason == "length",
    )
