"""Two people in one room with two characters (issue 15's browser test): each sees the other's
words, the other typing and the characters composing and replying; one drops the connection,
misses messages, and resumes without loss or duplicates. Without JavaScript the room still
works by form posts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ecosystems.models import Ecosystem
from tests.browser.conftest import screenshot
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def _seqs(page) -> list[int]:
    return [int(s) for s in page.locator("#room-messages li[data-seq]").evaluate_all(
        "items => items.map(i => i.dataset.seq)")]  # fmt: skip


def _join(page, world, room_title: str, name: str) -> None:
    page.goto(f"/worlds/{world.pk}/rooms/")
    page.get_by_role("link", name=room_title).click()
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")


def test_two_people_talk_with_two_characters_live_and_resume_after_a_drop(
    open_page, owner, stranger
):
    world = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC)
    CharacterFactory(ecosystem=world, name="Alice")
    CharacterFactory(ecosystem=world, name="Bob")

    mine = open_page(owner)
    mine.goto(f"/worlds/{world.pk}/")
    mine.get_by_role("link", name="Rooms").click()
    mine.get_by_label("Title").fill("The tea party")
    mine.get_by_label("Alice").check()
    mine.get_by_label("Bob").check()
    mine.get_by_role("button", name="Open room").click()
    mine.get_by_label("Your name").fill("Olga")
    mine.get_by_role("button", name="Join").click()
    expect(mine.locator("#connection")).to_have_attribute("data-state", "live")

    theirs = open_page(stranger)  # a visitor of the public world
    _join(theirs, world, "The tea party", "Victor")
    expect(mine.locator("#room-messages")).to_contain_text("Victor joined the room.")
    expect(mine.locator("#room-people")).to_contain_text("Victor")
    expect(theirs.locator("#room-people")).to_contain_text("Olga")

    theirs.get_by_label("Say something").press_sequentially("Hello")
    expect(mine.locator("#typing")).to_have_text("Victor is typing…")
    theirs.get_by_label("Say something").fill("Hello Alice and Bob, you look lovely today.")
    theirs.get_by_role("button", name="Send").click()
    expect(mine.locator("#typing")).to_contain_text(re.compile("(Alice|Bob) is composing"))
    for page in (mine, theirs):
        expect(page.locator("#room-messages")).to_contain_text("Victor: Hello Alice and Bob")
        expect(page.locator("#room-messages li.turn-character")).to_have_count(2)
    expect(mine.locator("#room-messages li.turn-character").first).to_contain_text(
        re.compile("^(Alice|Bob):")
    )

    mine.get_by_label("Say something").fill("Welcome, Victor.")
    mine.get_by_role("button", name="Send").click()
    expect(theirs.locator("#room-messages")).to_contain_text("Olga: Welcome, Victor.")
    expect(theirs.locator("#room-messages li.turn-character")).to_have_count(4)
    seen = _seqs(theirs)

    # Victor's connection drops; Olga goes on talking; Victor comes back.
    theirs.context.set_offline(True)
    theirs.evaluate("window.dramatisRoom.drop()")
    expect(theirs.locator("#connection")).to_have_attribute("data-state", "reconnecting")
    mine.get_by_label("Say something").fill("Victor, are you still there?")
    mine.get_by_role("button", name="Send").click()
    expect(mine.locator("#room-messages li.turn-character")).to_have_count(6)
    theirs.context.set_offline(False)

    expect(theirs.locator("#connection")).to_have_attribute("data-state", "live", timeout=20_000)
    expect(theirs.locator("#room-messages")).to_contain_text("Olga: Victor, are you still there?")
    expect(theirs.locator("#room-messages li.turn-character")).to_have_count(6)
    after = _seqs(theirs)
    assert after == list(range(1, after[-1] + 1))  # every message, once, in order
    assert after[: len(seen)] == seen
    assert after == _seqs(mine)
    screenshot(mine, "room")


def test_without_javascript_the_room_works_by_posting_forms(open_page, owner):
    world = EcosystemFactory(owner=owner)
    CharacterFactory(ecosystem=world, name="Alice")
    page = open_page(owner, java_script_enabled=False)
    page.goto(f"/worlds/{world.pk}/rooms/")
    page.get_by_label("Title").fill("Quiet room")
    page.get_by_label("Alice").check()
    page.get_by_role("button", name="Open room").click()
    page.get_by_label("Your name").fill("Olga")
    page.get_by_role("button", name="Join").click()

    page.get_by_label("Say something").fill("Good evening, Alice.")
    page.get_by_role("button", name="Send").click()

    expect(page.locator("#room-messages")).to_contain_text("Olga: Good evening, Alice.")
    expect(page.locator("#room-messages li.turn-character")).to_have_count(1)
