"""Serializer helpers shared by every app's ``serializers.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers


class StrictMixin:
    """Unknown fields are refused with 400 naming them, never ignored silently: a typo
    ("nmae") must not look like a successful update."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            known = {name for name, f in self.fields.items() if not f.read_only}  # type: ignore[attr-defined]
            unknown = sorted(set(data) - known)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: ["Unknown field; see /api/docs/ for the accepted ones."]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictSerializer(StrictMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictMixin, serializers.ModelSerializer):
    pass


def iso(value: dt.datetime | None) -> str | None:
    """A datetime as DRF renders it (ISO 8601, UTC as ``Z``), for hand-written hot paths."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class CharacterRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
