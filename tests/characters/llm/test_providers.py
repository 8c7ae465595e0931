import re
from decimal import Decimal

import pytest

from characters.llm.providers import (
    PLACEHOLDER_API_KEY,
    SHORTCUT_PROVIDER_NAME,
    Provider,
    ProviderConfigError,
    providers_configured,
)

GROQ = {
    "name": "groq",
    "base_url": "https://api.groq.com/openai/v1/",
    "model": "llama-3.1-8b-instant",
    "api_key_env": "GROQ_API_KEY",
    "prompt_price_per_1k": "0.00005",
    "completion_price_per_1k": "0.00008",
    "timeout_seconds": 4,
}
OLLAMA = {"name": "ollama", "base_url": "http://127.0.0.1:11434/v1", "model": "llama3.2"}


def test_no_configuration_means_no_providers():
    assert providers_configured() == []


def test_providers_come_from_settings_in_order(settings):
    settings.LLM_PROVIDERS = [GROQ, OLLAMA]

    groq, ollama = providers_configured()

    assert groq == Provider(
        name="groq",
        base_url="https://api.groq.com/openai/v1",
        model="llama-3.1-8b-instant",
        api_key_env="GROQ_API_KEY",
        prompt_price_per_1k=Decimal("0.00005"),
        completion_price_per_1k=Decimal("0.00008"),
        timeout_seconds=4.0,
    )
    assert ollama.name == "ollama"
    assert ollama.prompt_price_per_1k == 0
    assert ollama.timeout_seconds == settings.LLM_TIMEOUT_SECONDS


def test_the_openai_shortcut_adds_one_provider_keyed_by_openai_api_key(settings):
    settings.LLM_PROVIDERS = [OLLAMA]
    settings.OPENAI_BASE_URL = "https://api.openai.com/v1"
    settings.LLM_MODEL = "gpt-4o-mini"

    first, shortcut = providers_configured()

    assert first.name == "ollama"
    assert shortcut.name == SHORTCUT_PROVIDER_NAME
    assert shortcut.model == "gpt-4o-mini"
    assert shortcut.api_key_env == "OPENAI_API_KEY"


def test_the_api_key_is_read_from_the_named_variable_when_needed(monkeypatch):
    provider = Provider(name="groq", base_url="https://x/v1", model="m", api_key_env="GROQ_KEY")
    monkeypatch.delenv("GROQ_KEY", raising=False)
    assert provider.api_key() == PLACEHOLDER_API_KEY

    monkeypatch.setenv("GROQ_KEY", "gsk-rotated")
    assert provider.api_key() == "gsk-rotated"


def test_cost_is_priced_per_thousand_tokens():
    provider = Provider(
        name="p",
        base_url="https://x/v1",
        model="m",
        prompt_price_per_1k=Decimal("0.5"),
        completion_price_per_1k=Decimal("1.5"),
    )

    assert provider.cost_usd(prompt_tokens=120, completion_tokens=30) == Decimal("0.105000")
    assert provider.cost_usd(prompt_tokens=1, completion_tokens=0) == Decimal("0.000500")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"name": "x", "model": "m"}], "lacks base_url"),
        ([{**OLLAMA, "api_key": "sk-secret"}], "unknown key(s) api_key"),
        ([{**OLLAMA, "prompt_price_per_1k": "-1"}], "must be a number of USD >= 0"),
        ([{**OLLAMA, "prompt_price_per_1k": "cheap"}], "must be a number of USD >= 0"),
        ([{**OLLAMA, "timeout_seconds": 0}], "must be above 0"),
        ([OLLAMA, OLLAMA], "ollama appear more than once"),
    ],
)
def test_unusable_provider_settings_say_what_to_fix(settings, entries, message):
    settings.LLM_PROVIDERS = entries

    with pytest.raises(ProviderConfigError, match=re.escape(message)):
        providers_configured()
