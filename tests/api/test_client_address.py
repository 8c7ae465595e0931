"""Rotating ``X-Forwarded-For`` no longer buys a fresh rate limit (probe finding 3): the header
is believed only from configured proxies (``core.clients.client_ip``)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from core.clients import client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/min"}
    AnonRateThrottle.THROTTLE_RATES = rates  # DRF reads the rates once, at import
    yield
    AnonRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]


def _guess(forwarded_for: str) -> int:
    return (
        APIClient()
        .post(
            "/api/v1/auth/keys/",
            {"username": "owner", "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        .status_code
    )


def test_a_new_forwarded_for_on_every_guess_does_not_reset_the_limit(owner, three_a_minute):
    statuses = [_guess(f"203.0.113.{i}") for i in range(4)]

    assert statuses == [401, 401, 401, 429]


def test_behind_a_configured_proxy_each_client_has_its_own_limit(owner, three_a_minute, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's REMOTE_ADDR

    statuses = [_guess(f"203.0.113.{i}") for i in range(4)]

    assert statuses == [401, 401, 401, 401]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("198.51.100.7", "1.2.3.4", [], "198.51.100.7"),  # no proxy: the header is ignored
        ("198.51.100.7", "1.2.3.4", ["10.0.0.0/8"], "198.51.100.7"),  # not from our proxy
        ("10.0.0.2", "1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.9", ["10.0.0.0/8"], "1.2.3.4"),  # forged left
        ("10.0.0.2", "", ["10.0.0.0/8"], "10.0.0.2"),
        ("10.0.0.2", "not-an-address", ["10.0.0.0/8"], "not-an-address"),
    ],
)
def test_the_client_is_the_nearest_address_that_is_not_our_proxy(
    remote, forwarded, trusted, expected, settings
):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
