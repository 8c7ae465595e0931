"""The web server `make run` starts (config.launcher.web_command: gunicorn, uvicorn workers,
config.web) serves pages, the API and the WebSocket stream on one port."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time

import pytest
import requests
import websockets

from config.embedded import BASE_DIR
from config.launcher import web_command, web_env
from ecosystems.events import builders, publish
from tests import live
from tests.factories import ApiKeyFactory, EcosystemFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


@pytest.fixture
def web_server(transactional_db):
    port = live.free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        web_command("127.0.0.1", port),
        env=web_env(live.test_process_env()),
        cwd=BASE_DIR,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "the web server exited during start-up"
            try:
                if requests.get(f"{base}/health/", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def test_pages_api_and_stream_share_one_port(web_server, owner):
    world = EcosystemFactory(owner=owner, name="Served")
    publish(ecosystem=world, events=[builders.ecosystem_status(status="draft")])
    key = ApiKeyFactory(user=owner).key

    assert requests.get(f"{web_server}/", timeout=10).status_code == 200
    assert requests.get(f"{web_server}/static/css/app.css", timeout=10).status_code == 200
    api = requests.get(
        f"{web_server}/api/v1/ecosystems/{world.pk}/",
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )
    assert api.status_code == 200 and api.json()["name"] == "Served"

    async def first_frame() -> dict:
        url = web_server.replace("http", "ws", 1) + f"/ws/ecosystems/{world.pk}/?token={key}"
        async with websockets.connect(url) as socket:
            return json.loads(await asyncio.wait_for(socket.recv(), timeout=10))

    frame = asyncio.run(first_frame())
    assert frame["event"]["seq"] == 1


# channels-redis blocks 5 s per BZPOPMIN; the old drop came at ~5 s, so 15 s covers three waits.
IDLE_SECONDS = 15


def test_an_idle_socket_stays_open_and_still_receives(web_server, owner):
    """Probe finding 6: an idle socket died every ~5 s without a close frame (the Redis read
    timeout was no longer than channels-redis's blocking receive)."""
    world = EcosystemFactory(owner=owner, name="Quiet")
    key = ApiKeyFactory(user=owner).key
    url = web_server.replace("http", "ws", 1) + f"/ws/ecosystems/{world.pk}/?token={key}"

    async def idle_then_receive() -> dict:
        # No keep-alive pings from the client: only the server side's own waits are tested.
        async with websockets.connect(url, ping_interval=None) as socket:
            with pytest.raises(TimeoutError):  # nothing to say: the socket just waits
                await asyncio.wait_for(socket.recv(), timeout=IDLE_SECONDS)
            assert socket.state is websockets.State.OPEN
            await asyncio.to_thread(
                publish,
                ecosystem=world,
                events=[builders.ecosystem_status(status="running")],
            )
            return json.loads(await asyncio.wait_for(socket.recv(), timeout=10))

    frame = asyncio.run(idle_then_receive())
    assert frame["event"]["seq"] == 1


def test_a_rotated_forwarded_for_header_does_not_escape_the_anonymous_rate(web_server, db):
    """Probe finding 3, against the server `make run` starts: uvicorn believed X-Forwarded-For
    from 127.0.0.1 and DRF keyed its counter on the header, so every guess was a new client.
    Distinct usernames keep the login lockout out of it: only the rate limit is tested."""
    from django.conf import settings
    from django.core.cache import cache

    counter = "throttle_anon_127.0.0.1"  # the key this server gives every local client
    cache.delete(counter)
    allowed = int(settings.API_ANON_RATE.split("/")[0])
    try:
        statuses = [
            requests.post(
                f"{web_server}/api/v1/auth/keys/",
                json={"username": f"guess{n}", "password": "x"},
                headers={"X-Forwarded-For": f"192.0.2.{n}"},
                timeout=10,
            ).status_code
            for n in range(allowed + 1)
        ]
    finally:
        cache.delete(counter)  # later live servers' scripts sign in from 127.0.0.1 too
    assert statuses == [401] * allowed + [429]
