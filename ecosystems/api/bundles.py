"""World bundles over the API: download a world as one JSON document, import one as a new
world (``ecosystems.bundles`` holds the format and the rules).

Export is the owner's alone, like every action on a world: a bundle holds the secrets and
hidden objectives a visitor of a public world never sees, so a visitor gets 403 and anyone
else 404. Sharing a world with others goes through a marketplace listing.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import RequestTooLarge
from core.api.parsers import json_check
from core.errors import InvalidInput
from ecosystems.access import world_for
from ecosystems.bundles import bundle_export, bundle_import
from ecosystems.serializers import EcosystemSerializer

# Room for a multipart body's boundaries and part headers around the file itself.
MULTIPART_OVERHEAD_BYTES = 16 * 1024


def _too_large(size: int) -> RequestTooLarge:
    limit = settings.BUNDLE_MAX_BYTES
    return RequestTooLarge(
        f"The bundle is {size:,} bytes; a world bundle may be at most {limit:,} bytes. "
        "Remove characters or shorten their texts, or split the world in two."
    )


class BundleJSONParser(BaseParser):
    """JSON up to ``BUNDLE_MAX_BYTES`` instead of the API's usual 64 KiB, with the same depth
    and storable-text checks (``json_check``). Not a ``JSONParser`` on purpose: DRF reads a
    ``JSONParser``'s body through ``request.body``, which Django caps at
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB); this one reads the stream itself."""

    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.BUNDLE_MAX_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(int(declared))
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise _too_large(len(body))
        return _loads(body)


class BundleMultiPartParser(MultiPartParser):
    """An uploaded bundle file; a body declared larger than a bundle may be is refused before
    Django spools it to disk."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
        if (
            declared.isdigit()
            and int(declared) > settings.BUNDLE_MAX_BYTES + MULTIPART_OVERHEAD_BYTES
        ):
            raise _too_large(int(declared))
        return super().parse(stream, media_type, parser_context)


class BundleUploadSerializer(serializers.Serializer):
    """The multipart form of an import (the schema's description of it)."""

    file = serializers.FileField(help_text="A .dramatis.json world bundle.")
    name = serializers.CharField(required=False, max_length=120, help_text="Name the new world.")


class BundleExportView(APIView):
    @extend_schema(
        operation_id="ecosystems_bundle_retrieve",
        responses={200: OpenApiTypes.OBJECT},
        description="The world as one versioned JSON document (format `dramatis.world`, "
        "version 1): settings, characters, relationships and scenarios as authored, with "
        "secrets and hidden objectives, never the event log, memories or run state. Served "
        "as a download (`Content-Disposition: attachment`). Owner only: 403 for a visitor "
        "of a public world, 404 for anyone else.",
    )
    def get(self, request: Request, ecosystem_id: UUID) -> Response:
        world = world_for(request.user, ecosystem_id, edit=True)
        disposition = f'attachment; filename="{world.slug}.dramatis.json"'
        return Response(
            bundle_export(ecosystem=world), headers={"Content-Disposition": disposition}
        )


class BundleImportView(APIView):
    parser_classes = [BundleJSONParser, BundleMultiPartParser]

    @extend_schema(
        operation_id="ecosystems_import",
        request={
            "application/json": OpenApiTypes.OBJECT,
            "multipart/form-data": BundleUploadSerializer,
        },
        parameters=[OpenApiParameter("name", str, description="Name the new world.")],
        responses={201: EcosystemSerializer},
        description="Create a new private draft world from a world bundle: the JSON body is "
        "the bundle, or upload it as the multipart field `file`. At most "
        f"{settings.BUNDLE_MAX_BYTES:,} bytes (413 beyond). A bad bundle is a 400 whose "
        "details name each wrong place (`characters[3].name`); a cast or relationships "
        "past the plan's limits a 402; either way nothing is created.",
    )
    def post(self, request: Request) -> Response:
        document, name = _document_of(request)
        world = bundle_import(owner=request.user, document=document, name=name)
        body = EcosystemSerializer(world, context={"request": request}).data
        location = reverse("api-ecosystem", args=[world.pk])
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


def _document_of(request: Request) -> tuple[Any, str | None]:
    """The bundle and the new world's name, from a JSON body or an uploaded file."""
    name = request.query_params.get("name") or None
    if request.content_type.startswith("multipart/"):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(
                "Upload the bundle as the form field 'file'.", details={"file": ["Required."]}
            )
        if upload.size > settings.BUNDLE_MAX_BYTES:
            raise _too_large(upload.size)
        return _loads(upload.read(), what="file"), request.data.get("name") or name
    return request.data, name


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _loads(body: bytes, *, what: str = "body") -> Any:
    """Parsed JSON (any UTF encoding), refused like the API refuses bad JSON bodies."""
    try:
        document = json.loads(body, parse_constant=_no_constant)
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError both
        raise ParseError(f"The {what} is not a JSON document: {error}.") from error
    except RecursionError as error:
        raise ParseError(f"The {what} is nested too deep to be a bundle.") from error
    json_check(document)
    return document
