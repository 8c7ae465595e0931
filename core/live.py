"""Sending to channel-layer groups from plain sync code (services, after commit).

Every app that tells live sockets something (``ecosystems.events`` with event frames, billing
when a key is revoked, a world when who may see it changes) sends through ``run_on_layer`` or
``group_notify``, on one long-lived loop per process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from channels.layers import get_channel_layer

log = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 5.0  # a stuck channel layer must not hold a committed request


class _PublisherLoop:
    """One long-lived event loop per process for channel-layer sends.

    ``async_to_sync`` from plain sync code starts a new loop per call, and channels-redis keeps
    its connection pools per loop, so every publish paid for a new loop and a new Redis
    connection (~2 ms). This loop lives in a daemon thread and keeps its pool warm. It is made
    again after a fork (Celery's prefork children), since threads do not survive a fork.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def run(self, coroutine: Coroutine[Any, Any, None]) -> None:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                self._loop = asyncio.new_event_loop()
                self._pid = os.getpid()
                threading.Thread(
                    target=self._loop.run_forever, name="event-publisher", daemon=True
                ).start()
            loop = self._loop
        asyncio.run_coroutine_threadsafe(coroutine, loop).result(SEND_TIMEOUT_SECONDS)


_publisher = _PublisherLoop()


def run_on_layer(send: Callable[[Any], Coroutine[Any, Any, None]], *, what: str) -> None:
    """Run ``send(layer)`` on the publisher loop. Best effort: live sockets recover what they
    miss (from the log, or at their next access check), so a channel-layer failure never fails
    a change that was already committed; it is logged as ``what``."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        _publisher.run(send(layer))
    except Exception:
        log.warning("could not %s on the channel layer", what, exc_info=True)


def group_notify(group: str, message: dict[str, Any]) -> None:
    """Send one message to a group (e.g. ``{"type": "access.changed"}``)."""

    async def send(layer: Any) -> None:
        await layer.group_send(group, message)

    run_on_layer(send, what=f"notify {group}")
