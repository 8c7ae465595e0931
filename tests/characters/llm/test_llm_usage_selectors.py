from decimal import Decimal

import pytest

from characters.llm.selectors import (
    UsageTotals,
    llm_usage_by_owner,
    llm_usage_by_world,
    llm_usage_totals,
)
from characters.llm.services import dialogue_generate
from tests.characters.llm.builders import dialogue_request, template_line
from tests.characters.llm.chat_server import Reply
from tests.factories import EcosystemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced_server(settings, chat_server):
    """Every reply: 1,000 prompt tokens at $0.002/1K and 100 completion tokens at $0.01/1K."""
    settings.LLM_PROVIDERS = [
        chat_server.provider(prompt_price_per_1k="0.002", completion_price_per_1k="0.01")
    ]
    chat_server.always(Reply("Quite so.", prompt_tokens=1000, completion_tokens=100))
    return chat_server


def speak(*, world, line: str) -> None:
    dialogue_generate(
        request=dialogue_request(other_line=line),
        fallback=template_line,
        ecosystem_id=world.id,
        owner_id=world.owner_id,
    )


def test_totals_add_up_per_world_and_per_owner(priced_server, world, owner, stranger):
    second_world = EcosystemFactory(owner=owner, name="Second World")
    strangers_world = EcosystemFactory(owner=stranger, name="Stranger's World")
    speak(world=world, line="One?")
    speak(world=world, line="Two?")
    speak(world=second_world, line="Three?")
    speak(world=second_world, line="Three?")  # the same prompt: from the cache, free
    speak(world=strangers_world, line="Four?")

    per_call = Decimal("0.003000")  # 1000 x 0.002/1K + 100 x 0.01/1K
    assert llm_usage_totals(ecosystem_id=world.id) == UsageTotals(
        calls=2, cached_calls=0, prompt_tokens=2000, completion_tokens=200, cost_usd=2 * per_call
    )
    assert llm_usage_totals(ecosystem_id=second_world.id) == UsageTotals(
        calls=2, cached_calls=1, prompt_tokens=1000, completion_tokens=100, cost_usd=per_call
    )
    assert llm_usage_totals(owner_id=owner.id).cost_usd == 3 * per_call
    assert llm_usage_totals(owner_id=stranger.id).cost_usd == per_call
    assert len(priced_server.requests) == 4

    by_world = {row["ecosystem__name"]: row for row in llm_usage_by_world(owner_id=owner.id)}
    assert set(by_world) == {"Owner's World", "Second World"}
    assert by_world["Owner's World"]["total_cost_usd"] == 2 * per_call
    assert by_world["Second World"]["cached_calls"] == 1

    by_owner = list(llm_usage_by_owner())
    assert [row["owner_id"] for row in by_owner] == [owner.id, stranger.id], "costliest first"
    assert by_owner[0]["total_prompt_tokens"] == 3000


def test_a_world_without_usage_totals_zero(world):
    assert llm_usage_totals(ecosystem_id=world.id) == UsageTotals(
        calls=0, cached_calls=0, prompt_tokens=0, completion_tokens=0, cost_usd=Decimal(0)
    )


def test_usage_outlives_a_deleted_world(priced_server, world, owner):
    speak(world=world, line="Still counted?")

    world.delete()

    assert llm_usage_totals(owner_id=owner.id).calls == 1
