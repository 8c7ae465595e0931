"""The Society page in the browser: the demo world's circles drawn and tabled, updated live
after a tick (a real Celery worker takes the snapshot and the stream announces it), and a
stranger turned away."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.services.ticks import ecosystem_run_ticks
from tests.browser.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

SNAPSHOT_WAIT_MS = 60_000  # the worker's start-up on a busy machine, then a 1 s debounce


def test_the_society_page_shows_the_demo_worlds_circles_and_updates_after_a_tick(
    open_page, worker, owner
):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    page = open_page(owner)
    page.goto(f"/worlds/{world.pk}/")
    page.get_by_role("link", name="Society").click()

    expect(page.get_by_role("heading", name="Society", level=1)).to_be_visible()
    expect(page.locator("#communities tbody tr[data-community]").first).to_be_visible()
    expect(page.locator("#society-graph")).to_be_visible()
    expect(page.locator("#society-graph canvas").first).to_be_attached()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    assert page.locator("#snapshot-info").get_attribute("data-snapshot") == ""

    ecosystem_run_ticks(ecosystem=world, ticks=1)

    expect(page.locator("#snapshot-info")).not_to_have_attribute(
        "data-snapshot", "", timeout=SNAPSHOT_WAIT_MS
    )
    expect(page.locator("#snapshot-tick")).to_have_text("1")
    expect(page.locator("#history tbody tr a")).to_have_text(["1"])
    expect(page.locator("#communities tbody tr[data-community]").first).to_be_visible()
    expect(page.locator("#findings li").first).not_to_be_empty()
    screenshot(page, "society")


def test_a_stranger_gets_404_for_a_private_worlds_society(open_page, console, owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    console.allowed.append("404")  # the browser logs the 404 response itself
    page = open_page(UserFactory(username="stranger"))

    response = page.goto(f"/worlds/{world.pk}/society/")

    assert response.status == 404
    expect(page.locator("#communities")).to_have_count(0)
