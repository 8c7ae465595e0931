"""The demo world: seeded once, complete, and never rewritten by a second seed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from characters.models import PLUTCHIK, Character
from ecosystems.demo import DEMO_CHARACTERS, DEMO_RELATIONSHIPS, demo_world_seed
from ecosystems.models import Ecosystem, Relationship

pytestmark = pytest.mark.django_db

NAMES = ["Alice", "Bob", "Charlie", "Diana", "Eve", "Frank"]


def _snapshot() -> dict[str, list[dict]]:
    """Every field of every demo row, including updated_at, to prove nothing was written."""
    return {
        model.__name__: [
            {**model_to_dict(row), "updated_at": row.updated_at} for row in model.objects.all()
        ]
        for model in (Ecosystem, Character, Relationship)
    }


def test_seeding_creates_the_garden_party_owned_by_an_unprivileged_demo_user():
    result = demo_world_seed()

    world = result.ecosystem
    assert result.created
    assert (world.name, world.slug) == ("The Garden Party", "the-garden-party")
    assert "1887" in world.setting and "rose maze" in world.setting
    assert world.visibility == Ecosystem.Visibility.PUBLIC
    assert world.status == Ecosystem.Status.DRAFT
    assert (world.tick_interval_seconds, world.minutes_per_tick, world.seed) == (5, 10, 1887)
    demo = world.owner
    assert demo.username == "demo"
    assert not demo.has_usable_password()
    assert not demo.is_staff and not demo.is_superuser


def test_seeding_creates_six_characters_with_distinct_complete_personalities():
    result = demo_world_seed()

    characters = {c.name: c for c in result.ecosystem.characters.all()}
    assert sorted(characters) == NAMES
    assert result.characters_created == 6
    profiles = {tuple(c.big_five.values()) for c in characters.values()}
    assert len(profiles) == 6
    for character in characters.values():
        assert set(character.emotions) == set(PLUTCHIK)
        assert character.values and character.core_motivations and character.secrets
        assert character.long_term_goals and character.short_term_goals
        assert character.speaking_style and character.backstory.count(".") >= 2
    alice, bob, charlie = characters["Alice"], characters["Bob"], characters["Charlie"]
    diana, eve, frank = characters["Diana"], characters["Eve"], characters["Frank"]
    assert alice.agreeableness == max(c.agreeableness for c in characters.values())
    assert bob.agreeableness < 0.3 and bob.extraversion < 0.3
    assert charlie.extraversion == max(c.extraversion for c in characters.values())
    assert diana.neuroticism == max(c.neuroticism for c in characters.values())
    assert eve.openness > 0.8 and eve.agreeableness < 0.2
    assert frank.conscientiousness == max(c.conscientiousness for c in characters.values())


def test_diana_hides_lady_ashworths_locket():
    world = demo_world_seed().ecosystem

    diana = world.characters.get(name="Diana")
    assert any(s.startswith("I have Lady Ashworth's missing locket") for s in diana.secrets)


def test_seeding_creates_the_starting_relationships_in_both_directions():
    result = demo_world_seed()

    kinds = {
        (r.source.name, r.target.name): r.kind
        for r in result.ecosystem.relationships.select_related("source", "target")
    }
    assert result.relationships_created == len(DEMO_RELATIONSHIPS) == len(kinds)
    assert kinds[("Alice", "Bob")] == Relationship.Kind.FRIEND
    assert kinds[("Bob", "Alice")] == Relationship.Kind.ACQUAINTANCE
    assert kinds[("Charlie", "Diana")] == kinds[("Diana", "Charlie")] == "close_friend"
    assert kinds[("Eve", "Diana")] == Relationship.Kind.RIVAL
    assert kinds[("Frank", "Alice")] == Relationship.Kind.ROMANTIC_INTEREST


def test_seeding_twice_changes_nothing():
    first = demo_world_seed()
    before = _snapshot()

    second = demo_world_seed()

    assert second.ecosystem.pk == first.ecosystem.pk
    assert (second.created, second.characters_created, second.relationships_created) == (
        False,
        0,
        0,
    )
    assert _snapshot() == before
    assert get_user_model().objects.filter(username="demo").count() == 1


def test_seeding_again_keeps_a_creators_edits_and_only_restores_what_is_missing():
    world = demo_world_seed().ecosystem
    world.characters.filter(name="Bob").update(agreeableness=0.99, backstory="Reformed.")
    world.characters.filter(name="Frank").delete()  # takes Frank's relationships with him

    result = demo_world_seed()

    bob = world.characters.get(name="Bob")
    assert (bob.agreeableness, bob.backstory) == (0.99, "Reformed.")
    assert result.characters_created == 1
    frank_edges = [r for r in DEMO_RELATIONSHIPS if "Frank" in (r["source"], r["target"])]
    assert result.relationships_created == len(frank_edges)


def test_the_demo_constants_are_not_shared_with_the_rows():
    world = demo_world_seed().ecosystem
    alice = world.characters.get(name="Alice")

    alice.values.append("gossip")

    assert "gossip" not in next(c for c in DEMO_CHARACTERS if c["name"] == "Alice")["values"]


def test_seeding_for_an_owner_gives_them_their_own_copy(owner):
    mine = demo_world_seed(owner=owner).ecosystem
    demos = demo_world_seed().ecosystem

    assert mine.owner == owner and demos.owner.username == "demo"
    assert mine.pk != demos.pk
    assert Character.objects.filter(ecosystem=mine).count() == 6


def test_the_command_seeds_and_says_what_it_created():
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert Ecosystem.objects.filter(slug="the-garden-party", owner__username="demo").exists()
    text = out.getvalue()
    assert "Created demo world 'The Garden Party'" in text
    assert "'demo'" in text and "6 characters" in text
    assert f"{len(DEMO_RELATIONSHIPS)} relationships added" in text


def test_the_command_run_again_says_nothing_changed():
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert "already exists; nothing changed" in out.getvalue()
    assert Ecosystem.objects.count() == 1


def test_the_command_seeds_for_the_owner_given(owner):
    out = StringIO()

    call_command("seed_demo", "--owner", "owner", stdout=out)

    assert Ecosystem.objects.get(slug="the-garden-party").owner == owner
    assert "owned by 'owner'" in out.getvalue()


def test_the_command_refuses_an_unknown_owner_and_says_what_to_do():
    with pytest.raises(CommandError, match=r"No user 'nobody'.*createsuperuser"):
        call_command("seed_demo", "--owner", "nobody")
    assert not Ecosystem.objects.exists()
