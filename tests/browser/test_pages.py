"""The creator's pages in a real browser, with the stream on the real channel layer.

The world here is not running (no worker needed): what changes it is the owner, through the
pages, and the test itself through the services, as a tick would.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.events import builders, publish
from ecosystems.models import Event, Interaction, Scenario
from ecosystems.services import (
    ecosystem_run_ticks,
    interaction_process,
    memories_embed_missing,
    memory_consolidate,
    memory_reflect,
)
from ecosystems.services.director import scenario_create, scenario_start
from stories.models import Story
from stories.services import stories_sift
from tests.browser.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


@pytest.fixture
def garden(owner):
    """The owner's own copy of the demo world, all six guests."""
    return ecosystem_create_from_demo(owner=owner).ecosystem


def character(world, name):
    return world.characters.get(name=name)


def feed_seqs(page) -> list[int]:
    return [int(s) for s in page.locator("#feed li[data-seq]").evaluate_all(
        "items => items.map(i => i.dataset.seq)"
    )]  # fmt: skip


def observe(open_page, user, world, **options):
    page = open_page(user, **options)
    page.goto(f"/worlds/{world.pk}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    return page


def test_an_intervention_from_the_page_produces_the_interaction(open_page, owner, garden):
    page = observe(open_page, owner, garden)
    meet = page.locator("form.intervene").filter(has=page.get_by_role("heading", name="Make two"))
    meet.get_by_label("Who").select_option(label="Alice")
    meet.get_by_label("Meets").select_option(label="Eve")

    meet.get_by_role("button", name="Bring them together").click()

    expect(page.locator("#act-result")).to_have_attribute("data-ok", "yes")
    bubble = page.locator("#conversation .bubble").first
    expect(bubble).to_contain_text("Alice")
    expect(bubble).to_contain_text("Eve")
    expect(page.locator("#feed")).to_contain_text("Alice and Eve were brought together")
    assert Interaction.objects.filter(
        initiator__name="Alice", target__name="Eve", ecosystem=garden
    ).exists()


def test_a_whisper_is_sent_with_the_keyboard_alone(open_page, owner, garden):
    page = observe(open_page, owner, garden)

    page.locator("#whisper-first").focus()
    page.keyboard.press("End")  # the last guest in the list: Frank
    page.keyboard.press("Tab")
    page.keyboard.type("Find out who took the locket")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.locator("#act-result")).to_contain_text("Frank had a thought")
    expect(page.locator("#feed li").first).to_contain_text("Frank had a thought")


def test_two_tabs_see_the_same_change(open_page, owner, garden):
    first = observe(open_page, owner, garden)
    second = observe(open_page, owner, garden)

    first.locator("#event-kind").select_option("storm")
    first.get_by_role("button", name="Make it happen").click()

    for page in (first, second):
        expect(page.locator("#announcer")).to_contain_text("storm", ignore_case=True)
        expect(page.locator("#conversation .bubble")).to_have_count(3)
    assert feed_seqs(first) == feed_seqs(second)
    event = Event.objects.get(ecosystem=garden, kind="director_intervention")
    assert event.seq in feed_seqs(second)


def test_the_director_starts_a_scenario_and_the_observatory_announces_it(open_page, owner, garden):
    observatory = observe(open_page, owner, garden)
    director = open_page(owner)
    director.goto(f"/worlds/{garden.pk}/director/")
    form = director.locator("form.scenario-form")
    form.get_by_label("Title").fill("The locket affair")
    form.get_by_label("Mood").fill("tense")
    form.get_by_label("Alice").check()
    form.get_by_label("Diana").check()
    form.get_by_label("Primary objective").fill("Find Lady Ashworth's locket")
    form.get_by_label("Hidden objectives").fill("Keep the locket hidden")
    form.get_by_role("button", name="Save the scenario").click()
    expect(director.locator(".message.success")).to_contain_text("The locket affair")

    director.get_by_role("button", name="Start The locket affair").click()

    expect(director.locator(".message.success")).to_contain_text("has started")
    expect(observatory.locator("#announcer")).to_contain_text(
        "Scenario started: The locket affair — Find Lady Ashworth's locket"
    )
    expect(observatory.locator("#feed li").first).to_contain_text("Scenario started")
    expect(director.get_by_role("cell", name="Keep the locket hidden")).to_have_count(1)
    screenshot(director, "director")
    assert Scenario.objects.get(ecosystem=garden).status == Scenario.Status.ACTIVE


def test_the_story_board_shows_a_new_story_and_its_updates_without_a_reload(
    open_page, owner, garden
):
    page = open_page(owner)
    page.goto(f"/worlds/{garden.pk}/stories/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    eve, diana = character(garden, "Eve"), character(garden, "Diana")
    quarrel = [("argue", eve, diana), ("insult", diana, eve)]

    for act, a, b in quarrel:  # as a tick would
        interaction_process(initiator=a, target=b, interaction_type=act)
    stories_sift(ecosystem_id=garden.pk)

    story = Story.objects.get(ecosystem=garden, participants=eve)
    card = page.locator(f'[data-story="{story.pk}"]')
    expect(card).to_contain_text(story.title)
    expect(page.locator("#announcer")).to_contain_text(story.title)
    interaction_process(initiator=eve, target=diana, interaction_type="threaten")
    stories_sift(ecosystem_id=garden.pk)
    expect(card.locator(".beats")).to_contain_text("Eve threatened Diana")
    expect(page.locator("article.story")).to_have_count(1)  # swapped in place, not added twice


def test_objective_progress_moves_live_on_the_director(open_page, owner, garden):
    cast = [str(c.pk) for c in garden.characters.filter(name__in=["Alice", "Bob", "Eve"])]
    scenario = scenario_create(
        ecosystem=garden, title="Tea for three", character_ids=cast,
        objectives={"primary": "Find the locket", "subplots": ["Make a friend of Eve"]},
    )  # fmt: skip
    scenario_start(scenario=scenario)
    page = open_page(owner)
    page.goto(f"/worlds/{garden.pk}/director/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    bars = page.locator("progress[data-goal-key]")
    expect(bars).to_have_count(6)
    assert bars.evaluate_all("bars => bars.map(b => b.value)") == [0] * 6

    ecosystem_run_ticks(ecosystem=garden, ticks=15)  # as the worker would, published live

    page.wait_for_function(
        "[...document.querySelectorAll('progress[data-goal-key]')].some(b => b.value > 0)"
    )


def test_directing_a_scene_plays_it_and_the_reply_comes_back(open_page, owner, garden):
    page = open_page(owner)
    page.goto(f"/worlds/{garden.pk}/director/")
    page.get_by_label("Initiator").select_option(label="Charlie")
    page.get_by_label("With", exact=True).select_option(label="Diana")
    page.get_by_label("Interaction").select_option("compliment")
    page.get_by_label("What they say").fill("Your roses put the whole county to shame.")

    page.get_by_role("button", name="Play the scene").click()

    expect(page.locator("#scene-result")).to_contain_text("Charlie will compliment Diana")
    interaction = Interaction.objects.get(ecosystem=garden, initiator__name="Charlie")
    assert interaction.content == "Your roses put the whole county to shame."


def log_event(world, text: str) -> None:
    """Log one event as any service would (the log, then the channel layer after commit)."""
    with transaction.atomic():
        publish(ecosystem=world, events=[builders.director_intervention(
            kind="custom", text=text, reason="A test.", source="user", characters=[]
        )])  # fmt: skip


def test_a_reconnect_resumes_from_the_last_seq_with_nothing_lost_or_doubled(
    open_page, owner, garden
):
    page = observe(open_page, owner, garden)
    log_event(garden, "Before")
    expect(page.locator("#feed li").first).to_contain_text("Before")

    page.evaluate("window.Dramatis.stream.drop()")
    expect(page.locator("#connection")).to_have_attribute("data-state", "reconnecting")
    for n in range(3):  # logged while the page is away
        log_event(garden, f"Away {n}")

    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(page.locator("#feed li").first).to_contain_text("Away 2")
    logged = list(Event.objects.filter(ecosystem=garden).values_list("seq", flat=True))
    assert sorted(feed_seqs(page)) == logged  # every event once, none doubled


def test_a_stranger_cannot_open_a_private_world(open_page, console, owner, garden):
    console.allowed.append("404")  # the browser logs the 404 response itself
    page = open_page(UserFactory(username="stranger"))

    for path in ("", "director/", "stories/", f"characters/{character(garden, 'Eve').pk}/"):
        response = page.goto(f"/worlds/{garden.pk}/{path}")
        assert response.status == 404, path
    page.goto("/dashboard/")
    expect(page.get_by_role("link", name="The Garden Party")).to_have_count(0)


def test_the_pages_work_without_javascript(open_page, owner, garden):
    page = open_page(owner, java_script_enabled=False)
    page.goto(f"/worlds/{garden.pk}/")
    form = page.locator("form.intervene").first
    form.locator("#whisper-first").select_option(label="Bob")
    form.locator("#whisper-text").fill("Apologise to Alice")

    form.get_by_role("button", name="Whisper").click()

    expect(page.locator(".message.success")).to_contain_text("Bob had a thought")
    expect(page.locator("#feed li").first).to_contain_text("Bob had a thought")
    expect(page.locator("#rel-details table")).to_be_visible()


def test_every_page_renders_cleanly_and_is_captured(open_page, owner, garden):
    from stories.services import stories_sift

    ecosystem_run_ticks(ecosystem=garden, ticks=40)
    stories_sift(ecosystem_id=garden.pk)
    story = garden.stories.order_by("-tension").first()
    alice = character(garden, "Alice")
    # What the worker does after ticks: embed the memories, reflect, consolidate.
    memories_embed_missing(ecosystem=garden)
    alice.importance_since_reflection = 1_000  # the budget is spent: reflect now
    alice.save(update_fields=["importance_since_reflection"])
    memory_reflect(character=alice)
    memory_consolidate(character=alice)
    page = open_page(owner)

    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Your worlds")).to_be_visible()
    screenshot(page, "dashboard")
    page.goto(f"/worlds/{garden.pk}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(page.locator("#graph canvas").first).to_be_visible()
    page.wait_for_timeout(300)  # the circle layout settles
    screenshot(page, "observatory")
    page.goto(f"/worlds/{garden.pk}/stories/")
    screenshot(page, "story-board")
    if story is not None:
        page.goto(f"/worlds/{garden.pk}/stories/{story.pk}/")
        expect(page.locator(".chapter").first).to_be_visible()
        screenshot(page, "story-reader")
    page.goto(f"/worlds/{garden.pk}/characters/{alice.pk}/")
    expect(page.locator("#emotion-chart")).to_be_visible()
    page.locator(".relationships details summary").first.click()
    page.locator("#reflect-title ~ ol details summary").first.click()
    screenshot(page, "character")
    page.get_by_label("Search by meaning").fill("a joke that made me laugh")
    page.get_by_label("Search by meaning").press("Enter")
    expect(page.locator("#search-results li").first).to_be_visible()
    screenshot(page, "memory-search", "#memories")
    assert story is not None, "forty ticks of the demo should make at least one story"


def test_the_observatory_fits_a_phone(open_page, owner, garden):
    page = observe(open_page, owner, garden, viewport={"width": 390, "height": 844})

    width = page.evaluate("document.documentElement.scrollWidth")

    assert width <= 390
    screenshot(page, "observatory-phone")
    assert re.search(r"Live", page.locator("#connection").inner_text())
