"""REST shapes of stories and their beats."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.serializers import StrictSerializer, iso
from stories.models import Story, StoryBeat


class StoryBeatSerializer(serializers.ModelSerializer):
    class Meta:
        model = StoryBeat
        fields = ["seq", "tick", "kind", "label", "text"]


class CastMemberSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(required=False)


class StorySerializer(serializers.ModelSerializer):
    ecosystem_id = serializers.UUIDField(read_only=True)
    cast = CastMemberSerializer(many=True, read_only=True)
    tension_curve = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        help_text="[[tick, tension], ...]",
    )
    predictions = serializers.ListField(child=serializers.JSONField())

    class Meta:
        model = Story
        fields = [
            "id", "ecosystem_id", "title", "summary", "genre", "pattern", "status", "tension",
            "tension_curve", "cast", "predictions", "started_tick", "updated_tick", "last_seq",
            "revision", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, s: Story) -> dict[str, Any]:
        # By hand: DRF's per-field machinery cost more than the query (bench/api.py).
        return {
            "id": str(s.id), "ecosystem_id": str(s.ecosystem_id), "title": s.title,
            "summary": s.summary, "genre": s.genre, "pattern": s.pattern, "status": s.status,
            "tension": s.tension, "tension_curve": s.tension_curve,
            "cast": [
                {"id": str(c.get("id", "")), "name": c.get("name", ""),
                 **({"role": c["role"]} if "role" in c else {})}
                for c in s.cast
            ],
            "predictions": s.predictions, "started_tick": s.started_tick,
            "updated_tick": s.updated_tick, "last_seq": s.last_seq, "revision": s.revision,
            "created_at": iso(s.created_at), "updated_at": iso(s.updated_at),
        }  # fmt: skip


class StoryDetailSerializer(StorySerializer):
    beats = StoryBeatSerializer(many=True, read_only=True)

    class Meta(StorySerializer.Meta):
        fields = [*StorySerializer.Meta.fields, "beats"]
        read_only_fields = fields

    def to_representation(self, story: Story) -> dict[str, Any]:
        beats = StoryBeatSerializer(story.beats.all(), many=True).data
        return {**super().to_representation(story), "beats": beats}


class StoryQuerySerializer(StrictSerializer):
    status = serializers.ChoiceField(
        [*Story.Status.values, "live"], required=False, help_text="live: not yet resolved."
    )
    limit = serializers.IntegerField(required=False, min_value=1)
    offset = serializers.IntegerField(required=False, min_value=0)


class StoryExportQuerySerializer(StrictSerializer):
    format = serializers.ChoiceField(["md", "html", "json", "epub"], default="md")
