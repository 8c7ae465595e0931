"""``GET, PUT /api/v1/ecosystems/{id}/model-servers/``: the owner's own chain, keys never shown
back in full, 402 for a plan without custom models."""

from __future__ import annotations

import pytest

from billing.models import Plan, Subscription
from billing.services import subscription_ensure
from ecosystems.models import Ecosystem
from tests.api.conftest import error_of
from tests.factories import EcosystemFactory

pytestmark = pytest.mark.django_db

KEY = "gsk_0123456789abcdefghijklmnZ9y8"
CHAIN = {
    "servers": [
        {"base_url": "https://api.groq.com/openai/v1", "model": "llama-3.1-8b", "api_key": KEY},
        {"base_url": "http://127.0.0.1:11434/v1", "model": "llama3"},
    ]
}


def url(world) -> str:
    return f"/api/v1/ecosystems/{world.pk}/model-servers/"


@pytest.fixture
def enterprise(owner):
    subscription_ensure(user=owner)
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="enterprise"))
    return owner


def test_the_owner_sets_a_chain_and_sees_only_the_keys_last_four_characters(
    enterprise, world, as_owner
):
    response = as_owner.put(url(world), CHAIN, format="json")

    assert response.status_code == 200, response.content
    assert KEY not in response.content.decode()
    body = as_owner.get(url(world)).json()
    assert KEY not in str(body)
    assert body["plan_allows"] and body["in_use"]
    assert [
        (s["position"], s["model"], s["api_key"], s["has_api_key"]) for s in body["servers"]
    ] == [
        (1, "llama-3.1-8b", "\u2026Z9y8", True),
        (2, "llama3", "", False),
    ]


def test_a_plan_without_custom_models_is_402_with_where_to_upgrade(world, as_owner):
    response = as_owner.put(url(world), CHAIN, format="json")

    assert response.status_code == 402
    error = error_of(response)
    assert error["code"] == "plan_limit" and "/pricing/" in error["message"]
    body = as_owner.get(url(world)).json()
    assert body == {"servers": [], "plan_allows": False, "in_use": False}


def test_a_bad_entry_is_400_naming_it(enterprise, world, as_owner):
    response = as_owner.put(
        url(world), {"servers": [{"base_url": "not a url", "model": "m"}]}, format="json"
    )
    assert response.status_code == 400
    assert "servers.1.base_url" in error_of(response)["details"]


def test_a_stranger_learns_nothing_and_a_visitor_of_a_public_world_may_not_look(
    enterprise, owner, as_owner, as_stranger, anonymous
):
    private = EcosystemFactory(owner=owner)
    public = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC)
    as_owner.put(url(public), CHAIN, format="json")

    assert as_stranger.get(url(private)).status_code == 404
    assert as_stranger.put(url(private), CHAIN, format="json").status_code == 404
    assert as_stranger.get(url(public)).status_code == 403
    assert KEY[-4:] not in as_stranger.get(url(public)).content.decode()
    assert as_stranger.put(url(public), {"servers": []}, format="json").status_code == 403
    assert anonymous.get(url(private)).status_code == 401
    assert as_owner.get(url(public)).json()["in_use"]  # the stranger's PUT changed nothing


def test_the_world_itself_does_not_carry_its_model_servers(enterprise, world, as_owner):
    as_owner.put(url(world), CHAIN, format="json")
    assert "groq" not in as_owner.get(f"/api/v1/ecosystems/{world.pk}/").content.decode()
