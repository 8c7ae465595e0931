"""Story sifting for Dramatis, pure Python (no Django): patterns matched incrementally over
the event log (``sifting``), the pattern library (``patterns``), stories built from the
matches (``board``) and the drama manager that paces the world (``drama``)."""

from stories.engine.board import (
    Participant,
    StoryBeat,
    StoryBoard,
    StoryChange,
    StoryView,
    world_tension,
)
from stories.engine.drama import (
    CharacterBrief,
    DramaDecision,
    DramaSettings,
    DramaState,
    Injection,
    drama_decide,
)
from stories.engine.patterns import PATTERNS, PATTERNS_BY_KEY
from stories.engine.sifting import (
    Beat,
    LogEvent,
    MatchUpdate,
    Pattern,
    RoleBinding,
    Sifter,
    Step,
    alliance,
    any_of,
    director,
    escalation,
    goal,
    gossip,
    interaction,
    relationship,
)

__all__ = [
    "PATTERNS",
    "PATTERNS_BY_KEY",
    "Beat",
    "CharacterBrief",
    "DramaDecision",
    "DramaSettings",
    "DramaState",
    "Injection",
    "LogEvent",
    "MatchUpdate",
    "Participant",
    "Pattern",
    "RoleBinding",
    "Sifter",
    "Step",
    "StoryBeat",
    "StoryBoard",
    "StoryChange",
    "StoryView",
    "alliance",
    "any_of",
    "director",
    "drama_decide",
    "escalation",
    "goal",
    "gossip",
    "interaction",
    "relationship",
    "world_tension",
]
