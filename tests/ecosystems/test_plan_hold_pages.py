"""The world's pages after a downgrade: readable, with a banner saying what is over, what to
remove and where to upgrade; the forms the services would refuse are disabled, and posting
them anyway answers 402 with the same message."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import Plan, Subscription
from billing.signals import plan_changed
from ecosystems.models import Ecosystem
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db

OVER_BY_THREE = (
    "Your plan 'Free' allows 5 characters; you have 8. Remove 3 characters or upgrade at /pricing/."
)


def plan_switch(user, code: str) -> None:
    old = Subscription.objects.select_related("plan").get(user=user).plan
    new = Plan.objects.get(code=code)
    Subscription.objects.filter(user=user).update(plan=new)
    plan_changed.send(sender=None, user=user, old_plan=old, new_plan=new)


@pytest.fixture
def downgraded(owner) -> tuple[Ecosystem, list]:
    """A public running world of 8 characters whose owner went from pro to free."""
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="pro"))
    world = EcosystemFactory(
        owner=owner, status=Ecosystem.Status.RUNNING, next_tick_at=timezone.now(),
        visibility=Ecosystem.Visibility.PUBLIC,
    )  # fmt: skip
    characters = [CharacterFactory(ecosystem=world, name=f"Guest {n}") for n in range(8)]
    plan_switch(owner, "free")
    return world, characters


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def test_every_world_page_shows_the_banner_and_disables_what_would_be_refused(
    owner_client, downgraded
):
    world, characters = downgraded
    pages = [
        reverse("observatory", args=[world.pk]),
        reverse("director", args=[world.pk]),
        reverse("character", args=[world.pk, characters[0].pk]),
        reverse("story-board", args=[world.pk]),
    ]
    for page in pages:
        response = owner_client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert 'id="plan-hold"' in html and "Paused by your plan." in html, page
        assert OVER_BY_THREE.replace("'", "&#x27;") in html, page
        assert 'href="/pricing/"' in html, page
        assert 'disabled aria-describedby="plan-hold"' in html, page


def test_posting_a_refused_form_anyway_answers_402_with_what_to_remove(owner_client, downgraded):
    world, characters = downgraded
    posts = [
        (reverse("ecosystem-start", args=[world.pk]), {}),
        (reverse("intervene", args=[world.pk]),
         {"kind": "whisper", "first": str(characters[0].pk), "text": "Run."}),
        (reverse("scene-direct", args=[world.pk]),
         {"initiator": str(characters[0].pk), "target": str(characters[1].pk),
          "interaction_type": "small_talk", "content": ""}),
    ]  # fmt: skip
    for url, data in posts:
        response = owner_client.post(url, data, HTTP_ACCEPT="application/json")
        assert response.status_code == 402, (url, response.content)
        assert response.json()["message"].startswith(OVER_BY_THREE)
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.PAUSED


def test_a_visitor_of_the_public_world_sees_no_banner(client, stranger, downgraded):
    world, _ = downgraded
    client.force_login(stranger)

    response = client.get(reverse("observatory", args=[world.pk]))

    assert response.status_code == 200
    assert 'id="plan-hold"' not in response.content.decode()


def test_back_on_pro_the_banner_is_gone_and_the_world_runs(owner, owner_client, downgraded):
    world, _ = downgraded
    plan_switch(owner, "pro")

    response = owner_client.get(reverse("observatory", args=[world.pk]))

    assert 'id="plan-hold"' not in response.content.decode()
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.RUNNING


@pytest.mark.usefixtures("downgraded")
def test_the_dashboard_says_what_is_over_and_disables_start(owner_client):
    response = owner_client.get(reverse("dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert OVER_BY_THREE.replace("'", "&#x27;") in html and 'href="/pricing/"' in html
    assert "Paused by your plan" in html
    assert 'disabled aria-describedby="plan-hold"' in html


def test_a_dashboard_within_the_plan_has_no_banner(client, stranger):
    EcosystemFactory(owner=stranger)
    client.force_login(stranger)

    response = client.get(reverse("dashboard"))

    assert 'id="plan-hold"' not in response.content.decode()
