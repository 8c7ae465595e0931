"""Portable worlds: export a world as one versioned JSON document, import one as a new world.

A bundle carries what a creator authored (the world's description and settings, every
character's personality, values, goals, feelings, voice, backstory and secrets, the directed
relationships, the scenarios with their hidden objectives) and nothing the world lived: no
event log, memories, interactions, stories, knowledge, alliances, tick counter or run status,
and no database id of the source. Characters are named in the document by a local ``key``
(relationships and scenario casts refer to it), so two exports of one world read the same.

Imports are all or nothing: validated first, then written in one transaction with the owner's
plan limits checked for the whole cast at once, so a bundle too big for the plan is a 402 and
a bad one a 400, and neither leaves a row behind.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from characters.embeddings import EmbeddingError, embed_texts
from characters.models import BIG_FIVE, PLUTCHIK, Character
from characters.services import character_limit_check
from core.errors import InvalidInput
from core.serializers import iso
from ecosystems.bundles.schema import MAX_KEY_CHARS, SCENARIO_FORMAT, VERSION, WORLD_FORMAT
from ecosystems.bundles.validation import bundle_validate, scenario_package_validate
from ecosystems.models import Ecosystem, LoreEntry, Relationship, Scenario
from ecosystems.quotas import relationship_limit_check
from ecosystems.services.director import scenario_create
from ecosystems.services.worlds import ecosystem_create

# Goals that scenario_start put on a character carry this key prefix: they belong to a run of
# a scenario, which the bundle carries as the scenario itself, not as the character's goals.
_SCENARIO_GOAL_PREFIX = "short:scenario:"
WORLD_SETTINGS = ("tick_interval_seconds", "minutes_per_tick", "world_start", "seed",
                  "drama_manager")  # fmt: skip
RELATIONSHIP_AXES = ("strength", "trust", "familiarity", "attraction")
_CHARACTER_TEXTS = ("speaking_style", "backstory")
_CHARACTER_LISTS = ("values", "core_motivations", "secrets")
# full_clean of rows just made from a validated document: the field validators and clean(),
# without a query per row for things already known (a fresh UUID, the new world, the names
# and pairs the document check found unique), so a 50-character install stays one INSERT.
_NEW_ROW: dict[str, Any] = {"validate_unique": False, "validate_constraints": False}

# --- export -------------------------------------------------------------------------------------


def bundle_export(*, ecosystem: Ecosystem) -> dict[str, Any]:
    """The world as a ``dramatis.world`` document (version ``VERSION``): settings, characters,
    relationships and scenarios as authored, never what it lived. The caller decides who may
    export (the owner: it holds secrets and hidden objectives). People's personas are not
    part of what was authored: they and their ties stay behind."""
    characters = list(
        Character.objects.filter(ecosystem=ecosystem, persona_of=None).order_by("name", "pk")
    )
    keys = _keys_for(characters)
    relationships = (
        Relationship.objects.filter(
            ecosystem=ecosystem, source__persona_of=None, target__persona_of=None
        )
        .select_related("source", "target")
        .order_by("source__name", "target__name")
    )
    scenarios = (
        Scenario.objects.filter(ecosystem=ecosystem)
        .prefetch_related(
            models.Prefetch("characters", queryset=Character.objects.order_by("name"))
        )
        .order_by("created_at", "pk")
    )
    return {
        "format": WORLD_FORMAT,
        "version": VERSION,
        "exported_at": iso(timezone.now()),
        "world": {
            "name": ecosystem.name,
            "description": ecosystem.description,
            "setting": ecosystem.setting,
            "settings": {
                "tick_interval_seconds": ecosystem.tick_interval_seconds,
                "minutes_per_tick": ecosystem.minutes_per_tick,
                "world_start": iso(ecosystem.world_start),
                "seed": ecosystem.seed,
                "drama_manager": ecosystem.drama_manager,
            },
        },
        "characters": [_character_out(c, keys[c.pk]) for c in characters],
        "relationships": [
            {
                "source": keys[r.source_id],
                "target": keys[r.target_id],
                "kind": r.kind,
                **{axis: getattr(r, axis) for axis in RELATIONSHIP_AXES},
            }
            for r in relationships
        ],
        "scenarios": [_scenario_out(s, keys) for s in scenarios],
        "lore": [_lore_out(e, keys) for e in _approved_lore(ecosystem)],
    }


def _approved_lore(ecosystem: Ecosystem) -> Iterable[LoreEntry]:
    return (
        LoreEntry.objects.filter(ecosystem=ecosystem, status=LoreEntry.Status.APPROVED)
        .prefetch_related("knowers")
        .order_by("title", "pk")
    )


def _lore_out(entry: LoreEntry, keys: dict[Any, str]) -> dict[str, Any]:
    """An approved entry as authored (votes and proposals are the world's life, not its
    making); secret lore names its knowers by key."""
    out: dict[str, Any] = {
        "title": entry.title, "text": entry.text, "tags": list(entry.tags),
        "visibility": entry.visibility,
    }  # fmt: skip
    if entry.group:
        out["group"] = entry.group
    knowers = sorted(keys[c.pk] for c in entry.knowers.all() if c.pk in keys)
    if knowers:
        out["knowers"] = knowers
    return out


def _lore_create(*, ecosystem: Ecosystem, lore: list[dict[str, Any]], by_key: dict) -> None:
    """The bundle's lore, approved, embedded in one batch (the owner authored it)."""
    if not lore:
        return
    try:
        vectors: list[Any] = embed_texts([f"{e['title']}. {e['text']}" for e in lore])
    except EmbeddingError:  # a remote embedder down: found by words until re-saved
        vectors = [None] * len(lore)
    rows = []
    for i, (data, vector) in enumerate(zip(lore, vectors, strict=True)):
        entry = LoreEntry(
            ecosystem=ecosystem, author=ecosystem.owner, title=data["title"].strip(),
            text=data["text"].strip(), tags=list(dict.fromkeys(t.casefold() for t in
                                                               data.get("tags", []))),
            visibility=data.get("visibility", LoreEntry.Visibility.PUBLIC),
            group=data.get("group", ""), embedding=vector,
        )  # fmt: skip
        if entry.visibility == LoreEntry.Visibility.GROUP and not entry.group.strip():
            where = f"lore[{i}].group"
            raise InvalidInput(f"The document is not valid: {where}: group lore names its group.",
                               details={where: ["Name the group."]})  # fmt: skip
        _cleaned(f"lore[{i}]", entry.full_clean, exclude=["ecosystem", "author", "embedding"],
                 **_NEW_ROW)  # fmt: skip
        rows.append(entry)
    LoreEntry.objects.bulk_create(rows)
    through = LoreEntry.knowers.through
    through.objects.bulk_create(
        through(loreentry_id=entry.pk, character_id=by_key[key].pk)
        for entry, data in zip(rows, lore, strict=True)
        for key in dict.fromkeys(data.get("knowers", []))
    )


def scenario_package_export(*, scenario: Scenario) -> dict[str, Any]:
    """A scenario with the characters it needs (its cast, as ``roles``) as a
    ``dramatis.scenario`` document, for installing into another world."""
    cast = list(scenario.characters.order_by("name", "pk"))
    keys = _keys_for(cast)
    return {
        "format": SCENARIO_FORMAT,
        "version": VERSION,
        "exported_at": iso(timezone.now()),
        "scenario": _scenario_out(scenario, keys, cast=cast),
        "roles": [_character_out(c, keys[c.pk]) for c in cast],
    }


def _keys_for(characters: Sequence[Character]) -> dict[Any, str]:
    """A readable key per character ("alice", "alice-2"), the same on every export of the
    same cast (characters come sorted by name)."""
    keys: dict[Any, str] = {}
    taken: set[str] = set()
    for character in characters:
        base = (slugify(character.name) or "character")[: MAX_KEY_CHARS - 6]
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        keys[character.pk] = key
    return keys


def _character_out(character: Character, key: str) -> dict[str, Any]:
    # The authored anchor when lived experience has drifted the traits (memory consolidation
    # keeps it), so an export carries the personality as written, not as worn.
    anchor = character.authored_personality or {}
    return {
        "key": key,
        "name": character.name,
        "is_active": character.is_active,
        "personality": {t: float(anchor.get(t, getattr(character, t))) for t in BIG_FIVE},
        **{field: list(getattr(character, field)) for field in _CHARACTER_LISTS},
        "long_term_goals": _goals_out(character.long_term_goals),
        "short_term_goals": _goals_out(character.short_term_goals),
        "emotions": {e: float(character.emotions.get(e, 0.0)) for e in PLUTCHIK},
        "autonomy_level": character.autonomy_level,
        **{field: getattr(character, field) for field in _CHARACTER_TEXTS},
    }


def _goals_out(goals: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"description": g["description"], "progress": float(g.get("progress", 0.0))}
        for g in goals
        if not str(g.get("key", "")).startswith(_SCENARIO_GOAL_PREFIX)
    ]


def _scenario_out(
    scenario: Scenario, keys: dict[Any, str], *, cast: Sequence[Character] | None = None
) -> dict[str, Any]:
    objectives = scenario.objectives or {}
    members = cast if cast is not None else scenario.characters.all()
    return {
        "title": scenario.title,
        "setting": scenario.setting,
        "mood": scenario.mood,
        "is_template": scenario.is_template,
        "cast": [keys[c.pk] for c in members],
        "objectives": {
            "primary": objectives.get("primary", ""),
            "subplots": list(objectives.get("subplots", [])),
            "hidden": list(objectives.get("hidden", [])),
        },
    }


# --- import -------------------------------------------------------------------------------------


@transaction.atomic
def bundle_import(*, owner: AbstractBaseUser, document: Any, name: str | None = None) -> Ecosystem:
    """A new private draft world of ``owner`` from a ``dramatis.world`` document (named
    ``name`` if given). ``InvalidInput`` saying what is wrong and where for a bad document,
    ``PlanLimitReached`` if the cast or the relationships do not fit the plan; either way
    nothing is created."""
    document = bundle_validate(document)
    people = document.get("characters", [])
    views = document.get("relationships", [])
    # The whole cast against the plan at once (one count, under the owner's lock), before
    # any row: a seven-character bundle on free is refused, not cut to five.
    if people:
        character_limit_check(owner=owner, adding=len(people))
    if views:
        relationship_limit_check(owner=owner, adding=len(views))
    world_in = document["world"]
    settings = dict(world_in.get("settings", {}))
    world = _cleaned(
        "world",
        lambda: ecosystem_create(
            owner=owner,
            name=(name or world_in["name"]).strip(),
            description=world_in.get("description", ""),
            setting=world_in.get("setting", ""),
            **{k: settings[k] for k in WORLD_SETTINGS if k in settings},
        ),
    )
    by_key = _characters_create(ecosystem=world, people=list(enumerate(people)), where="characters")
    relationships = [
        Relationship(
            ecosystem=world,
            source=by_key[v["source"]],
            target=by_key[v["target"]],
            kind=v.get("kind", Relationship.Kind.STRANGER),
            **{axis: v[axis] for axis in RELATIONSHIP_AXES if axis in v},
        )
        for v in views
    ]
    for i, relationship in enumerate(relationships):
        _cleaned(f"relationships[{i}]", relationship.full_clean, **_NEW_ROW,
                 exclude=["ecosystem", "source", "target"])  # fmt: skip
    Relationship.objects.bulk_create(relationships)
    for i, scenario in enumerate(document.get("scenarios", [])):
        _scenario_create(ecosystem=world, data=scenario, by_key=by_key, where=f"scenarios[{i}]")
    _lore_create(ecosystem=world, lore=document.get("lore", []), by_key=by_key)
    return world


@transaction.atomic
def scenario_package_import(*, ecosystem: Ecosystem, document: Any) -> Scenario:
    """A new draft scenario in ``ecosystem`` from a ``dramatis.scenario`` document. Each role
    is played by the world's character of the same name (ignoring case); the roles it lacks
    are created from the package, within the owner's plan (``PlanLimitReached``, and nothing
    is created, when they do not fit)."""
    document = scenario_package_validate(document)
    roles = document.get("roles", [])
    existing = {c.name.casefold(): c for c in Character.objects.filter(ecosystem=ecosystem)}
    by_key = {
        r["key"]: existing[r["name"].strip().casefold()]
        for r in roles
        if r["name"].strip().casefold() in existing
    }
    missing = [(i, r) for i, r in enumerate(roles) if r["key"] not in by_key]
    if missing:
        character_limit_check(owner=ecosystem.owner, adding=len(missing))
        by_key.update(_characters_create(ecosystem=ecosystem, people=missing, where="roles"))
    return _scenario_create(
        ecosystem=ecosystem, data=document["scenario"], by_key=by_key, where="scenario"
    )


def _characters_create(
    *, ecosystem: Ecosystem, people: Sequence[tuple[int, dict[str, Any]]], where: str
) -> dict[str, Character]:
    """The characters of a validated document (each with its index under ``where``, for
    errors), saved in one INSERT; by key. The caller has checked the plan for all of them
    (``character_create`` would count once per row)."""
    made: dict[str, Character] = {}
    rows = []
    for i, person in people:
        character = Character(ecosystem=ecosystem, **_character_fields(person))
        # Uniqueness of names was checked in the document (the world holds no other
        # characters, or the caller matched names); the ranges are the fields' validators.
        _cleaned(f"{where}[{i}]", character.full_clean, exclude=["ecosystem"], **_NEW_ROW)
        rows.append(character)
        made[person["key"]] = character
    Character.objects.bulk_create(rows)
    return made


def _character_fields(person: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": person["name"].strip()}
    for name in ("is_active", "autonomy_level", *_CHARACTER_TEXTS):
        if name in person:
            fields[name] = person[name]
    fields.update(person.get("personality", {}))
    for name in (*_CHARACTER_LISTS, "long_term_goals", "short_term_goals"):
        if name in person:
            fields[name] = copy.deepcopy(person[name])  # never share the document's lists
    if "emotions" in person:
        fields["emotions"] = {e: float(person["emotions"].get(e, 0.0)) for e in PLUTCHIK}
    return fields


def _scenario_create(
    *, ecosystem: Ecosystem, data: dict[str, Any], by_key: dict[str, Character], where: str
) -> Scenario:
    return _cleaned(
        where,
        lambda: scenario_create(
            ecosystem=ecosystem,
            title=data["title"],
            setting=data.get("setting", ""),
            mood=data.get("mood", ""),
            character_ids=[str(by_key[key].pk) for key in dict.fromkeys(data.get("cast", []))],
            objectives=data.get("objectives") or {},
            is_template=data.get("is_template", False),
        ),
    )


def _cleaned(where: str, call: Any, **kwargs: Any) -> Any:
    """Run ``call``; a model validation error becomes ``InvalidInput`` at the document's
    place (``characters[2].backstory``), so the answer points into the bundle."""
    try:
        return call(**kwargs)
    except ValidationError as error:
        found = getattr(error, "message_dict", {"": error.messages})
        details = {f"{where}.{f}" if f and f != "__all__" else where: list(m)
                   for f, m in found.items()}  # fmt: skip
        path, messages = next(iter(details.items()))
        raise InvalidInput(
            f"The document is not valid: {path}: {messages[0]}", details=details
        ) from error
