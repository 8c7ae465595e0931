"""Probe finding 4: while PostgreSQL or Redis is down, every request is a 503 with
``Retry-After`` (the error envelope under /api/, a plain page elsewhere), never a 500 or
Django's debug page."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from config.outages import RETRY_AFTER_SECONDS, outage_of, server_error
from tests.factories import ApiKeyFactory

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def _database_down(*args, **kwargs):
    raise OperationalError("connection to server on socket failed: No such file or directory")


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": CLOSED_REDIS},
    }


def _assert_api_outage(response, server: str) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    error = json.loads(response.content)["error"]
    assert error["code"] == "service_unavailable"
    assert error["details"] == {"server": server, "retry_after_seconds": RETRY_AFTER_SECONDS}


def test_the_api_answers_503_while_redis_is_down(client, owner, redis_down):
    key = ApiKeyFactory(user=owner).key

    response = client.get("/api/v1/ecosystems/", HTTP_AUTHORIZATION=f"Bearer {key}")

    _assert_api_outage(response, "redis")


def test_the_api_answers_503_while_the_database_is_down(client, owner):
    key = ApiKeyFactory(user=owner).key

    with mock.patch.object(CursorWrapper, "execute", _database_down):
        response = client.get("/api/v1/ecosystems/", HTTP_AUTHORIZATION=f"Bearer {key}")

    _assert_api_outage(response, "database")


def test_a_page_answers_the_503_page_while_the_database_is_down(client, owner):
    client.force_login(owner)

    with mock.patch.object(CursorWrapper, "execute", _database_down):
        response = client.get("/dashboard/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "Back in a moment" in page
    assert "DATABASE" not in page and "Traceback" not in page


def test_an_outage_raised_outside_a_view_is_a_503_too(rf):
    """Middleware (a session saved on the way out) fails outside any view: ``handler500``."""
    request = rf.get("/api/v1/ecosystems/")
    try:
        _database_down()
    except OperationalError:
        response = server_error(request)

    _assert_api_outage(response, "database")


def test_any_other_crash_is_the_plain_500_page_without_debug_details(rf):
    try:
        raise RuntimeError("a bug, with /var/run/secret.sock in its message")
    except RuntimeError:
        response = server_error(rf.get("/dashboard/"))

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "secret.sock" not in page


def test_a_wrapped_connection_error_is_still_an_outage():
    import redis

    wrapped = RuntimeError("channel layer send failed")
    wrapped.__cause__ = redis.exceptions.ConnectionError("Error 111 connecting")

    assert outage_of(wrapped) == "redis"
    assert outage_of(ValueError("no")) is None


def test_debug_is_off_unless_asked_for():
    import subprocess
    import sys

    from config.embedded import BASE_DIR
    from tests.live import test_process_env

    env = {k: v for k, v in test_process_env().items() if k != "DJANGO_DEBUG"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=BASE_DIR, capture_output=True, text=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr[-2000:]
