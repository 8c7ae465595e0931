"""The analytics pages in a real browser: the staff platform page and a world's analytics page
draw their charts from the page's data with no console error (``open_page`` fails the test on
any), and the tables stay when JavaScript is off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.services.ticks import ecosystem_run_ticks
from stories.services import stories_sift
from tests.browser.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

PLATFORM = "/admin/stories/story/platform/"
CHARTS = ("people", "interactions", "stories", "api")


@pytest.fixture
def busy_world(owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    ecosystem_run_ticks(ecosystem=world, ticks=3)
    stories_sift(ecosystem_id=world.pk)
    return world


def test_staff_see_the_platform_charts(open_page, staff, busy_world):
    UserFactory()
    page = open_page(staff)

    page.goto("/admin/")
    page.get_by_role("link", name="Platform analytics").click()

    expect(page).to_have_url(f"{page.url.split('/admin/')[0]}{PLATFORM}")
    for chart in CHARTS:
        expect(page.locator(f"#platform-chart-{chart}")).to_be_visible()
    drawn = page.evaluate(
        "['people', 'interactions'].map("
        "id => window.Chart.getChart('platform-chart-' + id).data.datasets[0].data.at(-1))"
    )
    assert drawn[0] >= 3  # today's sign-ups: the owner, staff and one more at least
    assert drawn[1] > 0  # the demo world's interactions today
    expect(page.locator("#platform-running")).to_contain_text("Worlds running now")
    screenshot(page, "admin-platform-analytics")


def test_the_owner_sees_the_world_charts_and_without_javascript_the_tables(
    open_page, owner, busy_world
):
    page = open_page(owner)
    page.goto(f"/worlds/{busy_world.pk}/analytics/")
    for chart in ("genre", "status", "interactions", "ticks", "engagement"):
        expect(page.locator(f"#analytics-chart-{chart}")).to_be_visible()
    assert (
        page.evaluate("window.Chart.getChart('analytics-chart-interactions').data.datasets.length")
        > 0
    )
    screenshot(page, "world-analytics")

    bare = open_page(owner, java_script_enabled=False)
    bare.goto(f"/worlds/{busy_world.pk}/analytics/")
    expect(bare.locator("#analytics-charts")).to_be_hidden()
    expect(bare.locator("#analytics-characters tbody tr").first).to_be_visible()
    expect(bare.locator("#analytics-days tbody tr")).to_have_count(30)
