"""Installing: the approved version becomes the installer's own independent copy, saying where
it came from, within their plan (402 and nothing created otherwise)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from characters.models import Character
from core.errors import InvalidTransition, NotFound, PlanLimitReached
from ecosystems.access import world_for
from ecosystems.models import Ecosystem, Scenario
from marketplace.models import Install, Listing, ListingDay
from marketplace.services import (
    listing_create,
    listing_install,
    listing_moderate,
    listing_update_available,
    listing_version_create,
)
from tests.factories import CharacterFactory, EcosystemFactory, ScenarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def garden(owner):
    world = EcosystemFactory(owner=owner, name="The Garden Party")
    alice = CharacterFactory(ecosystem=world, name="Alice", secrets=["The locket is mine."])
    bob = CharacterFactory(ecosystem=world, name="Bob")
    ScenarioFactory(
        ecosystem=world,
        title="Tea",
        characters=[alice, bob],
        objectives={"primary": "Pour tea", "hidden": ["Find the locket."]},
    )
    return world


@pytest.fixture
def listing(owner, staff, garden) -> Listing:
    listing = listing_create(
        publisher=owner, kind="world", source_id=garden.pk, title="The Garden Party"
    )
    return listing_moderate(listing=listing, staff=staff, decision="approve")


def test_an_install_is_the_installers_own_copy_that_says_where_it_came_from(
    listing, garden, stranger
):
    install = listing_install(listing=listing, user=stranger)

    copy = install.ecosystem
    assert copy.owner == stranger and copy.pk != garden.pk
    assert copy.origin == "Installed from The Garden Party v1.0"
    assert sorted(copy.characters.values_list("name", flat=True)) == ["Alice", "Bob"]
    assert copy.characters.get(name="Alice").secrets == ["The locket is mine."]  # theirs now
    assert copy.scenarios.get().objectives["hidden"] == ["Find the locket."]
    assert (install.listing, install.version, install.user) == (
        listing,
        listing.current_version,
        stranger,
    )
    listing.refresh_from_db()
    assert listing.install_count == 1
    assert ListingDay.objects.get(listing=listing).installs == 1


def test_the_copy_and_the_original_are_independent(listing, garden, stranger):
    copy = listing_install(listing=listing, user=stranger).ecosystem

    Character.objects.filter(ecosystem=copy, name="Alice").update(backstory="Changed by me.")
    Character.objects.filter(ecosystem=garden, name="Bob").update(backstory="Changed by owner.")

    assert garden.characters.get(name="Alice").backstory == ""
    assert copy.characters.get(name="Bob").backstory == ""


def test_installing_never_opens_the_publishers_world(listing, garden, stranger):
    listing_install(listing=listing, user=stranger)

    with pytest.raises(Http404):
        world_for(stranger, garden.pk)
    assert not Install.objects.filter(ecosystem=garden).exists()


def test_a_world_over_the_plan_is_refused_and_nothing_is_created(listing, stranger):
    mine = EcosystemFactory(owner=stranger)
    for n in range(4):  # free allows 5 characters; the bundle brings 2
        CharacterFactory(ecosystem=mine, name=f"Mine {n}")
    worlds = Ecosystem.objects.count()

    with pytest.raises(PlanLimitReached, match="allows 5 characters"):
        listing_install(listing=listing, user=stranger)

    assert Ecosystem.objects.count() == worlds
    assert not Install.objects.exists()
    listing.refresh_from_db()
    assert listing.install_count == 0
    assert not ListingDay.objects.exists()


def test_a_listing_in_review_is_not_installed(owner, garden, stranger):
    listing = listing_create(publisher=owner, kind="world", source_id=garden.pk, title="Tea")

    with pytest.raises(InvalidTransition):
        listing_install(listing=listing, user=stranger)


def test_a_scenario_package_goes_into_a_world_of_mine(owner, staff, garden, stranger):
    tea = garden.scenarios.get()
    listing = listing_create(publisher=owner, kind="scenario", source_id=tea.pk, title="Tea")
    listing_moderate(listing=listing, staff=staff, decision="approve")
    mine = EcosystemFactory(owner=stranger, name="My Salon")
    CharacterFactory(ecosystem=mine, name="Alice")

    install = listing_install(listing=listing, user=stranger, ecosystem=mine)

    assert install.ecosystem == mine
    assert mine.scenarios.get().title == "Tea"
    assert sorted(mine.characters.values_list("name", flat=True)) == ["Alice", "Bob"]
    assert Scenario.objects.filter(ecosystem=garden).count() == 1


def test_a_scenario_package_without_a_world_gets_a_new_one(owner, staff, garden, stranger):
    tea = garden.scenarios.get()
    listing = listing_create(publisher=owner, kind="scenario", source_id=tea.pk, title="Tea")
    listing_moderate(listing=listing, staff=staff, decision="approve")

    install = listing_install(listing=listing, user=stranger)

    assert install.ecosystem.owner == stranger
    assert install.ecosystem.origin == "Installed from Tea v1.0"


def test_into_someone_elses_world_is_not_found(owner, staff, garden, stranger):
    tea = garden.scenarios.get()
    listing = listing_create(publisher=owner, kind="scenario", source_id=tea.pk, title="Tea")
    listing_moderate(listing=listing, staff=staff, decision="approve")

    with pytest.raises(NotFound):
        listing_install(listing=listing, user=stranger, ecosystem=garden)
    assert Scenario.objects.count() == 1


def test_an_update_is_available_once_a_newer_version_is_approved(
    listing, owner, staff, garden, stranger
):
    install = listing_install(listing=listing, user=stranger)
    assert listing_update_available(install=install) is None

    CharacterFactory(ecosystem=garden, name="Carol")
    update = listing_version_create(listing=listing, publisher=owner, changelog="Carol.")
    assert listing_update_available(install=install) is None  # still in review

    listing_moderate(listing=listing, staff=staff, decision="approve")
    assert listing_update_available(install=install) == update
    assert install.ecosystem.characters.count() == 2  # nothing changes under the installer


def test_the_copys_observatory_says_where_it_came_from(listing, stranger, client):
    copy = listing_install(listing=listing, user=stranger).ecosystem
    client.force_login(stranger)

    page = client.get(reverse("observatory", args=[copy.pk]))

    assert page.status_code == 200
    assert "Installed from The Garden Party v1.0" in page.content.decode()


def test_a_character_card_is_installed_into_a_new_world(owner, staff, garden, stranger):
    alice = garden.characters.get(name="Alice")
    listing = listing_create(publisher=owner, kind="character", source_id=alice.pk, title="Alice")
    listing_moderate(listing=listing, staff=staff, decision="approve")

    install = listing_install(listing=listing, user=stranger)

    assert install.character.name == "Alice" and install.character.pk != alice.pk
    assert install.ecosystem.owner == stranger
    assert install.ecosystem.origin == "Installed from Alice v1.0"
