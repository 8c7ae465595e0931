"""Character Card V3 export and import (the SillyTavern / chub convention, ``chara_card_v3``).

The file formats live in ``characters.card_formats`` (pure Python); here a card meets a
``Character``. How the fields map:

| card field (``data.*``)           | Dramatis                                                   |
|-----------------------------------|------------------------------------------------------------|
| ``name``                          | ``name`` (a taken name in the world gets " (2)", " (3)"...)  |
| ``description``                   | ``backstory``                                              |
| ``personality``                   | written from the Big Five, values and motivations          |
| ``scenario``                      | the world's ``setting``                                    |
| ``first_mes``                     | a greeting in the character's name                         |
| ``character_book`` entries        | ``secrets``, one entry each, tagged                        |
|                                   | ``extensions.dramatis.kind = "secret"``                    |
| ``extensions.dramatis``           | every field with no card field: Big Five, values,          |
|                                   | motivations, goals, emotions, energy, autonomy,            |
|                                   | ``speaking_style``, ``is_active``                          |
| ``creator``                       | the world owner's username                                 |
| ``creation_date``                 | ``created_at``; ``modification_date``: ``updated_at``      |

Texts Dramatis writes for chat frontends (personality, scenario, first message...) are derived
on export. On import, whatever the card says that differs from what we would derive, every
field we do not know, other apps' extensions and lorebook entries that are not our secrets are
kept in ``Character.card_extensions`` and written back on export: card → import → export gives
the same card data (dates aside, and with ``extensions.dramatis`` added). Embedded CHARX asset
files are not stored; their ``assets`` entries are kept.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from characters.card_formats import SPEC_V3, card_normalise, card_png_bytes, card_read
from characters.models import BIG_FIVE, Character
from characters.services import NAME_MAX_LENGTH, character_create
from core.errors import InvalidInput

__all__ = ["card_export", "card_import", "card_png", "card_read"]

DRAMATIS = "dramatis"
SECRET = "secret"
# The character fields with no card field, carried in ``extensions.dramatis``.
EXTENSION_FIELDS = (*BIG_FIVE, "values", "core_motivations", "long_term_goals",
                    "short_term_goals", "emotions", "social_energy", "autonomy_level",
                    "speaking_style", "is_active")  # fmt: skip
# Card fields a Dramatis export derives; an import keeps the card's own value when it differs.
# Where a model field's validation error points in the card.
_CARD_PATH = {"name": "data.name", "backstory": "data.description",
              "secrets": "data.character_book.entries"}  # fmt: skip
_NEVER_KEPT = {"name", "description", "modification_date"}

_TRAIT_WORDS = {  # (high, low): said when a trait is >= 0.65 or <= 0.35
    "openness": ("curious and imaginative", "conventional and practical"),
    "conscientiousness": ("reliable and organised", "spontaneous and careless"),
    "extraversion": ("outgoing and talkative", "quiet and reserved"),
    "agreeableness": ("warm and kind", "blunt and competitive"),
    "neuroticism": ("anxious and easily upset", "calm and steady"),
}


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def personality_text(*, character: Character) -> str:
    """The card's ``personality``: the Big Five, values and motivations in a few words."""
    traits = [
        high if value >= 0.65 else low
        for trait, (high, low) in _TRAIT_WORDS.items()
        if (value := getattr(character, trait)) >= 0.65 or value <= 0.35
    ]
    parts = []
    if traits:
        parts.append(f"{character.name} is {_words(traits)}.")
    if character.values:
        parts.append(f"Values {_words(list(character.values))}.")
    if character.core_motivations:
        parts.append(f"Driven {_words(list(character.core_motivations))}.")
    return " ".join(parts)


def _secret_entries(character: Character) -> list[dict[str, Any]]:
    return [
        {
            "keys": [character.name],
            "content": secret,
            "extensions": {DRAMATIS: {"kind": SECRET}},
            "enabled": True,
            "insertion_order": i,
            "use_regex": False,
            "constant": False,
            "comment": f"{character.name}'s secret",
        }
        for i, secret in enumerate(character.secrets)
    ]


def _book_frame(character: Character) -> dict[str, Any]:
    return {"name": f"{character.name}'s lorebook", "extensions": {}, "entries": []}


def _derived(character: Character) -> dict[str, Any]:
    """The card data Dramatis writes for ``character``, before anything an import kept."""
    world = character.ecosystem
    data: dict[str, Any] = {
        "name": character.name,
        "description": character.backstory,
        "personality": personality_text(character=character),
        "scenario": world.setting,
        "first_mes": f'*{character.name} looks up.* "Hello, {{{{user}}}}. I am {character.name}."',
        "mes_example": "",
        "creator_notes": f"A character of the Dramatis world {world.name!r}.",
        "system_prompt": "",
        "post_history_instructions": "",
        "alternate_greetings": [],
        "group_only_greetings": [],
        "tags": [],
        "creator": world.owner.get_username(),
        "character_version": "1.0",
        "extensions": {},
        "creation_date": int(character.created_at.timestamp()) if character.created_at else 0,
    }
    if character.secrets:
        data["character_book"] = {**_book_frame(character), "entries": _secret_entries(character)}
    return data


def _dramatis_extension(character: Character) -> dict[str, Any]:
    return {"version": 1, **{f: copy.deepcopy(getattr(character, f)) for f in EXTENSION_FIELDS}}


def card_export(*, character: Character) -> dict[str, Any]:
    """``character`` as a Character Card V3 (owner's view: secrets included)."""
    data = _derived(character)
    kept = copy.deepcopy((character.card_extensions or {}).get("data", {}))
    kept_book = kept.pop("character_book", None)
    kept_extensions = kept.pop("extensions", {})
    data.update(kept)
    data["extensions"] = {**kept_extensions, DRAMATIS: _dramatis_extension(character)}
    if kept_book is not None:
        # The card's own lorebook frame (name, budgets...) wins; our secrets come first.
        ours = data.get("character_book", {}).get("entries", [])
        data["character_book"] = {**kept_book, "entries": [*ours, *kept_book["entries"]]}
    stamp = character.updated_at or datetime.now()
    data["modification_date"] = int(stamp.timestamp())
    return {"spec": SPEC_V3, "spec_version": "3.0", "data": data}


def card_png(*, character: Character) -> bytes:
    """The card as a PNG portrait placeholder with ``ccv3`` and ``chara`` tEXt chunks."""
    return card_png_bytes(card_export(character=character))


def _fields_from_card(data: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": data["name"].strip(), "backstory": data["description"]}
    ours = data["extensions"].get(DRAMATIS)
    if isinstance(ours, dict):
        fields.update({f: copy.deepcopy(ours[f]) for f in EXTENSION_FIELDS if f in ours})
    book = data.get("character_book") or {}
    fields["secrets"] = [
        entry["content"] for entry in book.get("entries", []) if _is_our_secret(entry)
    ]
    return fields


def _is_our_secret(entry: dict[str, Any]) -> bool:
    mark = entry.get("extensions", {}).get(DRAMATIS)
    return isinstance(mark, dict) and mark.get("kind") == SECRET


def _free_name(*, ecosystem: Any, name: str) -> str:
    taken = set(Character.objects.filter(ecosystem=ecosystem).values_list("name", flat=True))
    n, candidate = 1, name
    while candidate in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[: NAME_MAX_LENGTH - len(suffix)] + suffix
    return candidate


def _kept(character: Character, data: dict[str, Any]) -> dict[str, Any]:
    """What of ``data`` the character's fields and the derived texts do not already say."""
    derived = _derived(character)
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if key in _NEVER_KEPT or key in ("extensions", "character_book"):
            continue
        if key not in derived or derived[key] != value:
            kept[key] = copy.deepcopy(value)
    extensions = {k: v for k, v in data["extensions"].items() if k != DRAMATIS}
    if extensions:
        kept["extensions"] = copy.deepcopy(extensions)
    book = data.get("character_book")
    if book is not None:
        others = [copy.deepcopy(e) for e in book["entries"] if not _is_our_secret(e)]
        frame = {k: copy.deepcopy(v) for k, v in book.items() if k != "entries"}
        ours = derived.get("character_book")
        if others or ours is None or frame != _book_frame(character):
            kept["character_book"] = {**frame, "entries": others}
    return kept


@transaction.atomic
def card_import(*, ecosystem: Any, card: dict[str, Any]) -> Character:
    """A new character in ``ecosystem`` from ``card`` (any card ``card_read`` accepts, or its
    result); the owner's plan limits apply (``PlanLimitReached``). What the card holds that we
    have no field for is kept in ``card_extensions`` so an export gives it back."""
    data = card_normalise(copy.deepcopy(card))["data"]
    fields = _fields_from_card(data)
    fields["name"] = _free_name(ecosystem=ecosystem, name=fields["name"])
    try:
        character = character_create(ecosystem=ecosystem, **fields)
    except TypeError as error:  # an extension field of the wrong shape for the model
        raise InvalidInput(f"The card's Dramatis extension is not valid: {error}.") from error
    except ValidationError as error:
        details = {
            _CARD_PATH.get(field, f"data.extensions.dramatis.{field}"): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
        first = next(iter(details.items()))
        raise InvalidInput(
            f"The character card is not valid: {first[0]}: {first[1][0]}", details=details
        ) from error
    character.card_extensions = {"data": _kept(character, data)}
    character.save(update_fields=["card_extensions"])
    return character
