"""Publishing in a real browser: the owner of a world follows "Publish to marketplace" from
the world's page, fills the form with a cover picture and lands on the listing, in review,
with the cover shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from marketplace.models import Listing
from tests.browser.conftest import screenshot
from tests.factories import CharacterFactory, EcosystemFactory
from tests.marketplace.pictures import picture

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_the_owner_publishes_a_world_with_a_cover_and_sees_it_pending_review(
    open_page, owner, tmp_path
):
    world = EcosystemFactory(owner=owner, name="The Rose Garden", description="Roses, rivals.")
    CharacterFactory(ecosystem=world, name="Alice")
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(picture((2400, 1350), "JPEG"))
    page = open_page(owner)

    page.goto(f"/worlds/{world.pk}/")
    page.get_by_role("link", name="Publish to marketplace").click()
    expect(page.get_by_role("heading", name="Publish to the marketplace")).to_be_visible()
    expect(page.get_by_label("Kind")).to_have_value("world")
    expect(page.get_by_label("World")).to_have_value(str(world.pk))
    expect(page.get_by_label("Title")).to_have_value("The Rose Garden")
    page.get_by_label("Title").fill("The Rose Garden Party")
    page.get_by_label("Summary").fill("Six guests, one locket, a great many roses.")
    page.get_by_label("Description").fill("A cozy drama in an English garden.")
    page.get_by_label("Tags").fill("romance, cozy")
    page.get_by_label("Genre").fill("drama")
    page.get_by_label("Licence").select_option(label="CC BY-SA 4.0")
    page.get_by_label("Mature content").uncheck()
    page.get_by_label("Cover image").set_input_files(str(cover))
    page.get_by_label("Changelog").fill("First version: six guests.")
    screenshot(page, "marketplace-publish")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_role("heading", name="The Rose Garden Party")).to_be_visible()
    expect(page.locator(".message.success")).to_contain_text("Submitted for review")
    expect(page.get_by_text("Pending review").first).to_be_visible()
    image = page.get_by_role("img", name="Cover of The Rose Garden Party")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 1200
    screenshot(page, "marketplace-published")
    listing = Listing.objects.get()
    assert (listing.status, listing.licence, listing.tags) == (
        Listing.Status.PENDING_REVIEW,
        "cc-by-sa-4.0",
        ["romance", "cozy"],
    )
    assert listing.cover_type == "image/jpeg"
    assert page.url.endswith(f"/marketplace/{listing.pk}/")
