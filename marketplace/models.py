"""The marketplace: listings of worlds, characters and scenario packages, their reviewed
versions, installs, reviews, reports and the moderation trail.

A listing's content is a snapshot taken when a version is submitted (a world bundle, a
Character Card V3 or a scenario package, as JSON): what installers get never changes under
them, and the publisher's own world stays theirs. ``current_version`` is the newest approved
version, the one installed; a newer version waits in review while it stays installable.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q


class Listing(models.Model):
    class Kind(models.TextChoices):
        WORLD = "world", "World"
        CHARACTER = "character", "Character"
        SCENARIO = "scenario", "Scenario package"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING_REVIEW = "pending_review", "Pending review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        UNLISTED = "unlisted", "Unlisted"
        REMOVED = "removed", "Removed"

    class Licence(models.TextChoices):
        CC_BY = "cc-by-4.0", "CC BY 4.0"
        CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
        CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
        CC0 = "cc0-1.0", "CC0 1.0 (public domain)"
        ALL_RIGHTS_RESERVED = "all-rights-reserved", "All rights reserved"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    publisher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listings"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    tags = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    genre = models.CharField(max_length=32, blank=True)
    licence = models.CharField(max_length=24, choices=Licence.choices, default=Licence.CC_BY)
    mature = models.BooleanField(default=False, help_text="Content for adults only.")
    cover = models.BinaryField(null=True, blank=True, editable=False)  # a PNG or JPEG
    cover_type = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(blank=True)
    featured = models.BooleanField(default=False)
    # Where the content was taken from (the publisher's own; never shown to installers).
    source_ecosystem = models.ForeignKey(
        "ecosystems.Ecosystem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_character = models.ForeignKey(
        "characters.Character", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_scenario = models.ForeignKey(
        "ecosystems.Scenario", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current_version = models.ForeignKey(
        "ListingVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    install_count = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # Search: a weighted tsvector (title A, tags and genre B, summary C, description D) and the
    # title's trigrams (core PostgreSQL arrays: the embedded server has no pg_trgm).
    search_vector = SearchVectorField(null=True, editable=False)
    title_trigrams = ArrayField(models.CharField(max_length=3), default=list, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="listing_search"),
            GinIndex(fields=["title_trigrams"], name="listing_title_trigrams"),
            GinIndex(fields=["tags"], name="listing_tags"),
            models.Index(fields=["status", "kind"], name="listing_status_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rating(self) -> float | None:
        """The average of the stars given (for display only; counts stay integers)."""
        return round(self.rating_sum / self.rating_count, 2) if self.rating_count else None


class ListingVersion(models.Model):
    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", "Pending review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="versions")
    number = models.CharField(max_length=16, help_text="1.0, 1.1, 2.0 …")
    changelog = models.TextField(blank=True)
    content = models.JSONField(help_text="The snapshot installers get: bundle, card or package.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING_REVIEW)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "number"], name="listing_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.listing} v{self.number}"


class Install(models.Model):
    """One user's copy of one version: it records where the copy came from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="installs")
    version = models.ForeignKey(ListingVersion, on_delete=models.PROTECT, related_name="installs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="installs"
    )
    ecosystem = models.ForeignKey(
        "ecosystems.Ecosystem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    character = models.ForeignKey(
        "characters.Character", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["listing", "created_at"], name="install_listing_when")]

    def __str__(self) -> str:
        return f"{self.user} installed {self.version}"


class Review(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    reply = models.TextField(blank=True, help_text="The publisher's answer.")
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "user"], name="review_once_per_user"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} stars by {self.user} on {self.listing}"


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing_reports"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report on {self.listing}: {self.reason[:40]}"


class ModerationAction(models.Model):
    """The audit trail: who did what to which listing, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "No longer featured"
        UNLIST = "unlist", "Unlisted"
        TAKE_DOWN = "take_down", "Taken down"
        RESTORE = "restore", "Restored"
        RESOLVE_REPORT = "resolve_report", "Report resolved"
        COVER = "cover", "Cover changed by the publisher"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="moderation")
    version = models.ForeignKey(
        ListingVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.listing}"


class ListingDay(models.Model):
    """Views and installs of a listing on one day (UTC): the publisher's charts."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    installs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "day"], name="listing_day_once"),
        ]

    def __str__(self) -> str:
        return f"{self.listing} on {self.day}"
