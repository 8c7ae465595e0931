"""Callbacks registered by apps above ``ecosystems``.

Imports between apps run one way (billing ← characters ← ecosystems ← stories ← marketplace), so
a tick cannot import story sifting. ``stories`` registers a callback here when its app is ready
(``StoriesConfig.ready``); the tick calls every registered callback after it commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

AfterTick = Callable[[str, int], None]  # (ecosystem id, tick number)
_after_tick: list[AfterTick] = []


def after_tick_register(callback: AfterTick) -> None:
    """Call ``callback(ecosystem_id, tick)`` after every committed tick (once per callback)."""
    if callback not in _after_tick:
        _after_tick.append(callback)


def after_tick_run(ecosystem_id: str, tick: int) -> None:
    """Run the callbacks; a failing one is logged and never fails the committed tick."""
    for callback in list(_after_tick):
        try:
            callback(ecosystem_id, tick)
        except Exception:
            log.warning("after-tick callback %r failed for %s", callback, ecosystem_id,
                        exc_info=True)  # fmt: skip
