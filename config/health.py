"""Liveness and readiness, as JSON, for load balancers and ``make run``'s own wait."""

from __future__ import annotations

from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app

CHECK_TIMEOUT_SECONDS = 2  # a load balancer probes often; a hung dependency must not hang it


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the vector extension is not installed; run `python manage.py migrate`")
    return f"postgresql with pgvector {row[0]}"


def _check_redis() -> str:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()
    return "redis answers PING"


def _check_broker() -> str:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)
        return f"{conn.transport_cls} broker reachable"


READINESS_CHECKS: dict[str, Callable[[], str]] = {
    "database": _check_database,
    "redis": _check_redis,
    "broker": _check_broker,
}


@never_cache
def liveness(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readiness(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, str]] = {}
    for name, check in READINESS_CHECKS.items():
        try:
            checks[name] = {"status": "ok", "detail": check()}
        except Exception as exc:
            checks[name] = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"}
    ready = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status=200 if ready else 503,
    )
