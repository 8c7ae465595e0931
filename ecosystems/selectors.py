"""Ecosystem reads, returned as querysets already annotated and joined."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from pgvector.django import CosineDistance

from billing.limits import PRICING_URL, OverLimit, over_limits, over_limits_message, plan_held
from billing.selectors import plan_of
from characters.embeddings import EmbeddingError, embed_texts
from characters.llm.providers import Provider, providers_configured
from characters.models import Character, Memory, MemoryConsolidation
from core.crypto import SecretUnreadable, secret_decrypt
from core.errors import NotFound
from ecosystems.engine.lore import LoreFact, knowers_of
from ecosystems.engine.names import content_words
from ecosystems.models import (
    Alliance,
    Conversation,
    ConversationMessage,
    ConversationParticipant,
    Ecosystem,
    Event,
    Game,
    Interaction,
    Knowledge,
    LoreEntry,
    LoreVote,
    Relationship,
    RelationshipChange,
    Scenario,
    TickRun,
    WorldModelServer,
)

logger = logging.getLogger(__name__)


def _count_in_world(model: type[Character] | type[Relationship]) -> Coalesce:
    """A correlated COUNT per world; two joins with Count(distinct) would multiply rows."""
    counts = (
        model.objects.filter(ecosystem=OuterRef("pk"))
        .order_by()
        .values("ecosystem")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def ecosystems_for_owner(*, owner: AbstractBaseUser) -> QuerySet[Ecosystem]:
    """The owner's worlds, newest first, with ``character_count`` and ``relationship_count``."""
    return Ecosystem.objects.editable_by(owner).annotate(
        character_count=_count_in_world(Character),
        relationship_count=_count_in_world(Relationship),
    )


def tick_runs_for_world(
    *, ecosystem: Ecosystem, idempotency_key: str | None = None
) -> QuerySet[TickRun]:
    """A world's tick batches, newest first (only the one with ``idempotency_key`` if given)."""
    runs = TickRun.objects.filter(ecosystem=ecosystem).order_by("-started_at")
    if idempotency_key is not None:
        runs = runs.filter(idempotency_key=idempotency_key.strip())
    return runs


def events_after(
    *, ecosystem_id: object, after: int, until: int | None = None, limit: int = 500
) -> QuerySet[Event]:
    """The log of one world after ``after`` (and up to ``until``), oldest first."""
    events = Event.objects.filter(ecosystem_id=ecosystem_id, seq__gt=after)
    if until is not None:
        events = events.filter(seq__lte=until)
    return events.order_by("seq")[:limit]


# --- pages: the Observatory, the Director and the character page ------------------------------


def characters_for_world(*, ecosystem: Ecosystem) -> QuerySet[Character]:
    """A world's characters by name."""
    return Character.objects.filter(ecosystem=ecosystem).order_by("name")


def relationships_for_graph(*, ecosystem: Ecosystem) -> QuerySet[Relationship]:
    """Every directed relationship of a world with both ends joined (the graph's edges)."""
    return (
        Relationship.objects.filter(ecosystem=ecosystem)
        .select_related("source", "target")
        .order_by("source__name", "target__name")
    )


def events_recent(
    *,
    ecosystem: Ecosystem,
    limit: int = 40,
    kinds: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> list[Event]:
    """The latest ``limit`` events of a world (only ``kinds``, none of ``exclude``), newest
    first."""
    events = Event.objects.filter(ecosystem=ecosystem)
    if kinds:
        events = events.filter(kind__in=list(kinds))
    if exclude:
        events = events.exclude(kind__in=list(exclude))
    return list(events.order_by("-seq")[:limit])


def observatory_figures(*, ecosystem: Ecosystem) -> dict[str, int]:
    """The Observatory's header counts: active characters, relationships that are more than
    strangers, and conversations in the latest tick (interactions logged at that tick)."""
    return {
        "active_characters": Character.objects.filter(ecosystem=ecosystem, is_active=True).count(),
        "relationships": Relationship.objects.filter(ecosystem=ecosystem)
        .exclude(kind=Relationship.Kind.STRANGER)
        .count(),
        "conversations": Interaction.objects.filter(
            ecosystem=ecosystem, tick=ecosystem.current_tick
        ).count(),
    }


def scenarios_for_world(*, ecosystem: Ecosystem) -> QuerySet[Scenario]:
    """A world's scenarios and templates, newest first, with their casts."""
    return (
        Scenario.objects.filter(ecosystem=ecosystem)
        .prefetch_related(Prefetch("characters", queryset=Character.objects.order_by("name")))
        .order_by("-created_at")
    )


def relationships_of_character(*, character: Character) -> QuerySet[Relationship]:
    """How ``character`` regards the others, each with its change log newest first (the
    recorded causes answer "why")."""
    return (
        Relationship.objects.filter(source=character)
        .select_related("target")
        .prefetch_related(
            Prefetch("changes", queryset=RelationshipChange.objects.order_by("-created_at"))
        )
        .order_by("-strength")
    )


def character_emotion_history(*, character: Character, limit: int = 120) -> list[Event]:
    """The interactions that recorded ``character``'s emotions, oldest first (each event's
    ``payload["emotional_states"][<id>]`` is the state after it)."""
    events = Event.objects.filter(
        ecosystem_id=character.ecosystem_id,
        kind="character_interaction",
        payload__emotional_states__has_key=str(character.pk),
    ).order_by("-seq")[:limit]
    return list(reversed(events))


def memories_by_importance(*, character: Character, limit: int = 8) -> QuerySet[Memory]:
    """A character's most important memories (ties: the most recent first)."""
    return Memory.objects.filter(character=character).order_by("-importance", "-tick")[:limit]


def reflections_with_evidence(*, character: Character, limit: int = 20) -> QuerySet[Memory]:
    """A character's reflections, newest first, with the memories they were drawn from."""
    return (
        Memory.objects.filter(character=character, kind=Memory.Kind.REFLECTION)
        .prefetch_related(Prefetch("evidence", queryset=Memory.objects.order_by("tick")))
        .order_by("-tick", "-created_at")[:limit]
    )


def consolidations_of_character(
    *, character: Character, limit: int = 20
) -> QuerySet[MemoryConsolidation]:
    """A character's memory consolidations, newest first."""
    return MemoryConsolidation.objects.filter(character=character).order_by("-created_at")[:limit]


# --- a world's own model servers ------------------------------------------------------------


def model_servers_of(*, ecosystem: Ecosystem) -> QuerySet[WorldModelServer]:
    """The world's own chain in the order it is tried (kept when the plan no longer allows it:
    a downgrade deletes nothing)."""
    return WorldModelServer.objects.filter(ecosystem=ecosystem).order_by("position")


def world_provider_name(*, ecosystem_id: UUID | str, position: int) -> str:
    """Labels the usage rows, circuit breaker and reply cache of one world's server: a world's
    servers share none of them with another world or with the configured chain."""
    return f"world:{ecosystem_id}:{position}"


def providers_for_world(*, ecosystem_id: UUID | str) -> list[Provider]:
    """The chain that voices ``ecosystem_id``: its own model servers when it has some and its
    owner's plan has ``custom_models``, else the configured chain (``providers_configured``).
    One query. A server whose stored key cannot be decrypted is left out (and logged): it would
    only be refused, and the owner is asked to enter the key again on the settings page."""
    rows = list(
        WorldModelServer.objects.filter(
            ecosystem_id=ecosystem_id,
            ecosystem__owner__subscription__plan__custom_models=True,
        ).order_by("position")
    )
    if not rows:
        return providers_configured()
    providers = []
    for row in rows:
        try:
            key = secret_decrypt(row.api_key_encrypted)
        except SecretUnreadable:
            logger.warning("World %s model server %d: key unreadable, skipped", ecosystem_id,
                           row.position)  # fmt: skip
            continue
        providers.append(
            Provider(
                name=world_provider_name(ecosystem_id=ecosystem_id, position=row.position),
                base_url=row.base_url.rstrip("/"),
                model=row.model,
                timeout_seconds=float(settings.LLM_TIMEOUT_SECONDS),
                api_key_value=key,
            )
        )
    return providers


@dataclass(frozen=True)
class PlanBanner:
    """What a world's pages tell its owner when their plan holds the world back: what is over
    (``over``, empty once within the plan again), the message, and whether the plan paused it."""

    over: list[OverLimit]
    message: str
    paused_by_plan: bool
    pricing_url: str = PRICING_URL

    @property
    def read_only(self) -> bool:
        """Forms that change the world are refused (the services decide; pages disable them)."""
        return bool(self.over)


def plan_banner_for(*, user: object, world: Ecosystem | None = None) -> PlanBanner | None:
    """For the world's owner (or, without ``world``, for the user's dashboard): ``PlanBanner``
    while a plan change has left them over their plan (``billing.limits.plan_within_check``
    refuses their changes) or after it paused this world; ``None`` otherwise and for anyone
    else (a visitor never learns about the owner's plan)."""
    if getattr(user, "pk", None) is None or (world is not None and world.owner_id != user.pk):
        return None
    held = plan_held(user=user)  # type: ignore[arg-type]
    paused_by_plan = world is not None and world.paused_by_plan
    if not held and not paused_by_plan:
        return None
    plan = plan_of(user=user)  # type: ignore[arg-type]
    over = over_limits(user=user, plan=plan) if held else []  # type: ignore[arg-type]
    if over:
        message = (
            f"{over_limits_message(plan=plan, over=over)} Until then your worlds are paused "
            "and read-only; nothing in them has been deleted."
        )
    elif world is not None and paused_by_plan and world.status == Ecosystem.Status.PAUSED:
        message = (
            "This world was paused when your plan changed. Your worlds fit your plan "
            f"{plan.name!r} again: start it to resume."
        )
    else:
        return None
    return PlanBanner(over=over, message=message, paused_by_plan=paused_by_plan)


def conversations_of(*, user: AbstractBaseUser) -> QuerySet[Conversation]:
    """``user``'s conversations, newest first, with persona and characters joined."""
    return (
        Conversation.objects.filter(user=user, kind=Conversation.Kind.CONVERSATION)
        .select_related("persona")
        .prefetch_related(Prefetch("characters", queryset=Character.objects.order_by("name")))
        .order_by("-created_at")
    )


def conversation_messages(*, conversation: Conversation) -> QuerySet[ConversationMessage]:
    """A conversation's turns in order (without the embeddings: nobody reads them back)."""
    return conversation.messages.order_by("seq").defer("embedding", "search_vector")


def conversation_messages_after(
    *, conversation_id: Any, after: int, until: int | None = None, limit: int = 500
) -> QuerySet[ConversationMessage]:
    """A conversation's turns with ``after < seq <= until`` in order, who spoke joined: what a
    live socket replays."""
    messages = ConversationMessage.objects.filter(conversation_id=conversation_id, seq__gt=after)
    if until is not None:
        messages = messages.filter(seq__lte=until)
    return (
        messages.select_related("character", "persona")
        .order_by("seq")
        .defer("embedding", "search_vector")[:limit]
    )


def rooms_of_world(*, ecosystem: Ecosystem) -> QuerySet[Conversation]:
    """A world's rooms, newest first, with characters and the count of people in each
    (``people``)."""
    return (
        Conversation.objects.filter(ecosystem=ecosystem, kind=Conversation.Kind.ROOM)
        .annotate(people=Count("participants", filter=Q(participants__left_at__isnull=True)))
        .prefetch_related(Prefetch("characters", queryset=Character.objects.order_by("name")))
        .order_by("-created_at")
    )


def room_participants(*, room: Conversation) -> QuerySet[ConversationParticipant]:
    """Who is in ``room`` now, in the order they came, persona joined."""
    return (
        ConversationParticipant.objects.filter(conversation=room, left_at__isnull=True)
        .select_related("persona")
        .order_by("joined_at")
    )


# --- lore --------------------------------------------------------------------------------------

# Meaning search: the least cosine similarity (WordLlama, 256-d) between the query and an
# entry's title+text for the entry to count as about it. Measured on tests/ecosystems/
# test_lore_search.py's entries: the query's own words or close kin score 0.26-0.72 ("ancient
# fountain" 0.72, "the feud over roses" 0.47, "wishing water" 0.36, "the missing necklace" for
# a lost locket 0.26), unrelated text at most 0.17 ("croquet tournament results", "weather
# tomorrow"). WordLlama averages word vectors: it does not know that a well is a kind of
# fountain ("the old well" scores 0.22 against "The Ancient Fountain"); the words find it
# there only because "old" is in "older than the town".
LORE_MEANING_MIN_SIMILARITY = 0.25
LORE_SEARCH_LIMIT = 50
LORE_QUERY_WORDS = 8  # content words of a query matched one by one (a query is a phrase)


def lore_for_viewer(*, ecosystem: Ecosystem, user: Any) -> QuerySet[LoreEntry]:
    """The entries of ``ecosystem`` that ``user`` (who may see the world) sees: all of them for
    the owner; approved ones and their own proposals for a visitor. Knowers and author joined."""
    entries = LoreEntry.objects.filter(ecosystem=ecosystem)
    if ecosystem.owner_id != getattr(user, "pk", None):
        entries = entries.filter(Q(status=LoreEntry.Status.APPROVED) | Q(author_id=user.pk))
    return entries.select_related("author").prefetch_related(
        Prefetch("knowers", queryset=Character.objects.only("id", "name").order_by("name"))
    )


def lore_votes_of(*, user: Any, entries: Sequence[LoreEntry]) -> dict[Any, int]:
    """``user``'s vote (1 or -1) on each of ``entries`` they voted on, by entry id."""
    return dict(
        LoreVote.objects.filter(user=user, entry__in=entries).values_list("entry_id", "value")
    )


def lore_entry_for(user: Any, entry_id: Any) -> LoreEntry:
    """One entry ``user`` may see, its world and owner joined (``NotFound`` otherwise: another's
    private world or a proposal not theirs is never revealed)."""
    entry = (
        LoreEntry.objects.filter(pk=entry_id, ecosystem__in=Ecosystem.objects.visible_to(user))
        .filter(
            Q(status=LoreEntry.Status.APPROVED)
            | Q(author_id=user.pk)
            | Q(ecosystem__owner_id=user.pk)
        )
        .select_related("ecosystem", "ecosystem__owner", "author")
        .first()
    )
    if entry is None:
        raise NotFound("No lore entry with this id is visible to you.")
    return entry


def lore_search(
    *,
    entries: QuerySet[LoreEntry],
    q: str = "",
    tag: str = "",
    status: str = "",
    visitor: bool = False,
    limit: int = LORE_SEARCH_LIMIT,
) -> list[LoreEntry]:
    """``entries`` filtered by ``tag`` and ``status``, and for a query ``q``: those whose title,
    text or tags hold most of its words (most first), then those close to it in meaning
    (cosine similarity at least ``LORE_MEANING_MIN_SIMILARITY``), best first; without ``q``,
    by score. A ``visitor``'s query never reaches a secret entry's text (a guess must not learn
    from the ranking), only its title and tags. Each found entry carries ``similarity`` (None
    for a word match)."""
    if tag:
        entries = entries.filter(tags__contains=[tag.strip().casefold()])
    if status:
        entries = entries.filter(status=status)
    q = " ".join(q.split())
    if not q:
        found = list(entries.order_by("-score", "title", "id")[:limit])
        for entry in found:
            entry.similarity = None
        return found
    secret = Q(visibility=LoreEntry.Visibility.SECRET)
    words = sorted(content_words(q))[:LORE_QUERY_WORDS] or q.split()[:1]
    hits = []
    for word in words:
        hit = Q(title__icontains=word) | Q(tags__icontains=word)
        hit |= Q(text__icontains=word) & ~secret if visitor else Q(text__icontains=word)
        hits.append(Case(When(hit, then=Value(1)), default=Value(0), output_field=IntegerField()))
    # Most of the query's words, most words first: "a wish at the ancient spring" finds the
    # fountain (wish, ancient) before the spring ball (spring).
    by_words = list(
        entries.annotate(hits=sum(hits[1:], hits[0]))
        .filter(hits__gte=max(1, (len(words) + 1) // 2))
        .order_by("-hits", "-score", "title", "id")[:limit]
    )
    for entry in by_words:
        entry.similarity = None
    seen = {e.pk for e in by_words}
    try:
        vector = embed_texts([q])[0]
    except EmbeddingError:  # a remote embedder down: the word matches still answer
        logger.warning("lore search without meaning: the embedder failed", exc_info=True)
        return by_words
    near = (
        entries.exclude(pk__in=seen)
        .exclude(embedding__isnull=True)
        .annotate(distance=CosineDistance("embedding", vector))
        .filter(distance__lte=1.0 - LORE_MEANING_MIN_SIMILARITY)
        .order_by("distance", "id")
    )
    if visitor:
        near = near.exclude(secret)
    by_meaning = list(near[: max(0, limit - len(by_words))])
    for entry in by_meaning:
        entry.similarity = round(1.0 - float(entry.distance), 4)
    return by_words + by_meaning


def lore_groups(*, ecosystem_id: Any) -> dict[str, list[str]]:
    """The world's groups for group lore: each standing alliance's name (case folded) to its
    members' ids."""
    groups: dict[str, list[str]] = {}
    for name, member in Alliance.objects.filter(
        ecosystem_id=ecosystem_id, broken_tick__isnull=True
    ).values_list("name", "members"):
        if member is not None:
            groups.setdefault(name.casefold(), []).append(str(member))
    return groups


def lore_facts(*, ecosystem_id: Any) -> list[LoreFact]:
    """The world's approved entries as the engine reads them (two queries)."""
    rows = list(
        LoreEntry.objects.filter(ecosystem_id=ecosystem_id, status=LoreEntry.Status.APPROVED)
        .order_by("title", "id")
        .values_list("id", "title", "text", "visibility", "group", "tags")
    )
    knowers: dict[str, list[str]] = {}
    secret_ids = [pk for pk, *_, visibility, _, _ in rows if visibility == "secret"]
    if secret_ids:
        through = LoreEntry.knowers.through.objects.filter(loreentry_id__in=secret_ids)
        for entry_id, character_id in through.values_list("loreentry_id", "character_id"):
            knowers.setdefault(str(entry_id), []).append(str(character_id))
    return [
        LoreFact(
            id=str(pk), title=title, text=text, visibility=visibility, group=group,
            knowers=tuple(sorted(knowers.get(str(pk), ()))), tags=tuple(tags or ()),
        )
        for pk, title, text, visibility, group, tags in rows
    ]  # fmt: skip


def lore_known_by(*, character: Character) -> list[LoreFact]:
    """The approved entries ``character`` knows: first-hand (public, its group's, a secret it
    is named in) or told by someone (a ``Knowledge`` row keyed ``lore:<id>``)."""
    facts = lore_facts(ecosystem_id=character.ecosystem_id)
    if not facts:
        return []
    cid = str(character.pk)
    groups = lore_groups(ecosystem_id=character.ecosystem_id)
    told = {
        key.removeprefix("lore:")
        for key in Knowledge.objects.filter(
            character=character, fact_key__startswith="lore:"
        ).values_list("fact_key", flat=True)
    }
    return [f for f in facts if f.id in told or knowers_of(f, characters=[cid], groups=groups)]


# --- games (issue 18) -----------------------------------------------------------------------------


def games_of(user: Any) -> QuerySet[Game]:
    """The games ``user`` registered, the newest first, with how many NPCs each has."""
    return (
        Game.objects.filter(owner_id=user.pk)
        .annotate(npc_count=Count("npcs"))
        .order_by("-created_at", "-id")
    )


def game_for(user: Any, game_id: Any) -> Game:
    """One game of ``user`` (``NotFound`` for another's game: it is never revealed)."""
    game = games_of(user).filter(pk=game_id).first()
    if game is None:
        raise NotFound("No game with this id among yours.")
    return game
