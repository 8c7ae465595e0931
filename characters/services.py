"""Character writes: authoring (create, save, update, delete; a new character must fit the
owner's plan, the ``characters`` usage this app registers with ``billing.limits``, and an owner
over their plan after a downgrade may only delete), duplicating, and what a character's recall
records."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from billing.limits import Usage, plan_limit_check, plan_within_check, usage_register
from characters.models import BIG_FIVE, Character, Memory
from characters.selectors import RetrievedMemory, memories_retrieve
from core.bulk import copy_update

NAME_MAX_LENGTH = Character._meta.get_field("name").max_length
# "Alice (copy)", "Alice (copy 2)": duplicating a copy numbers from the original name.
_COPY_SUFFIX = re.compile(r" \(copy(?: \d+)?\)$")
# Another request may take the same copy name between our read and our insert; retry that many.
DUPLICATE_NAME_ATTEMPTS = 5

# Lived state stays with the original: the copy is the same authored character, new to the world.
_NOT_COPIED = {
    "id",
    "created_at",
    "updated_at",
    "memory_summary",
    "importance_since_reflection",
    "last_reflection_tick",
}


def characters_used(*, user: AbstractBaseUser) -> int:
    """Characters across all of ``user``'s worlds (what a plan's ``max_characters`` counts);
    people's personas are not characters anyone authored, so they never count."""
    return Character.objects.filter(ecosystem__owner=user, persona_of__isnull=True).count()


def usages_register() -> None:
    """Called from ``CharactersConfig.ready()``."""
    usage_register(Usage(name="characters", limit="max_characters", noun="characters",
                         count=characters_used))  # fmt: skip


def character_limit_check(*, owner: AbstractBaseUser, adding: int = 1) -> None:
    """Raise ``PlanLimitReached`` if ``owner`` may not author ``adding`` more characters."""
    plan_limit_check(owner=owner, usage="characters", adding=adding)


@transaction.atomic
def character_create(*, ecosystem: models.Model, **fields: Any) -> Character:
    """Author a new character in ``ecosystem``; ``PlanLimitReached`` past the plan's limit."""
    return character_save(character=Character(ecosystem=ecosystem, **fields))


@transaction.atomic
def character_save(*, character: Character) -> Character:
    """Validate and save a new or changed character; a new one must fit the owner's plan
    (the studio's forms call this too), and while the owner holds more than their plan allows
    (after a downgrade) nothing is authored: ``PlanLimitReached`` says what to remove."""
    plan_within_check(owner=character.ecosystem.owner)
    if character._state.adding:
        character_limit_check(owner=character.ecosystem.owner)
    character.full_clean()
    character.save()
    return character


@transaction.atomic
def character_update(*, character: Character, **fields: Any) -> Character:
    """Change authored fields of a character (validated like a new one); ``PlanLimitReached``
    while the owner holds more than their plan allows (after a downgrade)."""
    plan_within_check(owner=character.ecosystem.owner)
    for name, value in fields.items():
        setattr(character, name, value)
    character.full_clean()
    character.save()
    return character


# The columns a tick writes back for every character whose state moved, in this order.
CHARACTER_STATE = ["id", "emotions", "social_energy", "long_term_goals", "short_term_goals",
                   "importance_since_reflection", "updated_at"]  # fmt: skip


def characters_state_save(*, rows: Sequence[tuple[Any, ...]]) -> None:
    """A tick's new state of many characters in one COPY (``CHARACTER_STATE`` per row).
    Caller holds the tick claim."""
    copy_update(Character, CHARACTER_STATE, rows)


def character_felt(
    *, character: Character, emotions: dict[str, float], social_energy: float, importance: int
) -> None:
    """One interaction changed how ``character`` feels: its emotions and energy after it, and
    the importance its memories of it add to the reflection budget. Caller holds its lock."""
    character.emotions = emotions
    character.social_energy = social_energy
    character.importance_since_reflection += importance
    character.save(
        update_fields=["emotions", "social_energy", "importance_since_reflection", "updated_at"]
    )


def character_goals_save(*, character: Character, short_term_goals: list[dict[str, Any]]) -> None:
    """Store the character's short-term goals as the Director or a scenario set them (the
    engine's own goal bookkeeping is saved with the tick). Caller holds the world's lock."""
    character.short_term_goals = short_term_goals
    character.save(update_fields=["short_term_goals", "updated_at"])


def character_reflected(*, character: Character, tick: int) -> None:
    """The character just reflected: a new importance budget starts. Caller holds its lock."""
    character.importance_since_reflection = 0
    character.last_reflection_tick = tick
    character.save(
        update_fields=["importance_since_reflection", "last_reflection_tick", "updated_at"]
    )


def character_consolidated(
    *, character: Character, traits: dict[str, float], anchor: dict[str, float], summary: str
) -> None:
    """Old memories were consolidated: the Big Five drift to ``traits`` (bounded by the
    engine around ``anchor``, the authored personality) and ``summary`` is the new memory
    summary. Caller holds the character's lock."""
    for trait in BIG_FIVE:
        setattr(character, trait, traits[trait])
    character.authored_personality = anchor
    character.memory_summary = summary
    character.save(
        update_fields=[*BIG_FIVE, "authored_personality", "memory_summary", "updated_at"]
    )


def reflection_budget_add(*, importance_by_character: Mapping[UUID | str, int]) -> int:
    """Add each character's new memories' importance to its budget hint, in one UPDATE; returns
    the rows updated. Call it in the transaction that writes the memories."""
    amounts = {str(pk): int(amount) for pk, amount in importance_by_character.items() if amount}
    if not amounts:
        return 0
    increment = Case(
        *[When(pk=pk, then=Value(amount)) for pk, amount in amounts.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    return Character.objects.filter(pk__in=list(amounts)).update(
        importance_since_reflection=F("importance_since_reflection") + increment
    )


@transaction.atomic
def character_delete(*, character: Character) -> None:
    """Remove a character with its memories and relationships."""
    character.delete()


def _copy_name(*, base: str, n: int) -> str:
    suffix = " (copy)" if n == 1 else f" (copy {n})"
    return base[: NAME_MAX_LENGTH - len(suffix)] + suffix


def _free_copy_name(*, character: Character) -> str:
    base = _COPY_SUFFIX.sub("", character.name)
    taken = set(
        Character.objects.filter(ecosystem_id=character.ecosystem_id).values_list("name", flat=True)
    )
    n = 1
    while _copy_name(base=base, n=n) in taken:
        n += 1
    return _copy_name(base=base, n=n)


@transaction.atomic
def character_duplicate(*, character: Character) -> Character:
    """Copy an authored character into the same world as "<name> (copy)", "(copy 2)"...

    Personality, values, goals, feelings, voice, backstory and secrets are copied; memories,
    relationships and scenario casting are not.
    """
    fields = {
        field.attname: getattr(character, field.attname)
        for field in Character._meta.concrete_fields
        if field.name not in _NOT_COPIED
    }
    for attempt in range(DUPLICATE_NAME_ATTEMPTS):
        # Deep copies: JSON lists and dicts must not be shared with the original instance.
        duplicate = Character(**copy.deepcopy(fields))
        duplicate.name = _free_copy_name(character=character)
        duplicate.full_clean()
        try:
            with transaction.atomic():
                duplicate.save(force_insert=True)
        except IntegrityError:
            if attempt == DUPLICATE_NAME_ATTEMPTS - 1:
                raise
            continue
        return duplicate
    raise AssertionError("unreachable")  # the loop returns or raises


def memories_recall(*, character: Character, **retrieval: Any) -> list[RetrievedMemory]:
    """``character`` calls to mind the memories ``memories_retrieve(**retrieval)`` ranks best,
    and they count as accessed (fresh again for recency) from then on."""
    recalled = memories_retrieve(character=character, **retrieval)
    if recalled:
        memories_accessed_mark(memories=[r.memory for r in recalled], now_tick=recalled[0].now_tick)
    return recalled


def memories_accessed_mark(*, memories: Sequence[Memory], now_tick: int) -> None:
    """One UPDATE (HOT, see ``Memory``) of ``last_accessed_at`` / ``last_accessed_tick``, and the
    instances follow. Outside a caller's transaction it commits asynchronously
    (``synchronous_commit = off``): a crash can lose the last instants of access bookkeeping,
    never data, and the call saves the WAL flush."""
    now = timezone.now()
    owns_transaction = not connection.in_atomic_block  # never relax a caller's own commit
    with transaction.atomic():
        if owns_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('synchronous_commit', 'off', true)")
        Memory.objects.filter(pk__in=[m.pk for m in memories]).update(
            last_accessed_at=now, last_accessed_tick=Greatest("last_accessed_tick", now_tick)
        )
    for memory in memories:
        memory.last_accessed_at = now
        memory.last_accessed_tick = max(memory.last_accessed_tick, now_tick)
