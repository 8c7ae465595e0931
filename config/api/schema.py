"""OpenAPI: every operation documents the error envelope for the statuses it can answer."""

from __future__ import annotations

import copy
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

ERROR_COMPONENT = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "example": "plan_limit"},
                "message": {"type": "string"},
                "details": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "Field name -> messages for 400s; retry_after_seconds for 429.",
                },
            },
        }
    },
}

ERROR_STATUSES = {
    "400": "Invalid request: details name the fields.",
    "401": "No or invalid credentials.",
    "402": "The plan's limit is reached.",
    "403": "Read-only access (a public world of someone else) or CSRF failure.",
    "404": "No such object, or not yours (private objects of others are not revealed).",
    "405": "Method not allowed.",
    "409": "The object's state forbids this.",
    "413": "Request body too large.",
    "415": "Send JSON.",
    "422": "The characters would not do this now (the message says why).",
    "429": "Rate limit or monthly quota reached; see Retry-After.",
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the ``Error`` component and its responses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(
                    status, {"description": description, "content": copy.deepcopy(ref)}
                )
            if "429" in responses:
                responses["429"]["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}
                }
    return result


class SchemaFormatNegotiation(DefaultContentNegotiation):
    """Honours ``?format=json`` and ``?format=yaml`` on the schema, as drf-spectacular documents.
    The site-wide ``URL_FORMAT_OVERRIDE`` is off because ``?format=`` names a story export's
    file type; an unknown format is a 404, as DRF answers for one."""

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        chosen = format_suffix or request.query_params.get("format") or None
        return super().select_renderer(request, renderers, chosen)
