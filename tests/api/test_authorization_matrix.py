"""Every endpoint as the owner, a stranger and anonymous (OWASP API1).

The rule: the owner may do everything; a signed-in stranger may read a public world and what
is in it but not change it (403); another user's private world, and everything in it, is a 404
for reads and writes alike; anonymous requests are 401.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ecosystems.events import builders, publish
from ecosystems.models import Ecosystem
from ecosystems.services.conversations import conversation_start
from ecosystems.services.lore import lore_create
from ecosystems.services.rooms import room_create, room_join
from tests.api.conftest import error_of
from tests.factories import (
    CharacterFactory,
    EcosystemFactory,
    MemoryFactory,
    RelationshipFactory,
    ScenarioFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # {world}, {alice}, {bob}, {scenario}, {story}, {conversation}, {room}, {lore}
    ok: int  # the owner's status
    body: Any = None
    world_bound: bool = True  # False: no object of a world involved (lists, catalogue, account)
    write: bool = False
    personal: bool = False  # the owner's own (a conversation): a 404 to anyone else, always
    visitor: int | None = None  # a visitor of a public world may do this too (a room): status

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


BUNDLE = {
    "format": "dramatis.world",
    "version": 1,
    "world": {"name": "Imported"},
    "characters": [{"key": "c", "name": "Carol"}],
}

CALLS = [
    Call("get", "/api/v1/ecosystems/", 200, world_bound=False),
    Call("post", "/api/v1/ecosystems/", 201, {"name": "New world"}, world_bound=False),
    Call("get", "/api/v1/ecosystems/{world}/", 200),
    # A bundle holds secrets and hidden objectives: the owner's alone, like a write.
    Call("get", "/api/v1/ecosystems/{world}/bundle/", 200, write=True),
    Call("post", "/api/v1/ecosystems/import/", 201, BUNDLE, world_bound=False),
    Call("patch", "/api/v1/ecosystems/{world}/", 200, {"description": "Rain."}, write=True),
    Call("delete", "/api/v1/ecosystems/{world}/", 204, write=True),
    Call("post", "/api/v1/ecosystems/{world}/start/", 200, write=True),
    Call("post", "/api/v1/ecosystems/{world}/pause/", 409, write=True),  # a draft: nothing to pause
    Call("post", "/api/v1/ecosystems/{world}/tick/", 200, {"ticks": 1}, write=True),
    Call("get", "/api/v1/ecosystems/{world}/tick-runs/", 200, write=True),
    Call("get", "/api/v1/ecosystems/{world}/model-servers/", 200, write=True),  # owner only
    Call("put", "/api/v1/ecosystems/{world}/model-servers/", 200, {"servers": []}, write=True),
    Call("get", "/api/v1/ecosystems/{world}/characters/", 200),
    Call("post", "/api/v1/ecosystems/{world}/characters/", 201, {"name": "Carol"}, write=True),
    Call("get", "/api/v1/characters/{alice}/", 200),
    Call("patch", "/api/v1/characters/{alice}/", 200, {"backstory": "Kind."}, write=True),
    Call("delete", "/api/v1/characters/{alice}/", 204, write=True),
    Call("get", "/api/v1/characters/{alice}/memories/?q=roses", 200),
    # A card carries the character's secrets: the owner's alone, as the world's settings.
    Call("get", "/api/v1/characters/{alice}/card/?format=png", 200, write=True),
    Call("get", "/api/v1/characters/{alice}/card/?format=json", 200, write=True),
    Call(
        "post",
        "/api/v1/ecosystems/{world}/characters/import/",
        201,
        {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Aqua"}},
        write=True,
    ),
    Call("get", "/api/v1/interactions/types/", 200, world_bound=False),
    Call(
        "post",
        "/api/v1/interactions/",
        201,
        {"initiator_id": "{alice}", "target_id": "{bob}", "interaction_type": "greeting"},
        write=True,
    ),
    Call("get", "/api/v1/ecosystems/{world}/relationships/", 200),
    Call(
        "post",
        "/api/v1/ecosystems/{world}/relationships/",
        201,
        {"source_id": "{bob}", "target_id": "{alice}", "kind": "friend"},
        write=True,
    ),
    Call("get", "/api/v1/ecosystems/{world}/graph/", 200),
    Call("get", "/api/v1/ecosystems/{world}/events/?after=0&limit=10", 200),
    Call("get", "/api/v1/ecosystems/{world}/stories/", 200),
    Call("get", "/api/v1/ecosystems/{world}/social/", 200),
    # A world's figures are its owner's (and staff's), like its settings: a visitor gets 403.
    Call("get", "/api/v1/ecosystems/{world}/analytics/?days=30", 200, write=True),
    Call("get", "/api/v1/stories/{story}/", 200),
    Call("get", "/api/v1/stories/{story}/export/?format=md", 200),
    Call("get", "/api/v1/ecosystems/{world}/lore/?q=fountain&tag=places", 200),
    Call(
        "post",
        "/api/v1/ecosystems/{world}/lore/",
        201,
        {"title": "The Old Mill", "text": "It burned in the great storm."},
        visitor=201,  # a visitor of a public world proposes lore for the owner to review
    ),
    Call("post", "/api/v1/lore/{lore}/vote/", 200, {"value": 1}, visitor=200),
    Call("post", "/api/v1/lore/{lore}/reject/", 200, write=True),
    Call("post", "/api/v1/lore/{lore}/approve/", 409, write=True),  # approved already
    Call("get", "/api/v1/ecosystems/{world}/scenarios/", 200),
    Call("post", "/api/v1/ecosystems/{world}/scenarios/", 201, {"title": "Tea"}, write=True),
    Call("post", "/api/v1/scenarios/{scenario}/start/", 200, write=True),
    Call(
        "post",
        "/api/v1/ecosystems/{world}/conversations/",
        201,
        {"character_ids": ["{alice}"], "persona": {"name": "Tom"}},
        write=True,
    ),
    Call("get", "/api/v1/conversations/{conversation}/", 200, personal=True),
    Call(
        "post",
        "/api/v1/conversations/{conversation}/messages/",
        201,
        {"text": "You look lovely today"},
        personal=True,
    ),
    Call("get", "/api/v1/ecosystems/{world}/rooms/", 200),
    Call(
        "post",
        "/api/v1/ecosystems/{world}/rooms/",
        201,
        {"title": "Tea", "character_ids": ["{alice}", "{bob}"]},
        visitor=201,  # anyone who may see a public world may open a room in it
    ),
    Call(
        "post", "/api/v1/conversations/{room}/join/", 201, {"persona": {"name": "Zed"}}, visitor=201
    ),
    Call("post", "/api/v1/conversations/{room}/leave/", 200, visitor=200),
    Call("get", "/api/v1/conversations/{room}/", 200, personal=True),  # to those in it
    Call(
        "post", "/api/v1/conversations/{room}/messages/", 201, {"text": "Hello all"}, personal=True
    ),
    Call("get", "/api/v1/conversations/", 200, world_bound=False),
    Call("get", "/api/v1/conversations/?q=roses", 200, world_bound=False),
    Call("get", "/api/v1/auth/keys/", 200, world_bound=False),
    Call("get", "/api/v1/billing/invoices/", 200, world_bound=False),
    Call("post", "/api/v1/billing/checkout/", 201, {"plan": "pro"}, world_bound=False),
    Call("post", "/api/v1/billing/subscription/cancel/", 409, world_bound=False),  # on free
    Call("post", "/api/v1/billing/subscription/resume/", 409, world_bound=False),
    Call("get", "/api/v1/billing/subscription/", 200, world_bound=False),
    Call("get", "/api/v1/billing/usage/", 200, world_bound=False),
]


def _world_of(owner, visibility: str) -> dict[str, str]:
    world = EcosystemFactory(owner=owner, visibility=visibility, name=f"{visibility} world")
    alice = CharacterFactory(ecosystem=world, name="Alice", agreeableness=0.9)
    bob = CharacterFactory(ecosystem=world, name="Bob")
    RelationshipFactory(source=alice, target=bob, kind="friend", strength=0.4)
    MemoryFactory(character=alice, content="The roses bloomed by the gazebo.")
    publish(ecosystem=world, events=[builders.ecosystem_status(status="draft")])
    scenario = ScenarioFactory(ecosystem=world, characters=[alice, bob])
    story = StoryFactory(ecosystem=world, participants=[alice, bob])
    talk = conversation_start(
        user=owner, ecosystem=world, character_ids=[bob.pk], persona_name="Ann"
    )
    room = room_create(user=owner, ecosystem=world, title="Tea", character_ids=[alice.pk, bob.pk])
    room_join(room=room, user=owner, persona_name="Ann")
    lore = lore_create(
        ecosystem=world, author=owner, title="The Ancient Fountain", tags=["places"],
        text="The fountain in the square is older than the town.",
    )  # fmt: skip
    return {
        "lore": str(lore.pk),
        "room": str(room.pk),
        "conversation": str(talk.pk),
        "world": str(world.pk),
        "alice": str(alice.pk),
        "bob": str(bob.pk),
        "scenario": str(scenario.pk),
        "story": str(story.pk),
    }


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _call(client, call: Call, ids: dict[str, str]):
    return getattr(client, call.method)(
        _fill(call.path, ids), data=_fill(call.body, ids), format="json"
    )


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_the_owner_may_do_everything(call, owner, as_owner):
    ids = _world_of(owner, Ecosystem.Visibility.PRIVATE)
    response = _call(as_owner, call, ids)
    assert response.status_code == call.ok, response.content


@pytest.mark.parametrize("call", [c for c in CALLS if c.world_bound], ids=str)
def test_a_stranger_learns_nothing_of_a_private_world(call, owner, as_stranger):
    ids = _world_of(owner, Ecosystem.Visibility.PRIVATE)
    response = _call(as_stranger, call, ids)
    assert response.status_code == 404, response.content
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("call", [c for c in CALLS if c.world_bound], ids=str)
def test_a_stranger_reads_a_public_world_but_cannot_change_it(call, owner, as_stranger):
    ids = _world_of(owner, Ecosystem.Visibility.PUBLIC)
    response = _call(as_stranger, call, ids)
    if call.visitor is not None:
        assert response.status_code == call.visitor, response.content
    elif call.personal:
        assert response.status_code == 404, response.content
        assert error_of(response)["code"] == "not_found"
    elif call.write:
        assert response.status_code == 403, response.content
        assert error_of(response)["code"] == "forbidden"
    else:
        assert response.status_code == 200, response.content


@pytest.mark.parametrize("call", [c for c in CALLS if not c.world_bound], ids=str)
def test_a_stranger_has_their_own_account_endpoints(call, owner, as_stranger):
    response = _call(as_stranger, call, _world_of(owner, Ecosystem.Visibility.PRIVATE))
    assert response.status_code == call.ok, response.content


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_anonymous_requests_are_asked_to_authenticate(call, owner, anonymous):
    ids = _world_of(owner, Ecosystem.Visibility.PRIVATE)
    response = _call(anonymous, call, ids)
    assert response.status_code == 401, response.content
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_strangers_key_list_does_not_show_the_owners_keys(as_owner, as_stranger):
    mine = as_owner.get("/api/v1/auth/keys/").json()["results"]
    theirs = as_stranger.get("/api/v1/auth/keys/").json()["results"]
    assert {k["id"] for k in mine}.isdisjoint({k["id"] for k in theirs})


def test_a_stranger_cannot_revoke_the_owners_key(owner, as_owner, as_stranger):
    key_id = as_owner.get("/api/v1/auth/keys/").json()["results"][0]["id"]
    assert as_stranger.delete(f"/api/v1/auth/keys/{key_id}/").status_code == 404
    assert as_owner.get("/api/v1/ecosystems/").status_code == 200


def test_a_stranger_in_the_public_world_does_not_see_secrets_or_hidden_objectives(
    owner, as_stranger
):
    ids = _world_of(owner, Ecosystem.Visibility.PUBLIC)
    from characters.models import Character
    from ecosystems.models import Scenario

    Character.objects.filter(pk=ids["alice"]).update(secrets=["I read the letters."])
    Scenario.objects.filter(pk=ids["scenario"]).update(
        objectives={"primary": "Tea", "subplots": [], "hidden": ["Bob stole the locket"]}
    )
    alice = as_stranger.get(f"/api/v1/characters/{ids['alice']}/").json()
    scenarios = as_stranger.get(f"/api/v1/ecosystems/{ids['world']}/scenarios/").json()
    assert alice["secrets"] == []
    assert "hidden" not in scenarios["results"][0]["objectives"]


def test_an_interaction_cannot_reach_into_another_users_world(owner, stranger, as_stranger):
    ids = _world_of(owner, Ecosystem.Visibility.PRIVATE)
    mine = CharacterFactory(ecosystem=EcosystemFactory(owner=stranger), name="Mallory")
    response = as_stranger.post(
        "/api/v1/interactions/",
        {"initiator_id": str(mine.pk), "target_id": ids["alice"], "interaction_type": "insult"},
        format="json",
    )
    assert response.status_code == 400
    assert error_of(response)["details"] == {"target_id": ["Use a character of the same world."]}
