"""Dialogue requests for tests: a shy Alice answering Bob unless told otherwise."""

from __future__ import annotations

from typing import Any

from characters.llm.prompts import DialogueRequest, RelationshipSummary

SHY = {
    "openness": 0.3,
    "conscientiousness": 0.7,
    "extraversion": 0.1,
    "agreeableness": 0.8,
    "neuroticism": 0.7,
}
OUTGOING = {
    "openness": 0.9,
    "conscientiousness": 0.4,
    "extraversion": 0.95,
    "agreeableness": 0.6,
    "neuroticism": 0.2,
}


def dialogue_request(**overrides: Any) -> DialogueRequest:
    fields: dict[str, Any] = {
        "speaker": "Alice",
        "listener": "Bob",
        "interaction_type": "small_talk",
        "big_five": SHY,
        "emotions": {"joy": 0.5, "fear": 0.3, "anger": 0.05},
        "relationship": RelationshipSummary(
            kind="friend", affinity=0.5, trust=0.7, familiarity=0.6, notes="Bob lent you a book."
        ),
        "memories": ("Bob laughed at my hat at the fair.", "Bob returned the locket."),
        "speaking_style": "Soft, hesitant, trails off with ellipses.",
        "other_line": "Lovely morning, isn't it, Alice?",
    }
    fields.update(overrides)
    return DialogueRequest(**fields)


def template_line() -> str:
    """Stands in for the template engine (characters/engine/dialogue.py) as the fallback."""
    return "Oh. Hello, Bob."
