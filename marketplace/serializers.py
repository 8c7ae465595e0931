"""Marketplace bodies: what publishers, installers, reviewers and staff send, and what a
listing's details show. Input serializers are strict (unknown fields are a 400)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import StrictSerializer
from marketplace.models import Install, Listing, ListingVersion, Report, Review


class ListingCreateSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Listing.Kind.choices)
    source_id = serializers.UUIDField(help_text="Your world, character or scenario.")
    title = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=32), max_length=12, required=False
    )
    genre = serializers.CharField(max_length=32, required=False, allow_blank=True)
    licence = serializers.ChoiceField(choices=Listing.Licence.choices, required=False)
    mature = serializers.BooleanField(required=False)
    changelog = serializers.CharField(max_length=5_000, required=False, allow_blank=True)


class VersionCreateSerializer(StrictSerializer):
    changelog = serializers.CharField(max_length=5_000, allow_blank=True)
    number = serializers.RegexField(
        r"^\d{1,4}\.\d{1,4}$",
        max_length=9,
        required=False,
        help_text="MAJOR.MINOR; the next minor number when left out.",
    )


class InstallRequestSerializer(StrictSerializer):
    ecosystem_id = serializers.UUIDField(
        required=False,
        help_text="For a character or a scenario package: one of your worlds to put it in "
        "(a new world when left out). A world listing always becomes a new world.",
    )


class InstallSerializer(serializers.ModelSerializer):
    install_id = serializers.UUIDField(source="id", read_only=True)
    version = serializers.CharField(source="version.number", read_only=True)

    class Meta:
        model = Install
        fields = ["install_id", "version", "ecosystem_id", "character_id", "created_at"]
        read_only_fields = fields


class ReviewCreateSerializer(StrictSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(max_length=5_000, required=False, allow_blank=True)


class ReviewSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.get_username", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "user", "rating", "text", "reply", "replied_at", "created_at"]
        read_only_fields = fields


class ReportCreateSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2_000)


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "reason", "created_at"]
        read_only_fields = fields


class ModerateSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = serializers.CharField(max_length=2_000, required=False, allow_blank=True)
    version_id = serializers.UUIDField(
        required=False, help_text="The version in review to decide on (the pending one)."
    )


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListingVersion
        fields = [
            "id",
            "number",
            "changelog",
            "status",
            "rejection_reason",
            "created_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class PreviewPersonSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The node id in ``graph``.")
    name = serializers.CharField()
    traits = serializers.DictField(child=serializers.FloatField(), help_text="Big Five, 0..1.")
    words = serializers.ListField(child=serializers.CharField(), help_text="Traits in words.")
    personality = serializers.CharField(required=False, help_text="A card's free text.")
    description = serializers.CharField(required=False)
    speaking_style = serializers.CharField(required=False)
    backstory = serializers.CharField(required=False)
    first_mes = serializers.CharField(required=False, help_text="A card's first message.")
    lines = serializers.ListField(child=serializers.CharField(), help_text="Sample lines.")
    secrets = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Publisher and staff only."
    )


class PreviewRelationshipSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="A character's name.")
    target = serializers.CharField(help_text="A character's name.")
    kind = serializers.CharField()
    strength = serializers.FloatField(help_text="-1..1")


class PreviewObjectivesSerializer(serializers.Serializer):
    primary = serializers.CharField(allow_blank=True)
    subplots = serializers.ListField(child=serializers.CharField())
    hidden = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Publisher and staff only."
    )


class PreviewScenarioSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    setting = serializers.CharField(allow_blank=True)
    mood = serializers.CharField(allow_blank=True)
    cast = serializers.ListField(child=serializers.CharField(), help_text="Characters' names.")
    objectives = PreviewObjectivesSerializer()


class PreviewNodeSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class PreviewEdgeSerializer(serializers.Serializer):
    id = serializers.CharField()
    source = serializers.CharField(help_text="A node id.")
    target = serializers.CharField(help_text="A node id.")
    kind = serializers.CharField()
    strength = serializers.FloatField()


class PreviewGraphSerializer(serializers.Serializer):
    nodes = PreviewNodeSerializer(many=True)
    edges = PreviewEdgeSerializer(many=True)


class PreviewSerializer(serializers.Serializer):
    """``marketplace.showcase.content_preview``'s shape."""

    format = serializers.CharField(allow_blank=True, help_text="dramatis.world, chara_card_v3…")
    cast = PreviewPersonSerializer(many=True)
    cast_total = serializers.IntegerField(help_text="The whole cast; ``cast`` shows up to 60.")
    graph = PreviewGraphSerializer()
    relationships = PreviewRelationshipSerializer(many=True)
    scenarios = PreviewScenarioSerializer(many=True)
    setting = serializers.CharField(allow_blank=True)


class ListingDetailSerializer(serializers.ModelSerializer):
    """A listing as its page shows it. ``versions`` are the approved ones for everyone, all of
    them (with the decisions' reasons) for the publisher and staff; ``preview`` filtered for
    the reader. The context's ``details`` is ``selectors.listing_details``' answer."""

    publisher = serializers.CharField(source="publisher.get_username", read_only=True)
    rating = serializers.FloatField(allow_null=True, read_only=True)
    current_version = serializers.CharField(
        source="current_version.number", allow_null=True, read_only=True
    )
    versions = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()
    installed_version = serializers.SerializerMethodField(
        help_text="The version you installed last (null: not installed)."
    )
    update_available = serializers.SerializerMethodField(
        help_text="A newer approved version than the one you installed, if any."
    )

    class Meta:
        model = Listing
        fields = [
            "id",
            "kind",
            "title",
            "summary",
            "description",
            "tags",
            "genre",
            "licence",
            "mature",
            "status",
            "rejection_reason",
            "featured",
            "publisher",
            "current_version",
            "versions",
            "rating",
            "rating_count",
            "install_count",
            "installed_version",
            "update_available",
            "created_at",
            "approved_at",
            "preview",
        ]
        read_only_fields = fields

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, listing: Listing) -> list[dict[str, Any]]:
        versions = self.context["details"].versions
        return VersionSerializer(versions, many=True).data  # type: ignore[return-value]

    @extend_schema_field(PreviewSerializer)
    def get_preview(self, listing: Listing) -> dict[str, Any]:
        return self.context["details"].preview

    def get_installed_version(self, listing: Listing) -> str | None:
        install = self.context["details"].install
        return install.version.number if install is not None else None

    def get_update_available(self, listing: Listing) -> str | None:
        update = self.context["details"].update
        return update.number if update is not None else None


class CoverUploadSerializer(serializers.Serializer):
    """The multipart form of a cover upload (the schema's description of it)."""

    file = serializers.FileField(
        help_text="A PNG, JPEG, WebP or GIF picture of at most 2 MiB (2,097,152 bytes)."
    )


class CoverSerializer(serializers.Serializer):
    cover_url = serializers.CharField(help_text="Where the cover is served (GET, an image).")
    cover_type = serializers.CharField(help_text="image/png or image/jpeg, as stored.")
    size = serializers.IntegerField(help_text="Bytes stored, after re-encoding.")
