"""Who else watches a world, on the Observatory: the owner sees names, a visitor of a public
world the count, and both see it change when someone comes or goes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecosystems.models import Ecosystem
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_the_observatory_shows_who_else_is_watching(open_page, owner, stranger):
    world = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC)
    CharacterFactory(ecosystem=world, name="Alice")
    mine = open_page(owner)
    mine.goto(f"/worlds/{world.pk}/")
    expect(mine.locator("#viewers")).to_have_text("Only you are watching")

    theirs = open_page(stranger)
    theirs.goto(f"/worlds/{world.pk}/")
    expect(mine.locator("#viewers")).to_have_text("2 watching now: owner, stranger")
    expect(theirs.locator("#viewers")).to_have_text("2 watching now")

    theirs.close()
    expect(mine.locator("#viewers")).to_have_text("Only you are watching")
