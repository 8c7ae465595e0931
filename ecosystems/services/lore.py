"""A world's shared lore: the owner writes entries (approved at once), a visitor of a public
world proposes them (the owner approves or rejects), and anyone who can see the world votes.

Approved entries become what characters know (``ecosystems.engine.lore``: ``lore:<id>`` facts,
loaded with the rest of their knowledge by the tick and by ``interaction_process``); each
write logs a ``lore_changed`` event through the one ``publish()`` path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Sum

from billing.limits import plan_within_check
from characters.embeddings import EmbeddingError, embed_texts
from characters.models import Character
from core.errors import InvalidInput, InvalidTransition, PlanLimitReached
from ecosystems.access import can_edit
from ecosystems.events import builders, publish
from ecosystems.models import (
    LORE_TAG_CHARS,
    LORE_TEXT_CHARS,
    LORE_TITLE_CHARS,
    Ecosystem,
    LoreEntry,
    LoreVote,
)

# A world's lore stays readable on one page and cheap to load into every tick: a thousand
# entries is a long encyclopaedia for a world of tens of characters.
MAX_LORE_PER_WORLD = 1000
# Proposals one visitor may have waiting in one world: enough to contribute, too few to flood
# the owner's review queue.
MAX_PENDING_PROPOSALS = 20
MAX_TAGS = 10
VOTE_VALUES = (1, -1)


def lore_create(
    *,
    ecosystem: Ecosystem,
    author: AbstractBaseUser,
    title: str,
    text: str,
    tags: Sequence[str] = (),
    visibility: str = LoreEntry.Visibility.PUBLIC,
    group: str = "",
    knower_ids: Sequence[Any] = (),
) -> LoreEntry:
    """A new entry by ``author``, who may see ``ecosystem`` (the caller checked): approved at
    once when they own it, else proposed (only for a public world's visitors). Raises
    ``InvalidInput`` for what to fix, ``PlanLimitReached`` past the caps."""
    owner = can_edit(author, ecosystem)
    if not owner and ecosystem.visibility != Ecosystem.Visibility.PUBLIC:
        raise InvalidInput("Only the owner writes the lore of a private world.")
    fields = _validated(ecosystem, title, text, tags, visibility, group)
    knowers = _knowers(ecosystem, fields["visibility"], knower_ids)
    vector = _embedding(fields["title"], fields["text"])
    with transaction.atomic():
        if owner:
            plan_within_check(owner=ecosystem.owner)
        _check_room(ecosystem, author, owner)
        entry = LoreEntry(
            ecosystem=ecosystem,
            author=author,
            status=LoreEntry.Status.APPROVED if owner else LoreEntry.Status.PROPOSED,
            embedding=vector,
            **fields,
        )
        entry.full_clean(exclude=["embedding"])
        entry.save(force_insert=True)
        if knowers:
            entry.knowers.set(knowers)
        _publish(entry, "created" if owner else "proposed")
    return entry


def lore_review(*, entry: LoreEntry, decision: str) -> LoreEntry:
    """The owner approves or rejects an entry (a proposal, or takes back an approved one).
    ``InvalidTransition`` when it already is so; the caller checked the owner."""
    wanted = {"approve": LoreEntry.Status.APPROVED, "reject": LoreEntry.Status.REJECTED}.get(
        decision
    )
    if wanted is None:
        raise InvalidInput('The decision must be "approve" or "reject".')
    with transaction.atomic():
        locked = LoreEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status == wanted:
            raise InvalidTransition(f"{locked.title!r} is already {wanted}.")
        locked.status = wanted
        locked.save(update_fields=["status", "updated_at"])
        _publish(locked, "approved" if wanted == LoreEntry.Status.APPROVED else "rejected")
    entry.status = locked.status
    return entry


def lore_vote(*, entry: LoreEntry, user: AbstractBaseUser, value: Any) -> LoreEntry:
    """``user`` (who can see the entry) votes it up (1) or down (-1); a second vote replaces
    the first. Returns the entry with its new ``score``."""
    if isinstance(value, bool) or value not in VOTE_VALUES:
        raise InvalidInput('The vote must be 1 or -1, e.g. {"value": 1}.')
    with transaction.atomic():
        locked = LoreEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status == LoreEntry.Status.REJECTED:
            raise InvalidTransition(f"{locked.title!r} was rejected; it takes no votes.")
        LoreVote.objects.update_or_create(entry=locked, user=user, defaults={"value": value})
        locked.score = locked.votes.aggregate(total=Sum("value"))["total"] or 0
        locked.save(update_fields=["score"])
    entry.score = locked.score
    return entry


def _validated(
    world: Ecosystem, title: str, text: str, tags: Sequence[str], visibility: str, group: str
) -> dict[str, Any]:
    title, text = " ".join(str(title).split()), str(text).strip()
    if not title or not text:
        raise InvalidInput("An entry needs a title and a text.")
    if len(title) > LORE_TITLE_CHARS:
        raise InvalidInput(f"The title is {len(title)} characters; the limit is "
                           f"{LORE_TITLE_CHARS}.")  # fmt: skip
    if len(text) > LORE_TEXT_CHARS:
        raise InvalidInput(f"The text is {len(text):,} characters; the limit is "
                           f"{LORE_TEXT_CHARS:,}. Split it into several entries.")  # fmt: skip
    if visibility not in LoreEntry.Visibility.values:
        raise InvalidInput(f"Visibility must be one of: {', '.join(LoreEntry.Visibility.values)}.")
    group = " ".join(str(group).split())
    if visibility == LoreEntry.Visibility.GROUP and not group:
        raise InvalidInput("Group lore names its group: the alliance whose members know it.")
    if visibility != LoreEntry.Visibility.GROUP:
        group = ""
    return {
        "title": title,
        "text": text,
        "tags": _tags(tags),
        "visibility": visibility,
        "group": group[:120],
    }


def _tags(tags: Sequence[str]) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned = list(dict.fromkeys(" ".join(str(t).split()).casefold() for t in tags))
    cleaned = [t for t in cleaned if t]
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(f"{len(cleaned)} tags; an entry takes at most {MAX_TAGS}.")
    long = [t for t in cleaned if len(t) > LORE_TAG_CHARS]
    if long:
        raise InvalidInput(f"Tag {long[0][:40]!r} is too long; at most {LORE_TAG_CHARS} letters.")
    return cleaned


def _knowers(world: Ecosystem, visibility: str, knower_ids: Sequence[Any]) -> list[Character]:
    if visibility != LoreEntry.Visibility.SECRET:
        return []
    ids = list(dict.fromkeys(str(k) for k in knower_ids))
    try:
        found = list(Character.objects.filter(ecosystem=world, pk__in=ids))
    except Exception:  # a malformed id: Django refuses it as a UUID
        found = []
    if not ids or len(found) != len(ids):
        raise InvalidInput("Secret lore names who knows it: character ids of this world.")
    return found


def _check_room(world: Ecosystem, author: AbstractBaseUser, owner: bool) -> None:
    count = LoreEntry.objects.filter(ecosystem=world).count()
    if count >= MAX_LORE_PER_WORLD:
        raise PlanLimitReached(f"World {world.name!r} holds {count} lore entries, the most a world "
                               "can; remove or merge some first.")  # fmt: skip
    if owner:
        return
    pending = LoreEntry.objects.filter(
        ecosystem=world, author=author, status=LoreEntry.Status.PROPOSED
    ).count()
    if pending >= MAX_PENDING_PROPOSALS:
        raise PlanLimitReached(f"You have {pending} proposals waiting in {world.name!r}; wait "
                               "for the owner to review them.")  # fmt: skip


def _embedding(title: str, text: str) -> list[float] | None:
    """The entry's meaning (title and text), outside any lock; None when a remote embedder
    fails (the entry is still found by its words)."""
    try:
        return embed_texts([f"{title}. {text}"])[0]
    except EmbeddingError:
        return None


def _publish(entry: LoreEntry, change: str) -> None:
    """Log the change in the caller's transaction (``publish`` allocates the seq)."""
    publish(
        ecosystem=entry.ecosystem,
        events=[
            builders.lore_changed(
                entry_id=str(entry.pk), title=entry.title, change=change,
                visibility=entry.visibility, group=entry.group, tags=entry.tags,
            )
        ],
    )  # fmt: skip
