"""The world's model-servers page: the owner sets their chain (plans with custom models), sees
only the keys' last four characters; visitors may not look."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import Plan, Subscription
from billing.services import subscription_ensure
from ecosystems.models import Ecosystem, WorldModelServer
from tests.factories import EcosystemFactory

pytestmark = pytest.mark.django_db

KEY = "sk-page-0123456789abcdefQ7r8"


def on_plan(user, code: str) -> None:
    subscription_ensure(user=user)
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code=code))


def form(*rows: dict[str, str], total: int = 2) -> dict[str, str]:
    data = {"servers-TOTAL_FORMS": str(total), "servers-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        data |= {f"servers-{n}-{name}": value for name, value in row.items()}
    return data


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def test_an_enterprise_owner_saves_a_chain_and_the_page_shows_only_the_keys_end(
    owner, world, owner_client
):
    on_plan(owner, "enterprise")
    page = reverse("world-model-servers", args=[world.pk])
    row = {"base_url": "https://api.groq.com/openai/v1", "model": "llama", "api_key": KEY}

    response = owner_client.post(page, form(row))

    assert response.status_code == 302
    html = owner_client.get(page).content.decode()
    assert "\u2026Q7r8" in html and KEY not in html
    assert "https://api.groq.com/openai/v1" in html
    # Saving again without typing the key keeps it.
    owner_client.post(page, form({"base_url": row["base_url"], "model": "llama-2"}))
    assert WorldModelServer.objects.get(ecosystem=world).api_key_hint == "\u2026Q7r8"


def test_a_free_owner_is_shown_where_to_upgrade_and_cannot_save(world, owner_client):
    page = reverse("world-model-servers", args=[world.pk])
    assert 'href="/pricing/"' in owner_client.get(page).content.decode()

    row = {"base_url": "https://api.groq.com/openai/v1", "model": "llama", "api_key": KEY}
    response = owner_client.post(page, form(row))

    assert response.status_code == 402
    assert "/pricing/" in response.content.decode()
    assert not WorldModelServer.objects.exists()


def test_visitors_may_not_look(owner, stranger):
    client = Client()
    client.force_login(stranger)
    public = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC)
    private = EcosystemFactory(owner=owner)
    assert client.get(reverse("world-model-servers", args=[public.pk])).status_code == 403
    assert client.get(reverse("world-model-servers", args=[private.pk])).status_code == 404
