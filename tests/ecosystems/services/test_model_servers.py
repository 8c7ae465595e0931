"""A world's own model servers: only plans with custom models set them, keys are encrypted,
and a world with its own chain talks to its own servers only."""

from __future__ import annotations

import pytest

from billing.models import Plan, Subscription
from billing.services import subscription_ensure
from characters.models import LLMUsage
from core.errors import InvalidInput, PlanLimitReached
from ecosystems.models import WorldModelServer
from ecosystems.selectors import providers_for_world
from ecosystems.services.interactions import interaction_process
from ecosystems.services.model_servers import ModelServerEntry, world_model_servers_set
from tests.characters.llm.chat_server import ChatServer, Reply
from tests.factories import CharacterFactory, EcosystemFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = "sk-world-0123456789abcdefa1b2"


def on_plan(user, code: str):
    subscription_ensure(user=user)
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code=code))
    return user


@pytest.fixture
def enterprise_world(owner):
    on_plan(owner, "enterprise")
    return EcosystemFactory(owner=owner, name="Enterprise world")


@pytest.fixture
def own_server(settings):
    from characters.llm.breaker import breakers_reset

    server = ChatServer()
    server.start()
    settings.LLM_BACKOFF_SECONDS = 0.01
    breakers_reset()
    yield server
    server.stop()
    breakers_reset()


def entry(server: ChatServer, **overrides) -> ModelServerEntry:
    fields = {"base_url": server.base_url, "model": "own-model", "api_key": KEY, **overrides}
    return ModelServerEntry(**fields)


def test_a_free_owner_is_asked_to_upgrade_at_the_pricing_page(world):
    with pytest.raises(PlanLimitReached, match="/pricing/") as caught:
        world_model_servers_set(
            ecosystem=world, servers=[ModelServerEntry("https://llm.example.com/v1", "m", "k")]
        )
    assert caught.value.code == "plan_limit"
    assert not WorldModelServer.objects.exists()


def test_any_owner_may_clear_the_chain_they_no_longer_pay_for(enterprise_world, owner):
    world_model_servers_set(
        ecosystem=enterprise_world, servers=[ModelServerEntry("https://a.example.com/v1", "m")]
    )
    on_plan(owner, "free")  # a downgrade keeps the chain (it deletes nothing) ...
    assert WorldModelServer.objects.filter(ecosystem=enterprise_world).count() == 1
    world_model_servers_set(ecosystem=enterprise_world, servers=[])  # ... and clearing is free
    assert not WorldModelServer.objects.exists()


def test_the_key_is_stored_encrypted_and_only_its_last_four_characters_kept_in_clear(
    enterprise_world, own_server
):
    (row,) = world_model_servers_set(ecosystem=enterprise_world, servers=[entry(own_server)])
    stored = WorldModelServer.objects.values_list("api_key_encrypted", "api_key_hint").get()
    assert KEY not in stored[0] and stored[0]
    assert stored[1] == "\u2026a1b2"
    assert row.position == 1


def test_a_key_left_out_is_kept_for_the_same_server_but_never_sent_to_another(
    enterprise_world, own_server
):
    world_model_servers_set(ecosystem=enterprise_world, servers=[entry(own_server)])
    world_model_servers_set(
        ecosystem=enterprise_world,
        servers=[
            entry(own_server, api_key=None, model="renamed"),
            ModelServerEntry("https://elsewhere.example.com/v1", "m", None),
        ],
    )
    same, other = providers_for_world(ecosystem_id=enterprise_world.pk)
    assert (same.model, same.api_key_value) == ("renamed", KEY)
    assert other.api_key_value == ""


def test_what_is_wrong_is_named_per_entry(enterprise_world, settings):
    settings.WORLD_MODEL_SERVERS_MAX = 2
    with pytest.raises(InvalidInput) as caught:
        world_model_servers_set(
            ecosystem=enterprise_world,
            servers=[ModelServerEntry("ftp://x", "m"), ModelServerEntry("https://ok.test/v1", " ")],
        )
    assert set(caught.value.details) == {"servers.1.base_url", "servers.2.model"}
    with pytest.raises(InvalidInput, match="At most 2"):
        world_model_servers_set(
            ecosystem=enterprise_world, servers=[ModelServerEntry("https://a.test/v1", "m")] * 3
        )


def test_a_world_with_its_own_chain_talks_to_its_own_server_and_a_world_without_does_not(
    enterprise_world, owner, own_server, model_server
):
    """``model_server`` is the configured (global) chain; ``own_server`` the world's own."""
    world_model_servers_set(ecosystem=enterprise_world, servers=[entry(own_server)])
    own_server.script(Reply("Good morning, Bob! Our own roses."), Reply("Morning, Alice."))
    model_server.always(Reply("Hello from the standard servers, Alice."))
    alice = CharacterFactory(ecosystem=enterprise_world, name="Alice")
    bob = CharacterFactory(ecosystem=enterprise_world, name="Bob")

    mine = interaction_process(initiator=alice, target=bob, interaction_type="greeting")

    assert mine.dialogue_source == "llm"
    assert mine.interaction.content == "Good morning, Bob! Our own roses."
    assert len(own_server.requests) == 2 and model_server.requests == []
    assert own_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert own_server.requests[0].body["model"] == "own-model"
    usage = set(LLMUsage.objects.values_list("provider", flat=True))
    assert usage == {f"world:{enterprise_world.pk}:1"}

    other_world = EcosystemFactory(owner=UserFactory(), name="Standard world")
    carol = CharacterFactory(ecosystem=other_world, name="Carol")
    dave = CharacterFactory(ecosystem=other_world, name="Dave")
    interaction_process(initiator=carol, target=dave, interaction_type="greeting")

    assert len(own_server.requests) == 2  # the other world never reached it
    assert model_server.requests  # (a quality retry may add one)
    assert all(KEY not in r.headers.get("authorization", "") for r in model_server.requests)


def test_after_a_downgrade_the_world_is_voiced_by_the_standard_servers_again(
    enterprise_world, owner, own_server, model_server
):
    world_model_servers_set(ecosystem=enterprise_world, servers=[entry(own_server)])
    on_plan(owner, "pro")
    alice = CharacterFactory(ecosystem=enterprise_world, name="Alice")
    bob = CharacterFactory(ecosystem=enterprise_world, name="Bob")

    interaction_process(initiator=alice, target=bob, interaction_type="greeting")

    assert own_server.requests == [] and model_server.requests
    assert WorldModelServer.objects.filter(ecosystem=enterprise_world).exists()  # kept


def test_a_ticks_lines_are_voiced_after_it_by_the_worlds_own_server(
    enterprise_world, own_server, model_server
):
    from ecosystems.services.voicing import interactions_voice
    from tests.factories import InteractionFactory

    world_model_servers_set(ecosystem=enterprise_world, servers=[entry(own_server)])
    own_server.script(Reply("Good evening, Bob, by our own lamps."), Reply("Evening, Alice."))
    alice = CharacterFactory(ecosystem=enterprise_world, name="Alice")
    bob = CharacterFactory(ecosystem=enterprise_world, name="Bob")
    row = InteractionFactory(initiator=alice, target=bob, response="Hm.")

    result = interactions_voice(ecosystem_id=enterprise_world.pk, interaction_ids=[row.pk])

    assert result.voiced == 1
    row.refresh_from_db()
    assert row.content == "Good evening, Bob, by our own lamps."
    assert own_server.requests and model_server.requests == []
