"""Browser tests: Playwright (sync API) driving Debian's chromium against a real daphne on the
test database, with a real Celery worker and beat and the channel layer on the embedded Redis.

One browser and one live server per module keep them fast. Chromium comes from the
system (``.ci/run`` installs it); without it the tests skip locally but fail in CI (``CI`` set).
Screenshots go to ``var/screenshots/`` (the good ones are copied to ``docs/screenshots/``).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import OperationalError
from django.test import TransactionTestCase

from config.embedded import BASE_DIR

SCREENSHOTS = BASE_DIR / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


# One browser per module, not per session: while Playwright runs, its event loop is the running
# loop of this thread, which would break every asyncio test that runs after the browser tests.
@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        message = "chromium is not installed (apt-get install -y chromium; .ci/run does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Once Playwright's event loop runs in this thread, Django hands out new connection objects
    # (asgiref's thread-critical locals follow the running loop). Carry over the snapshot that
    # serialized_rollback restores after each transactional test, or later tests lose the
    # rows the migrations seeded (the plans).
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    # Playwright's sync API runs its event loop in this thread; Django then believes it is
    # called from async code. The tests' ORM calls are plain synchronous calls: allow them,
    # for as long as the browser runs.
    unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, contents in snapshots.items():
                connections[alias]._test_serialized_contents = contents
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = unsafe


@pytest.fixture(scope="module")
def daphne_url(django_db_setup, django_db_blocker) -> Iterator[str]:
    """daphne serving the test database for the whole module; yields its base URL."""
    from tests.live import daphne_serving_test_database

    with django_db_blocker.unblock(), daphne_serving_test_database() as base_url:
        yield base_url


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker and beat on the test database for the whole module."""
    from tests.live import celery_worker_and_beat

    with django_db_blocker.unblock(), celery_worker_and_beat(str(tmp_path_factory.mktemp("beat"))):
        yield


QUIET_WAIT_SECONDS = 10.0
FLUSH_ATTEMPTS = 3
_fixture_teardown = TransactionTestCase._fixture_teardown


def _flush_retrying_deadlocks(self) -> None:
    """The flush, tried again when PostgreSQL picks it as a deadlock's victim: a periodic task
    of the live worker (beat) may start after the quiet wait below and lock tables in its own
    order. The victim's transaction is rolled back, so a second TRUNCATE starts clean."""
    for attempt in range(FLUSH_ATTEMPTS):
        try:
            return _fixture_teardown(self)
        except (CommandError, OperationalError) as error:
            if "deadlock detected" not in str(error.__cause__ or error) or (
                attempt == FLUSH_ATTEMPTS - 1
            ):
                raise
            time.sleep(0.2)


@pytest.fixture(autouse=True)
def _worlds_quiet_before_flush(request):
    """With a live worker, pause every world and wait for the worker's transactions to end
    before the test's database flush: a TRUNCATE of every table racing a tick (which locks
    several of them in its own order) can deadlock, and PostgreSQL may pick the flush."""
    if "worker" not in request.fixturenames:
        yield
        return
    # set up before the database helper, so it is undone only after the flush
    request.getfixturevalue("monkeypatch").setattr(
        TransactionTestCase, "_fixture_teardown", _flush_retrying_deadlocks
    )
    request.getfixturevalue("_django_db_helper")  # so this is torn down before the flush
    yield
    from django.db import connection

    from ecosystems.models import Ecosystem

    Ecosystem.objects.filter(status=Ecosystem.Status.RUNNING).update(status=Ecosystem.Status.PAUSED)
    deadline = time.monotonic() + QUIET_WAIT_SECONDS
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.05)


@dataclass
class Console:
    """Console errors and uncaught exceptions of every page opened through ``open_page``."""

    errors: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on(
            "console",
            lambda m: m.type == "error" and self.errors.append(f"{page.url}: {m.text}"),
        )
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed)]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def open_page(browser, daphne_url, console):
    """``open_page(user=None, **context_options)``: a new page (own cookies) signed in as
    ``user``; every page's console is watched and must stay free of errors."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def make(user=None, **options):
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=daphne_url, **options)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": daphne_url,
                    }
                ]
            )
        page = context.new_page()
        page.set_default_timeout(15_000)
        console.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert console.unexpected() == [], "console errors on the pages"


def screenshot(page, name: str, selector: str | None = None) -> Path:
    """Save a full-page screenshot (or one of ``selector``) as ``var/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if selector:
        page.locator(selector).screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=True)
    return path
