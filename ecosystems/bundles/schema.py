"""The JSON Schemas of the portable documents (world bundle and scenario package, version 1)
and the bounds they enforce.

The bounds are the model's own column lengths where a column has one, and otherwise at least
what the API lets a creator author (its bodies are at most 64 KiB, so no text written through
it is longer; its lists of values and goals take items of at most 300 characters, secrets
1,000), so whatever a world holds exports into a bundle that imports again, while a 10 MB
string is refused by name. ``MAX_CHARACTERS`` follows the brief for issue 14 (a bundle of at
most 2,000 characters, far past the pro plan's 50).
"""

from __future__ import annotations

from typing import Any

from characters.models import BIG_FIVE, PLUTCHIK, Character
from ecosystems.models import (
    LORE_TAG_CHARS,
    LORE_TEXT_CHARS,
    LORE_TITLE_CHARS,
    Ecosystem,
    LoreEntry,
    Relationship,
    Scenario,
)

WORLD_FORMAT = "dramatis.world"
SCENARIO_FORMAT = "dramatis.scenario"
VERSION = 1  # the newest version this server writes and reads

MAX_CHARACTERS = 2_000
MAX_RELATIONSHIPS = 50_000  # about 25 views per character at the maximum cast
MAX_SCENARIOS = 500
MAX_LORE = 1_000  # a world's approved lore (``ecosystems.services.lore.MAX_LORE_PER_WORLD``)
MAX_LIST_ITEMS = 1_000  # values, motivations, goals, secrets, subplots, hidden objectives
MAX_ITEM_CHARS = 2_000  # one value, motivation, secret or objective
MAX_LONG_TEXT = 65_536  # backstory, speaking style, description, setting: the API's body limit
MAX_KEY_CHARS = 100
MAX_GOAL_CHARS = 2_000  # a goal's description (the API takes 300; the studio more)

_NAME = Character._meta.get_field("name").max_length
_WORLD_NAME = Ecosystem._meta.get_field("name").max_length
_TITLE = Scenario._meta.get_field("title").max_length
_MOOD = Scenario._meta.get_field("mood").max_length
SEED_MAX = 2**63 - 1  # a PostgreSQL bigint

KEY = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_CHARS}
UNIT = {"type": "number", "minimum": 0.0, "maximum": 1.0}
SIGNED_UNIT = {"type": "number", "minimum": -1.0, "maximum": 1.0}


def _text(max_length: int, *, min_length: int = 0) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length}


def _texts() -> dict[str, Any]:
    return {"type": "array", "maxItems": MAX_LIST_ITEMS, "items": _text(MAX_ITEM_CHARS)}


def _object(properties: dict[str, Any], *, required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


GOALS = {
    "type": "array",
    "maxItems": MAX_LIST_ITEMS,
    "items": _object(
        {"description": _text(MAX_GOAL_CHARS, min_length=1), "progress": UNIT},
        required=("description",),
    ),
}

CHARACTER = _object(
    {
        "key": KEY,
        "name": _text(_NAME, min_length=1),
        "is_active": {"type": "boolean"},
        "personality": _object({trait: UNIT for trait in BIG_FIVE}),
        "values": _texts(),
        "core_motivations": _texts(),
        "long_term_goals": GOALS,
        "short_term_goals": GOALS,
        "emotions": _object({emotion: UNIT for emotion in PLUTCHIK}),
        "autonomy_level": UNIT,
        "speaking_style": _text(MAX_LONG_TEXT),
        "backstory": _text(MAX_LONG_TEXT),
        "secrets": _texts(),
    },
    required=("key", "name"),
)

RELATIONSHIP = _object(
    {
        "source": KEY,
        "target": KEY,
        "kind": {"enum": list(Relationship.Kind.values)},
        "strength": SIGNED_UNIT,
        "trust": SIGNED_UNIT,
        "familiarity": UNIT,
        "attraction": UNIT,
    },
    required=("source", "target"),
)

OBJECTIVES = _object({"primary": _text(MAX_ITEM_CHARS), "subplots": _texts(), "hidden": _texts()})

SCENARIO = _object(
    {
        "title": _text(_TITLE, min_length=1),
        "setting": _text(MAX_LONG_TEXT),
        "mood": _text(_MOOD),
        "is_template": {"type": "boolean"},
        "cast": {"type": "array", "maxItems": MAX_CHARACTERS, "items": KEY},
        "objectives": OBJECTIVES,
    },
    required=("title",),
)

LORE_ENTRY = _object(
    {
        "title": _text(LORE_TITLE_CHARS, min_length=1),
        "text": _text(LORE_TEXT_CHARS, min_length=1),
        "tags": {"type": "array", "maxItems": 10, "items": _text(LORE_TAG_CHARS)},
        "visibility": {"enum": list(LoreEntry.Visibility.values)},
        "group": _text(120),
        "knowers": {"type": "array", "maxItems": MAX_CHARACTERS, "items": KEY},
    },
    required=("title", "text"),
)

WORLD = _object(
    {
        "name": _text(_WORLD_NAME, min_length=1),
        "description": _text(MAX_LONG_TEXT),
        "setting": _text(MAX_LONG_TEXT),
        "settings": _object(
            {
                "tick_interval_seconds": {"type": "integer", "minimum": 1, "maximum": 86_400},
                "minutes_per_tick": {"type": "integer", "minimum": 1, "maximum": 10_080},
                "world_start": {"type": "string", "maxLength": 64},
                "seed": {"type": "integer", "minimum": 0, "maximum": SEED_MAX},
                "drama_manager": {"type": "boolean"},
            }
        ),
    },
    required=("name",),
)

_HEADER = {
    "format": {"type": "string"},
    "version": {"type": "integer"},
    "exported_at": {"type": "string", "maxLength": 64},
}

WORLD_BUNDLE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Dramatis world bundle, version 1",
    **_object(
        {
            **_HEADER,
            "world": WORLD,
            "characters": {"type": "array", "maxItems": MAX_CHARACTERS, "items": CHARACTER},
            "relationships": {
                "type": "array",
                "maxItems": MAX_RELATIONSHIPS,
                "items": RELATIONSHIP,
            },
            "scenarios": {"type": "array", "maxItems": MAX_SCENARIOS, "items": SCENARIO},
            "lore": {"type": "array", "maxItems": MAX_LORE, "items": LORE_ENTRY},
        },
        required=("format", "version", "world"),
    ),
}

SCENARIO_PACKAGE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Dramatis scenario package, version 1",
    **_object(
        {
            **_HEADER,
            "scenario": SCENARIO,
            "roles": {"type": "array", "maxItems": MAX_CHARACTERS, "items": CHARACTER},
        },
        required=("format", "version", "scenario"),
    ),
}
