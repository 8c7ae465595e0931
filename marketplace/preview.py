"""What a listing page shows of the content before anyone installs it: the cast with their
personalities, the relationships, the scenarios and their objectives.

The preview is read off the version's snapshot (a world bundle, a Character Card V3 or a
scenario package) by picking known fields, so what is not picked never shows. For anyone but
the publisher and staff, the secrets and hidden objectives the snapshot holds are also cut
out of every text shown (``ecosystems.redaction``: a backstory that quotes a secret shows
``[a secret]``), and the ``secrets`` and ``hidden`` lists are left out. The installer's copy
has them all: it is their own world.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecosystems.redaction import Redactor
from marketplace.models import ListingVersion

BIG_FIVE = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
CHARACTER_TEXTS = ("personality", "description", "speaking_style", "backstory", "first_mes")
MAX_CAST = 60  # the biggest demo worlds have about 50 characters
MAX_TEXT_CHARS = 600  # a preview, not the content: longer texts are cut with an ellipsis


def listing_preview(*, version: ListingVersion | None, reveal: bool) -> dict[str, Any]:
    """The preview of ``version``'s content; ``reveal`` (publisher and staff) keeps the
    secrets and hidden objectives in."""
    if version is None:
        return {"cast": [], "relationships": [], "scenarios": []}
    content = version.content if isinstance(version.content, dict) else {}
    people = _characters(content)
    names = {p["key"]: p.get("name") for p in people if isinstance(p.get("key"), str)}
    preview = {
        "cast": [_person(c, reveal) for c in people][:MAX_CAST],
        "relationships": [_relationship(r, names) for r in _list(content.get("relationships"))],
        "scenarios": [_scenario(s, reveal, names) for s in _scenarios(content)],
    }
    if reveal:
        return preview
    secrets = list(_strings_under(content, "secrets"))
    hidden = [t for o in _objectives(content) for t in _texts(o.get("hidden"))]
    return Redactor.of(secrets=secrets, hidden_goals=hidden).value(preview)


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _texts(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


def _characters(content: dict[str, Any]) -> list[dict[str, Any]]:
    """A world bundle's ``characters``, a scenario package's ``roles``; a card's ``data``
    (with our own fields under ``extensions``, where cards keep what other tools do not
    know)."""
    for key in ("characters", "roles"):
        if isinstance(content.get(key), list):
            return _list(content[key])
    data = content.get("data")
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        ours = next(
            (v for v in _dicts(data.get("extensions")) if any(t in v for t in BIG_FIVE)), {}
        )
        return [{**ours, **data}]
    return []


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    """``value`` and every dictionary nested in it."""
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _dicts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _dicts(v)


def _person(character: dict[str, Any], reveal: bool) -> dict[str, Any]:
    person: dict[str, Any] = {"name": _short(character.get("name"))}
    traits = {t: character[t] for t in BIG_FIVE if isinstance(character.get(t), int | float)}
    if not traits and isinstance(character.get("personality"), dict):
        traits = {t: v for t, v in character["personality"].items() if isinstance(v, int | float)}
    person["traits"] = traits
    for field in CHARACTER_TEXTS:
        if isinstance(character.get(field), str) and character[field].strip():
            person[field] = _short(character[field])
    if reveal:
        person["secrets"] = _texts(character.get("secrets"))
    return person


def _relationship(relationship: dict[str, Any], names: dict[str, Any]) -> dict[str, Any]:
    """Bundles name the two sides by the characters' keys; the preview by their names."""

    def name(side: str) -> str:
        value = relationship.get(side)
        if isinstance(value, dict):
            value = value.get("name")
        value = names.get(value, value) if isinstance(value, str) else value
        return value if isinstance(value, str) else ""

    return {"source": name("source"), "target": name("target"), "kind": relationship.get("kind")}


def _scenarios(content: dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(content.get("scenarios"), list):
        return _list(content["scenarios"])
    if isinstance(content.get("scenario"), dict):
        return [content["scenario"]]
    return []


def _scenario(scenario: dict[str, Any], reveal: bool, names: dict[str, Any]) -> dict[str, Any]:
    objectives = scenario.get("objectives") if isinstance(scenario.get("objectives"), dict) else {}
    shown: dict[str, Any] = {
        "primary": _short(objectives.get("primary")),
        "subplots": [_short(s) for s in _texts(objectives.get("subplots"))],
    }
    if reveal:
        shown["hidden"] = _texts(objectives.get("hidden"))
    return {
        "title": _short(scenario.get("title")),
        "setting": _short(scenario.get("setting")),
        "mood": _short(scenario.get("mood")),
        "cast": [_short(names.get(k, k)) for k in _texts(scenario.get("cast"))],
        "objectives": shown,
    }


def _objectives(content: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for node in _dicts(content):
        if isinstance(node.get("objectives"), dict):
            yield node["objectives"]


def _strings_under(content: Any, key: str) -> Iterator[str]:
    """Every text in a list held under ``key`` anywhere in the content."""
    for node in _dicts(content):
        yield from _texts(node.get(key))
