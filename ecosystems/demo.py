"""The demo world, "The Garden Party": plain data plus the one service that seeds it.

Seeding is idempotent: rows are found by stable keys (the owner's world slug, a character's name
in the world, a relationship's source and target) and only missing rows are created. A row that
exists is never written again, so whatever a creator changed after the first seed stays changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from billing.limits import plan_room, plan_within_check
from characters.embeddings import EmbeddingError, embed_texts
from characters.models import PLUTCHIK, Character
from core.errors import PlanLimitReached
from ecosystems.models import Ecosystem, LoreEntry, Relationship
from ecosystems.services.worlds import ecosystem_slug_unique

DEMO_USERNAME = "demo"

DEMO_WORLD: dict[str, Any] = {
    "slug": "the-garden-party",
    "name": "The Garden Party",
    "description": (
        "Six guests, one long summer afternoon and a locket that went missing last week. "
        "Friendships, rivalries and a shy romance play out between the roses."
    ),
    "setting": (
        "A Victorian garden party in the summer of 1887: the garden of an English country "
        "house, with a rose maze, a white gazebo, a lily pond and a lawn laid for croquet and tea."
    ),
    "visibility": Ecosystem.Visibility.PUBLIC,
    "status": Ecosystem.Status.DRAFT,  # the launcher starts it
    "tick_interval_seconds": 5,
    "minutes_per_tick": 10,
    "seed": 1887,  # fixed, so every fresh demo world unfolds the same way
    "drama_manager": True,  # the demo shows pacing: quiet stretches broken by director events
}


def _goals(*items: tuple[str, float]) -> list[dict[str, Any]]:
    return [{"description": description, "progress": progress} for description, progress in items]


def _emotions(**levels: float) -> dict[str, float]:
    return {name: levels.get(name, 0.0) for name in PLUTCHIK}


DEMO_CHARACTERS: tuple[dict[str, Any], ...] = (
    {
        "name": "Alice",
        "openness": 0.65,
        "conscientiousness": 0.6,
        "extraversion": 0.7,
        "agreeableness": 0.92,
        "neuroticism": 0.25,
        "values": ["kindness", "honesty", "friendship"],
        "core_motivations": ["to make everyone feel welcome", "to keep the peace"],
        "long_term_goals": _goals(("Bring the feuding guests together", 0.1)),
        "short_term_goals": _goals(("Make sure nobody stands alone at tea", 0.0)),
        "emotions": _emotions(joy=0.6, trust=0.6, anticipation=0.4),
        "speaking_style": "Warm and encouraging; asks after everyone and laughs easily.",
        "backstory": (
            "Alice is the hostess's niece and has known most of the guests since childhood. "
            "She believes the best of people, sometimes to her cost. This summer she has "
            "quietly made it her task to mend the quarrels of last season."
        ),
        "secrets": ["I wrote the anonymous note that invited Eve to the party."],
    },
    {
        "name": "Bob",
        "openness": 0.35,
        "conscientiousness": 0.7,
        "extraversion": 0.2,
        "agreeableness": 0.2,
        "neuroticism": 0.45,
        "values": ["honesty", "independence", "competence"],
        "core_motivations": ["to be left in peace", "to be proven right"],
        "long_term_goals": _goals(("Win the county rose-growing prize", 0.4)),
        "short_term_goals": _goals(("Leave the party early without offending the hostess", 0.0)),
        "emotions": _emotions(disgust=0.3, anger=0.2, anticipation=0.1),
        "speaking_style": "Blunt and terse; short sentences, no pleasantries, dry sarcasm.",
        "backstory": (
            "Bob is a retired army surveyor who breeds roses and has little patience for chatter. "
            "He came only because Alice asked him twice. He trusts facts, not charm."
        ),
        "secrets": ["I am nearly bankrupt and may have to sell my greenhouse."],
    },
    {
        "name": "Charlie",
        "openness": 0.75,
        "conscientiousness": 0.25,
        "extraversion": 0.95,
        "agreeableness": 0.65,
        "neuroticism": 0.3,
        "values": ["fun", "freedom", "friendship"],
        "core_motivations": ["to be the life of the party", "to never be bored"],
        "long_term_goals": _goals(("Become the most talked-about wit in the county", 0.3)),
        "short_term_goals": _goals(("Stage a prank at the lily pond", 0.1)),
        "emotions": _emotions(joy=0.8, surprise=0.3, anticipation=0.6),
        "speaking_style": "Loud, playful and full of puns; teases everyone, himself included.",
        "backstory": (
            "Charlie is the younger son of a baronet, charming and hopelessly disorganised. "
            "He and Diana grew up on neighbouring estates and have shared every scrape since. "
            "He jokes most when he is worried."
        ),
        "secrets": ["I owe Eve money from a card game and she has not let me forget it."],
    },
    {
        "name": "Diana",
        "openness": 0.5,
        "conscientiousness": 0.45,
        "extraversion": 0.35,
        "agreeableness": 0.55,
        "neuroticism": 0.88,
        "values": ["loyalty", "privacy", "family"],
        "core_motivations": ["to protect her family's name", "to keep her secret safe"],
        "long_term_goals": _goals(("Return the locket without anyone learning she took it", 0.0)),
        "short_term_goals": _goals(("Avoid Eve's questions about the locket", 0.2)),
        "emotions": _emotions(fear=0.6, sadness=0.3, anticipation=0.4, trust=0.2),
        "speaking_style": "Guarded and quick; deflects, answers a question with a question.",
        "backstory": (
            "Diana comes from an old family that has fallen on hard times. She is clever and "
            "observant but startles easily. Since Lady Ashworth's locket vanished she has barely "
            "slept, and Charlie is the only one she still confides in."
        ),
        "secrets": [
            "I have Lady Ashworth's missing locket, hidden in the lining of my parasol; "
            "I took it to stop my brother pawning it."
        ],
    },
    {
        "name": "Eve",
        "openness": 0.85,
        "conscientiousness": 0.55,
        "extraversion": 0.6,
        "agreeableness": 0.15,
        "neuroticism": 0.4,
        "values": ["ambition", "status", "cleverness"],
        "core_motivations": ["to rise in society", "to know everyone's secrets"],
        "long_term_goals": _goals(("Marry into the Ashworth family", 0.2)),
        "short_term_goals": _goals(("Find out who took Lady Ashworth's locket", 0.3)),
        "emotions": _emotions(anticipation=0.7, joy=0.3, disgust=0.2),
        "speaking_style": "Silken and precise; compliments that cut, questions that probe.",
        "backstory": (
            "Eve arrived in the county two years ago with a modest fortune and immodest plans. "
            "She reads people like novels and keeps notes on them. She suspects Diana knows "
            "more about the locket than she says."
        ),
        "secrets": ["My fortune is borrowed; my creditors expect a wealthy marriage by autumn."],
    },
    {
        "name": "Frank",
        "openness": 0.4,
        "conscientiousness": 0.9,
        "extraversion": 0.15,
        "agreeableness": 0.7,
        "neuroticism": 0.5,
        "values": ["loyalty", "duty", "honesty"],
        "core_motivations": ["to be dependable", "to be worthy of Alice"],
        "long_term_goals": _goals(("Find the courage to court Alice", 0.1)),
        "short_term_goals": _goals(("Ask Alice to walk with him to the gazebo", 0.0)),
        "emotions": _emotions(anticipation=0.5, fear=0.3, joy=0.3, trust=0.4),
        "speaking_style": "Quiet and formal; stammers when nervous and apologises too often.",
        "backstory": (
            "Frank is the estate's young land agent: punctual, careful and devoted to the family "
            "he serves. He has admired Alice for three summers without saying a word. He would "
            "keep any secret entrusted to him."
        ),
        "secrets": ["I saw Diana near Lady Ashworth's rooms the night the locket vanished."],
    },
)

_Kind = Relationship.Kind

DEMO_RELATIONSHIPS: tuple[dict[str, Any], ...] = (
    {"source": "Alice", "target": "Bob", "kind": _Kind.FRIEND,
     "strength": 0.5, "trust": 0.5, "familiarity": 0.6, "attraction": 0.0},
    {"source": "Bob", "target": "Alice", "kind": _Kind.ACQUAINTANCE,
     "strength": 0.2, "trust": 0.3, "familiarity": 0.5, "attraction": 0.0},
    {"source": "Charlie", "target": "Diana", "kind": _Kind.CLOSE_FRIEND,
     "strength": 0.8, "trust": 0.75, "familiarity": 0.9, "attraction": 0.1},
    {"source": "Diana", "target": "Charlie", "kind": _Kind.CLOSE_FRIEND,
     "strength": 0.75, "trust": 0.7, "familiarity": 0.9, "attraction": 0.0},
    {"source": "Eve", "target": "Diana", "kind": _Kind.RIVAL,
     "strength": -0.5, "trust": -0.4, "familiarity": 0.5, "attraction": 0.0},
    {"source": "Diana", "target": "Eve", "kind": _Kind.RIVAL,
     "strength": -0.4, "trust": -0.6, "familiarity": 0.5, "attraction": 0.0},
    {"source": "Frank", "target": "Alice", "kind": _Kind.ROMANTIC_INTEREST,
     "strength": 0.6, "trust": 0.6, "familiarity": 0.5, "attraction": 0.8},
    {"source": "Alice", "target": "Frank", "kind": _Kind.ACQUAINTANCE,
     "strength": 0.35, "trust": 0.5, "familiarity": 0.4, "attraction": 0.2},
    {"source": "Eve", "target": "Charlie", "kind": _Kind.ACQUAINTANCE,
     "strength": 0.1, "trust": -0.1, "familiarity": 0.4, "attraction": 0.0},
    {"source": "Charlie", "target": "Eve", "kind": _Kind.ACQUAINTANCE,
     "strength": -0.1, "trust": -0.2, "familiarity": 0.4, "attraction": 0.1},
)  # fmt: skip


# Common knowledge of the party (public lore: every guest knows it, and says so when the talk
# turns to it). Authored like the cast: seeded without events, and no tick reads public lore,
# so the demo's runs are what they were without it.
DEMO_LORE: tuple[dict[str, Any], ...] = (
    {"title": "The Ashworth Locket", "tags": ["mysteries", "the ashworths"],
     "text": "Lady Ashworth's locket, the late Lord Ashworth's wedding gift, vanished from her "
             "rooms the night before the garden party; the whole county whispers of it."},
    {"title": "The Rose Garden Maze", "tags": ["places", "legends"],
     "text": "The rose garden maze was planted a hundred years ago; a couple who reach its "
             "sundial together are said to marry within the year."},
)  # fmt: skip


@dataclass(frozen=True)
class DemoSeedResult:
    ecosystem: Ecosystem
    created: bool
    characters_created: int
    relationships_created: int


def demo_world_seed(*, owner: AbstractBaseUser | None = None) -> DemoSeedResult:
    """Create whatever part of the demo world is missing for ``owner`` (default: user "demo").

    Existing rows are left exactly as they are; running it twice changes nothing.
    """
    with transaction.atomic():
        owner = owner or _demo_user()
        # Serialises concurrent seeds for one owner (say, two launchers starting at once).
        get_user_model().objects.select_for_update().filter(pk=owner.pk).exists()
        ecosystem, created = _world_get_or_create(owner=owner)
        characters, characters_created = _characters_ensure(ecosystem=ecosystem)
        relationships_created = _relationships_ensure(ecosystem=ecosystem, characters=characters)
        _lore_ensure(ecosystem=ecosystem)
    return DemoSeedResult(
        ecosystem=ecosystem,
        created=created,
        characters_created=characters_created,
        relationships_created=relationships_created,
    )


def _demo_user() -> AbstractBaseUser:
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"password": make_password(None), "is_staff": False, "is_superuser": False},
    )
    return user


def _world_get_or_create(*, owner: AbstractBaseUser) -> tuple[Ecosystem, bool]:
    existing = Ecosystem.objects.filter(owner=owner, slug=DEMO_WORLD["slug"]).first()
    if existing is not None:
        return existing, False
    ecosystem = Ecosystem(owner=owner, **DEMO_WORLD)
    ecosystem.full_clean()
    ecosystem.save()
    return ecosystem, True


def _characters_ensure(*, ecosystem: Ecosystem) -> tuple[dict[str, Character], int]:
    """Every demo character by name, creating the missing ones; and how many were created."""
    by_name = {c.name: c for c in Character.objects.filter(ecosystem=ecosystem)}
    missing = [
        # Deep copies: the rows must never share (and later mutate) the constants' lists.
        Character(ecosystem=ecosystem, **copy.deepcopy(data))
        for data in DEMO_CHARACTERS
        if data["name"] not in by_name
    ]
    for character in missing:
        character.full_clean()
    Character.objects.bulk_create(missing)
    by_name.update({c.name: c for c in missing})
    return by_name, len(missing)


def _relationships_ensure(*, ecosystem: Ecosystem, characters: dict[str, Character]) -> int:
    existing = set(
        Relationship.objects.filter(ecosystem=ecosystem).values_list("source_id", "target_id")
    )
    missing = []
    for data in DEMO_RELATIONSHIPS:
        source, target = characters[data["source"]], characters[data["target"]]
        if (source.pk, target.pk) in existing:
            continue
        fields = {k: v for k, v in data.items() if k not in ("source", "target")}
        missing.append(Relationship(ecosystem=ecosystem, source=source, target=target, **fields))
    for relationship in missing:
        relationship.full_clean()
    Relationship.objects.bulk_create(missing)
    return len(missing)


def _lore_ensure(*, ecosystem: Ecosystem) -> None:
    """The demo's lore entries missing by title, approved and embedded (no events: authored)."""
    have = set(LoreEntry.objects.filter(ecosystem=ecosystem).values_list("title", flat=True))
    missing = [data for data in DEMO_LORE if data["title"] not in have]
    if not missing:
        return
    try:
        vectors: list[list[float] | None] = list(
            embed_texts([f"{d['title']}. {d['text']}" for d in missing])
        )
    except EmbeddingError:  # a remote embedder down: the entries are still found by words
        vectors = [None] * len(missing)
    LoreEntry.objects.bulk_create(
        LoreEntry(ecosystem=ecosystem, author=ecosystem.owner, embedding=vector,
                  **copy.deepcopy(data))
        for data, vector in zip(missing, vectors, strict=True)
    )  # fmt: skip


@dataclass(frozen=True)
class DemoCopy:
    """A creator's own copy of the demo world and the demo characters the plan left out."""

    ecosystem: Ecosystem
    left_out: tuple[str, ...]
    limit_note: str = ""  # why they were left out: "Your Free plan allows 5 characters in all"


def ecosystem_create_from_demo(*, owner: AbstractBaseUser, within_plan: bool = False) -> DemoCopy:
    """A new private draft copy of "The Garden Party" for ``owner``, always a new world (a
    unique slug). ``within_plan``: keep only as many characters (the first, in authored order)
    as the owner's plan still allows across their worlds, or raise ``PlanLimitReached`` when
    it allows none; relationships among the kept characters come along."""
    kept, note = DEMO_CHARACTERS, ""
    with transaction.atomic():
        if within_plan:
            plan_within_check(owner=owner)  # over after a downgrade: say by how much
            plan, room = plan_room(owner=owner, usage="characters")
            if room == 0:
                raise PlanLimitReached(
                    f"Your {plan.name} plan allows {plan.max_characters} characters and your "
                    "worlds have them all. Upgrade at /pricing/ or remove a character first."
                )
            if room is not None and room < len(kept):
                kept = kept[:room]
                note = f"Your {plan.name} plan allows {plan.max_characters} characters in all"
        fields = {**DEMO_WORLD, "visibility": Ecosystem.Visibility.PRIVATE}
        fields["slug"] = ecosystem_slug_unique(owner=owner, name=DEMO_WORLD["name"])
        ecosystem = Ecosystem(owner=owner, **fields)
        ecosystem.full_clean()
        ecosystem.save()
        characters = [Character(ecosystem=ecosystem, **copy.deepcopy(data)) for data in kept]
        for character in characters:
            character.full_clean()
        Character.objects.bulk_create(characters)
        by_name = {c.name: c for c in characters}
        Relationship.objects.bulk_create(
            Relationship(
                ecosystem=ecosystem,
                source=by_name[data["source"]],
                target=by_name[data["target"]],
                **{k: v for k, v in data.items() if k not in ("source", "target")},
            )
            for data in DEMO_RELATIONSHIPS
            if data["source"] in by_name and data["target"] in by_name
        )
        _lore_ensure(ecosystem=ecosystem)
    left_out = tuple(data["name"] for data in DEMO_CHARACTERS[len(kept) :])
    return DemoCopy(ecosystem=ecosystem, left_out=left_out, limit_note=note)
