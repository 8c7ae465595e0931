"""Every write of the ecosystems app. Import from here; modules split it by subject."""

from ecosystems.services.interactions import InteractionResult, interaction_process
from ecosystems.services.worlds import (
    ecosystem_create,
    ecosystem_pause,
    ecosystem_save,
    ecosystem_slug_unique,
    ecosystem_start,
)

__all__ = [
    "InteractionResult",
    "ecosystem_create",
    "ecosystem_pause",
    "ecosystem_save",
    "ecosystem_slug_unique",
    "ecosystem_start",
    "interaction_process",
]
