"""The creator's dashboard and the home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecosystems.models import Ecosystem
from ecosystems.selectors import ecosystems_for_owner
from tests.factories import CharacterFactory, EcosystemFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def society(world, alice):
    """Owner's World with three characters and two relationships."""
    bob = CharacterFactory(ecosystem=world, name="Bob")
    CharacterFactory(ecosystem=world, name="Charlie")
    RelationshipFactory(source=alice, target=bob)
    RelationshipFactory(source=bob, target=alice)
    return world


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboard"),
        reverse("ecosystem-start", args=["00000000-0000-0000-0000-000000000000"]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_the_dashboard_lists_only_my_worlds_with_counts(creator_client, owner, society, stranger):
    EcosystemFactory(owner=owner, name="Empty Quarter")
    EcosystemFactory(owner=stranger, name="Hideout of Thieves")

    response = creator_client.get(reverse("dashboard"))

    worlds = {w.name: (w.character_count, w.relationship_count) for w in response.context["worlds"]}
    assert worlds == {"Owner's World": (3, 2), "Empty Quarter": (0, 0)}
    assert "Hideout of Thieves" not in response.text


def test_my_worlds_and_their_counts_come_in_one_query(owner, society, django_assert_num_queries):
    EcosystemFactory(owner=owner, name="Empty Quarter")

    with django_assert_num_queries(1):
        counts = [
            (w.character_count, w.relationship_count) for w in ecosystems_for_owner(owner=owner)
        ]

    assert sorted(counts) == [(0, 0), (3, 2)]


def test_the_dashboard_links_each_world_to_the_studio(creator_client, world):
    response = creator_client.get(reverse("dashboard"))

    assert reverse("studio:ecosystems_ecosystem_change", args=[world.pk]) in response.text
    assert f"{reverse('studio:characters_character_add')}?ecosystem={world.pk}" in response.text
    assert reverse("studio:ecosystems_ecosystem_add") in response.text


def test_with_no_world_yet_the_dashboard_invites_me_to_create_one(creator_client):
    response = creator_client.get(reverse("dashboard"))

    assert "No worlds yet" in response.text
    assert reverse("studio:ecosystems_ecosystem_add") in response.text


def test_the_start_button_runs_my_world_and_says_so(creator_client, world):
    response = creator_client.post(reverse("ecosystem-start", args=[world.pk]), follow=True)

    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert "Owner&#x27;s World is running." in response.text
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.RUNNING
    assert reverse("ecosystem-pause", args=[world.pk]) in response.text  # now it offers Pause


def test_the_pause_button_pauses_my_running_world(creator_client, world):
    creator_client.post(reverse("ecosystem-start", args=[world.pk]))

    response = creator_client.post(reverse("ecosystem-pause", args=[world.pk]), follow=True)

    assert "Owner&#x27;s World is paused." in response.text
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.PAUSED


def test_starting_an_archived_world_shows_why_not(creator_client, world):
    Ecosystem.objects.filter(pk=world.pk).update(status=Ecosystem.Status.ARCHIVED)

    response = creator_client.post(reverse("ecosystem-start", args=[world.pk]), follow=True)

    assert "is archived and cannot be started" in response.text
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.ARCHIVED


def test_a_stranger_cannot_start_my_world(client, stranger, world):
    client.force_login(stranger)

    response = client.post(reverse("ecosystem-start", args=[world.pk]))

    assert response.status_code == 404
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.DRAFT


def test_start_only_answers_posts(creator_client, world):
    assert creator_client.get(reverse("ecosystem-start", args=[world.pk])).status_code == 405


def test_the_home_page_pitches_and_offers_sign_up_and_log_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert reverse("signup") in response.text and reverse("login") in response.text
    assert 'href="#main"' in response.text  # the skip link


def test_the_home_page_offers_a_signed_in_user_the_dashboard(creator_client):
    response = creator_client.get(reverse("home"))

    assert reverse("dashboard") in response.text
