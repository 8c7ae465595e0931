"""Dramatis Studio: creators author their own worlds and see nothing of anyone else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from characters.models import BIG_FIVE, Character
from ecosystems.models import Ecosystem, Relationship, Scenario
from tests.factories import (
    PASSWORD,
    CharacterFactory,
    EcosystemFactory,
    RelationshipFactory,
    ScenarioFactory,
)

pytestmark = pytest.mark.django_db

STUDIO_MODELS = [Ecosystem, Character, Relationship, Scenario]


def _url(model, view: str, *args) -> str:
    return reverse(f"studio:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def creator_client(client, owner):
    """The owner persona, signed in; not staff, no model permissions."""
    assert not owner.is_staff and not owner.user_permissions.exists()
    client.force_login(owner)
    return client


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob")


@pytest.fixture
def mine(world, alice, bob):
    """One row of every studio model in the owner's world."""
    return {
        Ecosystem: world,
        Character: alice,
        Relationship: RelationshipFactory(source=alice, target=bob),
        Scenario: ScenarioFactory(ecosystem=world, title="Tea at four", characters=[alice]),
    }


@pytest.fixture
def theirs(stranger):
    """The same, in a world the stranger owns."""
    world = EcosystemFactory(owner=stranger, name="Hideout of Thieves")
    mallory = CharacterFactory(ecosystem=world, name="Mallory")
    trent = CharacterFactory(ecosystem=world, name="Trent")
    return {
        Ecosystem: world,
        Character: mallory,
        Relationship: RelationshipFactory(source=mallory, target=trent),
        Scenario: ScenarioFactory(ecosystem=world, title="The heist"),
    }


def character_data(ecosystem: Ecosystem, **overrides: Any) -> dict[str, Any]:
    """A complete studio character form, relationships inline included."""
    data: dict[str, Any] = {
        "ecosystem": ecosystem.pk,
        "name": "Clara",
        "is_active": "on",
        **{trait: 0.5 for trait in BIG_FIVE},
        "values": '["curiosity"]',
        "core_motivations": "[]",
        "long_term_goals": "[]",
        "short_term_goals": "[]",
        "emotions": '{"joy": 0.2}',
        "social_energy": 1.0,
        "autonomy_level": 0.5,
        "speaking_style": "",
        "backstory": "",
        "secrets": "[]",
        "memory_summary": "",
        "relationships_out-TOTAL_FORMS": 0,
        "relationships_out-INITIAL_FORMS": 0,
    }
    return {**data, **overrides}


def world_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Harbour Town",
        "slug": "",
        "description": "",
        "setting": "A fishing port.",
        "visibility": "private",
        "tick_interval_seconds": 10,
        "minutes_per_tick": 15,
        "world_start_0": "1887-06-14",
        "world_start_1": "09:00:00",
        "seed": 7,
        "characters-TOTAL_FORMS": 0,
        "characters-INITIAL_FORMS": 0,
    }
    return {**data, **overrides}


# --- Getting in ----------------------------------------------------------------------------------


def test_a_creator_who_is_not_staff_logs_in_through_the_studio(client, owner):
    form = client.get(reverse("studio:login"))
    next_url = form.context["next"]

    response = client.post(
        reverse("studio:login"),
        {"username": "owner", "password": PASSWORD, "next": next_url},
        follow=True,
    )

    assert response.status_code == 200
    assert response.wsgi_request.user == owner
    assert "Dramatis Studio" in response.text


def test_anonymous_visitors_are_sent_to_the_studio_login(client):
    response = client.get(reverse("studio:index"))

    assert response.status_code == 302 and response.url.startswith(reverse("studio:login"))


def test_the_studio_index_offers_the_creators_models(creator_client):
    response = creator_client.get(reverse("studio:index"))

    assert response.status_code == 200
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert models == {"Ecosystem", "Character", "Relationship", "Scenario"}


@pytest.mark.parametrize("model", STUDIO_MODELS, ids=lambda m: m.__name__)
def test_a_creator_opens_the_changelist_add_and_change_pages(creator_client, mine, model):
    changelist = creator_client.get(_url(model, "changelist"))
    add = creator_client.get(_url(model, "add"))
    change = creator_client.get(_url(model, "change", mine[model].pk))

    assert (changelist.status_code, add.status_code, change.status_code) == (200, 200, 200)
    assert mine[model] in changelist.context["cl"].result_list


# --- Nothing of anyone else's --------------------------------------------------------------------


@pytest.mark.parametrize("model", STUDIO_MODELS, ids=lambda m: m.__name__)
def test_another_creators_rows_are_not_listed(creator_client, mine, theirs, model):
    response = creator_client.get(_url(model, "changelist"))

    assert theirs[model] not in response.context["cl"].result_list
    assert "Hideout" not in response.text  # not even in the filters
    assert "Mallory" not in response.text


@pytest.mark.parametrize("model", STUDIO_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_creators_row_by_url_does_not_exist(creator_client, theirs, model, view):
    response = creator_client.get(_url(model, view, theirs[model].pk), follow=True)

    assert "doesn\u2019t exist" in response.text
    assert str(theirs[model]) not in response.text


def test_a_creator_cannot_change_another_creators_world_by_posting(creator_client, theirs):
    world = theirs[Ecosystem]

    creator_client.post(_url(Ecosystem, "change", world.pk), world_data(name="Mine now"))
    creator_client.post(_url(Ecosystem, "delete", world.pk), {"post": "yes"})

    world.refresh_from_db()
    assert world.name == "Hideout of Thieves"


def test_actions_on_another_creators_world_do_nothing(creator_client, theirs):
    world = theirs[Ecosystem]

    creator_client.post(
        _url(Ecosystem, "changelist"),
        {"action": "start_ecosystems", "_selected_action": [world.pk]},
    )

    world.refresh_from_db()
    assert world.status == Ecosystem.Status.DRAFT


def test_world_choices_offer_only_the_creators_own_worlds(creator_client, mine, theirs):
    response = creator_client.get(_url(Character, "add"))

    choices = response.context["adminform"].form.fields["ecosystem"].queryset
    assert list(choices) == [mine[Ecosystem]]


def test_character_choices_offer_only_the_creators_own_characters(creator_client, mine, theirs):
    response = creator_client.get(_url(Scenario, "add"))
    form = response.context["adminform"].form

    assert set(form.fields["characters"].queryset) == set(
        Character.objects.filter(name__in=["Alice", "Bob"])
    )
    assert theirs[Character] not in form.fields["characters"].queryset


def test_relationship_targets_on_the_character_page_are_the_creators_own(
    creator_client, mine, theirs
):
    response = creator_client.get(_url(Character, "change", mine[Character].pk))

    formset = response.context["inline_admin_formsets"][0].formset
    targets = formset.forms[0].fields["target"].queryset
    assert theirs[Character] not in targets and mine[Character] in targets


def test_a_character_posted_into_another_creators_world_is_refused(creator_client, theirs):
    response = creator_client.post(_url(Character, "add"), character_data(theirs[Ecosystem]))

    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["adminform"].form.errors["ecosystem"])
    assert not Character.objects.filter(name="Clara").exists()


# --- Authoring -----------------------------------------------------------------------------------


def test_a_new_world_belongs_to_its_creator_and_gets_a_slug(creator_client, owner):
    response = creator_client.post(_url(Ecosystem, "add"), world_data())

    assert response.status_code == 302
    world = Ecosystem.objects.get(name="Harbour Town")
    assert (world.owner, world.slug, world.status) == (owner, "harbour-town", "draft")


def test_the_world_form_has_no_owner_field(creator_client):
    response = creator_client.get(_url(Ecosystem, "add"))

    assert "owner" not in response.context["adminform"].form.fields


def test_a_world_and_its_characters_are_created_on_one_page(creator_client):
    data = world_data(
        **{
            "characters-TOTAL_FORMS": 1,
            "characters-0-name": "Greta",
            "characters-0-is_active": "on",
            **{f"characters-0-{trait}": 0.4 for trait in BIG_FIVE},
        }
    )

    creator_client.post(_url(Ecosystem, "add"), data)

    world = Ecosystem.objects.get(name="Harbour Town")
    assert list(world.characters.values_list("name", flat=True)) == ["Greta"]


def test_a_slug_already_used_by_another_of_my_worlds_is_refused(creator_client, world):
    response = creator_client.post(_url(Ecosystem, "add"), world_data(slug=world.slug))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["slug"]
    assert "Another of your worlds already uses the slug" in errors[0]


def test_a_big_five_value_out_of_range_is_refused_with_the_allowed_range(creator_client, world):
    response = creator_client.post(_url(Character, "add"), character_data(world, openness=1.4))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["openness"]
    assert errors == ["Openness must be between 0 and 1; you entered 1.4."]
    assert "Openness must be between 0 and 1; you entered 1.4." in response.text
    assert not Character.objects.filter(name="Clara").exists()


def test_a_big_five_value_out_of_range_in_the_world_page_inline_is_refused(creator_client):
    data = world_data(
        **{
            "characters-TOTAL_FORMS": 1,
            "characters-0-name": "Greta",
            **{f"characters-0-{trait}": 0.4 for trait in BIG_FIVE},
            "characters-0-neuroticism": -0.2,
        }
    )

    response = creator_client.post(_url(Ecosystem, "add"), data)

    assert "Neuroticism must be between 0 and 1; you entered -0.2." in response.text
    assert not Ecosystem.objects.filter(name="Harbour Town").exists()


def test_a_malformed_goal_list_is_explained(creator_client, world):
    response = creator_client.post(
        _url(Character, "add"), character_data(world, long_term_goals='["be rich"]')
    )

    errors = response.context["adminform"].form.errors["long_term_goals"]
    assert 'Enter a list like [{"description": "Find the locket", "progress": 0.0}].' in errors


def test_a_character_is_created_with_an_outgoing_relationship(creator_client, world, alice):
    data = character_data(
        world,
        **{
            "relationships_out-TOTAL_FORMS": 1,
            "relationships_out-0-target": alice.pk,
            "relationships_out-0-kind": "friend",
            "relationships_out-0-strength": 0.6,
            "relationships_out-0-trust": 0.4,
            "relationships_out-0-familiarity": 0.3,
            "relationships_out-0-attraction": 0.0,
        },
    )

    response = creator_client.post(_url(Character, "add"), data)

    assert response.status_code == 302
    relationship = Relationship.objects.get(source__name="Clara")
    assert (relationship.target, relationship.ecosystem, relationship.kind) == (
        alice,
        world,
        "friend",
    )


def test_a_relationship_across_two_worlds_is_refused(creator_client, owner, world, alice):
    elsewhere = CharacterFactory(ecosystem=EcosystemFactory(owner=owner), name="Faraway")
    response = creator_client.post(
        _url(Relationship, "add"),
        {
            "source": alice.pk,
            "target": elsewhere.pk,
            "kind": "stranger",
            "strength": 0,
            "trust": 0,
            "familiarity": 0,
            "attraction": 0,
        },
    )

    errors = response.context["adminform"].form.errors["target"]
    assert "a relationship joins two characters of the same world" in errors[0]


def test_a_scenario_casts_only_characters_of_its_world(creator_client, owner, world, alice):
    elsewhere = CharacterFactory(ecosystem=EcosystemFactory(owner=owner), name="Faraway")
    response = creator_client.post(
        _url(Scenario, "add"),
        {
            "ecosystem": world.pk,
            "title": "Croquet",
            "characters": [alice.pk, elsewhere.pk],
            "objectives": "{}",
            "status": "draft",
        },
    )

    errors = response.context["adminform"].form.errors["characters"]
    assert "Faraway not in Owner's World" in errors[0]


# --- Actions -------------------------------------------------------------------------------------


def test_a_creator_starts_and_pauses_a_world_with_actions(creator_client, world):
    url = _url(Ecosystem, "changelist")

    started = creator_client.post(
        url, {"action": "start_ecosystems", "_selected_action": [world.pk]}, follow=True
    )
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.RUNNING
    assert "Started: Owner&#x27;s World." in started.text

    creator_client.post(url, {"action": "pause_ecosystems", "_selected_action": [world.pk]})
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.PAUSED


def test_a_creator_duplicates_a_character_with_an_action(creator_client, alice):
    response = creator_client.post(
        _url(Character, "changelist"),
        {"action": "duplicate_characters", "_selected_action": [alice.pk]},
        follow=True,
    )

    assert "Duplicated 1 character(s): Alice (copy)." in response.text
    assert Character.objects.filter(ecosystem=alice.ecosystem, name="Alice (copy)").exists()


def test_a_creator_deletes_their_own_world(creator_client, mine):
    world = mine[Ecosystem]

    response = creator_client.post(_url(Ecosystem, "delete", world.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Ecosystem.objects.filter(pk=world.pk).exists()
