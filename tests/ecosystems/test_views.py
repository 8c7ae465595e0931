"""The creator's pages: who may see and do what, and that each page shows its world."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from billing.models import Plan
from billing.services import subscription_ensure
from characters.models import Memory
from ecosystems.models import Ecosystem, Event, Interaction, RelationshipChange, Scenario
from ecosystems.services.director import scenario_create
from tests.factories import (
    CharacterFactory,
    EcosystemFactory,
    MemoryFactory,
    RelationshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(client, stranger):
    client.force_login(stranger)
    return client


def world_pages(world, character) -> list[str]:
    return [
        reverse("observatory", args=[world.pk]),
        reverse("director", args=[world.pk]),
        reverse("story-board", args=[world.pk]),
        reverse("character", args=[world.pk, character.pk]),
    ]


def world_actions(world, character, other) -> list[tuple[str, dict]]:
    return [
        (reverse("intervene", args=[world.pk]), {"kind": "storm"}),
        (reverse("scenario-create", args=[world.pk]), {"title": "Tea"}),
        (
            reverse("scene-direct", args=[world.pk]),
            {
                "initiator": str(character.pk),
                "target": str(other.pk),
                "interaction_type": "greeting",
            },
        ),
        (reverse("ecosystem-start", args=[world.pk]), {}),
    ]


# --- permissions ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, world, alice):
    for url in world_pages(world, alice):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


def test_the_owner_opens_every_page_of_their_world(owner_client, world, alice):
    for url in world_pages(world, alice):
        assert owner_client.get(url).status_code == 200, url


def test_a_stranger_gets_404_for_every_page_and_action_of_a_private_world(
    stranger_client, world, alice, bob
):
    for url in world_pages(world, alice):
        assert stranger_client.get(url).status_code == 404, url
    for url, data in world_actions(world, alice, bob):
        assert stranger_client.post(url, data).status_code == 404, url
    assert not Event.objects.filter(ecosystem=world).exists()


def test_anyone_signed_in_reads_a_public_world_but_only_the_owner_acts(
    stranger_client, world, alice, bob
):
    world.visibility = Ecosystem.Visibility.PUBLIC
    world.save()

    for url in world_pages(world, alice):
        response = stranger_client.get(url)
        assert response.status_code == 200, url
        assert "Read only" in response.text
    observatory = stranger_client.get(reverse("observatory", args=[world.pk]))
    assert "Whisper a thought" not in observatory.text
    for url, data in world_actions(world, alice, bob):
        assert stranger_client.post(url, data).status_code in (403, 404), url
    assert not Event.objects.filter(ecosystem=world).exists()
    assert not Scenario.objects.filter(ecosystem=world).exists()


# --- dashboard --------------------------------------------------------------------------------


def test_the_dashboard_links_each_world_and_the_api_keys(owner_client, world):
    response = owner_client.get(reverse("dashboard"))

    assert reverse("observatory", args=[world.pk]) in response.text
    assert reverse("director", args=[world.pk]) in response.text
    assert "/account/api-keys/" in response.text


def test_a_creator_creates_a_world_from_scratch(owner_client, owner):
    response = owner_client.post(
        reverse("world-create"), {"name": "Harbour Town", "visibility": "private"}
    )

    world = Ecosystem.objects.get(owner=owner, name="Harbour Town")
    assert response.url == reverse("observatory", args=[world.pk])
    assert world.slug == "harbour-town"


def test_a_world_without_a_name_is_refused_with_the_reason(owner_client, owner):
    response = owner_client.post(reverse("world-create"), {"name": "", "visibility": "private"})

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not Ecosystem.objects.filter(owner=owner).exists()


def test_a_free_creator_gets_the_demo_with_the_five_characters_the_plan_allows(owner_client, owner):
    response = owner_client.post(reverse("world-create-demo"), follow=True)

    world = Ecosystem.objects.get(owner=owner)
    assert world.name == "The Garden Party"
    assert world.visibility == Ecosystem.Visibility.PRIVATE
    assert sorted(world.characters.values_list("name", flat=True)) == [
        "Alice", "Bob", "Charlie", "Diana", "Eve",
    ]  # fmt: skip
    assert world.relationships.count() == 8  # the 12 authored, less the four with Frank
    assert "Frank stayed home" in response.text


def test_the_demo_copy_counts_the_characters_a_free_creator_already_has(owner_client, owner):
    CharacterFactory(ecosystem=EcosystemFactory(owner=owner), name="Mine")
    owner_client.post(reverse("world-create-demo"))
    world = Ecosystem.objects.get(owner=owner, name="The Garden Party")
    assert world.characters.count() == 4  # five in all on free, one is taken

    response = owner_client.post(reverse("world-create-demo"), follow=True)

    assert "have them all" in response.text
    assert Ecosystem.objects.filter(owner=owner, name="The Garden Party").count() == 1


def test_a_pro_creator_gets_all_six_demo_guests_and_can_make_a_second_copy(owner_client, owner):
    subscription = subscription_ensure(user=owner)
    subscription.plan = Plan.objects.get(code="pro")
    subscription.save()

    owner_client.post(reverse("world-create-demo"))
    owner_client.post(reverse("world-create-demo"))

    worlds = Ecosystem.objects.filter(owner=owner).order_by("created_at")
    assert [w.slug for w in worlds] == ["the-garden-party", "the-garden-party-2"]
    assert worlds[0].characters.count() == 6


# --- Observatory ------------------------------------------------------------------------------


def test_the_observatory_shows_figures_feed_and_conversations(owner_client, world, alice, bob):
    RelationshipFactory(source=alice, target=bob, kind="friend", strength=0.5)
    Event.objects.create(
        ecosystem=world, seq=1, kind="character_interaction", tick=0,
        payload={
            "participants": [{"id": str(alice.pk), "name": "Alice", "role": "initiator"},
                             {"id": str(bob.pk), "name": "Bob", "role": "responder"}],
            "interaction_type": "greeting", "content": "Good morning, Bob!",
            "response": "Morning.", "summary": "Alice greeted Bob",
            "emotional_states": {str(alice.pk): {"joy": 0.7}},
        },
    )  # fmt: skip
    world.last_event_seq = 1
    world.save()

    response = owner_client.get(reverse("observatory", args=[world.pk]))

    assert response.context["figures"]["relationships"] == 1
    assert response.context["story_threads"] == 0
    assert "Good morning, Bob!" in response.text
    assert "Alice greeted Bob" in response.text
    assert response.context["live"]["after"] == 1
    assert response.context["live"]["graph"]["edges"][0]["kind"] == "friend"


def test_the_observatory_dates_entries_by_the_world_clock_not_by_tick(
    owner_client, world, alice, bob
):
    Ecosystem.objects.filter(pk=world.pk).update(
        world_start=dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), minutes_per_tick=15,
        last_event_seq=2,
    )  # fmt: skip
    people = [{"id": str(alice.pk), "name": "Alice"}, {"id": str(bob.pk), "name": "Bob"}]
    Event.objects.create(
        ecosystem=world, seq=1, kind="character_interaction", tick=12,
        payload={"participants": people, "interaction_type": "greeting",
                 "content": "Good morning, Bob!", "summary": "Alice greeted Bob"},
    )  # fmt: skip
    Event.objects.create(
        ecosystem=world, seq=2, kind="emotion_changed", tick=12,
        payload={"character": people[0], "dominant": "joy"},
    )  # fmt: skip

    response = owner_client.get(reverse("observatory", args=[world.pk]))

    # Tick 12 of 15-minute ticks from Monday 08:00 is Monday 11:00.
    feed = response.text[response.text.index('id="feed"') :]
    talk = response.text[
        response.text.index('id="conversation"') : response.text.index('id="feed"')
    ]
    for panel in (feed, talk):
        assert '<time class="when" datetime="2026-03-02T11:00:00+00:00">Mon 11:00</time>' in panel
        assert "tick 12" not in panel and "t12" not in panel
    assert response.context["live"]["clock"] == {
        "start": "2026-03-02T08:00:00+00:00", "minutesPerTick": 15,
    }  # fmt: skip


def test_the_api_keeps_the_tick_of_each_event_for_machines(owner_client, world, alice):
    Event.objects.create(ecosystem=world, seq=1, kind="emotion_changed", tick=12,
                         payload={"character": {"id": str(alice.pk), "name": "Alice"}})  # fmt: skip

    response = owner_client.get(f"/api/v1/ecosystems/{world.pk}/events/")

    assert response.status_code == 200
    assert response.json()["events"][0]["tick"] == 12


def test_a_whisper_from_the_observatory_is_logged_and_gives_a_goal(owner_client, world, alice):
    response = owner_client.post(
        reverse("intervene", args=[world.pk]),
        {"kind": "whisper", "first": str(alice.pk), "text": "Find the locket"},
    )

    assert response.status_code == 302
    event = Event.objects.get(ecosystem=world, kind="director_intervention")
    assert event.payload["kind"] == "whisper"
    alice.refresh_from_db()
    assert alice.short_term_goals[-1]["description"] == "Find the locket"


def test_making_two_characters_meet_answers_the_script_in_json(owner_client, world, alice, bob):
    response = owner_client.post(
        reverse("intervene", args=[world.pk]),
        {"kind": "meet", "first": str(alice.pk), "second": str(bob.pk)},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert Interaction.objects.filter(initiator=alice, target=bob).exists()


def test_a_meeting_of_one_is_refused_with_the_reason(owner_client, world, alice):
    response = owner_client.post(
        reverse("intervene", args=[world.pk]),
        {"kind": "meet", "first": str(alice.pk)},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert "exactly 2" in response.json()["message"]


# --- Director ---------------------------------------------------------------------------------


def test_the_director_saves_a_scenario_and_starts_it(owner_client, world, alice, bob):
    owner_client.post(
        reverse("scenario-create", args=[world.pk]),
        {
            "title": "The locket affair",
            "mood": "tense",
            "characters": [str(alice.pk), str(bob.pk)],
            "primary": "Find the locket",
            "subplots": "Keep the peace\nWin at croquet",
            "hidden": "Hide the note",
        },
    )
    scenario = Scenario.objects.get(ecosystem=world)
    assert scenario.objectives["subplots"] == ["Keep the peace", "Win at croquet"]

    owner_client.post(reverse("scenario-start", args=[world.pk, scenario.pk]))

    scenario.refresh_from_db()
    assert scenario.status == Scenario.Status.ACTIVE
    assert Event.objects.filter(ecosystem=world, kind="scenario_started").exists()
    page = owner_client.get(reverse("director", args=[world.pk]))
    assert [p.description for p in page.context["progress"] if p.character == alice] == [
        "Find the locket", "Keep the peace", "Win at croquet", "Hide the note",
    ]  # fmt: skip


def test_readers_of_a_public_world_do_not_see_hidden_objectives(client, world, alice):
    world.visibility = Ecosystem.Visibility.PUBLIC
    world.save()
    scenario = scenario_create(
        ecosystem=world, title="Secrets", character_ids=[str(alice.pk)],
        objectives={"primary": "Dance", "hidden": ["Steal the locket"]},
    )  # fmt: skip
    from ecosystems.services.director import scenario_start

    scenario_start(scenario=scenario)
    client.force_login(UserFactory())

    response = client.get(reverse("director", args=[world.pk]))

    assert "Dance" in response.text
    assert "Steal the locket" not in response.text


def test_a_template_is_reused_as_a_new_draft(owner_client, world, alice):
    owner_client.post(
        reverse("scenario-create", args=[world.pk]),
        {"title": "Picnic", "characters": [str(alice.pk)], "save_as_template": "on"},
    )
    template = Scenario.objects.get(ecosystem=world, is_template=True)

    owner_client.post(reverse("scenario-reuse", args=[world.pk, template.pk]))

    draft = Scenario.objects.get(ecosystem=world, is_template=False)
    assert draft.title == "Picnic"
    assert list(draft.characters.all()) == [alice]


def test_directing_a_scene_plays_the_interaction_with_the_given_words(
    owner_client, world, alice, bob
):
    response = owner_client.post(
        reverse("scene-direct", args=[world.pk]),
        {
            "initiator": str(alice.pk),
            "target": str(bob.pk),
            "interaction_type": "compliment",
            "content": "What a splendid hat.",
        },
    )

    assert response.status_code == 302
    interaction = Interaction.objects.get(initiator=alice, target=bob)
    assert interaction.interaction_type == "compliment"
    assert interaction.content == "What a splendid hat."


def test_a_scene_with_oneself_is_refused(owner_client, world, alice):
    response = owner_client.post(
        reverse("scene-direct", args=[world.pk]),
        {"initiator": str(alice.pk), "target": str(alice.pk), "interaction_type": "greeting"},
    )

    assert response.status_code == 400
    assert "Choose someone other than the initiator." in response.text


# --- character page ---------------------------------------------------------------------------


def test_the_character_page_explains_relationships_and_lists_memories(
    owner_client, world, alice, bob
):
    relationship = RelationshipFactory(source=alice, target=bob, kind="rival", strength=-0.4)
    RelationshipChange.objects.create(
        relationship=relationship, axis="strength", before=0.0, after=-0.4,
        cause="Bob insulted Alice at tick 3", tick=3,
    )  # fmt: skip
    MemoryFactory(character=alice, content="Bob sneered at my roses.", importance=8)

    response = owner_client.get(reverse("character", args=[world.pk, alice.pk]))

    assert "Bob insulted Alice at tick 3" in response.text
    assert "Bob sneered at my roses." in response.text
    assert '<svg class="radar"' in response.text
    assert response.context["radar"]["shape"].count(",") == 5


def test_the_memory_browser_searches_by_meaning(owner_client, world, alice):
    from characters.embeddings import embed_texts

    texts = ["I lost my silver locket by the pond.", "The croquet match was dull."]
    for text, vector in zip(texts, embed_texts(texts), strict=True):
        Memory.objects.create(character=alice, content=text, embedding=vector)

    response = owner_client.get(
        reverse("character", args=[world.pk, alice.pk]), {"q": "missing necklace"}
    )

    found = [m.content for m in response.context["found"]]
    assert found[0] == "I lost my silver locket by the pond."


def test_a_character_of_another_world_is_not_found_through_this_one(owner_client, world, owner):
    elsewhere = CharacterFactory(ecosystem=EcosystemFactory(owner=owner))

    response = owner_client.get(reverse("character", args=[world.pk, elsewhere.pk]))

    assert response.status_code == 404
