"""A downgrade deletes nothing: the owner's worlds pause, read-only, until they fit again."""

from __future__ import annotations

import pytest
from django.utils import timezone

from billing.limits import PRICING_URL
from billing.models import Plan, Subscription
from billing.selectors import subscription_of
from billing.signals import plan_changed
from characters.models import Character
from core.errors import PlanLimitReached
from ecosystems.models import Ecosystem, Relationship
from ecosystems.services import ecosystem_pause, ecosystem_run_ticks, ecosystem_start
from ecosystems.services.authoring import relationship_create
from ecosystems.services.director import director_intervene, scenario_create, scene_direct
from tests.factories import CharacterFactory, EcosystemFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

OVER_BY_THREE = (
    "Your plan 'Free' allows 5 characters; you have 8. Remove 3 characters or upgrade at "
    f"{PRICING_URL}."
)


def plan_switch(user, code: str) -> None:
    """What billing's lifecycle does: the plan in force changes, then ``plan_changed``."""
    old = subscription_of(user=user).plan
    new = Plan.objects.get(code=code)
    Subscription.objects.filter(user=user).update(plan=new)
    plan_changed.send(sender=None, user=user, old_plan=old, new_plan=new)


def running_world(owner, characters: int) -> Ecosystem:
    world = EcosystemFactory(
        owner=owner, status=Ecosystem.Status.RUNNING, next_tick_at=timezone.now()
    )
    for _ in range(characters):
        CharacterFactory(ecosystem=world)
    return world


@pytest.fixture
def crowded(owner) -> Ecosystem:
    """The owner on pro with 8 characters in a running world (free allows 5)."""
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="pro"))
    return running_world(owner, 8)


def test_a_downgrade_over_the_limits_pauses_the_worlds_and_deletes_nothing(owner, crowded):
    plan_switch(owner, "free")

    crowded.refresh_from_db()
    assert crowded.status == Ecosystem.Status.PAUSED and crowded.paused_by_plan
    assert crowded.next_tick_at is None
    assert Character.objects.filter(ecosystem=crowded).count() == 8


def test_a_downgrade_leaves_a_strangers_worlds_running(owner, stranger, crowded):
    theirs = running_world(stranger, 2)

    plan_switch(owner, "free")

    theirs.refresh_from_db()
    assert theirs.status == Ecosystem.Status.RUNNING and not theirs.paused_by_plan


def test_a_downgrade_within_the_limits_pauses_nothing(owner):
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="pro"))
    world = running_world(owner, 3)

    plan_switch(owner, "free")

    world.refresh_from_db()
    assert world.status == Ecosystem.Status.RUNNING and not world.paused_by_plan


def test_over_the_limits_starting_ticking_and_directing_are_refused_saying_what_to_remove(
    owner, crowded
):
    plan_switch(owner, "free")
    crowded.refresh_from_db()
    a, b = Character.objects.filter(ecosystem=crowded)[:2]

    refusals = [
        lambda: ecosystem_start(ecosystem=crowded),
        lambda: ecosystem_run_ticks(ecosystem=crowded, ticks=1),
        lambda: director_intervene(
            ecosystem=crowded, kind="whisper", text="Run.", character_ids=[str(a.pk)]
        ),
        lambda: scene_direct(
            ecosystem=crowded,
            initiator_id=str(a.pk),
            target_id=str(b.pk),
            interaction_type="small_talk",
        ),
        lambda: scenario_create(ecosystem=crowded, title="A picnic"),
    ]
    for refused in refusals:
        with pytest.raises(PlanLimitReached) as raised:
            refused()
        assert raised.value.message.startswith(OVER_BY_THREE)
        assert raised.value.details == {"characters": ["8 of 5 used."]}
    crowded.refresh_from_db()
    assert crowded.status == Ecosystem.Status.PAUSED and crowded.current_tick == 0


def test_an_upgrade_back_resumes_the_worlds_the_plan_paused_only(owner, crowded):
    paused_by_hand = running_world(owner, 0)
    ecosystem_pause(ecosystem=paused_by_hand)
    plan_switch(owner, "free")

    plan_switch(owner, "pro")

    crowded.refresh_from_db()
    paused_by_hand.refresh_from_db()
    assert crowded.status == Ecosystem.Status.RUNNING and not crowded.paused_by_plan
    assert crowded.next_tick_at is not None
    assert paused_by_hand.status == Ecosystem.Status.PAUSED


def test_after_removing_enough_the_owner_starts_the_world_again(owner, crowded):
    plan_switch(owner, "free")
    for character in Character.objects.filter(ecosystem=crowded)[:3]:
        character.delete()  # removing is never refused

    ecosystem_start(ecosystem=crowded)

    crowded.refresh_from_db()
    assert crowded.status == Ecosystem.Status.RUNNING and not crowded.paused_by_plan


def test_over_on_relationships_alone_holds_the_owner_and_says_which_to_remove(owner):
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="pro"))
    world = running_world(owner, 4)
    people = list(Character.objects.filter(ecosystem=world))
    pairs = [(a, b) for a in people for b in people if a != b]  # 12 views, free allows 10
    for source, target in pairs:
        RelationshipFactory(source=source, target=target)

    plan_switch(owner, "free")

    world.refresh_from_db()
    assert world.status == Ecosystem.Status.PAUSED and world.paused_by_plan
    assert Relationship.objects.filter(ecosystem=world).count() == 12
    relationship = Relationship.objects.filter(ecosystem=world).first()
    Relationship.objects.filter(pk=relationship.pk).delete()
    with pytest.raises(PlanLimitReached) as raised:
        relationship_create(ecosystem=world, source=relationship.source,
                            target=relationship.target)  # fmt: skip
    assert raised.value.message.startswith(
        "Your plan 'Free' allows 10 relationships; you have 11. Remove 1 relationship or "
        "upgrade at /pricing/."
    )
