"""Duplicating a character: same authored self, a free name, the same world."""

from __future__ import annotations

import pytest

from characters.models import Character
from characters.services import character_duplicate
from tests.factories import CharacterFactory, MemoryFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def test_a_duplicate_is_a_copy_in_the_same_world(alice):
    copy = character_duplicate(character=alice)

    assert copy.pk != alice.pk
    assert (copy.name, copy.ecosystem_id) == ("Alice (copy)", alice.ecosystem_id)


def test_further_duplicates_are_numbered(alice):
    character_duplicate(character=alice)

    second = character_duplicate(character=alice)
    third = character_duplicate(character=alice)

    assert (second.name, third.name) == ("Alice (copy 2)", "Alice (copy 3)")


def test_duplicating_a_copy_numbers_from_the_original_name(alice):
    copy = character_duplicate(character=alice)

    assert character_duplicate(character=copy).name == "Alice (copy 2)"


def test_the_authored_self_is_copied_but_not_lived_memories_or_relationships(alice, world):
    alice.values = ["kindness"]
    alice.long_term_goals = [{"description": "Mend the quarrel", "progress": 0.3}]
    alice.secrets = ["I wrote the note."]
    alice.speaking_style = "Warm."
    alice.save()
    bob = CharacterFactory(ecosystem=world, name="Bob")
    RelationshipFactory(source=alice, target=bob, strength=0.5)
    MemoryFactory(character=alice)

    copy = character_duplicate(character=alice)

    copy.refresh_from_db()
    assert copy.big_five == alice.big_five
    assert (copy.values, copy.long_term_goals) == (alice.values, alice.long_term_goals)
    assert (copy.secrets, copy.speaking_style) == (alice.secrets, alice.speaking_style)
    assert not copy.memories.exists() and not copy.relationships_out.exists()


def test_a_long_name_is_shortened_to_fit_the_suffix(world):
    long_named = CharacterFactory(ecosystem=world, name="A" * 100)

    copy = character_duplicate(character=long_named)

    assert len(copy.name) == 100 and copy.name.endswith(" (copy)")
    assert Character.objects.filter(ecosystem=world).count() == 2
