"""The world: ecosystems, directed relationships, interactions, the event log and scenarios."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from pgvector.django import HnswIndex, VectorField

from characters.models import EMBEDDING_DIMENSIONS, Character

# The demo and new worlds start their simulated clock at a garden-party morning.
DEFAULT_WORLD_START = dt.datetime(1887, 6, 14, 9, 0, tzinfo=dt.UTC)


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


class EcosystemQuerySet(models.QuerySet["Ecosystem"]):
    """The access rule, in the one place it is written (``ecosystems.access`` builds every
    check of pages, API, WebSocket and studio on these two)."""

    def visible_to(self, user: Any) -> EcosystemQuerySet:
        """Worlds ``user`` may look at: their own and public ones; none for an anonymous user.
        Anything else answers 404, so a private world stays secret."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(Q(owner=user) | Q(visibility=Ecosystem.Visibility.PUBLIC))

    def editable_by(self, user: Any) -> EcosystemQuerySet:
        """Worlds ``user`` may change, run and direct: their own."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(owner=user)


class Ecosystem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        ARCHIVED = "archived", "Archived"

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private"
        PUBLIC = "public", "Public"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ecosystems"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    description = models.TextField(blank=True)
    origin = models.CharField(
        max_length=200,
        blank=True,
        help_text='Where a copy came from, e.g. "Installed from The Garden Party v1.2".',
    )
    setting = models.TextField(blank=True, help_text="Where and when the world takes place.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    tick_interval_seconds = models.PositiveIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(86_400)],
        help_text="Real seconds between ticks while running (1 to 86,400).",
    )
    minutes_per_tick = models.PositiveIntegerField(
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(10_080)],
        help_text="Simulated minutes that pass in one tick (1 to 10,080, a week).",
    )
    world_start = models.DateTimeField(
        default=DEFAULT_WORLD_START, help_text="Simulated time at tick 0."
    )
    paused_by_plan = models.BooleanField(
        default=False,
        help_text="Paused because the owner's plan changed to one whose limits they exceed; "
        "resumed by itself when a plan change brings them back within it.",
    )
    current_tick = models.PositiveBigIntegerField(default=0)
    next_tick_at = models.DateTimeField(null=True, blank=True)
    seed = models.PositiveBigIntegerField(default=new_seed, help_text="Seeds the simulation RNG.")
    drama_manager = models.BooleanField(
        default=False,
        help_text="Let the drama manager inject events (a rumour, a storm...) to keep tension "
        "in a band, with quiet stretches between peaks.",
    )
    last_event_seq = models.PositiveBigIntegerField(
        default=0, editable=False, help_text="Highest Event.seq written; keeps seq gapless."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EcosystemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "slug"], name="ecosystem_unique_slug_per_owner"
            ),
            models.CheckConstraint(
                condition=Q(tick_interval_seconds__gte=1, tick_interval_seconds__lte=86_400),
                name="ecosystem_tick_interval_range",
            ),
            models.CheckConstraint(
                condition=Q(minutes_per_tick__gte=1, minutes_per_tick__lte=10_080),
                name="ecosystem_minutes_per_tick_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def world_clock(self) -> dt.datetime:
        """Simulated time now: the start plus the ticks that have passed."""
        return self.clock_at(self.current_tick)

    def clock_at(self, tick: int) -> dt.datetime:
        """Simulated time at ``tick``: what pages show beside an event instead of its tick."""
        return self.world_start + dt.timedelta(minutes=self.minutes_per_tick * tick)


class Relationship(models.Model):
    """How ``source`` regards ``target`` (directed: A's view of B can differ from B's of A)."""

    class Kind(models.TextChoices):
        STRANGER = "stranger", "Stranger"
        ACQUAINTANCE = "acquaintance", "Acquaintance"
        FRIEND = "friend", "Friend"
        CLOSE_FRIEND = "close_friend", "Close friend"
        RIVAL = "rival", "Rival"
        ENEMY = "enemy", "Enemy"
        ROMANTIC_INTEREST = "romantic_interest", "Romantic interest"
        PARTNER = "partner", "Partner"
        ALLY = "ally", "Ally"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="relationships")
    source = models.ForeignKey(
        Character, on_delete=models.CASCADE, related_name="relationships_out"
    )
    target = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="relationships_in")
    strength = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(-1.0), MaxValueValidator(1.0)],
        help_text="Affinity from -1 (hatred) to 1 (devotion).",
    )
    trust = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(-1.0), MaxValueValidator(1.0)],
        help_text="-1 to 1.",
    )
    familiarity = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="0 to 1.",
    )
    attraction = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="0 to 1.",
    )
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.STRANGER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source__name", "target__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"], name="relationship_unique_direction"
            ),
            models.CheckConstraint(condition=~Q(source=F("target")), name="relationship_not_self"),
            models.CheckConstraint(
                condition=Q(strength__gte=-1.0, strength__lte=1.0),
                name="relationship_strength_range",
            ),
            models.CheckConstraint(
                condition=Q(trust__gte=-1.0, trust__lte=1.0), name="relationship_trust_range"
            ),
            models.CheckConstraint(
                condition=Q(familiarity__gte=0.0, familiarity__lte=1.0),
                name="relationship_familiarity_range",
            ),
            models.CheckConstraint(
                condition=Q(attraction__gte=0.0, attraction__lte=1.0),
                name="relationship_attraction_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.get_kind_display()})"


class Interaction(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="interactions")
    initiator = models.ForeignKey(
        Character, on_delete=models.CASCADE, related_name="interactions_started"
    )
    target = models.ForeignKey(
        Character, on_delete=models.CASCADE, related_name="interactions_received"
    )
    interaction_type = models.CharField(max_length=32)
    content = models.TextField(max_length=2000, blank=True)
    response = models.TextField(blank=True)
    context = models.JSONField(default=dict, blank=True)
    relationship_change = models.JSONField(default=dict, blank=True)
    emotional_impact = models.JSONField(default=dict, blank=True)
    tick = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ecosystem", "tick"], name="interaction_world_tick")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(initiator=F("target")), name="interaction_not_with_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiator} {self.interaction_type} {self.target}"


class Event(models.Model):
    """One row of a world's event log: ``seq`` is gapless and increasing per ecosystem."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=48)
    tick = models.PositiveBigIntegerField(default=0)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ecosystem", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["ecosystem", "seq"], name="event_unique_seq_per_world"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="event_seq_positive"),
        ]
        indexes = [models.Index(fields=["ecosystem", "kind", "seq"], name="event_world_kind_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class Scenario(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(max_length=160)
    setting = models.TextField(blank=True)
    mood = models.CharField(max_length=64, blank=True)
    characters = models.ManyToManyField(Character, blank=True, related_name="scenarios")
    objectives = models.JSONField(
        default=dict,
        blank=True,
        help_text='{"primary": "...", "subplots": ["..."], "hidden": ["..."]}',
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    is_template = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class RelationshipChange(models.Model):
    """One axis of one directed relationship moved, and why: the answer to "why are they
    rivals?" is the largest of these causes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="changes")
    interaction = models.ForeignKey(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    axis = models.CharField(max_length=16)  # strength, trust, familiarity, attraction
    before = models.FloatField()
    after = models.FloatField()
    cause = models.CharField(max_length=300)
    tick = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["relationship", "-created_at"], name="relchange_recent"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.relationship}: {self.axis} {self.before:+.2f}→{self.after:+.2f} ({self.cause})"
        )

    @property
    def delta(self) -> float:
        return self.after - self.before


class Tick(models.Model):
    """One tick of one world, claimed once: the unique (ecosystem, number) makes a replayed or
    redelivered tick a no-op. Written in the tick's own transaction, so a worker that dies
    mid-tick leaves no row and the tick runs again."""

    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="ticks")
    number = models.PositiveBigIntegerField()
    duration_ms = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ecosystem", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["ecosystem", "number"], name="tick_once_per_world"),
        ]

    def __str__(self) -> str:
        return f"{self.ecosystem} tick {self.number}"


class TickRun(models.Model):
    """One batch of ticks asked for at once (``POST …/tick/``, ``manage.py run_ticks``), with
    its progress saved after every tick in its own transaction: a client whose connection
    dropped asks ``GET …/tick-runs/<id>/`` (or finds the run by its ``Idempotency-Key``) how
    many ran, instead of guessing."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="tick_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(
        max_length=200, blank=True, help_text="The client's key: the same key never runs twice."
    )
    requested = models.PositiveIntegerField()
    done = models.PositiveIntegerField(default=0)
    first_tick = models.PositiveBigIntegerField(null=True, blank=True)
    last_tick = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ecosystem", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="tick_run_idempotency_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ecosystem} ticks {self.done}/{self.requested} ({self.status})"

    @property
    def progress(self) -> float:
        return self.done / self.requested if self.requested else 1.0


class Alliance(models.Model):
    """A group of characters who stand together, until trust breaks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="alliances")
    key = models.CharField(max_length=400, help_text="The engine's stable key for the group.")
    name = models.CharField(max_length=120)
    members = models.ManyToManyField(Character, related_name="alliances")
    reason = models.CharField(max_length=300, blank=True)
    formed_tick = models.PositiveBigIntegerField(default=0)
    broken_tick = models.PositiveBigIntegerField(null=True, blank=True)
    broken_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-formed_tick"]
        indexes = [models.Index(fields=["ecosystem", "broken_tick"], name="alliance_world_active")]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.broken_tick is None


class Knowledge(models.Model):
    """What one character knows: a character only knows what it witnessed or was told."""

    class Source(models.TextChoices):
        OWN = "own", "Own"
        WITNESSED = "witnessed", "Witnessed"
        TOLD = "told", "Told"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="knowledge")
    fact_key = models.CharField(max_length=200)
    content = models.TextField()
    source = models.CharField(max_length=16, choices=Source.choices)
    told_by = models.ForeignKey(
        Character, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tick = models.PositiveBigIntegerField(default=0)
    data = models.JSONField(
        default=dict, blank=True, help_text="The engine's full record of the fact (who, how)."
    )

    class Meta:
        ordering = ["character", "tick"]
        constraints = [
            models.UniqueConstraint(fields=["character", "fact_key"], name="knowledge_once"),
        ]
        verbose_name_plural = "knowledge"

    def __str__(self) -> str:
        return f"{self.character} knows {self.fact_key}"


class WorldModelServer(models.Model):
    """One OpenAI-compatible model server in a world's own chain (plans with ``custom_models``),
    tried in ``position`` order instead of the configured chain when the world voices lines.

    The API key is stored encrypted (``core.crypto``); ``api_key_hint`` ("…a1b2") is all that
    pages and the API ever show of it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="model_servers")
    position = models.PositiveSmallIntegerField(help_text="1 is tried first.")
    base_url = models.URLField(
        max_length=500, help_text="Up to and including /v1, e.g. https://api.groq.com/openai/v1"
    )
    model = models.CharField(max_length=200)
    api_key_encrypted = models.TextField(blank=True, editable=False)
    api_key_hint = models.CharField(max_length=8, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ecosystem", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ecosystem", "position"], name="world_model_server_position_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ecosystem} #{self.position}: {self.model} at {self.base_url}"


class PlanHold(models.Model):
    """An owner whom a plan change left holding more than the new plan allows (a downgrade
    deletes nothing). While it stands and they are still over, their worlds are read-only:
    ``billing.limits.plan_within_check`` refuses starting, ticking, directing and authoring.
    The next plan change that fits lifts it, and so does starting a world once the owner has
    removed enough. Someone over a limit without a plan change (seeded data, a limit edited in
    admin) is not held: they only cannot add more."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_hold"
    )
    plan = models.ForeignKey(
        "billing.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The plan in force when the owner was found over its limits.",
    )
    since = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.owner} held by {self.plan}"


class Conversation(models.Model):
    """A person (through their persona, a character of the world) talking with one character
    or a group (``ecosystems.services.conversations``), or a *room*: several people, each
    under their own persona (``ConversationParticipant``), talking live with several
    characters (``ecosystems.services.rooms``). A plain conversation's only participant is
    its ``user`` under ``persona`` (implicit: it has no participant rows); a room's ``user``
    is who opened it and its ``persona`` is empty."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    class Kind(models.TextChoices):
        CONVERSATION = "conversation", "Conversation"
        ROOM = "room", "Room"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="conversations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    persona = models.ForeignKey(
        Character,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversations_as_persona",
        help_text="The person's persona (empty for a room: each participant has their own).",
    )
    characters = models.ManyToManyField(Character, related_name="conversations")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CONVERSATION)
    title = models.CharField(max_length=120, blank=True, help_text="A room's name.")
    capacity = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="How many people a room holds at once (1-100).",
    )
    goal = models.CharField(max_length=300, blank=True, help_text='E.g. "win Bob\'s trust".')
    goal_parsed = models.JSONField(
        default=dict, blank=True, help_text="The goal as characters.engine.talk.parse_goal read it."
    )
    goal_start = models.JSONField(
        default=dict,
        blank=True,
        help_text="Each character's relationship axes toward the persona when the goal was set "
        "(what progress is measured from).",
    )
    goal_progress = models.FloatField(
        default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    goal_completed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    last_message_seq = models.PositiveIntegerField(
        default=0, editable=False, help_text="Highest ConversationMessage.seq written."
    )
    last_message_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="conversation_user_recent"),
            models.Index(fields=["status", "last_message_at"], name="conversation_idle"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal_progress__gte=0.0, goal_progress__lte=1.0),
                name="conversation_goal_progress_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="room") | Q(persona__isnull=False),
                name="conversation_has_persona",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=100), name="conversation_capacity_range"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.ROOM:
            return f"Room {self.title!r} in {self.ecosystem}"
        return f"{self.persona} in {self.ecosystem}"

    @property
    def is_room(self) -> bool:
        return self.kind == self.Kind.ROOM


class ConversationParticipant(models.Model):
    """A person in a room under a persona, from ``joined_at`` until ``left_at`` (empty while
    they are in it). Leaving and joining again is a new row; one active row per person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_participations"
    )
    persona = models.ForeignKey(
        Character, on_delete=models.CASCADE, related_name="room_participations"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=Q(left_at__isnull=True),
                name="conversation_participant_active_once",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "left_at"], name="participant_user_active"),
        ]

    def __str__(self) -> str:
        return f"{self.persona} in {self.conversation_id}"


class ConversationMessage(models.Model):
    """One turn of a conversation: the person's words or a character's reply, with how it
    felt (the emotional arc) and, after a reply, the three things the person might say next."""

    class Speaker(models.TextChoices):
        PERSON = "person", "Person"
        CHARACTER = "character", "Character"
        SYSTEM = "system", "System"  # "Tom joined", "Tom left" in a room

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveIntegerField(help_text="1, 2, ... within the conversation.")
    speaker_kind = models.CharField(max_length=16, choices=Speaker.choices)
    character = models.ForeignKey(
        Character,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation_messages",
        help_text="Who replied (character turns only).",
    )
    persona = models.ForeignKey(
        Character,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation_lines",
        help_text="Which person spoke (person turns; in a room, and who joined or left).",
    )
    text = models.TextField(max_length=2000)
    intent = models.CharField(max_length=32, blank=True, help_text="How the words read.")
    sentiment = models.FloatField(default=0.0, help_text="-1 (hostile) to 1 (warm).")
    emotions = models.JSONField(
        default=dict, blank=True, help_text="The character's emotions after this turn."
    )
    options = models.JSONField(
        default=list, blank=True, help_text="The three things offered to say next (replies)."
    )
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "seq"], name="conversation_message_seq_once"
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="conversation_message_search"),
            HnswIndex(
                name="conversation_message_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.speaker_kind}: {self.text[:60]}"


LORE_TITLE_CHARS = 200
LORE_TEXT_CHARS = 10_000  # a page of lore; a 1 MB entry is refused, never truncated
LORE_TAG_CHARS = 32


class LoreEntry(models.Model):
    """A piece of a world's shared knowledge: history, legend, custom, rumour.

    Who in the world knows it follows from ``visibility`` (``ecosystems.engine.lore``): every
    character (public), the members of one group (``group``: an alliance of the world, by name),
    or only the characters in ``knowers`` (secret, redacted for visitors like a character's
    secrets). Only approved entries are known; a visitor's proposal waits for the owner.
    """

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        GROUP = "group", "Group"
        SECRET = "secret", "Secret"

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PROPOSED = "proposed", "Proposed"
        REJECTED = "rejected", "Rejected"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(Ecosystem, on_delete=models.CASCADE, related_name="lore")
    title = models.CharField(max_length=LORE_TITLE_CHARS)
    text = models.TextField(max_length=LORE_TEXT_CHARS)
    tags = ArrayField(models.CharField(max_length=LORE_TAG_CHARS), default=list, blank=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    group = models.CharField(
        max_length=120, blank=True, help_text="For group lore: the alliance whose members know it."
    )
    knowers = models.ManyToManyField(
        Character, blank=True, related_name="secret_lore", help_text="For secret lore: who knows."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPROVED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="lore"
    )
    score = models.IntegerField(default=0, help_text="Sum of the votes (each +1 or -1).")
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "title", "id"]
        verbose_name_plural = "lore entries"
        indexes = [
            models.Index(fields=["ecosystem", "status"], name="lore_world_status"),
            GinIndex(fields=["tags"], name="lore_tags"),
            HnswIndex(
                name="lore_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="group") | ~Q(group=""), name="lore_group_named"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LoreVote(models.Model):
    """One user's vote on one entry; voting again replaces it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(LoreEntry, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lore_votes"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="lore_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="lore_vote_plus_minus_one"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.value:+d} on {self.entry}"


class GraphCursor(models.Model):
    """How far a world's relationship graph is projected into the graph database
    (``NEO4J_BOLT_URL``, ecosystems/graph/): every event up to ``last_seq`` is in it. A sync
    reads the log after it, so a sync is resumable and running it twice changes nothing."""

    ecosystem = models.OneToOneField(
        Ecosystem, on_delete=models.CASCADE, primary_key=True, related_name="graph_cursor"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"graph of {self.ecosystem_id} at #{self.last_seq}"


class BookImport(models.Model):
    """One uploaded book on its way to a world (issue 17): the extracted text waits for the
    analysis task (``ecosystems.tasks.book_import_task``), whose result (the engine's
    ``BookAnalysis`` as a dict) the creator reviews before creating the world from it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Format(models.TextChoices):
        TXT = "txt", "Plain text"
        EPUB = "epub", "EPUB"
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="book_imports"
    )
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=8, choices=Format.choices)
    size_bytes = models.PositiveBigIntegerField(default=0, help_text="The uploaded file's size.")
    # The extracted text, not the file: the analysis and any re-run read only this, and the
    # upload's bytes (up to 20 MB of PDF) need not be kept.
    text = models.TextField(editable=False)
    file_title = models.CharField(max_length=200, blank=True, help_text="From the file's metadata.")
    file_author = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(
        default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    stage = models.CharField(max_length=120, blank=True, help_text="What the analysis is doing.")
    error = models.TextField(blank=True)
    result = models.JSONField(
        null=True, blank=True, editable=False, help_text="The BookAnalysis, as a dict."
    )
    world = models.ForeignKey(
        Ecosystem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="book_imports",
        help_text="The world created from this import (empty until then, or once deleted).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="book_import_owner_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0.0, progress__lte=1.0), name="book_import_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


# --- Games (issue 18): NPCs that learn from outcomes ---------------------------------------------

GAME_NAME_CHARS = 120
GAME_SESSION_CHARS = 128


class Game(models.Model):
    """A game of a user: its vocabulary (``ecosystems.engine.games.Vocabulary`` as a dict), its
    engine config and its seed. ``config`` holds the ``EngineConfig`` dict (strategy, bandit,
    features, rules) plus ``exploration`` (per difficulty level: bandit overrides on top of
    ``BanditConfig.for_difficulty``) and optionally ``ab`` (``{"split", "A", "B"}``: two engine
    configs that sessions are split between). See ``ecosystems.services.games``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="games"
    )
    name = models.CharField(max_length=GAME_NAME_CHARS)
    vocabulary = models.JSONField(default=dict)
    config = models.JSONField(default=dict, blank=True)
    seed = models.BigIntegerField(default=new_seed, help_text="Seeds every decision's draw.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="game_owner_recent")]

    def __str__(self) -> str:
        return self.name


class GameNPC(models.Model):
    """A character (of one of the game owner's worlds) playing in a game. ``number`` is its
    1-based position among the game's NPCs: it keys the decision draws, so a game rebuilt
    with the same seed replays the same decisions (ids are random, positions are not)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="npcs")
    character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="game_roles")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["game", "number"]
        verbose_name = "game NPC"
        constraints = [
            models.UniqueConstraint(fields=["game", "character"], name="game_npc_once"),
            models.UniqueConstraint(fields=["game", "number"], name="game_npc_number"),
        ]

    def __str__(self) -> str:
        return f"{self.character} in {self.game}"


class GameNPCState(models.Model):
    """What one NPC has learned under one arm (``""`` without A/B, else ``"A"`` or ``"B"``):
    ``BanditState.to_dict()``. ``version`` grows by one with every save (processes keep the
    state in memory and trust it only while the row's version is the one they loaded);
    ``decisions`` counts the decisions made, for their seeded draws."""

    npc = models.ForeignKey(GameNPC, on_delete=models.CASCADE, related_name="states")
    arm = models.CharField(max_length=1, blank=True)
    strategy = models.CharField(max_length=32)
    state = models.JSONField(default=dict)
    version = models.PositiveBigIntegerField(default=0)
    decisions = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "game NPC state"
        constraints = [models.UniqueConstraint(fields=["npc", "arm"], name="game_state_once")]

    def __str__(self) -> str:
        return f"{self.npc} [{self.arm or '-'}] v{self.version}"


class GameDecision(models.Model):
    """One decision of an NPC and, once the game reports it, its outcome. ``decision`` is the
    engine's ``Decision.as_dict()`` without the reason (``learn`` needs its features);
    ``reward`` is what was learned (effectiveness, else 1/0); ``number`` the NPC's decision
    count under its arm (1-based)."""

    class Outcome(models.TextChoices):
        PENDING = "", "Pending"
        SUCCESS = "success", "Success"
        FAILURE = "failure", "Failure"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="decisions")
    npc = models.ForeignKey(GameNPC, on_delete=models.CASCADE, related_name="decisions")
    session_id = models.CharField(max_length=GAME_SESSION_CHARS)
    arm = models.CharField(max_length=1, blank=True)
    strategy = models.CharField(max_length=32)
    mode = models.CharField(max_length=16)
    action = models.CharField(max_length=64)
    difficulty = models.CharField(max_length=64, blank=True)
    confidence = models.FloatField()
    reason = models.TextField()
    context = models.JSONField(default=dict)
    decision = models.JSONField(default=dict)
    description = models.TextField(blank=True)
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True)
    number = models.PositiveBigIntegerField()
    latency_ms = models.FloatField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True, default="")
    played_action = models.CharField(
        max_length=64, blank=True, help_text="The action the game played, if not the one decided."
    )
    effectiveness = models.FloatField(null=True, blank=True)
    reward = models.FloatField(null=True, blank=True)
    damage = models.FloatField(null=True, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["game", "created_at"], name="game_decision_time"),
            models.Index(fields=["game", "arm", "outcome"], name="game_decision_arm"),
            models.Index(fields=["npc", "arm", "number"], name="game_decision_npc_number"),
            HnswIndex(
                name="game_decision_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} ({self.outcome or 'pending'})"
