"""API exceptions of our own. Kept apart from ``config/api/errors.py``, which imports DRF's
views: the parser loads while DRF's settings are being read, and must not import those."""

from __future__ import annotations

from rest_framework import exceptions, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"
