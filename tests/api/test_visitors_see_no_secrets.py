"""A visitor of a public world never reads its secrets, on any surface (probe finding 1).

The demo world is run for 60 seeded ticks, in which Diana's locket secret is usually gossiped
from character to character (events, memories, knowledge, goal progress, stories), and one
more retelling is logged at the end so the latest feed holds it whatever the run did. Each
test first checks that the owner does see it there (so a pass means the redaction worked, not
that the secret never travelled), then that a visitor does not.
"""

from __future__ import annotations

import pytest
from django.test import Client

from characters.embeddings import embed_texts
from characters.models import Character
from ecosystems.demo import demo_world_seed
from ecosystems.events import builders, publish
from ecosystems.models import Ecosystem
from ecosystems.services.director import scenario_create, scenario_start
from ecosystems.services.ticks import ecosystem_run_ticks
from stories.models import Story
from stories.services import stories_sift
from tests.api.conftest import client_with_key
from tests.factories import CharacterFactory, MemoryFactory

pytestmark = pytest.mark.django_db

LOCKET = "hidden in the lining of my parasol"  # a clause of Diana's secret
SECRET_DEEDS = "I buried the deeds under the old sundial"
PLAN = "Get Eve to admit she sent the anonymous note"  # a hidden objective


@pytest.fixture
def played() -> Ecosystem:
    world = demo_world_seed().ecosystem
    cast = list(world.characters.order_by("name"))
    ecosystem_run_ticks(ecosystem=world, ticks=60)
    stories_sift(ecosystem_id=world.pk)
    scenario = scenario_create(
        ecosystem=world, title="Tea on the lawn", setting="", mood="tense",
        character_ids=[str(c.pk) for c in cast],
        objectives={"primary": "Keep the peace", "subplots": [], "hidden": [PLAN]},
    )  # fmt: skip
    scenario_start(scenario=scenario)  # after the run, so its goals are all still held
    world.refresh_from_db()
    # One more retelling, as the tick's leak step logs it, so the latest feed holds it too.
    people = {c.name: {"id": str(c.pk), "name": c.name} for c in cast}
    secret = next(s for c in cast for s in c.secrets if LOCKET in s)
    publish(ecosystem=world, events=[builders.gossip_spread(
        teller=people["Eve"], listener=people["Frank"], subject=people["Diana"], fact=secret,
        text=f'Eve whispered to Frank about Diana: "{secret}"',
    )])  # fmt: skip
    return world


def _everything(client, world: Ecosystem, character: Character, story: Story) -> dict[str, str]:
    """Every API read of the world a visitor may make, as text."""
    paths = {
        "events": f"/api/v1/ecosystems/{world.pk}/events/?limit=500",
        "characters": f"/api/v1/ecosystems/{world.pk}/characters/",
        "character": f"/api/v1/characters/{character.pk}/",
        "memories": f"/api/v1/characters/{character.pk}/memories/?limit=100",
        "memory search": f"/api/v1/characters/{character.pk}/memories/?q=locket+parasol",
        "scenarios": f"/api/v1/ecosystems/{world.pk}/scenarios/",
        "stories": f"/api/v1/ecosystems/{world.pk}/stories/",
        "story": f"/api/v1/stories/{story.pk}/",
        "export md": f"/api/v1/stories/{story.pk}/export/?format=md",
        "export html": f"/api/v1/stories/{story.pk}/export/?format=html",
        "export json": f"/api/v1/stories/{story.pk}/export/?format=json",
    }
    bodies = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.content[:300])
        bodies[name] = response.content.decode()
    return bodies


def _knower_and_story(world: Ecosystem) -> tuple[Character, Story]:
    """A character who heard the secret, and a story that tells it (or the latest one)."""
    knower = next(
        (
            c
            for c in world.characters.order_by("name")
            if c.memories.filter(content__icontains=LOCKET).exists()
            or c.knowledge.filter(content__icontains=LOCKET).exists()
        ),
        world.characters.get(name="Diana"),  # the keeper, if nobody heard it in this run
    )
    stories = list(Story.objects.filter(ecosystem=world))
    assert stories, "the seeded run detects stories"
    telling = [s for s in stories if s.beats.filter(event__payload__icontains=LOCKET).exists()]
    return knower, (telling or stories)[0]


def test_the_api_shows_the_owner_the_secret_and_a_visitor_nothing_of_it(played, stranger):
    knower, story = _knower_and_story(played)
    owner_view = _everything(client_with_key(played.owner), played, knower, story)
    visitor_view = _everything(client_with_key(stranger), played, knower, story)

    assert LOCKET in owner_view["events"]
    assert PLAN in owner_view["characters"] and PLAN in owner_view["scenarios"]
    for surface, body in visitor_view.items():
        assert LOCKET.lower() not in body.lower(), surface
        assert PLAN not in body, surface
    assert "[a secret]" in visitor_view["events"]


def test_a_visitors_character_has_no_secrets_and_no_hidden_goals(played, stranger):
    diana = played.characters.get(name="Diana")

    body = client_with_key(stranger).get(f"/api/v1/characters/{diana.pk}/").json()

    assert body["secrets"] == []
    assert PLAN not in [g["description"] for g in body["short_term_goals"]]
    assert "Keep the peace" in [g["description"] for g in body["short_term_goals"]]


def _pages(user, world: Ecosystem, character: Character, story: Story) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    paths = {
        "observatory": f"/worlds/{world.pk}/",
        "character": f"/worlds/{world.pk}/characters/{character.pk}/",
        "character search": f"/worlds/{world.pk}/characters/{character.pk}/?q=locket",
        "director": f"/worlds/{world.pk}/director/",
        "board": f"/worlds/{world.pk}/stories/",
        "story": f"/worlds/{world.pk}/stories/{story.pk}/",
        "card": f"/worlds/{world.pk}/stories/{story.pk}/card/",
    }
    pages = {}
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()
    return pages


def test_pages_show_a_visitor_no_secret_and_no_hidden_objective(played, stranger):
    knower, story = _knower_and_story(played)
    owner_pages = _pages(played.owner, played, knower, story)
    visitor_pages = _pages(stranger, played, knower, story)

    assert any(LOCKET in page for page in owner_pages.values())
    assert PLAN in owner_pages["director"]
    for surface, page in visitor_pages.items():
        assert LOCKET not in page, surface
        assert PLAN not in page, surface


def test_guessing_a_secrets_words_in_memory_search_finds_no_hidden_memory(world, stranger):
    world.visibility = Ecosystem.Visibility.PUBLIC
    world.save(update_fields=["visibility"])
    keeper = CharacterFactory(ecosystem=world, name="Hugo", secrets=[SECRET_DEEDS])
    for text in (f"I told Ines: {SECRET_DEEDS}.", "The roses by the gate bloomed early."):
        MemoryFactory(character=keeper, content=text, embedding=embed_texts([text])[0])
    path = f"/api/v1/characters/{keeper.pk}/memories/?q=deeds+buried+under+the+sundial"

    owner_found = client_with_key(world.owner).get(path).json()["results"]
    visitor_found = client_with_key(stranger).get(path).json()["results"]

    assert SECRET_DEEDS in owner_found[0]["content"]
    assert [m["content"] for m in visitor_found] == ["The roses by the gate bloomed early."]
