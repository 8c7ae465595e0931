"""After a downgrade an owner over their plan may read and delete characters, not author them."""

from __future__ import annotations

import pytest

from billing.models import Plan, Subscription
from billing.signals import plan_changed
from characters.models import Character
from characters.services import character_create, character_delete, character_update
from core.errors import PlanLimitReached
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db

OVER_BY_THREE = (
    "Your plan 'Free' allows 5 characters; you have 8. Remove 3 characters or upgrade at /pricing/."
)


@pytest.fixture
def over(owner):
    """Eight characters kept on free (five allowed), as a downgrade from pro leaves them."""
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="pro"))
    world = EcosystemFactory(owner=owner)
    for _ in range(8):
        CharacterFactory(ecosystem=world)
    pro, free = Plan.objects.get(code="pro"), Plan.objects.get(code="free")
    Subscription.objects.filter(user=owner).update(plan=free)
    plan_changed.send(sender=None, user=owner, old_plan=pro, new_plan=free)
    return world


def test_a_ninth_character_is_refused_saying_how_many_to_remove(over):
    with pytest.raises(PlanLimitReached) as raised:
        character_create(ecosystem=over, name="Ninth")
    assert raised.value.message.startswith(OVER_BY_THREE)
    assert Character.objects.filter(ecosystem=over).count() == 8


def test_editing_a_kept_character_is_refused(over):
    kept = Character.objects.filter(ecosystem=over).first()
    with pytest.raises(PlanLimitReached) as raised:
        character_update(character=kept, backstory="Rewritten.")
    assert raised.value.message.startswith(OVER_BY_THREE)
    kept.refresh_from_db()
    assert kept.backstory != "Rewritten."


def test_deleting_is_allowed_and_within_the_plan_authoring_opens_again(over):
    for character in Character.objects.filter(ecosystem=over)[:3]:
        character_delete(character=character)

    kept = Character.objects.filter(ecosystem=over).first()
    character_update(character=kept, backstory="Rewritten.")

    kept.refresh_from_db()
    assert kept.backstory == "Rewritten."


def test_a_new_character_at_the_limit_says_remove_one(owner):
    world = EcosystemFactory(owner=owner)
    for _ in range(5):
        CharacterFactory(ecosystem=world)
    with pytest.raises(PlanLimitReached) as raised:
        character_create(ecosystem=world, name="Sixth")
    assert raised.value.message.endswith("Upgrade at /pricing/ or remove one.")


def test_an_owner_over_the_plan_without_a_plan_change_still_edits(owner):
    """Seeded or older data over the free plan is not frozen; only adding more is refused."""
    world = EcosystemFactory(owner=owner)
    kept, *_ = [CharacterFactory(ecosystem=world) for _ in range(6)]

    character_update(character=kept, backstory="Rewritten.")

    with pytest.raises(PlanLimitReached):
        character_create(ecosystem=world, name="Seventh")
