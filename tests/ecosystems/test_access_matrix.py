"""The one access rule on the pages and in the studio (the API's matrix is in
tests/api/test_authorization_matrix.py, the WebSocket's in tests/ecosystems/consumers).

Every page of a world as the owner, a visitor (a public world of someone else), a stranger (a
private world of someone else) and anonymous: the owner reads and acts; a visitor reads but
may not act (403); a stranger learns nothing (404); anonymous is sent to log in. The studio
edits only the owner's world: anyone else finds nothing to edit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from ecosystems.access import can_edit, editable_worlds, visible_worlds
from ecosystems.models import Ecosystem
from ecosystems.services.rooms import room_create
from tests.factories import (
    CharacterFactory,
    EcosystemFactory,
    ScenarioFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    method: str
    path: str  # with {world}, {alice}, {story}, {scenario}, {room}
    acts: bool = False
    data: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


PAGES = [
    Page("get", "/worlds/{world}/"),
    Page("get", "/worlds/{world}/director/"),
    Page("get", "/worlds/{world}/characters/{alice}/"),
    Page("get", "/worlds/{world}/characters/{alice}/?q=roses"),
    Page("get", "/worlds/{world}/stories/"),
    Page("get", "/worlds/{world}/rooms/"),  # a visitor of a public world may open and join
    Page("get", "/worlds/{world}/rooms/{room}/"),  # rooms (tests/ecosystems/test_room_pages)
    Page("get", "/worlds/{world}/stories/{story}/"),
    Page("get", "/worlds/{world}/stories/{story}/card/"),
    Page("post", "/worlds/{world}/intervene/", acts=True, data=(("kind", "weather"),)),
    Page("post", "/worlds/{world}/director/scenarios/", acts=True, data=(("title", "Tea"),)),
    Page("post", "/worlds/{world}/director/scenarios/{scenario}/start/", acts=True),
    Page("post", "/worlds/{world}/stories/{story}/notes/", acts=True, data=(("notes", "x"),)),
    Page("post", "/worlds/{world}/stories/{story}/export/", acts=True, data=(("format", "md"),)),
    Page("post", "/dashboard/worlds/{world}/start/", acts=True),
    Page("get", "/worlds/{world}/bundle/", acts=True),  # holds secrets: the owner's alone
    # A character card carries secrets: downloading one is the owner's alone, like acting.
    Page("get", "/worlds/{world}/characters/{alice}/card.png", acts=True),
    Page("get", "/worlds/{world}/characters/{alice}/card.json", acts=True),
    Page("post", "/worlds/{world}/characters/import/", acts=True),
]


def _world(owner, visibility: str) -> dict[str, str]:
    world = EcosystemFactory(owner=owner, visibility=visibility)
    alice = CharacterFactory(ecosystem=world, name="Alice")
    bob = CharacterFactory(ecosystem=world, name="Bob")
    scenario = ScenarioFactory(ecosystem=world, characters=[alice, bob])
    story = StoryFactory(ecosystem=world, participants=[alice, bob])
    room = room_create(user=owner, ecosystem=world, title="Tea", character_ids=[alice.pk])
    return {"world": str(world.pk), "alice": str(alice.pk), "story": str(story.pk),
            "scenario": str(scenario.pk), "room": str(room.pk)}  # fmt: skip


def _open(client: Client, page: Page, ids: dict[str, str]):
    path = page.path.format(**ids)
    if page.method == "get":
        return client.get(path)
    return client.post(path, dict(page.data))


def _as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_the_owner_reads_and_acts_on_every_page(page, owner):
    ids = _world(owner, Ecosystem.Visibility.PRIVATE)

    response = _open(_as(owner), page, ids)

    assert response.status_code in {200, 302}, response.status_code
    if response.status_code == 302:
        assert "/accounts/login/" not in response["Location"]


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_visitor_reads_a_public_world_but_may_not_act_in_it(page, owner, stranger):
    ids = _world(owner, Ecosystem.Visibility.PUBLIC)

    response = _open(_as(stranger), page, ids)

    if page.acts and page.path.startswith("/dashboard/"):
        assert response.status_code == 404  # the dashboard lists only one's own worlds
    else:
        assert response.status_code == (403 if page.acts else 200)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_stranger_learns_nothing_of_a_private_world(page, owner, stranger):
    ids = _world(owner, Ecosystem.Visibility.PRIVATE)

    assert _open(_as(stranger), page, ids).status_code == 404


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_anonymous_is_sent_to_log_in(page, owner):
    ids = _world(owner, Ecosystem.Visibility.PUBLIC)

    response = _open(_as(None), page, ids)

    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_the_studio_edits_only_the_owners_world(visibility, owner, stranger):
    ids = _world(owner, visibility)
    change = reverse("studio:ecosystems_ecosystem_change", args=[ids["world"]])
    character = reverse("studio:characters_character_change", args=[ids["alice"]])

    assert _as(owner).get(change).status_code == 200
    assert _as(owner).get(character).status_code == 200
    for path in (change, character):
        response = _as(stranger).get(path)
        # The admin answers an object outside the queryset with a redirect to its index.
        assert response.status_code == 302 and "/login/" not in response["Location"]


def test_the_rule_itself_owner_visitor_stranger_anonymous_and_deactivated(owner, stranger):
    public = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC)
    private = EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PRIVATE)
    gone = UserFactory(is_active=False)
    EcosystemFactory(owner=gone, visibility=Ecosystem.Visibility.PRIVATE)

    assert set(visible_worlds(owner)) == {public, private}
    assert set(editable_worlds(owner)) == {public, private}
    assert set(visible_worlds(stranger)) == {public}
    assert set(editable_worlds(stranger)) == set()
    assert not visible_worlds(gone).exists() and not editable_worlds(gone).exists()
    assert can_edit(owner, public) and not can_edit(stranger, public)
    assert not visible_worlds(AnonymousUser()).exists()
