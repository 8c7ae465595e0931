"""Callbacks registered by apps above ``ecosystems``.

Imports between apps run one way (billing ← characters ← ecosystems ← stories ← marketplace), so
a tick cannot import story sifting. ``stories`` registers a callback here when its app is ready
(``StoriesConfig.ready``); the tick calls every registered callback after it commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

AfterTick = Callable[[str, int, str], None]  # (ecosystem id, tick number, the tick's queue)
AfterEvents = Callable[[str], None]  # (ecosystem id)
_after_tick: list[AfterTick] = []
_after_events: list[AfterEvents] = []


def after_tick_register(callback: AfterTick) -> None:
    """Call ``callback(ecosystem_id, tick, queue)`` after every committed tick (once per
    callback); ``queue`` is the Celery queue the tick ran on, for the callback's own tasks
    (ecosystems/queues.py)."""
    if callback not in _after_tick:
        _after_tick.append(callback)


def after_tick_run(ecosystem_id: str, tick: int, *, queue: str) -> None:
    """Run the callbacks; a failing one is logged and never fails the committed tick."""
    for callback in list(_after_tick):
        try:
            callback(ecosystem_id, tick, queue)
        except Exception:
            log.warning("after-tick callback %r failed for %s", callback, ecosystem_id,
                        exc_info=True)  # fmt: skip


def after_events_register(callback: AfterEvents) -> None:
    """Call ``callback(ecosystem_id)`` after events logged outside a tick commit (an
    interaction through the API, the Director's): the same follow-ups as a tick's, so a
    scripted scene is sifted into stories like a ticking world (once per callback)."""
    if callback not in _after_events:
        _after_events.append(callback)


def after_events_run(ecosystem_id: str) -> None:
    """Run the callbacks; a failing one is logged and never fails the committed write."""
    for callback in list(_after_events):
        try:
            callback(ecosystem_id)
        except Exception:
            log.warning("after-events callback %r failed for %s", callback, ecosystem_id,
                        exc_info=True)  # fmt: skip
