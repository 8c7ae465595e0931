"""JSON only, of bounded size and depth, with text PostgreSQL can store.

- An oversized body is refused with 413 before it is parsed (DRF reads the stream itself,
  past Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``).
- A body nested deeper than ``MAX_JSON_DEPTH`` is a 400 that says so (Python's decoder would
  raise ``RecursionError`` at about 1,000 levels, and every later walk of the data recurses).
- A NUL character or a lone UTF-16 surrogate in any key or string is a 400 naming the field:
  PostgreSQL's text and JSONB refuse both, and they never belong in a name or a line.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

from core.api.exceptions import RequestTooLarge

# The deepest of our request shapes is 3 (an interaction's context object holding a list);
# 32 leaves room for clients' own metadata and is far below anything that strains a walk.
MAX_JSON_DEPTH = 32
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise RequestTooLarge(
                f"The body is {int(declared):,} bytes; the API accepts at most {limit:,}."
            )
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestTooLarge(f"The body is over {limit:,} bytes, the most the API accepts.")
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_too_deep()) from error
        json_check(data)
        return data


def _too_deep() -> str:
    return f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep; flatten it."


def json_check(data: Any) -> None:
    """Refuse a parsed body nested too deep, or holding text PostgreSQL cannot store, saying
    where. Iterative, so no body can make it recurse."""
    pending: list[tuple[Any, str, int]] = [(data, "", 0)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise ParseError(_too_deep())
        if isinstance(value, dict):
            for key, item in value.items():
                here = f"{path}.{key}" if path else str(key)
                if _UNSTORABLE.search(key):
                    _refuse(path or "body", "a key")
                pending.append((item, here, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str) and _UNSTORABLE.search(value):
            _refuse(path or "body", "the text")


def _refuse(path: str, where: str) -> None:
    field = _UNSTORABLE.sub("?", path.split(".")[0].split("[")[0]) or "body"
    raise ValidationError(
        {
            field: [
                f"{where.capitalize()} at {json.dumps(_UNSTORABLE.sub('?', path))} holds a NUL "
                "character or a lone surrogate (\\u0000, \\ud800-\\udfff); send plain UTF-8 text."
            ]
        }
    )
