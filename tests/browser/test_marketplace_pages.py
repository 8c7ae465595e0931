"""The marketplace pages in a real browser: a visitor finds a listing by a misspelt title and
sees its relationship graph drawn; the publisher sees their charts; without JavaScript the
tables say the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import ListingDay
from tests.browser.conftest import screenshot
from tests.factories import ApprovedListingFactory, InstallFactory, ReviewFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

WORLD = {
    "format": "dramatis.world",
    "characters": [
        {"ref": "rosa", "name": "Rosa", "openness": 0.8, "first_message": "The roses are mine."},
        {"ref": "ivy", "name": "Ivy", "agreeableness": 0.2, "speaking_style": "Sharp."},
        {"ref": "tom", "name": "Tom", "extraversion": 0.9},
    ],
    "relationships": [
        {"source": "rosa", "target": "ivy", "kind": "rival", "strength": -0.6},
        {"source": "tom", "target": "rosa", "kind": "romantic_interest", "strength": 0.7},
    ],
    "scenarios": [
        {"title": "Tea on the lawn", "objectives": {"primary": "Win the rose show",
                                                    "hidden": ["Ivy poisons the roses"]}}
    ],
}  # fmt: skip


@pytest.fixture
def garden(owner):
    listing = ApprovedListingFactory(
        publisher=owner,
        title="The Garden Party",
        summary="Six guests, one locket, a great many roses.",
        tags=["romance", "cozy"],
        genre="drama",
        featured=True,
        content=WORLD,
    )
    ApprovedListingFactory(title="Space Pirates", tags=["scifi"])
    for days_ago, views in ((3, 5), (1, 9), (0, 4)):
        day = timezone.now().date() - dt.timedelta(days=days_ago)
        ListingDay.objects.create(listing=listing, day=day, views=views, installs=1)
    InstallFactory(listing=listing)
    ReviewFactory(listing=listing, rating=5, text="Delightful.")
    return listing


def test_a_visitor_finds_the_garden_party_by_a_misspelt_title_and_sees_its_graph(open_page, garden):
    page = open_page()
    page.goto("/marketplace/")
    page.get_by_label("Search listings").fill("Gardn Party")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="The Garden Party")).to_be_visible()
    expect(page.get_by_role("link", name="Space Pirates")).to_have_count(0)
    screenshot(page, "marketplace-search")

    page.get_by_role("link", name="The Garden Party").click()
    expect(page.get_by_role("heading", name="The Garden Party")).to_be_visible()
    expect(page.locator("#graph canvas").first).to_be_visible()
    expect(page.get_by_text("Win the rose show")).to_be_visible()
    expect(page.get_by_text("poisons")).to_have_count(0)
    screenshot(page, "marketplace-listing")


def test_the_publisher_sees_views_installs_and_rating_charts(open_page, owner, garden):
    page = open_page(owner)
    page.goto("/marketplace/mine/")
    expect(page.locator(f"#chart-{garden.pk}")).to_be_visible()
    screenshot(page, "marketplace-mine")


def test_without_javascript_the_relationships_are_a_table(open_page, garden):
    page = open_page(java_script_enabled=False)
    page.goto(f"/marketplace/{garden.pk}/")
    expect(page.locator("#graph")).to_be_hidden()
    table = page.locator("#rel-details table")
    expect(table).to_be_visible()
    expect(table).to_contain_text("Rosa")
    expect(table).to_contain_text("rival")
