"""The marketplace's whole journey in a real browser, as issue 14 tells it: a creator publishes
the demo world from the Studio's form, staff approve it in /admin/, a second user finds it by a
misspelt title, installs it, watches their copy run and rates it, and the publisher sees the
install and the rating on /marketplace/mine/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from billing.models import Plan
from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.models import Ecosystem
from marketplace.models import Install, Listing
from tests.browser.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

WARM_UP_MS = 60_000  # worker and beat start-up on a busy CI machine


@pytest.fixture
def player(db):
    """A second user on the Pro plan: the demo's six characters are over Free's five."""
    user = UserFactory(username="player")
    user.subscription.plan = Plan.objects.get(code="pro")
    user.subscription.save(update_fields=["plan"])
    return user


def test_publish_approve_find_install_run_rate_and_see_it(
    open_page, console, worker, owner, staff, player
):
    world = ecosystem_create_from_demo(owner=owner).ecosystem

    # The creator publishes the demo world from the link beside the world's export.
    creator = open_page(owner)
    creator.goto(f"/worlds/{world.pk}/")
    creator.get_by_role("link", name="Publish to marketplace").click()
    expect(creator.get_by_label("World")).to_have_value(str(world.pk))
    creator.get_by_label("Title").fill("The Garden Party")
    creator.get_by_label("Summary").fill("Six guests, one long afternoon and a missing locket.")
    creator.get_by_label("Tags").fill("mystery, cozy")
    creator.get_by_label("Genre").fill("mystery")
    creator.get_by_label("Licence").select_option(label="CC BY 4.0")
    creator.get_by_role("button", name="Submit for review").click()
    expect(creator.get_by_role("heading", name="The Garden Party")).to_be_visible()
    expect(creator.get_by_text("Pending review").first).to_be_visible()
    listing = Listing.objects.get(publisher=owner)
    assert listing.status == Listing.Status.PENDING_REVIEW

    # Staff approve it from the moderation queue in the admin.
    moderator = open_page(staff)
    moderator.goto("/admin/marketplace/listing/")
    row = moderator.locator("#result_list tbody tr", has_text="The Garden Party")
    row.locator("input[name=_selected_action]").check()
    moderator.locator("select[name=action]").select_option(label="Approve the version in review")
    moderator.get_by_role("button", name="Go").click()
    expect(moderator.locator(".messagelist")).to_contain_text("Approved")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.APPROVED

    # A second user finds it by a misspelt title, installs it and watches it run.
    page = open_page(player)
    page.goto("/marketplace/")
    page.get_by_label("Search listings").fill("Gardn Prty")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="The Garden Party").click()
    expect(page.get_by_text("Diana").first).to_be_visible()  # the cast is previewed
    page.get_by_role("button", name="Install v1.0").click()
    expect(page.get_by_role("heading", name="Observatory")).to_be_visible()
    copy = Install.objects.get(user=player).ecosystem
    assert copy.owner == player and copy.pk != world.pk
    assert copy.characters.count() == 6
    Ecosystem.objects.filter(pk=copy.pk).update(tick_interval_seconds=1)
    page.get_by_role("button", name="Start world").click()
    page.wait_for_function(
        "Number(document.getElementById('fig-tick').textContent) >= 1", timeout=WARM_UP_MS
    )

    # ... and rates it.
    page.goto(f"/marketplace/{listing.pk}/")
    page.locator("#review input[name=rating][value='5']").check()
    page.get_by_label("Your review").fill("Diana's secret kept me up all night.")
    page.get_by_role("button", name="Publish review").click()
    expect(page.get_by_text("your review is published")).to_be_visible()

    # The publisher sees the install and the rating.
    creator.goto("/marketplace/mine/")
    card = creator.locator("section.my-listing", has_text="The Garden Party")
    expect(card.locator("dt:text-is('Installs') + dd")).to_have_text("1")
    expect(card.locator("dt:text-is('Rating') + dd")).to_contain_text("5.0")
    screenshot(creator, "marketplace-journey-mine")
    # The original stays the publisher's alone: the installer never got access to it.
    assert Ecosystem.objects.get(pk=world.pk).owner == owner
    console.allowed.append(f"/worlds/{world.pk}/: Failed to load resource")  # the 404 below
    blocked = page.goto(f"/worlds/{world.pk}/")
    assert blocked is not None and blocked.status == 404
