"""REST shapes of stories and their beats."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.serializers import StrictSerializer, iso
from stories.analytics import DEFAULT_DAYS, MAX_DAYS
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


# --- social analytics (stories/society.py): response shapes for the schema --------------------


class SocialQuerySerializer(StrictSerializer):
    at = serializers.RegexField(
        r"^(\d{1,18}|[0-9a-fA-F-]{36})$",
        required=False,
        help_text="A snapshot id, or a tick: the latest snapshot taken at or before it.",
    )


class _Ref(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class SocialStandingSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    community = serializers.CharField(allow_null=True, help_text="A stable community id.")
    pagerank = serializers.FloatField()
    influence = serializers.FloatField(help_text="PageRank over the top one's: 0..1.")
    betweenness = serializers.FloatField(help_text="Normalised, 0..1.")
    degree = serializers.IntegerField()
    power = serializers.FloatField(help_text="0..1: who prevails over whom.")
    wins = serializers.IntegerField()
    losses = serializers.IntegerField()


class SocialCommunitySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Kept across snapshots while the circle lasts.")
    name = serializers.CharField()
    size = serializers.IntegerField()
    members = _Ref(many=True, help_text="The most influential members first (up to 12).")


class _Edge(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    weight = serializers.FloatField()


class _Graph(serializers.Serializer):
    nodes = SocialStandingSerializer(many=True, help_text="The 300 most influential at most.")
    edges = _Edge(many=True)
    total_nodes = serializers.IntegerField()
    total_edges = serializers.IntegerField()


class _Dominance(serializers.Serializer):
    winner = _Ref()
    loser = _Ref()
    wins = serializers.IntegerField()
    losses = serializers.IntegerField()


class _Chain(serializers.Serializer):
    emotion = serializers.CharField()
    path = _Ref(many=True)
    ticks = serializers.ListField(child=serializers.IntegerField())


class _Spreader(_Ref):
    emotion = serializers.CharField()
    count = serializers.IntegerField()


class _Contagion(serializers.Serializer):
    chains = _Chain(many=True)
    spreaders = _Spreader(many=True)


class _Isolates(serializers.Serializer):
    count = serializers.IntegerField()
    characters = _Ref(many=True)


class _Alliance(serializers.Serializer):
    name = serializers.CharField()
    members = _Ref(many=True)
    formed_tick = serializers.IntegerField()


class _HeatCell(serializers.Serializer):
    initiator = serializers.CharField()
    target = serializers.CharField()
    count = serializers.IntegerField()
    warmth = serializers.FloatField(help_text="-1 hostile .. 1 warm.")


class _Heatmap(serializers.Serializer):
    characters = _Ref(many=True)
    cells = _HeatCell(many=True)


class SocialSnapshotSerializer(serializers.Serializer):
    id = serializers.CharField(allow_null=True, help_text="Null: analysed now, not yet kept.")
    tick = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    findings = serializers.ListField(child=serializers.CharField())
    communities = SocialCommunitySerializer(many=True)
    modularity = serializers.FloatField()
    graph = _Graph()
    influence = SocialStandingSerializer(many=True)
    power = SocialStandingSerializer(many=True)
    dominance = _Dominance(many=True)
    contagion = _Contagion()
    brokers = SocialStandingSerializer(many=True)
    isolates = _Isolates()
    alliances = _Alliance(many=True)
    heatmap = _Heatmap()
    next_community = serializers.IntegerField()


class SocialFiguresSerializer(serializers.Serializer):
    id = serializers.CharField()
    tick = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    characters = serializers.IntegerField()
    ties = serializers.IntegerField()
    communities = serializers.IntegerField()
    modularity = serializers.FloatField()
    brokers = serializers.IntegerField()
    isolates = serializers.IntegerField()
    transmissions = serializers.IntegerField()
    decided_clashes = serializers.IntegerField()
    top_influencer = serializers.CharField(allow_blank=True)
    top_power = serializers.CharField(allow_blank=True)
    circles = serializers.DictField(child=serializers.IntegerField())


class SocialSerializer(serializers.Serializer):
    snapshot = SocialSnapshotSerializer()
    history = SocialFiguresSerializer(many=True, help_text="Oldest first, up to 200.")


class AnalyticsQuerySerializer(StrictSerializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        default=DEFAULT_DAYS,
        help_text=f"UTC days to cover, today included (1 to {MAX_DAYS}).",
    )


def _counts() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(), help_text="One count per entry of `days`."
    )


def _counts_by() -> serializers.DictField:
    return serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="{name: one count per entry of `days`}, the biggest first.",
    )


class _ClimaxTimes(serializers.Serializer):
    stories = serializers.IntegerField(help_text="Stories that reached climax in the window.")
    median_hours = serializers.FloatField(allow_null=True)
    p90_hours = serializers.FloatField(allow_null=True)
    median_ticks = serializers.FloatField(allow_null=True)
    p90_ticks = serializers.FloatField(allow_null=True)


class _StoryFigures(serializers.Serializer):
    total = serializers.IntegerField(help_text="Stories noticed in the window.")
    by_genre = _counts_by()
    by_status = _counts_by()
    time_to_climax = _ClimaxTimes(
        help_text="From a story's first event (brewing) to its first event at climax."
    )


class _TickCount(serializers.Serializer):
    tick = serializers.IntegerField()
    count = serializers.IntegerField()


class _ActiveCharacter(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    started = serializers.IntegerField()
    received = serializers.IntegerField()
    total = serializers.IntegerField()


class _InteractionFigures(serializers.Serializer):
    total = serializers.IntegerField()
    per_day = _counts()
    by_type = _counts_by()
    ticks = serializers.IntegerField(help_text="Distinct ticks with an interaction.")
    per_tick = serializers.FloatField(allow_null=True, help_text="Mean over those ticks.")
    recent_ticks = _TickCount(many=True, help_text="The latest 50 ticks with interactions.")
    top_characters = _ActiveCharacter(many=True, help_text="The 10 in most interactions.")


class _Engagement(serializers.Serializer):
    director_interventions = _counts()
    conversations_started = _counts()
    messages = _counts()
    owner_api_calls_this_month = serializers.IntegerField(
        help_text="The owner's API calls this month, all worlds (the meter counts per user)."
    )


class AnalyticsSerializer(serializers.Serializer):
    days = serializers.ListField(child=serializers.DateField(), help_text="Oldest first.")
    stories = _StoryFigures()
    interactions = _InteractionFigures()
    engagement = _Engagement()
