"""List pagination: ``?limit=&offset=`` with ``count``, ``next``, ``previous`` and ``results``.
The event log has its own cursor (``?after=<seq>``), see ``ecosystems/api``."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

# Past this no list has rows, and PostgreSQL refuses an OFFSET beyond bigint.
MAX_OFFSET = 2**63 - 1


class ApiPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

    def get_offset(self, request: Any) -> int:
        raw = request.query_params.get(self.offset_query_param, "0")
        try:
            offset = int(raw)
        except ValueError:
            offset = -1
        if not 0 <= offset <= MAX_OFFSET:
            raise ValidationError(
                {"offset": [f"Send a whole number from 0 to {MAX_OFFSET}; got {raw[:40]!r}."]}
            )
        return offset

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        """As DRF's, but a first page that is not full is its own count: most lists (a world's
        characters, its stories) fit in one page, and the COUNT query is saved."""
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.offset = self.get_offset(request)
        page = list(queryset[self.offset : self.offset + self.limit])
        if self.offset == 0 and len(page) < self.limit:
            self.count = len(page)
        else:
            self.count = self.get_count(queryset)
        return page
