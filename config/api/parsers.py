"""JSON only, and bodies of a bounded size: an oversized body is refused with 413 before it
is parsed (DRF reads the stream itself, past Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from rest_framework.parsers import JSONParser

from config.api.exceptions import RequestTooLarge


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
        return super().parse(io.BytesIO(body), media_type, parser_context)
