"""Validating a portable document before anything is written: the JSON Schema first, then the
checks a schema cannot say (unique keys, references to existing keys, one view per pair).

Every problem is reported at its place in the document (``characters[3].name``) with a short
message, so a creator who hand-edited a bundle can fix all of it in one go. Pure: no database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from django.utils.dateparse import parse_datetime
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from core.errors import InvalidInput
from ecosystems.bundles.schema import (
    SCENARIO_FORMAT,
    SCENARIO_PACKAGE_SCHEMA,
    VERSION,
    WORLD_BUNDLE_SCHEMA,
    WORLD_FORMAT,
)

# A document with thousands of problems is answered with the first ones only: enough to act
# on, and the response stays small.
MAX_REPORTED_PROBLEMS = 50

# PostgreSQL's text refuses NUL and lone UTF-16 surrogates; its float columns take NaN and
# infinity, which the range checks would not catch (NaN compares false both ways).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

_WORLD_VALIDATOR = Draft202012Validator(WORLD_BUNDLE_SCHEMA)
_SCENARIO_VALIDATOR = Draft202012Validator(SCENARIO_PACKAGE_SCHEMA)
_EXPECTED = {"string": "a text", "integer": "a whole number", "number": "a number",
             "boolean": "true or false", "array": "a list", "object": "an object"}  # fmt: skip
_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    str: "a text",
    bool: "true or false",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def bundle_validate(document: Any) -> dict[str, Any]:
    """Check a world bundle and return it unchanged; ``InvalidInput`` whose ``details`` map
    each wrong place (``characters[3].name``) to what is wrong there."""
    _header_check(document, expected=WORLD_FORMAT, noun="world bundle")
    problems = _unstorable_problems(document) or _schema_problems(_WORLD_VALIDATOR, document)
    if not problems:
        problems = _world_cross_problems(document)
    _raise_if(problems, noun="world bundle")
    return document


def scenario_package_validate(document: Any) -> dict[str, Any]:
    """Check a scenario package like ``bundle_validate`` checks a world bundle."""
    _header_check(document, expected=SCENARIO_FORMAT, noun="scenario package")
    problems = _unstorable_problems(document) or _schema_problems(_SCENARIO_VALIDATOR, document)
    if not problems:
        problems = _characters_problems(document.get("roles", []), where="roles")
        keys = {role["key"] for role in document.get("roles", [])}
        problems.update(_cast_problems(document["scenario"], keys, where="scenario"))
    _raise_if(problems, noun="scenario package")
    return document


def _header_check(document: Any, *, expected: str, noun: str) -> None:
    """The format and version first: a card or a newer bundle deserves one clear sentence,
    not a list of every field it lacks."""
    if not isinstance(document, dict):
        raise InvalidInput(
            f"A {noun} is a JSON object; this is {_JSON_TYPES.get(type(document), 'a value')}.",
            details={"body": [f"Send a {noun} object."]},
        )
    fmt, version = document.get("format"), document.get("version")
    if fmt != expected:
        raise InvalidInput(
            f"This is not a {noun}: its format is {_short(fmt)}, expected {expected!r}.",
            details={"format": [f"Must be {expected!r}."]},
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(
            f"The {noun} has no valid version; expected a whole number, at most {VERSION}.",
            details={"version": [f"Must be a whole number from 1 to {VERSION}."]},
        )
    if version > VERSION:
        raise InvalidInput(
            f"This {noun} is version {version}, made by a newer Dramatis; this server reads "
            f"versions up to {VERSION}. Export it again from a server of this version, or "
            "update this one.",
            details={"version": [f"Version {version} is newer than {VERSION}."]},
        )


def _unstorable_problems(document: Any) -> dict[str, list[str]]:
    """Text or numbers no column can hold, wherever they are. Iterative, so no document can
    make it recurse."""
    problems: dict[str, list[str]] = {}
    pending: list[tuple[Any, str]] = [(document, "")]
    while pending and len(problems) < MAX_REPORTED_PROBLEMS:
        value, path = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _UNSTORABLE.search(key):
                    problems[path or "body"] = ["A key holds a NUL or a lone surrogate."]
                pending.append((item, _join(path, _UNSTORABLE.sub("?", str(key)))))
        elif isinstance(value, list):
            pending.extend((item, f"{path}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, str) and _UNSTORABLE.search(value):
            problems[path] = ["Holds a NUL character or a lone surrogate; send plain text."]
        elif isinstance(value, float) and not math.isfinite(value):
            problems[path] = ["Must be a finite number (not NaN or infinity)."]
    return dict(sorted(problems.items()))


def _schema_problems(validator: Draft202012Validator, document: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for error in validator.iter_errors(document):
        for path, message in _describe(error):
            problems.setdefault(path, [])
            if message not in problems[path]:
                problems[path].append(message)
        if len(problems) >= MAX_REPORTED_PROBLEMS:
            break
    return problems


def _describe(error: SchemaError) -> Iterable[tuple[str, str]]:
    """The place and a short message of one schema error, never echoing the value itself (it
    may be 10 MB of text)."""
    path = _path(error.absolute_path)
    value, rule = error.instance, error.validator_value
    if error.validator == "required":
        for name in rule:
            if isinstance(value, dict) and name not in value:
                yield _join(path, name), "Required."
        return
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        for name in sorted(set(value) - known):
            yield _join(path, name), f"Unknown field; allowed: {', '.join(sorted(known))}."
        return
    yield path or "body", _message(error.validator, value, rule)


def _message(kind: Any, value: Any, rule: Any) -> str:
    if kind == "type":
        got = _JSON_TYPES.get(type(value), "a value")
        return f"Expected {_EXPECTED.get(rule, rule)}, got {got}."
    if kind == "maxLength":
        return f"At most {rule:,} characters; this has {len(value):,}."
    if kind == "minLength":
        return "Required; must not be empty." if rule == 1 else f"At least {rule} characters."
    if kind == "maxItems":
        return f"At most {rule:,} items; this has {len(value):,}."
    if kind in ("minimum", "maximum"):
        return (
            f"Out of range ({'at least' if kind == 'minimum' else 'at most'} {rule}); got {value}."
        )
    if kind == "enum":
        return f"Must be one of: {', '.join(map(str, rule))}."
    return f"Not valid ({kind})."


def _world_cross_problems(document: dict[str, Any]) -> dict[str, list[str]]:
    problems = _characters_problems(document.get("characters", []), where="characters")
    keys = {c["key"] for c in document.get("characters", [])}
    start = document["world"].get("settings", {}).get("world_start")
    if start is not None and _when(start) is None:
        problems["world.settings.world_start"] = [
            "Expected an ISO 8601 date and time with its zone, e.g. 1887-06-14T09:00:00Z."
        ]
    seen: set[tuple[str, str]] = set()
    for i, rel in enumerate(document.get("relationships", [])):
        here = f"relationships[{i}]"
        for end in ("source", "target"):
            if rel[end] not in keys:
                problems[f"{here}.{end}"] = [f"No character has the key {_short(rel[end])}."]
        if rel["source"] == rel["target"]:
            problems[f"{here}.target"] = ["A character cannot have a relationship with itself."]
        pair = (rel["source"], rel["target"])
        if pair in seen:
            problems[here] = ["A second view of the same source and target; keep one."]
        seen.add(pair)
    for i, scenario in enumerate(document.get("scenarios", [])):
        problems.update(_cast_problems(scenario, keys, where=f"scenarios[{i}]"))
    for i, entry in enumerate(document.get("lore", [])):
        missing = [key for key in entry.get("knowers", []) if key not in keys]
        if missing:
            listed = ", ".join(repr(k) for k in missing[:5])
            problems[f"lore[{i}].knowers"] = [f"No character has the key(s) {listed}."]
    return problems


def _characters_problems(characters: list[dict[str, Any]], *, where: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    keys: dict[str, int] = {}
    names: dict[str, int] = {}
    for i, character in enumerate(characters):
        key, name = character["key"], character["name"].strip()
        if key in keys:
            problems[f"{where}[{i}].key"] = [f"Already used by {where}[{keys[key]}]."]
        keys.setdefault(key, i)
        if not name:
            problems[f"{where}[{i}].name"] = ["Required; must not be blank."]
        elif name in names:  # names are unique per world (a database constraint)
            problems[f"{where}[{i}].name"] = [f"Already used by {where}[{names[name]}]."]
        names.setdefault(name, i)
    return problems


def _cast_problems(scenario: dict[str, Any], keys: set[str], *, where: str) -> dict[str, list[str]]:
    missing = [key for key in scenario.get("cast", []) if key not in keys]
    if not missing:
        return {}
    listed = ", ".join(_short(k) for k in missing[:5])
    return {f"{where}.cast": [f"No character has the key(s) {listed}."]}


def _raise_if(problems: dict[str, list[str]], *, noun: str) -> None:
    if not problems:
        return
    path, messages = next(iter(problems.items()))
    more = len(problems) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''}, see details)" if more else ""
    raise InvalidInput(f"The {noun} is not valid: {path}: {messages[0]}{tail}", details=problems)


def _when(text: str) -> Any:
    try:
        value = parse_datetime(text)
    except ValueError:
        return None
    return value if value is not None and value.tzinfo is not None else None


def _path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out = f"{out}[{part}]" if isinstance(part, int) else _join(out, str(part))
    return out


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
