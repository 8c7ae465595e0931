"""OpenAI-compatible providers, read from settings.

``DRAMATIS_LLM_PROVIDERS`` (settings ``LLM_PROVIDERS``) is a JSON list of objects, tried in
order::

    [
      {"name": "groq",                      # required, unique; labels usage rows and breakers
       "base_url": "https://api.groq.com/openai/v1",  # required, up to and including /v1
       "model": "llama-3.1-8b-instant",     # required
       "api_key_env": "GROQ_API_KEY",       # NAME of the environment variable with the key;
                                            #   omit for servers that need none (Ollama, vLLM)
       "prompt_price_per_1k": "0.00005",    # USD per 1,000 prompt tokens; default 0
       "completion_price_per_1k": "0.00008",  # USD per 1,000 completion tokens; default 0
       "timeout_seconds": 10}               # per request; default LLM_TIMEOUT_SECONDS
    ]

Prices are read as decimals (give them as strings to keep them exact). The key itself never
sits in settings or the database: it is read from the named variable when a request is made.

Shortcut: when ``OPENAI_BASE_URL`` and ``DRAMATIS_LLM_MODEL`` are both set, one more provider
named ``"openai-compatible"`` is appended, its key read from ``OPENAI_API_KEY`` and its prices 0.

No providers at all means dialogue comes from the template engine: the offline default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings

SHORTCUT_PROVIDER_NAME = "openai-compatible"
SHORTCUT_API_KEY_ENV = "OPENAI_API_KEY"
# The openai client refuses an empty key; servers without auth (Ollama, vLLM) ignore this one.
PLACEHOLDER_API_KEY = "not-needed"
TOKENS_PER_PRICE_UNIT = 1000  # prices are quoted per 1K tokens, as providers list them
COST_QUANTUM = Decimal("0.000001")  # LLMUsage.cost_usd keeps 6 decimal places

_REQUIRED = ("name", "base_url", "model")
_OPTIONAL = ("api_key_env", "prompt_price_per_1k", "completion_price_per_1k", "timeout_seconds")


class ProviderConfigError(ValueError):
    """The provider settings cannot be used; the message says which entry and what to fix."""

    code = "llm_provider_config"


@dataclass(frozen=True)
class Provider:
    name: str
    base_url: str
    model: str
    api_key_env: str = ""
    prompt_price_per_1k: Decimal = Decimal(0)
    completion_price_per_1k: Decimal = Decimal(0)
    timeout_seconds: float = 15.0
    # A key given with the provider itself (a world's own model servers, decrypted from the
    # database for this request), never printed: kept out of repr and comparisons.
    api_key_value: str = field(default="", repr=False, compare=False)

    def api_key(self) -> str:
        """The key given with the provider, else the one in the named environment variable
        (read now so rotation needs no restart)."""
        if self.api_key_value:
            return self.api_key_value
        key = os.environ.get(self.api_key_env, "") if self.api_key_env else ""
        return key or PLACEHOLDER_API_KEY

    def cost_usd(self, *, prompt_tokens: int, completion_tokens: int) -> Decimal:
        cost = (
            prompt_tokens * self.prompt_price_per_1k
            + completion_tokens * self.completion_price_per_1k
        ) / TOKENS_PER_PRICE_UNIT
        return cost.quantize(COST_QUANTUM, rounding=ROUND_HALF_UP)


def provider_from_mapping(
    entry: Mapping[str, Any], *, position: int, default_timeout: float
) -> Provider:
    """One provider from one settings object; ``position`` (1-based) only labels errors."""
    where = f"DRAMATIS_LLM_PROVIDERS entry {position}"
    missing = [key for key in _REQUIRED if not str(entry.get(key) or "").strip()]
    if missing:
        raise ProviderConfigError(
            f"{where} lacks {', '.join(missing)}; each entry needs {', '.join(_REQUIRED)}."
        )
    unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise ProviderConfigError(
            f"{where} has unknown key(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(_REQUIRED + _OPTIONAL)}."
        )
    timeout = _positive_float(entry.get("timeout_seconds", default_timeout), where=where)
    return Provider(
        name=str(entry["name"]).strip(),
        base_url=str(entry["base_url"]).strip().rstrip("/"),
        model=str(entry["model"]).strip(),
        api_key_env=str(entry.get("api_key_env") or "").strip(),
        prompt_price_per_1k=_price(entry.get("prompt_price_per_1k", 0), where=where),
        completion_price_per_1k=_price(entry.get("completion_price_per_1k", 0), where=where),
        timeout_seconds=timeout,
    )


def providers_configured() -> list[Provider]:
    """The chain's providers in order, read from settings at call time."""
    default_timeout = float(settings.LLM_TIMEOUT_SECONDS)
    providers = [
        provider_from_mapping(entry, position=n, default_timeout=default_timeout)
        for n, entry in enumerate(settings.LLM_PROVIDERS, start=1)
    ]
    if settings.OPENAI_BASE_URL and settings.LLM_MODEL:
        providers.append(
            Provider(
                name=SHORTCUT_PROVIDER_NAME,
                base_url=settings.OPENAI_BASE_URL.rstrip("/"),
                model=settings.LLM_MODEL,
                api_key_env=SHORTCUT_API_KEY_ENV,
                timeout_seconds=default_timeout,
            )
        )
    names = [provider.name for provider in providers]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ProviderConfigError(
            f"LLM provider name(s) {', '.join(duplicates)} appear more than once; names label "
            "usage and circuit breakers, so give each provider its own."
        )
    return providers


def _price(value: object, *, where: str) -> Decimal:
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        price = Decimal(-1)
    if not price.is_finite() or price < 0:
        raise ProviderConfigError(f"{where}: price {value!r} must be a number of USD >= 0.")
    return price


def _positive_float(value: object, *, where: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = 0.0
    if not number > 0:
        raise ProviderConfigError(f"{where}: timeout_seconds {value!r} must be above 0.")
    return number
