"""The OpenAPI schema validates, the docs work offline, and schemathesis, fuzzing every
operation in-process, finds no server error and no response that breaks the schema.

Path parameters are pointed at real objects of the caller's world (random UUIDs would only
ever reach the 404 branch); bodies and query strings are generated, valid and invalid. The
examples are bounded and derandomized so the run is quick and the same in CI."""

from __future__ import annotations

import io
import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from billing.models import Plan, Subscription
from ecosystems.services.conversations import conversation_start
from ecosystems.services.games import game_create
from ecosystems.services.lore import lore_create
from tests.ecosystems.imports.analyses import analysed_import
from tests.factories import (
    ApiKeyFactory,
    CharacterFactory,
    EcosystemFactory,
    ListingFactory,
    MemoryFactory,
    RelationshipFactory,
    ScenarioFactory,
    StoryFactory,
    UserFactory,
)

EXAMPLES_PER_OPERATION = 6
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


def test_the_schema_validates_with_no_warning(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3" in out.getvalue()


def test_format_json_answers_the_schema_as_json(db):
    response = APIClient().get("/api/schema/?format=json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(response.content)["openapi"].startswith("3.")


def test_format_yaml_and_no_format_answer_yaml(db):
    for url in ("/api/schema/?format=yaml", "/api/schema/"):
        response = APIClient().get(url)

        assert response.status_code == 200
        assert response.content.startswith(b"openapi: 3"), url


def test_an_unknown_schema_format_is_a_404(db):
    assert APIClient().get("/api/schema/?format=xml").status_code == 404


def test_the_swagger_ui_is_served_from_this_server(db):
    page = APIClient().get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


@pytest.fixture
def connection_kept_across_requests():
    """The WSGI handler closes the database connection after each request; the test's
    transaction lives on it. Django's own test client stops that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(db, connection_kept_across_requests):
    owner = UserFactory()
    # Enterprise: no rate limit or quota cuts the fuzzing short with 429s.
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="enterprise"))
    world = EcosystemFactory(owner=owner, name="Fuzz")
    alice = CharacterFactory(ecosystem=world, name="Alice", agreeableness=0.9)
    bob = CharacterFactory(ecosystem=world, name="Bob")
    RelationshipFactory(source=alice, target=bob, strength=0.3)
    MemoryFactory(character=alice, content="Tea by the roses.")
    ids = {
        "ecosystem_id": str(world.pk),
        "character_id": str(alice.pk),
        "scenario_id": str(ScenarioFactory(ecosystem=world, characters=[alice, bob]).pk),
        "story_id": str(StoryFactory(ecosystem=world, participants=[alice]).pk),
        "key_id": str(ApiKeyFactory(user=owner, name="to revoke").pk),
        "listing_id": str(ListingFactory(status="approved").pk),  # someone else's, installable
        "entry_id": str(
            lore_create(ecosystem=world, author=owner, title="The Well", text="Old and deep.").pk
        ),
        "import_id": str(analysed_import(owner).pk),
        "game_id": str(
            game_create(
                owner,
                name="Fuzz Rush",
                vocabulary={"actions": [{"name": "slash", "type": "attack"}]},
            ).pk
        ),  # a book analysed, its world not made yet
        "conversation_id": str(
            conversation_start(
                user=owner, ecosystem=world, character_ids=[alice.pk], persona_name="Tom"
            ).pk
        ),
    }
    return {"ids": ids, "auth": f"Bearer {ApiKeyFactory(user=owner).key}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_errors_or_breaks_its_schema(case, fuzz_world):
    if case.path_parameters:
        case.path_parameters = {
            name: fuzz_world["ids"].get(name, value) for name, value in case.path_parameters.items()
        }
    case.call_and_validate(headers={"Authorization": fuzz_world["auth"]}, checks=CHECKS)
