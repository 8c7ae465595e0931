"""REST shapes of worlds, characters, relationships, interactions, events, memories and
scenarios. Input serializers are strict: unknown fields are a 400 naming them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from characters.engine.interactions import CATALOGUE
from characters.models import BIG_FIVE, PLUTCHIK, Character, Memory
from core.serializers import (
    CharacterRefSerializer,
    StrictModelSerializer,
    StrictSerializer,
    iso,
)
from ecosystems.access import can_edit
from ecosystems.models import Ecosystem, Event, Relationship, Scenario, TickRun
from ecosystems.redaction import Redactor
from ecosystems.services.interactions import MAX_CONTENT_CHARS
from ecosystems.services.ticks import MAX_TICKS_PER_CALL

BIGINT_MAX = 2**63 - 1  # seqs and ticks are PostgreSQL bigints

# --- worlds -------------------------------------------------------------------------------------


class EcosystemSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.get_username", read_only=True)
    is_owner = serializers.SerializerMethodField()
    world_clock = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Ecosystem
        fields = [
            "id", "name", "slug", "description", "origin", "setting", "status", "paused_by_plan",
            "visibility", "tick_interval_seconds", "minutes_per_tick", "world_start", "world_clock",
            "current_tick", "next_tick_at", "seed", "drama_manager", "last_event_seq",
            "owner", "is_owner", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_is_owner(self, world: Ecosystem) -> bool:
        request = self.context.get("request")
        return bool(request and can_edit(request.user, world))

    def to_representation(self, world: Ecosystem) -> dict[str, Any]:
        # By hand: DRF's per-field machinery cost more than the query (bench/api.py); the
        # declared fields above still describe the shape in the schema.
        w = world
        return {
            "id": str(w.id), "name": w.name, "slug": w.slug, "description": w.description,
            "origin": w.origin,
            "setting": w.setting, "status": w.status, "paused_by_plan": w.paused_by_plan,
            "visibility": w.visibility,
            "tick_interval_seconds": w.tick_interval_seconds,
            "minutes_per_tick": w.minutes_per_tick, "world_start": iso(w.world_start),
            "world_clock": iso(w.world_clock), "current_tick": w.current_tick,
            "next_tick_at": iso(w.next_tick_at), "seed": w.seed,
            "drama_manager": w.drama_manager, "last_event_seq": w.last_event_seq,
            "owner": w.owner.get_username(), "is_owner": self.get_is_owner(w),
            "created_at": iso(w.created_at), "updated_at": iso(w.updated_at),
        }  # fmt: skip


class EcosystemWriteSerializer(StrictModelSerializer):
    """Fields a creator sets; the run state changes through start, pause and tick."""

    class Meta:
        model = Ecosystem
        fields = [
            "name", "slug", "description", "setting", "visibility", "tick_interval_seconds",
            "minutes_per_tick", "world_start", "seed", "drama_manager",
        ]  # fmt: skip
        extra_kwargs = {"slug": {"required": False}}
        validators: list = []  # unique (owner, slug) is checked by the service's full_clean


class TickRequestSerializer(StrictSerializer):
    ticks = serializers.IntegerField(min_value=1, max_value=MAX_TICKS_PER_CALL, default=1)


class TickResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    ran = serializers.BooleanField()
    interactions = serializers.IntegerField()
    events = serializers.IntegerField()
    duration_ms = serializers.IntegerField()


class TickRunSerializer(serializers.ModelSerializer):
    """A batch of ticks and how far it got (``done`` of ``requested``)."""

    progress = serializers.FloatField(read_only=True)

    class Meta:
        model = TickRun
        fields = [
            "id", "ecosystem", "requested", "done", "progress", "status", "first_tick",
            "last_tick", "error", "idempotency_key", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class TickResponseSerializer(serializers.Serializer):
    ecosystem = EcosystemSerializer()
    run = TickRunSerializer()
    replayed = serializers.BooleanField(
        help_text="True: a run with this Idempotency-Key ran before; nothing ran again and "
        "``ticks`` is empty (``run`` says what that run did)."
    )
    ticks = TickResultSerializer(many=True)


class TickRunQuerySerializer(StrictSerializer):
    idempotency_key = serializers.CharField(required=False, max_length=200)


# --- characters ---------------------------------------------------------------------------------

_UNIT = {"min_value": 0.0, "max_value": 1.0}


class GoalSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    progress = serializers.FloatField(default=0.0, **_UNIT)


@extend_schema_field(
    {
        "type": "object",
        "properties": {name: {"type": "number", "minimum": 0, "maximum": 1} for name in PLUTCHIK},
        "additionalProperties": False,
    }
)
class EmotionsField(serializers.DictField):
    child = serializers.FloatField(**_UNIT)

    def to_internal_value(self, data: Any) -> dict[str, float]:
        value = super().to_internal_value(data)
        unknown = sorted(set(value) - set(PLUTCHIK))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown emotion(s) {', '.join(unknown)}; allowed: {', '.join(PLUTCHIK)}."
            )
        return value


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["description"],
            "properties": {
                "description": {"type": "string"},
                "progress": {"type": "number"},
            },
            "additionalProperties": True,
        },
    }
)
class GoalsOutField(serializers.ListField):
    child = serializers.DictField()


def _texts(max_length: int = 300) -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(max_length=max_length), required=False)


class CharacterSerializer(serializers.ModelSerializer):
    """A character as read through the ``redactor`` in the context: a visitor of a public
    world sees no ``secrets``, no hidden goals and no secret in any text."""

    ecosystem_id = serializers.UUIDField(read_only=True)
    values = serializers.ListField(child=serializers.CharField())
    core_motivations = serializers.ListField(child=serializers.CharField())
    secrets = serializers.ListField(child=serializers.CharField())
    is_person = serializers.BooleanField(
        read_only=True, help_text="A person's persona (it talks only when its person speaks)."
    )
    long_term_goals = GoalsOutField()
    short_term_goals = GoalsOutField()
    emotions = EmotionsField()

    class Meta:
        model = Character
        fields = [
            "id", "ecosystem_id", "name", "is_active", *BIG_FIVE, "values", "core_motivations",
            "long_term_goals", "short_term_goals", "emotions", "social_energy", "autonomy_level",
            "speaking_style", "backstory", "secrets", "memory_summary", "created_at", "updated_at",
            "is_person",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, character: Character) -> dict[str, Any]:
        c = character  # by hand, as EcosystemSerializer
        r: Redactor = self.context["redactor"]  # the reader's view (ecosystems.redaction)
        return {
            "id": str(c.id), "ecosystem_id": str(c.ecosystem_id), "name": c.name,
            "is_active": c.is_active, **{trait: getattr(c, trait) for trait in BIG_FIVE},
            "values": c.values, "core_motivations": c.core_motivations,
            "long_term_goals": r.goals(c.long_term_goals),
            "short_term_goals": r.goals(c.short_term_goals),
            "emotions": c.emotions, "social_energy": c.social_energy,
            "autonomy_level": c.autonomy_level, "speaking_style": c.speaking_style,
            "backstory": r.text(c.backstory), "secrets": r.secrets(c.secrets),
            "memory_summary": r.text(c.memory_summary), "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at), "is_person": c.persona_of_id is not None,
        }  # fmt: skip


class CharacterWriteSerializer(StrictModelSerializer):
    values = _texts()
    core_motivations = _texts()
    secrets = _texts(1000)
    long_term_goals = GoalSerializer(many=True, required=False)
    short_term_goals = GoalSerializer(many=True, required=False)
    emotions = EmotionsField(required=False)

    class Meta:
        model = Character
        fields = [
            "name", "is_active", *BIG_FIVE, "values", "core_motivations", "long_term_goals",
            "short_term_goals", "emotions", "social_energy", "autonomy_level", "speaking_style",
            "backstory", "secrets",
        ]  # fmt: skip
        validators: list = []  # unique name per world: the service's full_clean answers


class CharacterQuerySerializer(StrictSerializer):
    name = serializers.CharField(required=False, max_length=100)
    limit = serializers.IntegerField(required=False, min_value=1)
    offset = serializers.IntegerField(required=False, min_value=0)


# --- society ------------------------------------------------------------------------------------


class RelationshipSerializer(serializers.ModelSerializer):
    source = CharacterRefSerializer(read_only=True)
    target = CharacterRefSerializer(read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id", "source", "target", "kind", "strength", "trust", "familiarity", "attraction",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, r: Relationship) -> dict[str, Any]:
        return {
            "id": str(r.id),
            "source": {"id": str(r.source.id), "name": r.source.name},
            "target": {"id": str(r.target.id), "name": r.target.name},
            "kind": r.kind, "strength": r.strength, "trust": r.trust,
            "familiarity": r.familiarity, "attraction": r.attraction,
            "updated_at": iso(r.updated_at),
        }  # fmt: skip


class RelationshipWriteSerializer(StrictSerializer):
    source_id = serializers.UUIDField()
    target_id = serializers.UUIDField()
    kind = serializers.ChoiceField(Relationship.Kind.choices, default=Relationship.Kind.STRANGER)
    strength = serializers.FloatField(min_value=-1.0, max_value=1.0, default=0.0)
    trust = serializers.FloatField(min_value=-1.0, max_value=1.0, default=0.0)
    familiarity = serializers.FloatField(default=0.0, **_UNIT)
    attraction = serializers.FloatField(default=0.0, **_UNIT)


class GraphNodeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    is_active = serializers.BooleanField()
    social_energy = serializers.FloatField()
    mood = serializers.CharField(help_text="The strongest emotion now, or 'calm'.")
    is_person = serializers.BooleanField(
        default=False, help_text="A person's persona (talks only when its person speaks)."
    )


class GraphEdgeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    source = serializers.UUIDField()
    target = serializers.UUIDField()
    kind = serializers.CharField()
    strength = serializers.FloatField()
    trust = serializers.FloatField()
    familiarity = serializers.FloatField()
    attraction = serializers.FloatField()


class GraphRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class FrenemySerializer(serializers.Serializer):
    character = GraphRefSerializer()
    friend = GraphRefSerializer(help_text="A friend of the character's.")
    enemy = GraphRefSerializer(help_text="A friend of that friend, the character's enemy.")
    kind = serializers.CharField(help_text="How the character regards them: enemy or rival.")


class GraphAnalyticsSerializer(serializers.Serializer):
    synced_seq = serializers.IntegerField(
        allow_null=True, help_text="The event seq the graph database holds (null: never synced)."
    )
    available = serializers.BooleanField(help_text="False: the graph database did not answer.")
    detail = serializers.CharField(required=False, help_text="Why it is unavailable.")
    frenemies = FrenemySerializer(many=True)
    influence_path = GraphRefSerializer(
        many=True,
        allow_null=True,
        required=False,
        help_text="With path_from and path_to: the shortest chain by which path_from can sway "
        "path_to, each trusting the one before (null: none within 6 steps).",
    )


class GraphQuerySerializer(serializers.Serializer):
    path_from = serializers.UUIDField(required=False)
    path_to = serializers.UUIDField(required=False)

    def validate(self, attrs: dict) -> dict:
        if ("path_from" in attrs) != ("path_to" in attrs):
            raise serializers.ValidationError("Give both path_from and path_to, or neither.")
        return attrs


class GraphSerializer(serializers.Serializer):
    nodes = GraphNodeSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)
    graph_db = GraphAnalyticsSerializer(
        required=False,
        help_text="Only with a graph database configured (NEO4J_BOLT_URL): analytics answered "
        "there in Cypher, as of synced_seq. Absent otherwise.",
    )


class InteractionTypeSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    valence = serializers.FloatField()
    intensity = serializers.FloatField()
    energy_cost = serializers.FloatField()
    conflict = serializers.BooleanField()
    needs_subject = serializers.BooleanField()
    needs_secret = serializers.BooleanField()


class InteractionRequestSerializer(StrictSerializer):
    initiator_id = serializers.UUIDField()
    target_id = serializers.UUIDField()
    interaction_type = serializers.ChoiceField(sorted(CATALOGUE))
    content = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_CONTENT_CHARS
    )
    context = serializers.DictField(required=False, default=dict)


class InteractionResponseSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="interaction.id")
    ecosystem_id = serializers.UUIDField(source="interaction.ecosystem_id")
    initiator = CharacterRefSerializer(source="interaction.initiator")
    target = CharacterRefSerializer(source="interaction.target")
    interaction_type = serializers.CharField(source="interaction.interaction_type")
    content = serializers.CharField(source="interaction.content")
    response = serializers.CharField()
    tick = serializers.IntegerField(source="interaction.tick")
    relationship_change = serializers.DictField(child=serializers.DictField())
    emotional_impact = serializers.DictField(child=serializers.DictField())
    energy_cost = serializers.DictField(child=serializers.FloatField())
    event_seqs = serializers.SerializerMethodField()
    dialogue_source = serializers.CharField()

    def get_event_seqs(self, result: Any) -> list[int]:
        return [event.seq for event in result.events]


# --- the log and memories -----------------------------------------------------------------------


class EventQuerySerializer(StrictSerializer):
    after = serializers.IntegerField(min_value=0, max_value=BIGINT_MAX, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=500, default=100)


class EventSerializer(serializers.ModelSerializer):
    """An event as in the WebSocket frame's ``event``, through the ``redactor`` in the
    context."""

    type = serializers.CharField(source="kind")
    timestamp = serializers.DateTimeField(source="created_at")
    data = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "seq", "type", "tick", "timestamp", "data"]

    def get_data(self, event: Event) -> dict[str, Any]:
        redactor: Redactor = self.context["redactor"]
        return redactor.value({"ecosystem_id": str(event.ecosystem_id), **event.payload})

    def to_representation(self, event: Event) -> dict[str, Any]:
        return {
            "id": str(event.id), "seq": event.seq, "type": event.kind, "tick": event.tick,
            "timestamp": iso(event.created_at), "data": self.get_data(event),
        }  # fmt: skip


class EventPageSerializer(serializers.Serializer):
    events = EventSerializer(many=True)
    next_after = serializers.IntegerField(help_text="Pass as ?after= for the next page.")
    has_more = serializers.BooleanField()


class MemoryQuerySerializer(StrictSerializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class MemorySerializer(serializers.ModelSerializer):
    """A memory as read, its content through the ``redactor`` in the context."""

    similarity = serializers.SerializerMethodField()

    class Meta:
        model = Memory
        fields = ["id", "kind", "content", "importance", "tick", "created_at", "similarity"]

    def get_similarity(self, memory: Memory) -> float | None:
        similarity = getattr(memory, "similarity", None)
        return None if similarity is None else round(float(similarity), 4)

    def to_representation(self, m: Memory) -> dict[str, Any]:
        return {
            "id": str(m.id), "kind": m.kind,
            "content": self.context["redactor"].text(m.content), "importance": m.importance,
            "tick": m.tick, "created_at": iso(m.created_at), "similarity": self.get_similarity(m),
        }  # fmt: skip


class MemorySearchSerializer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True)
    results = MemorySerializer(many=True)


# --- the Director -------------------------------------------------------------------------------


class ObjectivesSerializer(StrictSerializer):
    primary = serializers.CharField(required=False, allow_blank=True, max_length=500)
    subplots = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    hidden = serializers.ListField(child=serializers.CharField(max_length=500), required=False)


class ScenarioSerializer(serializers.ModelSerializer):
    """A scenario as read through the ``redactor`` in the context: hidden objectives are
    shown to the world's owner only."""

    ecosystem_id = serializers.UUIDField(read_only=True)
    characters = CharacterRefSerializer(many=True, read_only=True)
    objectives = ObjectivesSerializer(read_only=True)

    class Meta:
        model = Scenario
        fields = [
            "id", "ecosystem_id", "title", "setting", "mood", "characters", "objectives",
            "status", "is_template", "started_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, scenario: Scenario) -> dict[str, Any]:
        data = super().to_representation(scenario)
        redactor: Redactor = self.context["redactor"]
        if redactor.visitor:
            data["objectives"].pop("hidden", None)
        return redactor.value(data)


class ScenarioWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=160)
    setting = serializers.CharField(required=False, allow_blank=True, default="")
    mood = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    character_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=200
    )
    objectives = ObjectivesSerializer(required=False)
    is_template = serializers.BooleanField(required=False, default=False)


# --- a world's own model servers ----------------------------------------------------------------


class ModelServerWriteSerializer(StrictSerializer):
    base_url = serializers.CharField(max_length=500, help_text="Up to and including /v1.")
    model = serializers.CharField(max_length=200)
    api_key = serializers.CharField(
        max_length=500,
        required=False,
        allow_null=True,
        allow_blank=True,
        trim_whitespace=True,
        help_text="Stored encrypted, never shown back. Leave out (or null) to keep the key "
        'stored for the same base_url; "" for a server that needs none.',
    )


class ModelServersWriteSerializer(StrictSerializer):
    servers = ModelServerWriteSerializer(many=True, allow_empty=True)


class ModelServerSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    base_url = serializers.CharField()
    model = serializers.CharField()
    api_key = serializers.CharField(
        source="api_key_hint", help_text='The key\'s last 4 characters ("…a1b2"); "" for none.'
    )
    has_api_key = serializers.SerializerMethodField()

    def get_has_api_key(self, server: Any) -> bool:
        return bool(server.api_key_encrypted)


class ModelServersSerializer(serializers.Serializer):
    servers = ModelServerSerializer(many=True)
    plan_allows = serializers.BooleanField(help_text="The owner's plan has custom models.")
    in_use = serializers.BooleanField(
        help_text="The world's lines are voiced by these servers (listed, and the plan allows)."
    )
