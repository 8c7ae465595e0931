"""Character writes: authoring (create, save, update, delete; a new character must fit the
owner's plan, the ``characters`` usage this app registers with ``billing.limits``), duplicating,
and what a character's recall records."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Greatest
from django.utils import timezone

from billing.limits import Usage, plan_limit_check, usage_register
from characters.models import Character, Memory
from characters.selectors import RetrievedMemory, memories_retrieve

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
    """Characters across all of ``user``'s worlds (what a plan's ``max_characters`` counts)."""
    return Character.objects.filter(ecosystem__owner=user).count()


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
    (the studio's forms call this too)."""
    if character._state.adding:
        character_limit_check(owner=character.ecosystem.owner)
    character.full_clean()
    character.save()
    return character


@transaction.atomic
def character_update(*, character: Character, **fields: Any) -> Character:
    """Change authored fields of a character (validated like a new one)."""
    for name, value in fields.items():
        setattr(character, name, value)
    character.full_clean()
    character.save()
    return character


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
