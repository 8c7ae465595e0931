"""The size rule of book uploads, applied from the request's Content-Length before anything
reads the body (Django's multipart parser would spool a 50 MB body to disk first; a session's
CSRF check reads the form). A body sent without a length is bounded under ``/api/`` by
``config.api.bodies`` (``API_BODY_LIMITS_BY_PATH``) and, once read, by the file's own size."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings


def upload_declared_too_large(meta: Mapping[str, Any]) -> int | None:
    """The declared body size if it is past what a book upload may be, else ``None``."""
    declared = str(meta.get("CONTENT_LENGTH") or "")
    limit = settings.BOOK_IMPORT_MAX_BYTES + settings.UPLOAD_FORM_OVERHEAD_BYTES
    if declared.isdigit() and int(declared) > limit:
        return int(declared)
    return None


MB = 1024 * 1024  # "MB" as file managers count them, so 20 MB is 20 * 1024 * 1024 bytes


def too_large_message(size: int) -> str:
    limit = settings.BOOK_IMPORT_MAX_BYTES
    return (
        f"The upload is {size / MB:.1f} MB; a book may be at most "
        f"{limit / MB:.0f} MB ({limit:,} bytes). Upload the text alone (.txt or .epub "
        "are much smaller than a PDF), or split the book."
    )
