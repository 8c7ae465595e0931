"""Dialogue through the provider chain, and the usage rows it writes.

``dialogue_generate`` first asks the cache: an identical earlier prompt to any configured
provider is answered from it (free, recorded as cached). Otherwise it walks the providers in
order: if a provider's circuit breaker lets it, up to ``LLM_ATTEMPTS_PER_PROVIDER`` requests
with exponential backoff between them. The first usable reply wins. A reply that fails the
quality check gets ONE retry (same provider, told what was wrong); if that fails too, the
template engine speaks. When no provider is configured, or all fail, ``fallback()`` (the
template engine) is always the answer, so a world never stalls on the network.

Every response that carries ``usage`` writes an ``LLMUsage`` row, rejected replies included:
they were paid for. Rows are written in the caller's transaction, so a rolled-back tick also
drops the usage it recorded. Network calls take seconds: call this outside held row locks.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.core.cache import cache

from characters.llm.breaker import BreakerPolicy, breaker_for
from characters.llm.client import Completion, ProviderError, chat_complete
from characters.llm.prompts import DialogueRequest, correction_message, dialogue_messages
from characters.llm.providers import Provider, providers_configured
from characters.llm.quality import QualityProblem, reply_clean, reply_problem
from characters.llm.sampling import Sampling, sampling_for_personality
from characters.models import LLMUsage

logger = logging.getLogger(__name__)

CACHE_KEY_PREFIX = "llm:dialogue:v1:"  # bump the version when prompts change shape
# Full jitter between half and all of the backoff spreads retries from many workers apart
# (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
BACKOFF_JITTER_MIN = 0.5

Source = Literal["llm", "template", "cache"]


@dataclass(frozen=True)
class DialogueResult:
    text: str
    source: Source
    provider: str = ""  # the provider that answered; "" for the template
    model: str = ""
    attempts: int = 0  # HTTP requests made for this line, failed ones included
    cost_usd: Decimal = Decimal(0)  # spent on this line, rejected replies included
    failures: tuple[str, ...] = ()  # what went wrong before the answer, in order


@dataclass(frozen=True)
class ChainPolicy:
    attempts_per_provider: int
    backoff_seconds: float
    backoff_max_seconds: float
    breaker: BreakerPolicy
    cache_seconds: int


@dataclass
class _Trace:
    """What one ``dialogue_generate`` call has done so far."""

    ecosystem_id: uuid.UUID | str | None
    owner_id: int | None
    attempts: int = 0
    cost_usd: Decimal = Decimal(0)
    failures: list[str] = field(default_factory=list)

    def result(self, *, text: str, source: Source, provider: Provider | None) -> DialogueResult:
        return DialogueResult(
            text=text,
            source=source,
            provider=provider.name if provider else "",
            model=provider.model if provider else "",
            attempts=self.attempts,
            cost_usd=self.cost_usd,
            failures=tuple(self.failures),
        )


def chain_policy_from_settings() -> ChainPolicy:
    return ChainPolicy(
        attempts_per_provider=max(1, int(settings.LLM_ATTEMPTS_PER_PROVIDER)),
        backoff_seconds=max(0.0, float(settings.LLM_BACKOFF_SECONDS)),
        backoff_max_seconds=max(0.0, float(settings.LLM_BACKOFF_MAX_SECONDS)),
        breaker=BreakerPolicy(
            failures=max(1, int(settings.LLM_BREAKER_FAILURES)),
            cooldown_seconds=max(0.0, float(settings.LLM_BREAKER_COOLDOWN_SECONDS)),
        ),
        cache_seconds=int(settings.LLM_CACHE_SECONDS),
    )


def dialogue_cache_key(
    *, provider: Provider, messages: list[dict[str, str]], sampling: Sampling
) -> str:
    """sha256 over provider, model, messages and sampling: identical prompts share a reply."""
    payload = json.dumps(
        {
            "provider": provider.name,
            "model": provider.model,
            "messages": messages,
            "sampling": sampling.as_dict(),
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return CACHE_KEY_PREFIX + hashlib.sha256(payload.encode()).hexdigest()


def llm_usage_record(
    *,
    provider: Provider,
    prompt_tokens: int,
    completion_tokens: int,
    cost_usd: Decimal,
    cached: bool,
    ecosystem_id: uuid.UUID | str | None,
    owner_id: int | None,
) -> LLMUsage:
    return LLMUsage.objects.create(
        ecosystem_id=ecosystem_id,
        owner_id=owner_id,
        provider=provider.name,
        model=provider.model,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=cost_usd,
        cached=cached,
    )


def dialogue_generate(
    *,
    request: DialogueRequest,
    fallback: Callable[[], str],
    ecosystem_id: uuid.UUID | str | None = None,
    owner_id: int | None = None,
    providers: Sequence[Provider] | None = None,
    sampling: Sampling | None = None,
) -> DialogueResult:
    """One spoken line for ``request.speaker``: from a provider, the cache, or ``fallback()``.

    ``fallback`` is called only when no provider gives a usable line; the template engine is the
    intended one. ``ecosystem_id`` and ``owner_id`` label the usage rows for accounting.
    ``providers``: the chain to walk (a world's own model servers); ``None`` is the configured
    one (``providers_configured()``). ``sampling``: temperature and length when the caller
    shaped them (``sampling_for_closeness``); ``None`` is the speaker's personality's.
    """
    trace = _Trace(ecosystem_id=ecosystem_id, owner_id=owner_id)
    providers = list(providers_configured() if providers is None else providers)
    if not providers:
        return trace.result(text=fallback(), source="template", provider=None)
    policy = chain_policy_from_settings()
    messages = dialogue_messages(request=request)
    if sampling is None:
        sampling = sampling_for_personality(big_five=request.big_five)

    keys = {
        provider.name: dialogue_cache_key(provider=provider, messages=messages, sampling=sampling)
        for provider in providers
    }
    cached = _cached_result(providers=providers, keys=keys, trace=trace)
    if cached is not None:
        return cached

    for provider in providers:
        judged = _line_judged(provider, messages, sampling, policy, request, trace)
        if judged is None:
            continue  # unavailable: the next provider
        line, problem = judged
        if problem is None:
            _cache_set(keys[provider.name], line, seconds=policy.cache_seconds)
            return trace.result(text=line, source="llm", provider=provider)
        break  # the quality retry is spent: the template speaks

    return trace.result(text=fallback(), source="template", provider=None)


def _line_judged(
    provider: Provider,
    messages: list[dict[str, str]],
    sampling: Sampling,
    policy: ChainPolicy,
    request: DialogueRequest,
    trace: _Trace,
) -> tuple[str, str | None] | None:
    """``provider``'s line and what is wrong with it (None: usable), after the one quality
    retry a rejected line gets; None when the provider is unavailable."""
    completion = _complete(
        provider=provider,
        messages=messages,
        sampling=sampling,
        policy=policy,
        attempts=policy.attempts_per_provider,
        trace=trace,
    )
    if completion is None:
        return None
    line, problem = _judge(completion=completion, request=request)
    if problem is None:
        return line, None
    trace.failures.append(f"{provider.name}: reply rejected ({problem}).")
    retry_messages = [
        *messages,
        {"role": "assistant", "content": completion.text},
        correction_message(speaker=request.speaker, problem=problem),
    ]
    retried = _complete(
        provider=provider,
        messages=retry_messages,
        sampling=sampling,
        policy=policy,
        attempts=1,  # the one quality retry
        trace=trace,
    )
    if retried is not None:
        line, problem = _judge(completion=retried, request=request)
        if problem is not None:
            trace.failures.append(f"{provider.name}: retry rejected ({problem}).")
    return line, problem


def text_generate(
    *,
    messages: list[dict[str, str]],
    accept: Callable[[str], bool],
    max_tokens: int,
    temperature: float = 0.8,
    ecosystem_id: uuid.UUID | str | None = None,
    owner_id: int | None = None,
    providers: Sequence[Provider] | None = None,
) -> DialogueResult | None:
    """Longer text (a story's chapters) through the same provider chain, breakers and usage
    accounting as dialogue: the first provider whose reply ``accept`` takes wins. None when no
    provider is configured or none gave an acceptable reply (the caller's template speaks).
    Not cached here: the caller caches the result it keeps. ``providers`` as for
    ``dialogue_generate``."""
    providers = list(providers_configured() if providers is None else providers)
    if not providers:
        return None
    trace = _Trace(ecosystem_id=ecosystem_id, owner_id=owner_id)
    policy = chain_policy_from_settings()
    sampling = Sampling(temperature=temperature, max_tokens=max_tokens)
    for provider in providers:
        completion = _complete(
            provider=provider,
            messages=messages,
            sampling=sampling,
            policy=policy,
            attempts=policy.attempts_per_provider,
            trace=trace,
        )
        if completion is not None and accept(completion.text):
            return trace.result(text=completion.text, source="llm", provider=provider)
        if completion is not None:
            trace.failures.append(f"{provider.name}: reply not usable.")
    return None


def _cached_result(
    *, providers: Sequence[Provider], keys: dict[str, str], trace: _Trace
) -> DialogueResult | None:
    """A cached reply from any provider is free, so every provider's cache entry is asked for
    (one round-trip) before any provider is called; the first provider in order with one wins.
    """
    cached_lines = _cache_get_many(list(keys.values()))
    for provider in providers:
        line = cached_lines.get(keys[provider.name])
        if isinstance(line, str):
            llm_usage_record(
                provider=provider,
                prompt_tokens=0,
                completion_tokens=0,
                cost_usd=Decimal(0),
                cached=True,
                ecosystem_id=trace.ecosystem_id,
                owner_id=trace.owner_id,
            )
            return trace.result(text=line, source="cache", provider=provider)
    return None


def _judge(
    *, completion: Completion, request: DialogueRequest
) -> tuple[str, QualityProblem | None]:
    line = reply_clean(
        text=completion.text,
        speaker=request.speaker,
        listener=request.listener,
        truncated=completion.truncated,
    )
    problem = reply_problem(
        text=line,
        listener=request.listener,
        previous_lines=(request.other_line, request.own_last_line),
    )
    return line, problem


def _complete(
    *,
    provider: Provider,
    messages: list[dict[str, str]],
    sampling: Sampling,
    policy: ChainPolicy,
    attempts: int,
    trace: _Trace,
) -> Completion | None:
    """Up to ``attempts`` requests to one provider, through its breaker; None if none answered."""
    breaker = breaker_for(provider_name=provider.name)
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            time.sleep(_backoff_seconds(policy=policy, attempt=attempt))
        if not breaker.allow(policy=policy.breaker):
            trace.failures.append(f"{provider.name}: circuit open, skipped.")
            return None
        trace.attempts += 1
        try:
            completion = chat_complete(provider=provider, messages=messages, sampling=sampling)
        except ProviderError as error:
            breaker.record_failure(policy=policy.breaker)
            trace.failures.append(str(error))
            logger.warning("LLM request failed (attempt %d/%d): %s", attempt, attempts, error)
            if not error.retryable:
                return None
            continue
        except Exception:  # a bug or surprise in a client library must not silence a world
            breaker.record_failure(policy=policy.breaker)
            trace.failures.append(f"{provider.name}: unexpected error.")
            logger.exception("LLM request to %s raised unexpectedly", provider.name)
            return None
        breaker.record_success()
        cost = provider.cost_usd(
            prompt_tokens=completion.prompt_tokens, completion_tokens=completion.completion_tokens
        )
        llm_usage_record(
            provider=provider,
            prompt_tokens=completion.prompt_tokens,
            completion_tokens=completion.completion_tokens,
            cost_usd=cost,
            cached=False,
            ecosystem_id=trace.ecosystem_id,
            owner_id=trace.owner_id,
        )
        trace.cost_usd += cost
        return completion
    return None


def _backoff_seconds(*, policy: ChainPolicy, attempt: int) -> float:
    """Before attempt 2, 3, ...: base, 2 x base, 4 x base, ... capped, times a jitter factor."""
    delay = min(policy.backoff_seconds * 2 ** (attempt - 2), policy.backoff_max_seconds)
    return delay * random.uniform(BACKOFF_JITTER_MIN, 1.0)


# The cache is an optimisation: a Redis hiccup must cost money, not the line.
def _cache_get_many(keys: list[str]) -> dict[str, object]:
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("LLM reply cache unavailable; asking the providers", exc_info=True)
        return {}


def _cache_set(key: str, line: str, *, seconds: int) -> None:
    try:
        cache.set(key, line, timeout=seconds)
    except Exception:
        logger.warning("LLM reply cache unavailable; reply not cached", exc_info=True)
