"""Input a hostile client sends gets a 4xx that says what was wrong, never a 500 (probe finding
5): bodies nested thousands of levels deep on every write endpoint, bodies over the limit,
NUL characters and lone surrogates in keys and text, offsets and cursors beyond bigint, and
chunked bodies (read like any other, against a real server)."""

from __future__ import annotations

import http.client
import io
import json
from urllib.parse import urlsplit

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse

from config.api.bodies import ChunkedBodyMiddleware
from ecosystems.models import Ecosystem, TickRun
from tests.api.conftest import client_with_key, error_of
from tests.factories import ApiKeyFactory, CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db

WRITES = [
    ("post", "/api/v1/ecosystems/"),
    ("patch", "/api/v1/ecosystems/{world}/"),
    ("post", "/api/v1/ecosystems/{world}/tick/"),
    ("post", "/api/v1/ecosystems/{world}/characters/"),
    ("patch", "/api/v1/characters/{alice}/"),
    ("post", "/api/v1/interactions/"),
    ("post", "/api/v1/ecosystems/{world}/relationships/"),
    ("post", "/api/v1/ecosystems/{world}/scenarios/"),
    ("post", "/api/v1/auth/keys/"),
]


@pytest.fixture
def ids(owner) -> dict[str, str]:
    world = EcosystemFactory(owner=owner)
    alice = CharacterFactory(ecosystem=world, name="Alice")
    bob = CharacterFactory(ecosystem=world, name="Bob")
    return {"world": str(world.pk), "alice": str(alice.pk), "bob": str(bob.pk)}


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_a_body_nested_5000_levels_deep_is_a_400_on_every_write(method, path, ids, as_owner):
    body = "[" * 5000 + "]" * 5000

    response = getattr(as_owner, method)(path.format(**ids), body, content_type="application/json")

    assert response.status_code == 400
    assert "nested more than 32 levels" in error_of(response)["message"]


def test_a_body_a_little_deep_but_within_the_limit_is_judged_on_its_content(ids, as_owner):
    context = {"subject_id": ids["bob"], "notes": [[[["fine"]]]]}
    body = {"initiator_id": ids["alice"], "target_id": ids["bob"],
            "interaction_type": "greeting", "context": context}  # fmt: skip

    response = as_owner.post("/api/v1/interactions/", body, format="json")

    assert response.status_code in {201, 400}
    if response.status_code == 400:
        assert "nested" not in error_of(response)["message"]


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_a_body_over_2_5_mb_is_a_413_in_the_envelope_on_every_write(method, path, ids, as_owner):
    body = json.dumps({"name": "x" * (3 * 1024 * 1024)})  # past Django's own upload limit too

    response = getattr(as_owner, method)(path.format(**ids), body, content_type="application/json")

    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"


@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b"], ids=["NUL", "lone surrogate"])
def test_unstorable_text_in_a_context_key_or_an_emotion_is_a_400_naming_the_field(
    bad, ids, as_owner
):
    interaction = json.dumps({
        "initiator_id": ids["alice"], "target_id": ids["bob"], "interaction_type": "greeting",
        "context": {bad: 1},
    })  # fmt: skip
    emotions = json.dumps({"emotions": {bad: 0.5}})
    line = json.dumps({"initiator_id": ids["alice"], "target_id": ids["bob"],
                       "interaction_type": "greeting", "content": f"Hello {bad}"})  # fmt: skip

    for path, body, field, call in (
        ("/api/v1/interactions/", interaction, "context", as_owner.post),
        (f"/api/v1/characters/{ids['alice']}/", emotions, "emotions", as_owner.patch),
        ("/api/v1/interactions/", line, "content", as_owner.post),
    ):
        response = call(path, body, content_type="application/json")
        assert response.status_code == 400, (field, response.content[:200])
        error = error_of(response)
        assert field in error["details"], error
        assert "NUL character or a lone surrogate" in error["message"]


@pytest.mark.parametrize(
    "query",
    ["offset=99999999999999999999", "offset=-1", "offset=many"],
)
def test_a_list_offset_beyond_bigint_or_not_a_number_is_a_400(query, ids, as_owner):
    response = as_owner.get(f"/api/v1/ecosystems/?{query}")

    assert response.status_code == 400
    assert "offset" in error_of(response)["details"]


def test_an_event_cursor_beyond_bigint_is_a_400(ids, as_owner):
    response = as_owner.get(f"/api/v1/ecosystems/{ids['world']}/events/?after=99999999999999999999")

    assert response.status_code == 400
    assert "after" in error_of(response)["details"]


def _chunked(base_url: str, path: str, key: str, body: bytes) -> tuple[int, dict]:
    """POST ``body`` in three chunks with no Content-Length, as a streaming client does."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    third = max(1, len(body) // 3)
    connection.request(
        "POST",
        path,
        body=iter([body[:third], body[third : 2 * third], body[2 * third :]]),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    status, payload = response.status, json.loads(response.read() or b"{}")
    connection.close()
    return status, payload


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_chunked_bodies_are_read_whole_by_a_real_server(live_daphne, owner):
    world = EcosystemFactory(owner=owner)
    CharacterFactory(ecosystem=world, name="Alice")
    CharacterFactory(ecosystem=world, name="Bob")
    key = ApiKeyFactory(user=owner).key

    ran, body = _chunked(live_daphne, f"/api/v1/ecosystems/{world.pk}/tick/", key,
                         json.dumps({"ticks": 3}).encode())  # fmt: skip
    made, created = _chunked(live_daphne, "/api/v1/auth/keys/", key,
                             json.dumps({"name": "game server"}).encode())  # fmt: skip

    assert ran == 200, body
    assert body["run"]["requested"] == 3 and len(body["ticks"]) == 3
    assert Ecosystem.objects.get(pk=world.pk).current_tick == 3
    assert TickRun.objects.get().done == 3
    assert made == 201 and created["name"] == "game server"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_chunked_world_bundle_may_exceed_the_usual_limit(live_daphne, owner):
    key = ApiKeyFactory(user=owner).key
    bundle = {"format": "dramatis.world", "version": 1,
              "world": {"name": "Big tea", "description": "x" * 19_000},
              "characters": [{"key": f"c{i}", "name": f"Guest {i}", "backstory": "y" * 19_000}
                             for i in range(4)]}  # fmt: skip
    body = json.dumps(bundle).encode()
    assert len(body) > 64 * 1024

    status, payload = _chunked(live_daphne, "/api/v1/ecosystems/import/", key, body)

    assert status == 201, payload
    assert Ecosystem.objects.get(pk=payload["id"]).characters.count() == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_endless_chunked_body_is_cut_off_with_a_413(live_daphne, owner):
    key = ApiKeyFactory(user=owner).key
    body = json.dumps({"name": "x" * 200_000}).encode()

    status, payload = _chunked(live_daphne, "/api/v1/ecosystems/", key, body)

    assert status == 413 and payload["error"]["code"] == "request_too_large"


def test_nothing_is_written_by_a_refused_body(ids, owner):
    client = client_with_key(owner)
    deep = "{" + '"a":{' * 40 + "}" * 41

    client.post(f"/api/v1/ecosystems/{ids['world']}/tick/", deep, content_type="application/json")

    assert not TickRun.objects.exists()


def test_under_wsgi_a_chunked_body_is_read_from_the_servers_own_stream():
    """``make run`` serves HTTP through WSGI (a2wsgi): its body has no length either."""
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/ecosystems/", "SERVER_NAME": "x",
        "SERVER_PORT": "80", "wsgi.url_scheme": "http", "HTTP_TRANSFER_ENCODING": "chunked",
        "CONTENT_TYPE": "application/json", "wsgi.input": io.BytesIO(b'{"ticks": 7}'),
    }  # fmt: skip
    seen = []

    ChunkedBodyMiddleware(lambda request: seen.append(request.body) or HttpResponse())(
        WSGIRequest(environ)
    )

    assert seen == [b'{"ticks": 7}']
