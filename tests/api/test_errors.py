"""One error envelope, the right status for each way a request can fail."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from billing.metering import api_calls_this_month
from billing.models import Plan
from ecosystems.models import Ecosystem
from tests.api.conftest import error_of
from tests.factories import ApiKeyFactory, CharacterFactory

pytestmark = pytest.mark.django_db


def test_an_invalid_field_is_a_400_naming_the_field(as_owner, world):
    response = as_owner.patch(
        f"/api/v1/ecosystems/{world.pk}/", {"tick_interval_seconds": 0}, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["details"]) == ["tick_interval_seconds"]
    assert error["message"].startswith("tick_interval_seconds:")


def test_an_unknown_field_is_refused_not_ignored(as_owner, world):
    response = as_owner.patch(f"/api/v1/ecosystems/{world.pk}/", {"nmae": "Typo"}, format="json")
    assert response.status_code == 400
    assert "nmae" in error_of(response)["details"]
    world.refresh_from_db()
    assert world.name == "Owner's World"


def test_a_duplicate_character_name_is_a_400_from_the_model(as_owner, world, alice):
    response = as_owner.post(
        f"/api/v1/ecosystems/{world.pk}/characters/", {"name": "Alice"}, format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


def test_malformed_json_is_a_400(as_owner):
    response = as_owner.post(
        "/api/v1/ecosystems/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed"


def test_a_wrong_key_is_a_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer dra_nope_nope")
    response = client.get("/api/v1/ecosystems/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_a_malformed_authorization_header_is_a_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer")
    assert client.get("/api/v1/ecosystems/").status_code == 401


def test_an_unknown_endpoint_is_a_404_in_the_envelope(as_owner):
    response = as_owner.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert error_of(response)["code"] == "not_found"


def test_a_malformed_id_is_a_404(as_owner):
    assert as_owner.get("/api/v1/ecosystems/not-a-uuid/").status_code == 404


def test_a_wrong_method_is_a_405(as_owner, world):
    response = as_owner.put(f"/api/v1/ecosystems/{world.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_starting_a_running_world_is_a_409(as_owner, world):
    assert as_owner.post(f"/api/v1/ecosystems/{world.pk}/start/").status_code == 200
    response = as_owner.post(f"/api/v1/ecosystems/{world.pk}/start/")
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


def test_an_oversized_body_is_a_413(as_owner, settings):
    settings.API_MAX_BODY_BYTES = 1024
    response = as_owner.post("/api/v1/ecosystems/", {"name": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"


def test_a_form_body_is_a_415(as_owner):
    response = as_owner.post("/api/v1/ecosystems/", {"name": "Form"}, format="multipart")
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_too_many_ticks_at_once_is_a_400(as_owner, world):
    response = as_owner.post(f"/api/v1/ecosystems/{world.pk}/tick/", {"ticks": 101}, format="json")
    assert response.status_code == 400
    assert "ticks" in error_of(response)["details"]


def test_an_interaction_the_characters_would_not_do_is_a_422_with_the_reason(
    as_owner, world, alice
):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    response = as_owner.post(
        "/api/v1/interactions/",
        {"initiator_id": str(alice.pk), "target_id": str(bob.pk), "interaction_type": "betray"},
        format="json",
    )
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["code"] == "not_feasible"
    assert error["message"]


def test_the_rate_limit_is_a_429_with_retry_after(owner, as_owner):
    Plan.objects.filter(code="free").update(api_requests_per_minute=2)
    # Five calls: however a minute's edge splits them, one window sees a third call.
    responses = [as_owner.get("/api/v1/ecosystems/") for _ in range(5)]
    refused = [r for r in responses if r.status_code == 429]
    assert responses[0].status_code == 200 and refused
    assert error_of(refused[0])["code"] == "rate_limited"
    assert 0 < int(refused[0]["Retry-After"]) <= 60
    assert api_calls_this_month(user_id=owner.pk) == 5 - len(refused)  # refused: not counted


def test_a_session_write_without_csrf_is_refused(owner, world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get("/api/v1/ecosystems/").status_code == 200  # reads need no token
    response = client.post("/api/v1/ecosystems/", {"name": "Forged"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]
    assert not Ecosystem.objects.filter(name="Forged").exists()


def test_a_session_write_with_csrf_works(owner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get("/account/api-keys/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/ecosystems/", {"name": "Signed"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content


def test_a_revoked_key_stops_working(owner):
    key = ApiKeyFactory(user=owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key.key}")
    assert client.get("/api/v1/ecosystems/").status_code == 200
    assert client.delete(f"/api/v1/auth/keys/{key.pk}/").status_code == 204
    assert client.get("/api/v1/ecosystems/").status_code == 401
