"""Book imports: upload a book, follow its analysis, make a world of the reviewed cast.

An import is its owner's alone: anyone else gets 404 for it (whether it exists is not
revealed), anonymous requests 401.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import RequestTooLarge
from core.errors import InvalidInput
from ecosystems.imports.selectors import book_import_for, book_imports_of
from ecosystems.imports.serializers import (
    BookImportSerializer,
    BookUploadSerializer,
    WorldFromBookRequestSerializer,
    WorldFromBookSerializer,
)
from ecosystems.imports.services import book_import_create, book_import_world_create
from ecosystems.imports.uploads import too_large_message, upload_declared_too_large
from ecosystems.serializers import EcosystemSerializer


class BookImportListView(GenericAPIView):
    parser_classes = [MultiPartParser]
    serializer_class = BookImportSerializer

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication: a session's CSRF check reads the form, and a 50 MB body must
        # be refused from its Content-Length without being read.
        if request.method == "POST":
            declared = upload_declared_too_large(request.META)
            if declared is not None:
                raise RequestTooLarge(too_large_message(declared))
        super().initial(request, *args, **kwargs)

    @extend_schema(operation_id="imports_list", responses=BookImportSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Your imports, newest first (without their cast: read one for that)."""
        page = self.paginate_queryset(book_imports_of(owner=request.user))
        data = BookImportSerializer(page, many=True, context={"cast": False}).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="imports_create",
        request={"multipart/form-data": BookUploadSerializer},
        responses={201: BookImportSerializer},
        description="Upload a book as the multipart field `file` (.txt, .epub, .pdf or .docx, "
        f"at most {settings.BOOK_IMPORT_MAX_BYTES:,} bytes: 413 beyond, refused from the "
        "Content-Length before the body is read). Its text is read now: an empty file, a "
        "binary file named .txt, a password-protected PDF, an EPUB without text or an unknown "
        "extension is a 400 saying what is wrong, and nothing is kept. The analysis then runs "
        "in the background: follow `status`, `progress` (0..1) and `stage` here or on the "
        "socket `/ws/imports/{id}/`.",
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(
                "Upload the book as the form field 'file' (.txt, .epub, .pdf or .docx).",
                details={"file": ["No file was submitted."]},
            )
        limit = settings.BOOK_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise RequestTooLarge(too_large_message(upload.size))
        book_import = book_import_create(
            owner=request.user, filename=upload.name or "", data=upload.read(limit + 1)
        )
        location = reverse("api-import", args=[book_import.pk])
        return Response(
            BookImportSerializer(book_import).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class BookImportDetailView(APIView):
    @extend_schema(operation_id="imports_retrieve", responses=BookImportSerializer)
    def get(self, request: Request, import_id: UUID) -> Response:
        """The import: status, progress and stage; once done the proposed cast (names,
        aliases, mentions, traits, sample quotes, suggested goals and secrets) and
        relationships (directed pairs with a weight and a kind), strongest first."""
        book_import = book_import_for(owner=request.user, import_id=import_id)
        return Response(BookImportSerializer(book_import).data)


class BookImportWorldView(APIView):
    @extend_schema(
        operation_id="imports_world_create",
        request=WorldFromBookRequestSerializer,
        responses={201: WorldFromBookSerializer},
        description="A new draft world with the chosen characters (default: the whole cast), "
        "renamed, described and merged as asked, and the relationships among them. On a plan "
        "with fewer characters left than chosen, the top of the book's ranking is kept and "
        "`notes` says so (free: five); 402 when not one more fits; 409 while the analysis is "
        "not done or once a world was made from this import.",
    )
    def post(self, request: Request, import_id: UUID) -> Response:
        book_import = book_import_for(owner=request.user, import_id=import_id)
        data = WorldFromBookRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cast = [m["name"] for m in (book_import.result or {}).get("cast") or []]
        made = book_import_world_create(
            book_import=book_import,
            choices=data.choices(cast=cast),
            name=data.validated_data.get("name", ""),
        )
        body = {
            "world": EcosystemSerializer(made.world, context={"request": request}).data,
            "characters": made.characters,
            "left_out": made.left_out,
            "relationships": made.relationships,
            "relationships_left_out": made.relationships_left_out,
            "notes": made.notes,
        }
        location = reverse("api-ecosystem", args=[made.world.pk])
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})
