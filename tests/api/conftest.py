"""API personas: clients for the owner and a stranger (each with an API key) and anonymous.

Every test gets a cache namespace of its own, so rate-limit histories and monthly counters in
the shared Redis never leak between tests (user ids repeat across test databases)."""

from __future__ import annotations

import copy
import uuid

import pytest
from rest_framework.test import APIClient

from tests.factories import ApiKeyFactory


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"dramatis-test-api-{uuid.uuid4().hex[:12]}"
    settings.CACHES = caches  # Django resets its cache connections on this setting's change
    yield
    from django.core.cache import cache

    cache.delete_many(_keys_written())


def _keys_written() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from billing.metering import _day_key, _key, month_start

    try:
        ids = list(get_user_model().objects.values_list("pk", flat=True))
    except Exception:  # no database in this test
        return []
    month = month_start()
    # The per-minute counters expire by themselves.
    return [_key(pk, month) for pk in ids] + [_day_key(timezone.now().date())]


def client_with_key(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {ApiKeyFactory(user=user).key}")
    return client


@pytest.fixture
def as_owner(owner) -> APIClient:
    return client_with_key(owner)


@pytest.fixture
def as_stranger(stranger) -> APIClient:
    return client_with_key(stranger)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def error_of(response) -> dict:
    """The envelope's ``error`` object, checking the envelope's shape on the way."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]


@pytest.fixture
def client_for_another(db) -> APIClient:
    """A second stranger, with a key of their own."""
    from tests.factories import UserFactory

    return client_with_key(UserFactory(username="another"))
