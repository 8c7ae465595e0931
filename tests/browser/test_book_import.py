"""Importing a book in a real browser (issue 17): a creator uploads a short story, watches the
progress bar (live over the socket, the analysis run by a real Celery worker) reach done,
unticks one person in the review, creates the world and sees it with the others."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecosystems.models import BookImport, Ecosystem
from tests.browser.conftest import screenshot
from tests.ecosystems.imports.books import story_docx

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

ANALYSIS_MS = 90_000  # worker start-up on a busy machine, then the analysis


def test_upload_a_story_watch_it_reach_done_untick_one_and_create_the_world(
    open_page, worker, owner, tmp_path
):
    book = tmp_path / "lighthouse.docx"
    book.write_bytes(story_docx())
    page = open_page(owner)
    page.goto("/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import a book").click()
    expect(page.get_by_role("heading", name="Import a book")).to_be_visible()

    page.get_by_label("The book").set_input_files(str(book))
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page.locator("#import-bar")).to_be_visible()
    book_import = BookImport.objects.get(owner=owner)
    assert page.url.endswith(f"/imports/{book_import.pk}/")

    # The bar fills and the page turns to the review by itself once the analysis is done.
    expect(page.get_by_role("heading", name="The cast")).to_be_visible(timeout=ANALYSIS_MS)
    expect(page.locator("#import-status")).to_have_text("Done")
    expect(page.locator("#import-percent")).to_have_text("100 %")
    assert page.locator("#import-bar").evaluate("bar => bar.value") == 1

    people = page.locator(".cast-member")
    ticked = [
        people.nth(i).get_attribute("data-name")
        for i in range(people.count())
        if people.nth(i).locator("input[type=checkbox]").is_checked()
    ]
    assert len(ticked) >= 2, ticked
    assert any("Mara" in name for name in ticked), ticked
    left_out = ticked[-1]
    page.get_by_label(f"Keep {left_out}").uncheck()
    screenshot(page, "book-import-review")
    page.get_by_role("button", name="Create world").click()

    expect(page.get_by_role("heading", name="Observatory")).to_be_visible()
    world = Ecosystem.objects.get(owner=owner)
    assert page.url.endswith(f"/worlds/{world.pk}/")
    cast = page.locator("#cast")
    for name in ticked[:-1]:
        expect(cast.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(cast.get_by_role("link", name=left_out, exact=True)).to_have_count(0)
    expect(page.locator(".messages")).to_contain_text("was made from the book with")
    screenshot(page, "book-import-world")
