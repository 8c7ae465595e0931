"""The individual: personality, feelings, goals, voice, secrets and a memory stream."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from pgvector.django import HnswIndex, VectorField

BIG_FIVE = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
PLUTCHIK = ("joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation")
EMBEDDING_DIMENSIONS = 256  # WordLlama's 256-d model; OpenAI text-embedding-3-small asked for 256


def unit_interval(help_text: str, default: float = 0.5) -> models.FloatField:
    return models.FloatField(
        default=default,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=f"{help_text} Between 0 and 1.",
    )


def neutral_emotions() -> dict[str, float]:
    return {name: 0.0 for name in PLUTCHIK}


class Character(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(
        "ecosystems.Ecosystem", on_delete=models.CASCADE, related_name="characters"
    )
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True, help_text="Inactive characters sit out ticks.")
    # A person's stand-in in the world (ecosystems.services.conversations): characters know it
    # like anyone else (relationships, memories, gossip), but it never acts on its own, is
    # never picked by a tick and never counts toward a plan's characters.
    persona_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="personas",
        help_text="The person this character stands for in conversations (empty: a character).",
    )
    persona_description = models.TextField(
        blank=True, help_text="How the person describes their persona (personas only)."
    )

    # Big Five, 0..1
    openness = unit_interval("Curiosity and love of novelty.")
    conscientiousness = unit_interval("Reliability; keeps promises.")
    extraversion = unit_interval("Sociability; talkative and energised by company.")
    agreeableness = unit_interval("Warmth; softens conflict.")
    neuroticism = unit_interval("Emotional volatility; feels blows harder.")

    values = models.JSONField(
        default=list, blank=True, help_text='A list, e.g. ["loyalty", "honesty"].'
    )
    core_motivations = models.JSONField(
        default=list, blank=True, help_text="Permanent drives, a list of short phrases."
    )
    long_term_goals = models.JSONField(
        default=list,
        blank=True,
        help_text='A list of goals: {"description": "...", "progress": 0.0}.',
    )
    short_term_goals = models.JSONField(
        default=list, blank=True, help_text="Same shape as long-term goals."
    )
    emotions = models.JSONField(
        default=neutral_emotions, blank=True, help_text="Plutchik's eight emotions, each 0..1."
    )
    social_energy = unit_interval("Spent by interacting, restored by rest.", default=1.0)
    autonomy_level = unit_interval("How freely the character acts on its own.")

    speaking_style = models.TextField(blank=True, help_text="How the character talks.")
    backstory = models.TextField(blank=True)
    secrets = models.JSONField(
        default=list, blank=True, help_text="A list of things the character hides."
    )
    memory_summary = models.TextField(blank=True, help_text="Consolidated summary of old memories.")
    card_extensions = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "What an imported character card held that Dramatis has no field for (other apps' "
            "extensions, lorebook entries, texts written for chat frontends), kept so that "
            "exporting the card again loses nothing (characters.cards)."
        ),
    )

    # The memory stream's bookkeeping (see ecosystems/services/memory.py).
    authored_personality = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "The Big Five as authored, the anchor that lived experience drifts away from (at "
            "most 0.15 per trait). Filled from the traits on the first drift; clear it after "
            "re-authoring the traits to re-anchor."
        ),
    )
    importance_since_reflection = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Summed importance of memories since the last reflection (a kept-in-step hint).",
    )
    last_reflection_tick = models.PositiveBigIntegerField(
        default=0, editable=False, help_text="World tick of the last reflection (0: never)."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["persona_of", "ecosystem"],
                condition=Q(persona_of__isnull=False),
                name="character_personas",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ecosystem", "name"], name="character_unique_name_per_world"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0.0, f"{field}__lte": 1.0}),
                    name=f"character_{field}_in_unit_interval",
                )
                for field in (*BIG_FIVE, "social_energy", "autonomy_level")
            ],
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_persona(self) -> bool:
        return self.persona_of_id is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for field in ("values", "core_motivations", "secrets"):
            value = getattr(self, field)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors[field] = 'Enter a list of texts, e.g. ["loyalty", "honesty"].'
        for field in ("long_term_goals", "short_term_goals"):
            problem = _goal_list_problem(getattr(self, field))
            if problem:
                errors[field] = problem
        problem = _emotions_problem(self.emotions)
        if problem:
            errors["emotions"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def big_five(self) -> dict[str, float]:
        return {trait: getattr(self, trait) for trait in BIG_FIVE}


def _goal_list_problem(goals: object) -> str | None:
    shape = 'Enter a list like [{"description": "Find the locket", "progress": 0.0}].'
    if not isinstance(goals, list):
        return shape
    for goal in goals:
        if not isinstance(goal, dict) or not isinstance(goal.get("description"), str):
            return shape
        progress = goal.get("progress", 0.0)
        if not isinstance(progress, int | float) or not 0.0 <= progress <= 1.0:
            name = goal["description"]
            return f"Goal progress must be between 0 and 1; got {progress!r} for {name!r}."
    return None


def _emotions_problem(emotions: object) -> str | None:
    if not isinstance(emotions, dict):
        return 'Enter an object like {"joy": 0.4, "fear": 0.1}.'
    unknown = sorted(set(emotions) - set(PLUTCHIK))
    if unknown:
        return f"Unknown emotion(s) {', '.join(unknown)}; allowed: {', '.join(PLUTCHIK)}."
    for name, value in emotions.items():
        if not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
            return f"Emotion {name!r} must be between 0 and 1; got {value!r}."
    return None


class Memory(models.Model):
    """One entry of a character's memory stream (Generative Agents)."""

    class Kind(models.TextChoices):
        OBSERVATION = "observation", "Observation"
        DIALOGUE = "dialogue", "Dialogue"
        REFLECTION = "reflection", "Reflection"
        PLAN = "plan", "Plan"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="memories")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OBSERVATION)
    content = models.TextField()
    importance = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 (mundane) to 10.",
    )
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True)
    tick = models.PositiveBigIntegerField(default=0, help_text="World tick when it was formed.")
    evidence = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="supports",
        help_text="For reflections: the memories they were drawn from.",
    )
    consolidated = models.BooleanField(
        default=False,
        help_text="Summarised into the character's memory summary; kept and still retrievable.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Written by every retrieval, so never indexed: an UPDATE that changes no indexed column
    # can be a HOT update (the table keeps free space for it: fillfactor 80, migration 0005),
    # which spares the HNSW index a re-insert of the row.
    last_accessed_at = models.DateTimeField(auto_now_add=True)
    last_accessed_tick = models.PositiveBigIntegerField(
        default=0,
        help_text="World tick of the last retrieval; recency counts from this or from tick.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "memories"
        indexes = [
            models.Index(fields=["character", "-created_at"], name="memory_character_recent"),
            # Retrieval's candidate pool: a character's most important memories (its most
            # recent come from memory_character_recent).
            models.Index(
                F("character"), F("importance").desc(), F("tick").desc(), name="memory_importance"
            ),
            # The embedding backfill's work list: tiny, since rows leave it once embedded.
            models.Index(
                fields=["character"],
                condition=Q(embedding__isnull=True),
                name="memory_unembedded",
            ),
            HnswIndex(
                name="memory_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=10), name="memory_importance_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.character}: {self.content[:60]}"


class MemoryConsolidation(models.Model):
    """One consolidation of a character's memory stream: the old memories it summarised, the
    summary appended to ``Character.memory_summary`` and how far personality drifted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    character = models.ForeignKey(
        Character, on_delete=models.CASCADE, related_name="consolidations"
    )
    tick = models.PositiveBigIntegerField(help_text="World tick of the consolidation.")
    summary = models.TextField()
    memory_count = models.PositiveIntegerField(help_text="Memories summarised.")
    drift = models.JSONField(
        default=dict, blank=True, help_text='Big Five change, e.g. {"neuroticism": 0.01}.'
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["character", "-created_at"], name="consolidation_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.character} at tick {self.tick}: {self.memory_count} memories"


# Appended with LLMUsage, the one model here that points at the user model.


class LLMUsage(models.Model):
    """One chat-completion request made for dialogue (or one cache hit): tokens and cost.

    Written by ``characters.llm.services`` from the response's ``usage``; a cache hit is a row
    with ``cached=True``, no tokens and no cost. World and owner are kept nullable and survive
    deletion (set to null) so spend already incurred stays in the totals.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ecosystem = models.ForeignKey(
        "ecosystems.Ecosystem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="llm_usage",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="llm_usage",
    )
    provider = models.CharField(max_length=64, help_text="Provider name from the LLM settings.")
    model = models.CharField(max_length=200)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    cached = models.BooleanField(default=False, help_text="Answered from the prompt cache.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "LLM usage"
        verbose_name_plural = "LLM usage"
        indexes = [
            models.Index(fields=["ecosystem", "created_at"], name="llmusage_world_time"),
            models.Index(fields=["owner", "created_at"], name="llmusage_owner_time"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}/{self.model}: {self.prompt_tokens}+{self.completion_tokens} tokens"
