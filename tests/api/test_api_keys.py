"""API keys: created with the session or a password, shown once, stored hashed, revocable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from billing.models import ApiKey
from billing.services import api_key_touch
from tests.api.conftest import error_of
from tests.factories import PASSWORD, ApiKeyFactory

pytestmark = pytest.mark.django_db


def test_a_script_gets_its_first_key_with_username_and_password(owner):
    response = APIClient().post(
        "/api/v1/auth/keys/",
        {"name": "game server", "username": "owner", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["key"].startswith(body["prefix"] + "_")
    assert body["prefix"].startswith("dra_") and len(body["prefix"]) == 12
    stored = ApiKey.objects.get(pk=body["id"])
    assert stored.secret_hash == ApiKey.hash(body["key"])
    assert body["key"] not in str(ApiKey.objects.filter(pk=body["id"]).values().get())


def test_the_key_is_shown_once_and_never_listed(as_owner):
    created = as_owner.post("/api/v1/auth/keys/", {"name": "second"}, format="json").json()
    listed = as_owner.get("/api/v1/auth/keys/").json()["results"]
    assert {k["name"] for k in listed} == {"test key", "second"}
    assert all("key" not in k for k in listed)
    assert created["key"]


def test_a_wrong_password_gets_no_key(owner):
    response = APIClient().post(
        "/api/v1/auth/keys/", {"username": "owner", "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert not ApiKey.objects.exists()


def test_no_credentials_get_no_key(db):
    response = APIClient().post("/api/v1/auth/keys/", {"name": "x"}, format="json")
    assert response.status_code == 401


def test_a_signed_in_browser_creates_a_key_with_its_session(owner):
    client = APIClient()
    client.force_login(owner)
    response = client.post("/api/v1/auth/keys/", {"name": "from the browser"}, format="json")
    assert response.status_code == 201
    assert ApiKey.objects.get(user=owner).name == "from the browser"


def test_password_guessing_is_slowed_down(owner, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/min"}
    from rest_framework.throttling import AnonRateThrottle

    AnonRateThrottle.THROTTLE_RATES = rates  # DRF reads the rates once, at import
    try:
        statuses = [
            APIClient()
            .post("/api/v1/auth/keys/", {"username": "owner", "password": "x"}, format="json")
            .status_code
            for _ in range(4)
        ]
    finally:
        AnonRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert statuses == [401, 401, 401, 429]


def test_last_used_is_written_at_most_once_a_minute(owner):
    key = ApiKeyFactory(user=owner)
    now = timezone.now()
    api_key_touch(api_key=key, now=now)
    api_key_touch(api_key=key, now=now + dt.timedelta(seconds=30))
    key.refresh_from_db()
    assert key.last_used_at == now
    api_key_touch(api_key=key, now=now + dt.timedelta(seconds=61))
    key.refresh_from_db()
    assert key.last_used_at == now + dt.timedelta(seconds=61)


def test_using_a_key_records_when(owner):
    key = ApiKeyFactory(user=owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key.key}")
    client.get("/api/v1/ecosystems/")
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_the_account_page_shows_a_new_key_once_and_revokes(owner):
    client = APIClient()
    client.force_login(owner)
    page = client.post("/account/api-keys/", {"action": "create", "name": "laptop"})
    key = ApiKey.objects.get(user=owner, name="laptop")
    assert page.status_code == 200
    assert key.prefix in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    listing = client.get("/account/api-keys/").content.decode()
    assert "laptop" in listing and f"{key.prefix}_" not in listing
    client.post("/account/api-keys/", {"action": "revoke", "key_id": str(key.pk)})
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_the_account_page_needs_a_sign_in(db):
    response = APIClient().get("/account/api-keys/")
    assert response.status_code == 302
