"""A JSON schema per event kind, derived from its payload type in ``ecosystems.engine.events``.

Derived, not written twice: a field added to a payload type is in the schema at once, and a
builder that writes a key its type does not declare (or leaves a required one out) fails the
check. Objects are closed (``additionalProperties: false``) so a stray key is caught too.
``publish()`` runs ``payload_check`` on every event when ``EVENTS_CHECK_SCHEMAS`` is on.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, Literal, NotRequired, Required, Union, get_args, get_origin

from jsonschema import Draft202012Validator

from ecosystems.engine.events import PAYLOADS, EventKind

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},  # JSON has one number type: 1 and 1.0 are both fine
    type(None): {"type": "null"},
}


class InvalidEventPayload(ValueError):
    """A builder wrote a payload its kind's type does not allow: a bug, never the user's."""


def _schema_of(annotation: Any) -> dict[str, Any]:
    origin = get_origin(annotation)
    if origin in (Required, NotRequired):
        return _schema_of(get_args(annotation)[0])
    if annotation in _SCALARS:
        return dict(_SCALARS[annotation])
    if origin in (Union, types.UnionType):
        return {"anyOf": [_schema_of(arg) for arg in get_args(annotation)]}
    if origin is Literal:
        return {"enum": list(get_args(annotation))}
    if origin is list:
        (item,) = get_args(annotation)
        return {"type": "array", "items": _schema_of(item)}
    if origin is dict:
        key, value = get_args(annotation)
        assert key is str, f"JSON object keys are strings, not {key}"
        return {"type": "object", "additionalProperties": _schema_of(value)}
    if typing.is_typeddict(annotation):
        return _object_schema(annotation)
    raise TypeError(f"No JSON schema for {annotation!r}; use JSON types in payloads.")


def _object_schema(payload: type) -> dict[str, Any]:
    hints = typing.get_type_hints(payload, include_extras=True)
    return {
        "type": "object",
        "properties": {name: _schema_of(hint) for name, hint in hints.items()},
        # Read off the hints: with postponed annotations ``__required_keys__`` misses
        # ``NotRequired`` (Python 3.11), and every payload type is total otherwise.
        "required": sorted(n for n, h in hints.items() if get_origin(h) is not NotRequired),
        "additionalProperties": False,
    }


@functools.cache
def payload_schema(kind: EventKind | str) -> dict[str, Any]:
    """The JSON schema of ``kind``'s payload (the frame's ``data`` minus ``ecosystem_id``)."""
    kind = EventKind(kind)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": kind.value,
        **_object_schema(PAYLOADS[kind]),
    }


@functools.cache
def _validator(kind: EventKind) -> Draft202012Validator:
    return Draft202012Validator(payload_schema(kind))


def payload_check(*, kind: EventKind | str, data: dict[str, Any]) -> None:
    """Raise ``InvalidEventPayload`` naming every way ``data`` breaks ``kind``'s schema."""
    kind = EventKind(kind)
    errors = sorted(_validator(kind).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        found = "; ".join(
            f"{'/'.join(map(str, e.absolute_path)) or '(payload)'}: {e.message}" for e in errors
        )
        raise InvalidEventPayload(
            f"A {kind.value} event does not match its schema: {found}. Build it with "
            f"ecosystems.events.builders.{kind.value}() and declare new keys in "
            "ecosystems.engine.events."
        )
