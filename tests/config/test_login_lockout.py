"""Password guessing is throttled on every sign-in form (probe finding 3): at the fifth wrong
password for one username from one address, sign-in pauses for fifteen minutes with a 429
that says so, even for the right password; other accounts and other addresses are not
affected, and a right password before the limit forgets the failures."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
FORMS = ["/accounts/login/", "/admin/login/", "/studio/login/"]


@pytest.fixture
def victim():
    return UserFactory(username="victim", password=PASSWORD, is_staff=True)


def _sign_in(path: str, username: str, password: str, address: str = "198.51.100.7"):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


@pytest.mark.parametrize("path", FORMS)
def test_five_wrong_passwords_pause_sign_in_even_for_the_right_one(path, victim):
    for _ in range(4):
        assert _sign_in(path, "victim", "guess").status_code == 200  # the form again
    assert _sign_in(path, "victim", "guess").status_code == 429  # the fifth

    locked = _sign_in(path, "victim", PASSWORD)

    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Try again in 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in locked.wsgi_request.session


@pytest.mark.parametrize("path", FORMS)
def test_a_lockout_is_for_that_account_from_that_address_only(path, victim):
    other = UserFactory(username="bystander", password=PASSWORD, is_staff=True)
    for _ in range(5):
        _sign_in(path, "victim", "guess")

    assert _sign_in(path, other.username, PASSWORD).status_code == 302
    assert _sign_in(path, "victim", PASSWORD, address="192.0.2.44").status_code == 302


def test_a_right_password_before_the_limit_forgets_the_failures(victim):
    for _ in range(4):
        _sign_in("/accounts/login/", "victim", "guess")
    assert _sign_in("/accounts/login/", "victim", PASSWORD).status_code == 302

    for _ in range(4):
        _sign_in("/accounts/login/", "victim", "guess")

    assert _sign_in("/accounts/login/", "victim", PASSWORD).status_code == 302


def test_key_creation_with_a_password_locks_out_too_in_the_envelope(victim, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "1000/min"}
    from rest_framework.throttling import AnonRateThrottle

    AnonRateThrottle.THROTTLE_RATES = rates  # isolate the lockout from the rate limit
    try:
        body = {"username": "victim", "password": "guess", "name": "bot"}
        statuses = [
            APIClient().post("/api/v1/auth/keys/", body, format="json").status_code
            for _ in range(5)
        ]
        locked = APIClient().post(
            "/api/v1/auth/keys/", {**body, "password": PASSWORD}, format="json"
        )
    finally:
        AnonRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]

    assert statuses == [401] * 4 + [429]
    assert locked.status_code == 429
    error = locked.json()["error"]
    assert error["code"] == "locked_out" and error["details"]["retry_after_seconds"] == 900
