"""The names of the two Celery queues, read by both the settings and the launcher.

World work (ticks and what follows them) of a plan with priority processing goes to the
priority queue, everything else to the default queue; ``ecosystems.queues.tick_queue_for``
decides. The launcher gives each queue its own worker, so a crowd of free worlds waiting on the
default queue never delays a pro world. No Django import: the launcher reads this module too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_QUEUE = "celery"  # Celery's own default name: messages queued before the split still run
PRIORITY_QUEUE = "priority"


def queue_names(
    env: Mapping[str, str] | None = None,
    defaults: tuple[str, str] = (DEFAULT_QUEUE, PRIORITY_QUEUE),
) -> tuple[str, str]:
    """(default queue, priority queue), from ``DRAMATIS_CELERY_QUEUE`` and
    ``DRAMATIS_CELERY_PRIORITY_QUEUE`` when set (a benchmark or a second install on the same
    broker keeps its own; the launcher sets both for its children, so whatever settings module
    they load, its workers' ``-Q`` and the queues tasks are sent to agree)."""
    env = os.environ if env is None else env
    return (
        env.get("DRAMATIS_CELERY_QUEUE") or defaults[0],
        env.get("DRAMATIS_CELERY_PRIORITY_QUEUE") or defaults[1],
    )


def queue_env(env: Mapping[str, str]) -> dict[str, str]:
    """The environment variables that name both queues, for a child process."""
    default, priority = queue_names(env)
    return {"DRAMATIS_CELERY_QUEUE": default, "DRAMATIS_CELERY_PRIORITY_QUEUE": priority}
