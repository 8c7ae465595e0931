"""Story pages: the board, the chapter reader, notes, exports and "watch live"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecosystems.models import Ecosystem
from ecosystems.services import interaction_process
from stories.models import Story, StoryExport
from stories.services import stories_sift
from tests.factories import CharacterFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world, alice) -> Story:
    """Alice and Bob quarrel, and the sifter notices."""
    bob = CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.2, neuroticism=0.7)
    for i, act in enumerate(("insult", "insult", "threaten")):
        first, second = (alice, bob) if i % 2 == 0 else (bob, alice)
        interaction_process(initiator=first, target=second, interaction_type=act)
    stories_sift(ecosystem_id=world.pk)
    return Story.objects.get(ecosystem=world)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def test_the_board_shows_each_story_with_status_tension_beats_and_links(owner_client, story):
    world = story.ecosystem

    response = owner_client.get(reverse("story-board", args=[world.pk]))

    assert story.title in response.text
    assert story.get_status_display() in response.text
    assert f'value="{story.tension}"' in response.text
    assert story.beats.first().text in response.text
    assert f"{reverse('observatory', args=[world.pk])}?watch={story.pk}" in response.text


def test_a_story_card_renders_alone_for_the_live_board(owner_client, story):
    world = story.ecosystem

    response = owner_client.get(reverse("story-card", args=[world.pk, story.pk]))

    assert response.status_code == 200
    assert response.text.strip().startswith("<article")
    assert f'data-story="{story.pk}"' in response.text and story.title in response.text


def test_the_board_filters_by_status(owner_client, story):
    response = owner_client.get(
        reverse("story-board", args=[story.ecosystem.pk]), {"status": "resolved"}
    )

    assert story.title not in response.text


def test_the_reader_shows_the_chapters_and_the_observatory_counts_the_thread(owner_client, story):
    world = story.ecosystem

    reader = owner_client.get(reverse("story-detail", args=[world.pk, story.pk]))
    observatory = owner_client.get(reverse("observatory", args=[world.pk]))

    assert reader.context["chapters"]
    assert reader.context["chapters"][0].title in reader.text
    assert observatory.context["story_threads"] == 1


def test_watching_a_story_filters_the_feed_to_its_cast(owner_client, story, world):
    outsider = CharacterFactory(ecosystem=world, name="Zed")
    other = CharacterFactory(ecosystem=world, name="Yara")
    interaction_process(initiator=outsider, target=other, interaction_type="greeting")

    response = owner_client.get(reverse("observatory", args=[world.pk]), {"watch": story.pk})

    assert response.context["watch"].title == story.title
    assert all("Zed" not in item.line for item in response.context["feed"])
    assert response.context["feed"]


def test_the_owner_saves_notes(owner_client, story):
    owner_client.post(
        reverse("story-notes", args=[story.ecosystem.pk, story.pk]), {"notes": "Bob started it."}
    )

    story.refresh_from_db()
    assert story.notes == "Bob started it."


def test_an_export_downloads_the_file_and_counts_it(owner_client, owner, story):
    response = owner_client.post(
        reverse("story-export", args=[story.ecosystem.pk, story.pk]), {"format": "md"}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert story.title in response.content.decode()
    assert StoryExport.objects.filter(user=owner, story=story).count() == 1


def test_the_fourth_export_on_the_free_plan_says_how_to_lift_the_limit(owner_client, story):
    url = reverse("story-export", args=[story.ecosystem.pk, story.pk])
    for _ in range(3):
        owner_client.post(url, {"format": "json"})

    response = owner_client.post(url, {"format": "json"}, follow=True)

    assert "allows 3 story exports a month" in response.text


def test_readers_of_a_public_world_read_stories_but_cannot_export_or_annotate(client, story):
    world = story.ecosystem
    world.visibility = Ecosystem.Visibility.PUBLIC
    world.save()
    client.force_login(UserFactory())

    reader = client.get(reverse("story-detail", args=[world.pk, story.pk]))
    export = client.post(reverse("story-export", args=[world.pk, story.pk]), {"format": "md"})
    notes = client.post(reverse("story-notes", args=[world.pk, story.pk]), {"notes": "Mine!"})

    assert reader.status_code == 200
    assert "Save notes" not in reader.text
    assert (export.status_code, notes.status_code) == (403, 403)
    story.refresh_from_db()
    assert story.notes == ""


def test_a_stranger_gets_404_for_the_stories_of_a_private_world(client, stranger, story):
    client.force_login(stranger)
    world = story.ecosystem

    assert client.get(reverse("story-board", args=[world.pk])).status_code == 404
    assert client.get(reverse("story-detail", args=[world.pk, story.pk])).status_code == 404
    assert client.get(reverse("story-card", args=[world.pk, story.pk])).status_code == 404
    assert (
        client.post(
            reverse("story-export", args=[world.pk, story.pk]), {"format": "md"}
        ).status_code
        == 404
    )
