"""Every write of the ecosystems app. Import from here; modules split it by subject."""

from ecosystems.services.interactions import InteractionResult, interaction_process
from ecosystems.services.memory import (
    memories_embed_missing,
    memory_consolidate,
    memory_reflect,
)
from ecosystems.services.ticks import (
    TickResult,
    ecosystem_run_ticks,
    ecosystem_tick,
    ticks_schedule_due,
)
from ecosystems.services.worlds import (
    ecosystem_create,
    ecosystem_pause,
    ecosystem_save,
    ecosystem_slug_unique,
    ecosystem_start,
)

__all__ = [
    "InteractionResult",
    "TickResult",
    "ecosystem_create",
    "ecosystem_pause",
    "ecosystem_run_ticks",
    "ecosystem_save",
    "ecosystem_slug_unique",
    "ecosystem_start",
    "ecosystem_tick",
    "interaction_process",
    "memories_embed_missing",
    "memory_consolidate",
    "memory_reflect",
    "ticks_schedule_due",
]
