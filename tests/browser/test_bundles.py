"""A world bundle in a real browser: the owner downloads it from the world's page and another
creator imports the downloaded file from their dashboard."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from billing.models import Plan, Subscription
from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.models import Ecosystem

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_a_downloaded_bundle_imports_on_another_dashboard(open_page, owner, stranger, tmp_path):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    Subscription.objects.filter(user=stranger).update(plan=Plan.objects.get(code="pro"))
    page = open_page(owner, accept_downloads=True)
    page.goto(f"/worlds/{world.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Export bundle").click()
    download = info.value
    assert download.suggested_filename == f"{world.slug}.dramatis.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert json.loads(path.read_text())["world"]["name"] == "The Garden Party"

    theirs = open_page(stranger)
    theirs.goto("/dashboard/")
    theirs.get_by_label("Bundle file").set_input_files(str(path))
    theirs.get_by_label("Name of the new world").fill("Our garden")
    theirs.get_by_role("button", name="Import the world").click()

    expect(theirs.locator(".message.success")).to_contain_text("Our garden was imported")
    copy = Ecosystem.objects.get(owner=stranger)
    assert copy.characters.count() == 6 and copy.relationships.count() == 10
