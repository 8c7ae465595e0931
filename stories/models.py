"""Stories noticed in a world's event log, their beats, the sifter's cursor, narratives and
exports (metered per plan)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from characters.models import Character
from ecosystems.models import Ecosystem, Event


class Story(models.Model):
    """One story: merged pattern matches over the same people (see ``stories/engine``)."""

    class Status(models.TextChoices):
        BREWING = "brewing", "Brewing"
        DEVELOPING = "developing", "Developing"
        CLIMAX = "climax", "Climax"
        RESOLVED = "resolved", "Resolved"
        FIZZLED = "fizzled", "Fizzled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="stories")
    key = models.CharField(max_length=200, help_text="The sifting engine's stable key.")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    genre = models.CharField(max_length=32)
    pattern = models.CharField(max_length=48, help_text="The leading pattern's key.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BREWING)
    tension = models.FloatField(default=0.0, help_text="0..1, now.")
    tension_curve = models.JSONField(default=list, blank=True, help_text="[[tick, tension], ...]")
    participants = models.ManyToManyField(Character, blank=True, related_name="stories")
    cast = models.JSONField(
        default=list, blank=True, help_text='[{"id", "name", "role"}] in story order.'
    )
    predictions = models.JSONField(default=list, blank=True, help_text="Predicted next beats.")
    started_tick = models.PositiveBigIntegerField(default=0)
    updated_tick = models.PositiveBigIntegerField(default=0)
    last_seq = models.PositiveBigIntegerField(default=0, help_text="Seq of the latest beat.")
    revision = models.PositiveIntegerField(
        default=1, help_text="Grows with every change; narratives are cached per revision."
    )
    notes = models.TextField(blank=True, help_text="The owner's own notes on this story.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_tick", "-tension"]
        verbose_name_plural = "stories"
        constraints = [
            models.UniqueConstraint(fields=["ecosystem", "key"], name="story_key_per_world"),
            models.CheckConstraint(
                condition=Q(tension__gte=0) & Q(tension__lte=1), name="story_tension_0_1"
            ),
        ]
        indexes = [models.Index(fields=["ecosystem", "status"], name="story_world_status")]

    def __str__(self) -> str:
        return self.title


class StoryBeat(models.Model):
    """A key beat of a story, linked to the event it came from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="beats")
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seq = models.PositiveBigIntegerField()
    tick = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=48, help_text="The event kind.")
    label = models.CharField(max_length=64, help_text="The pattern step, e.g. 'insult'.")
    text = models.CharField(max_length=400)

    class Meta:
        ordering = ["story", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["story", "seq"], name="story_beat_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.text}"


class SiftCursor(models.Model):
    """Where story sifting stands in one world: the last event sifted (``last_seq``), moved in
    the same transaction as the stories it produced, so sifting twice changes nothing; and a
    snapshot of the engine's resumable state (partial matches, the board) as of ``state_seq``,
    taken every so many events (see ``stories.services``). The drama manager's state too."""

    ecosystem = models.OneToOneField(
        Ecosystem, on_delete=models.CASCADE, primary_key=True, related_name="sift_cursor"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    state_seq = models.PositiveBigIntegerField(
        default=0, help_text="The last event the saved engine state (snapshot) has seen."
    )
    sifter_state = models.JSONField(default=dict, blank=True)
    board_state = models.JSONField(default=dict, blank=True)
    drama_state = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.ecosystem} sifted to #{self.last_seq}"


class StoryNarrative(models.Model):
    """The chapters of one revision of a story (template or LLM narrator), cached: they are
    written again only when the story changed."""

    story = models.OneToOneField(
        Story, on_delete=models.CASCADE, primary_key=True, related_name="narrative"
    )
    revision = models.PositiveIntegerField()
    version = models.CharField(max_length=16, help_text="The narrator's version.")
    narrator = models.CharField(max_length=64, help_text="'template' or the LLM provider.")
    chapters = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.story} r{self.revision}"


class StoryExport(models.Model):
    """One export a user made: counted against the plan's story exports per month."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_exports"
    )
    story = models.ForeignKey(Story, on_delete=models.SET_NULL, null=True, related_name="exports")
    format = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="story_export_user_month")]

    def __str__(self) -> str:
        return f"{self.user} exported {self.story} as {self.format}"


class SocialSnapshot(models.Model):
    """The social analytics of a world at one tick (``stories.society``): its history is the
    series of these. ``figures`` are the few numbers a history chart needs (read without the
    rest), ``data`` what the Society page shows, ``memberships`` each community's member ids
    (only the next snapshot reads them, to keep community ids stable)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(
        Ecosystem, on_delete=models.CASCADE, related_name="social_snapshots"
    )
    tick = models.PositiveBigIntegerField(help_text="World tick the analytics were taken at.")
    created_at = models.DateTimeField(auto_now_add=True)
    figures = models.JSONField(default=dict, help_text="Compact numbers for the history.")
    data = models.JSONField(default=dict, help_text="Communities, influence, power, contagion.")
    memberships = models.JSONField(default=dict, help_text="{community id: [character ids]}.")

    class Meta:
        ordering = ["-tick", "-created_at"]
        constraints = [
            # One per world and tick: a snapshot task delivered twice writes once.
            models.UniqueConstraint(fields=["ecosystem", "tick"], name="social_snapshot_per_tick")
        ]

    def __str__(self) -> str:
        return f"Society of {self.ecosystem_id} at tick {self.tick}"
