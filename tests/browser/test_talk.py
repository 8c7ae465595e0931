"""Talking with a character in a real browser, as issue 15's "done" tells it: a new creator
opens the demo world, walks up to Diana, sets a goal, talks (typed lines and the offered
options), sees the goal's progress and the emotional arc drawn, and finds the conversation
later by searching for what was said in other words."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecosystems.demo import ecosystem_create_from_demo
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_talk_to_diana_with_options_progress_and_arc_then_find_it_again(open_page, owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    page = open_page(owner)
    page.goto(f"/worlds/{world.pk}/")
    page.locator("#cast li", has_text="Diana").get_by_role("link", name="Talk").click()
    expect(page.get_by_role("heading", name="Talk with Diana")).to_be_visible()

    page.get_by_label("Your name").fill("Margaret")
    page.get_by_label("Your goal").fill("find out who has the locket")
    page.get_by_role("button", name="Start talking").click()
    page.get_by_label("Say something").fill("I grew roses in my garden in Kent.")
    page.get_by_role("button", name="Send").click()
    history = page.locator("#talk-history li[data-seq]")
    expect(history).to_have_count(2)  # my line and Diana's answer

    options = page.locator(".talk-options button")
    expect(options).to_have_count(3)
    texts = options.all_inner_texts()
    assert len(set(texts)) == 3, texts
    options.first.click()
    expect(history).to_have_count(4)
    expect(history.nth(2)).to_contain_text(texts[0])

    expect(page.locator("progress")).to_be_visible()
    expect(page.locator("#arc-chart")).to_be_visible()  # drawn by Chart.js over the table
    screenshot(page, "talk-diana")

    page.get_by_role("link", name="Conversations").click()
    page.get_by_label("Search your conversations by words or meaning").fill("flowers I cultivated")
    page.get_by_role("button", name="Search").click()
    # Her own line: Diana's reply may recall it too, and is found as well.
    own_line = "Margaret: “I grew roses in my garden in Kent.”"
    hit = page.locator("#search-results a", has_text=own_line)
    expect(hit).to_be_visible()
    hit.click()
    expect(page.get_by_role("heading", name="Talk with Diana")).to_be_visible()
    expect(history).to_have_count(4)
