"""REST shapes of book imports: the import with its proposed cast and relationships, the
upload form, and the request that makes a world of the reviewed cast."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.errors import InvalidInput
from core.serializers import StrictSerializer, iso
from ecosystems.imports.review import CastChoice
from ecosystems.models import BookImport


class BookSuggestionSerializer(serializers.Serializer):
    text = serializers.CharField()
    evidence = serializers.CharField()
    source = serializers.CharField(help_text='"rules" or "model".')
    suggested = serializers.BooleanField(help_text="Always true: never applied unconfirmed.")


class ProposedPersonSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The canonical name; use it in the world request.")
    aliases = serializers.ListField(child=serializers.CharField())
    mentions = serializers.IntegerField()
    speech_count = serializers.IntegerField()
    gender = serializers.CharField(allow_null=True)
    sample_quotes = serializers.ListField(child=serializers.CharField())
    descriptions = serializers.ListField(child=serializers.CharField())
    speaking_style = serializers.CharField()
    big_five = serializers.DictField(child=serializers.FloatField())
    values = serializers.ListField(child=serializers.CharField())
    goals = BookSuggestionSerializer(many=True)
    secrets = BookSuggestionSerializer(many=True)
    trait_method = serializers.CharField()


class ProposedPairSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    weight = serializers.FloatField()
    kind = serializers.CharField()
    cooccurrences = serializers.IntegerField()
    exchanges = serializers.IntegerField()
    sentiment = serializers.FloatField()
    cues = serializers.ListField(child=serializers.CharField())


class WorldRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class BookImportSerializer(serializers.Serializer):
    """An import; ``cast`` and ``relationships`` are empty until the analysis is done."""

    id = serializers.UUIDField()
    filename = serializers.CharField()
    format = serializers.ChoiceField(choices=BookImport.Format.choices)
    size_bytes = serializers.IntegerField()
    status = serializers.ChoiceField(choices=BookImport.Status.choices)
    progress = serializers.FloatField(help_text="0..1")
    stage = serializers.CharField()
    error = serializers.CharField()
    title = serializers.CharField()
    author = serializers.CharField()
    words = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())
    cast = ProposedPersonSerializer(many=True)
    relationships = ProposedPairSerializer(many=True)
    world = WorldRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, book_import: BookImport) -> dict[str, Any]:
        result = book_import.result or {}
        cast = self.context.get("cast", True)
        world = book_import.world
        return {
            "id": str(book_import.pk),
            "filename": book_import.filename,
            "format": book_import.format,
            "size_bytes": book_import.size_bytes,
            "status": book_import.status,
            "progress": round(book_import.progress, 4),
            "stage": book_import.stage,
            "error": book_import.error,
            "title": str(result.get("title") or book_import.file_title or ""),
            "author": str(result.get("author") or book_import.file_author or ""),
            "words": int(result.get("words") or 0),
            "warnings": [str(w) for w in result.get("warnings") or []],
            "cast": [_member(m) for m in result.get("cast") or []] if cast else [],
            "relationships": [_pair(p) for p in result.get("relationships") or []] if cast else [],
            "world": {"id": str(world.pk), "name": world.name} if world is not None else None,
            "created_at": iso(book_import.created_at),
            "finished_at": iso(book_import.finished_at),
        }


def _suggestion(s: dict[str, Any]) -> dict[str, Any]:
    return {"text": str(s.get("text", "")), "evidence": str(s.get("evidence") or ""),
            "source": str(s.get("source") or "rules"), "suggested": True}  # fmt: skip


def _member(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": m["name"],
        "aliases": list(m.get("aliases") or []),
        "mentions": int(m.get("mentions") or 0),
        "speech_count": int(m.get("speech_count") or 0),
        "gender": m.get("gender"),
        "sample_quotes": list(m.get("sample_quotes") or []),
        "descriptions": list(m.get("descriptions") or []),
        "speaking_style": str(m.get("speaking_style") or ""),
        "big_five": {k: float(v) for k, v in (m.get("big_five") or {}).items()},
        "values": list(m.get("values") or []),
        "goals": [_suggestion(s) for s in m.get("goals") or []],
        "secrets": [_suggestion(s) for s in m.get("secrets") or []],
        "trait_method": str(m.get("trait_method") or "lexicon"),
    }


def _pair(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": p["source"], "target": p["target"], "weight": float(p.get("weight") or 0.0),
        "kind": str(p.get("kind") or ""), "cooccurrences": int(p.get("cooccurrences") or 0),
        "exchanges": int(p.get("exchanges") or 0), "sentiment": float(p.get("sentiment") or 0.0),
        "cues": list(p.get("cues") or []),
    }  # fmt: skip


class BookUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The book: .txt, .epub, .pdf or .docx, at most 20 MB.")


def _name() -> serializers.CharField:
    return serializers.CharField(max_length=100)


class WorldFromBookRequestSerializer(StrictSerializer):
    characters = serializers.ListField(
        child=_name(),
        required=False,
        max_length=500,
        help_text="The cast's names to keep (default: everyone), as the import names them.",
    )
    rename = serializers.DictField(
        child=_name(), required=False, help_text='{"Lizzy Bennet": "Elizabeth"}: new names.'
    )
    descriptions = serializers.DictField(
        child=serializers.CharField(max_length=5000, allow_blank=True),
        required=False,
        help_text="New descriptions (the characters' backstories) by name.",
    )
    merge = serializers.DictField(
        child=serializers.ListField(child=_name(), max_length=50),
        required=False,
        help_text='{"Elizabeth Bennet": ["Eliza"]}: fold these people into the first.',
    )
    name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="The new world's name."
    )

    def choices(self, *, cast: list[str]) -> list[CastChoice]:
        data = self.validated_data
        names = data.get("characters")
        merged = {n for group in data.get("merge", {}).values() for n in group}
        if names is None:
            names = [n for n in cast if n not in merged]
        for key in ("rename", "descriptions", "merge"):
            stray = sorted(set(data.get(key, {})) - set(names))
            if stray:
                raise InvalidInput(
                    f"{key} names {', '.join(map(repr, stray))}, who are not among the "
                    "characters kept; keep them in 'characters' or leave them out here.",
                    details={key: [f"Not kept: {', '.join(stray)}."]},
                )
        return [
            CastChoice(
                name=name,
                rename=data.get("rename", {}).get(name, ""),
                description=data.get("descriptions", {}).get(name),
                merge=tuple(data.get("merge", {}).get(name, ())),
            )
            for name in dict.fromkeys(names)
        ]


class WorldFromBookSerializer(serializers.Serializer):
    world = serializers.DictField(help_text="The new world, as GET /api/v1/ecosystems/{id}/.")
    characters = serializers.ListField(child=serializers.CharField())
    left_out = serializers.ListField(
        child=serializers.CharField(), help_text="Chosen, but past the plan's character limit."
    )
    relationships = serializers.IntegerField()
    relationships_left_out = serializers.IntegerField()
    notes = serializers.ListField(child=serializers.CharField())
