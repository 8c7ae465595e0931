"""What the endpoints answer: the world, its characters, society, the log, memories, stories
and the Director, as a subscriber's script sees them."""

from __future__ import annotations

import json

import pytest

from ecosystems.events import builders, publish
from ecosystems.models import Ecosystem, Scenario
from tests.api.conftest import error_of
from tests.factories import (
    CharacterFactory,
    MemoryFactory,
    RelationshipFactory,
    ScenarioFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.2)


def test_a_world_is_created_with_a_slug_and_listed(as_owner):
    response = as_owner.post(
        "/api/v1/ecosystems/", {"name": "Tea at Four", "visibility": "public"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["status"], body["is_owner"]) == ("tea-at-four", "draft", True)
    assert as_owner.get("/api/v1/ecosystems/").json()["count"] == 1


def test_public_worlds_of_others_are_listed_on_request(as_stranger, owner):
    from tests.factories import EcosystemFactory

    EcosystemFactory(owner=owner, visibility="public", name="Open House")
    assert as_stranger.get("/api/v1/ecosystems/").json()["count"] == 0
    listed = as_stranger.get("/api/v1/ecosystems/?public=true").json()["results"]
    assert [(w["name"], w["is_owner"]) for w in listed] == [("Open House", False)]


def test_ticks_run_now_and_move_the_clock(as_owner, world, alice, bob):
    response = as_owner.post(f"/api/v1/ecosystems/{world.pk}/tick/", {"ticks": 3}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [t["number"] for t in body["ticks"]] == [1, 2, 3]
    assert body["ecosystem"]["current_tick"] == 3


def test_start_then_pause(as_owner, world):
    assert as_owner.post(f"/api/v1/ecosystems/{world.pk}/start/").json()["status"] == "running"
    assert as_owner.post(f"/api/v1/ecosystems/{world.pk}/pause/").json()["status"] == "paused"


def test_characters_are_filtered_by_name(as_owner, world, alice, bob):
    names = as_owner.get(f"/api/v1/ecosystems/{world.pk}/characters/?name=ali").json()
    assert [c["name"] for c in names["results"]] == ["Alice"]


def test_a_character_is_authored_and_changed(as_owner, world):
    created = as_owner.post(
        f"/api/v1/ecosystems/{world.pk}/characters/",
        {
            "name": "Carol",
            "openness": 0.8,
            "values": ["curiosity"],
            "long_term_goals": [{"description": "Find the locket", "progress": 0.1}],
            "emotions": {"joy": 0.5},
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    carol = created.json()
    assert carol["long_term_goals"] == [{"description": "Find the locket", "progress": 0.1}]
    changed = as_owner.patch(
        f"/api/v1/characters/{carol['id']}/", {"emotions": {"anger": 0.3}}, format="json"
    )
    assert changed.json()["emotions"] == {"anger": 0.3}


def test_an_unknown_emotion_is_refused(as_owner, alice):
    response = as_owner.patch(
        f"/api/v1/characters/{alice.pk}/", {"emotions": {"glee": 0.3}}, format="json"
    )
    assert response.status_code == 400
    assert "emotions" in error_of(response)["details"]


def test_an_interaction_answers_with_the_response_and_the_changes(as_owner, alice, bob):
    response = as_owner.post(
        "/api/v1/interactions/",
        {
            "initiator_id": str(alice.pk),
            "target_id": str(bob.pk),
            "interaction_type": "greeting",
            "content": "Hello Bob! How are you today?",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content"] == "Hello Bob! How are you today?"
    assert body["response"]
    assert body["initiator"]["name"] == "Alice" and body["event_seqs"]
    assert set(body["relationship_change"]) == {"initiator_to_target", "target_to_initiator"}


def test_the_interaction_catalogue_lists_every_type(as_owner):
    names = {t["name"] for t in as_owner.get("/api/v1/interactions/types/").json()}
    assert {"greeting", "insult", "gossip", "reconcile"} <= names


def test_relationships_and_the_graph(as_owner, world, alice, bob):
    RelationshipFactory(source=alice, target=bob, kind="friend", strength=0.5)
    rels = as_owner.get(f"/api/v1/ecosystems/{world.pk}/relationships/").json()["results"]
    assert [(r["source"]["name"], r["target"]["name"], r["kind"]) for r in rels] == [
        ("Alice", "Bob", "friend")
    ]
    graph = as_owner.get(f"/api/v1/ecosystems/{world.pk}/graph/").json()
    assert {n["name"] for n in graph["nodes"]} == {"Alice", "Bob"}
    assert graph["edges"][0]["source"] == str(alice.pk)


def test_the_log_is_read_page_by_page_with_a_cursor(as_owner, world):
    publish(
        ecosystem=world,
        events=[builders.ecosystem_status(status=f"draft {n}") for n in range(5)],
    )
    url = f"/api/v1/ecosystems/{world.pk}/events/"
    first = as_owner.get(url, {"after": 0, "limit": 3}).json()
    assert [e["seq"] for e in first["events"]] == [1, 2, 3]
    assert (first["next_after"], first["has_more"]) == (3, True)
    second = as_owner.get(url, {"after": first["next_after"], "limit": 3}).json()
    assert [e["seq"] for e in second["events"]] == [4, 5]
    assert (second["next_after"], second["has_more"]) == (5, False)
    assert second["events"][0]["data"]["ecosystem_id"] == str(world.pk)
    empty = as_owner.get(url, {"after": 5}).json()
    assert (empty["events"], empty["next_after"], empty["has_more"]) == ([], 5, False)


def test_a_bad_cursor_is_a_400(as_owner, world):
    response = as_owner.get(f"/api/v1/ecosystems/{world.pk}/events/?after=-1")
    assert response.status_code == 400
    assert "after" in error_of(response)["details"]


def test_memories_are_searched_by_meaning(as_owner, alice):
    from characters.embeddings import embed_texts

    texts = ["The roses in the garden bloomed red.", "Bob owes money from a card game."]
    for text, vector in zip(texts, embed_texts(texts), strict=True):
        MemoryFactory(character=alice, content=text, embedding=vector)
    found = as_owner.get(f"/api/v1/characters/{alice.pk}/memories/?q=flowers&limit=1").json()
    assert [m["content"] for m in found["results"]] == [texts[0]]
    assert found["results"][0]["similarity"] is not None
    recent = as_owner.get(f"/api/v1/characters/{alice.pk}/memories/").json()
    assert len(recent["results"]) == 2


def test_stories_are_filtered_by_status_and_read_with_beats(as_owner, world, alice):
    StoryFactory(ecosystem=world, title="The Feud", status="developing", participants=[alice])
    StoryFactory(ecosystem=world, title="Old News", status="resolved")
    url = f"/api/v1/ecosystems/{world.pk}/stories/"
    developing = as_owner.get(url, {"status": "developing"}).json()["results"]
    assert [s["title"] for s in developing] == ["The Feud"]
    assert as_owner.get(url, {"status": "nonsense"}).status_code == 400
    detail = as_owner.get(f"/api/v1/stories/{developing[0]['id']}/").json()
    assert detail["title"] == "The Feud" and detail["beats"] == []


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("md", "text/markdown"),
        ("html", "text/html"),
        ("json", "application/json"),
        ("epub", "application/epub+zip"),
    ],
)
def test_a_story_exports_in_every_format(as_owner, world, fmt, content_type):
    story = StoryFactory(ecosystem=world, title="The Feud")
    response = as_owner.get(f"/api/v1/stories/{story.pk}/export/?format={fmt}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment;")
    if fmt == "json":
        assert json.loads(response.content)


def test_the_fourth_export_of_the_month_on_free_is_a_402(as_owner, world):
    story = StoryFactory(ecosystem=world)
    for _ in range(3):
        assert as_owner.get(f"/api/v1/stories/{story.pk}/export/?format=md").status_code == 200
    response = as_owner.get(f"/api/v1/stories/{story.pk}/export/?format=md")
    assert response.status_code == 402
    assert error_of(response)["code"] == "plan_limit"
    usage = as_owner.get("/api/v1/billing/usage/").json()
    assert usage["story_exports"] == {"used": 3, "limit": 3}


def test_an_unknown_export_format_is_a_400(as_owner, world):
    story = StoryFactory(ecosystem=world)
    response = as_owner.get(f"/api/v1/stories/{story.pk}/export/?format=pdf")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["details"] == {"format": ['"pdf" is not a valid choice.']}
    assert error["message"] == 'format: "pdf" is not a valid choice.'


def test_a_scenario_is_created_and_started(as_owner, world, alice, bob):
    created = as_owner.post(
        f"/api/v1/ecosystems/{world.pk}/scenarios/",
        {
            "title": "The Missing Locket",
            "character_ids": [str(alice.pk), str(bob.pk)],
            "objectives": {"primary": "Find the locket", "hidden": ["Bob took it"]},
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    scenario = created.json()
    assert scenario["objectives"]["hidden"] == ["Bob took it"]
    started = as_owner.post(f"/api/v1/scenarios/{scenario['id']}/start/")
    assert started.json()["status"] == "active"
    again = as_owner.post(f"/api/v1/scenarios/{scenario['id']}/start/")
    assert again.status_code == 409


def test_a_template_cannot_be_started(as_owner, world):
    template = ScenarioFactory(ecosystem=world, is_template=True)
    assert as_owner.post(f"/api/v1/scenarios/{template.pk}/start/").status_code == 409
    assert Scenario.objects.get(pk=template.pk).status == "draft"


def test_a_world_is_deleted_with_everything_in_it(as_owner, world, alice):
    assert as_owner.delete(f"/api/v1/ecosystems/{world.pk}/").status_code == 204
    assert not Ecosystem.objects.filter(pk=world.pk).exists()
    assert as_owner.get(f"/api/v1/characters/{alice.pk}/").status_code == 404


def test_the_graph_and_the_observatory_tell_one_mood(as_owner, world, alice, client):
    """Mood is defined once (characters.engine.emotions.mood_name): a feeling between the old
    thresholds of the feed (0.1) and the graph API (0.2) reads the same on both."""
    from characters.engine.emotions import CALM_BELOW

    alice.emotions = {**alice.emotions, "anger": CALM_BELOW + 0.02}
    alice.emotions.update({k: 0.0 for k in alice.emotions if k != "anger"})
    alice.save(update_fields=["emotions"])
    graph = as_owner.get(f"/api/v1/ecosystems/{world.pk}/graph/").json()
    client.force_login(world.owner)
    page = client.get(f"/worlds/{world.pk}/")
    nodes = page.context["live"]["graph"]["nodes"]
    assert [n["mood"] for n in graph["nodes"]] == [n["emotion"] for n in nodes] == ["anger"]
    assert page.context["live"]["mood"]["calmBelow"] == CALM_BELOW
