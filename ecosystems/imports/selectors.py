"""Reads of book imports: always the owner's own (anyone else's is a 404)."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from core.errors import NotFound
from ecosystems.models import BookImport


def book_imports_of(*, owner: AbstractBaseUser) -> QuerySet[BookImport]:
    """The owner's imports, newest first, without their (long) text."""
    return (
        BookImport.objects.filter(owner=owner)
        .select_related("world")
        .defer("text")
        .order_by("-created_at")
    )


def book_import_for(*, owner: AbstractBaseUser, import_id: UUID | str) -> BookImport:
    """The owner's import, or ``NotFound`` (also for another person's: not revealed)."""
    book_import = book_imports_of(owner=owner).filter(pk=import_id).first()
    if book_import is None:
        raise NotFound("No such import among yours.")
    return book_import
