"""Creating, starting and pausing worlds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import DomainError, InvalidTransition
from ecosystems.models import Ecosystem
from ecosystems.services import ecosystem_create, ecosystem_pause, ecosystem_start
from tests.factories import EcosystemFactory

pytestmark = pytest.mark.django_db


def test_a_new_world_is_a_draft_with_a_slug_from_its_name(owner):
    world = ecosystem_create(owner=owner, name="The Garden Party", setting="A summer lawn.")

    world.refresh_from_db()
    assert (world.owner, world.slug, world.status) == (owner, "the-garden-party", "draft")
    assert world.setting == "A summer lawn."


def test_a_second_world_with_the_same_name_gets_the_next_free_slug(owner):
    ecosystem_create(owner=owner, name="Tea")
    ecosystem_create(owner=owner, name="Tea")

    third = ecosystem_create(owner=owner, name="Tea")

    assert third.slug == "tea-3"


def test_two_owners_may_each_have_the_same_slug(owner, stranger):
    mine = ecosystem_create(owner=owner, name="Tea")
    theirs = ecosystem_create(owner=stranger, name="Tea")

    assert mine.slug == theirs.slug == "tea"


def test_a_name_without_letters_still_gets_a_slug(owner):
    assert ecosystem_create(owner=owner, name="!!!").slug == "world"


def test_extra_fields_are_validated_before_saving(owner):
    with pytest.raises(ValidationError) as caught:
        ecosystem_create(owner=owner, name="Too fast", tick_interval_seconds=0)

    assert "tick_interval_seconds" in caught.value.message_dict
    assert not Ecosystem.objects.filter(name="Too fast").exists()


def test_starting_a_world_runs_it_with_the_first_tick_due_now(world):
    before = timezone.now()

    ecosystem_start(ecosystem=world)

    world.refresh_from_db()
    assert world.status == Ecosystem.Status.RUNNING
    assert before <= world.next_tick_at <= timezone.now()


def test_starting_a_running_world_keeps_the_tick_that_is_due(world):
    due = timezone.now() + dt.timedelta(minutes=5)
    Ecosystem.objects.filter(id=world.id).update(status="running", next_tick_at=due)

    ecosystem_start(ecosystem=world)

    world.refresh_from_db()
    assert (world.status, world.next_tick_at) == ("running", due)


def test_an_archived_world_refuses_to_start_with_a_conflict(owner):
    archived = EcosystemFactory(owner=owner, name="Old", status=Ecosystem.Status.ARCHIVED)

    with pytest.raises(InvalidTransition) as caught:
        ecosystem_start(ecosystem=archived)

    assert isinstance(caught.value, DomainError)
    assert caught.value.code == "conflict"
    assert "archived" in caught.value.message
    archived.refresh_from_db()
    assert archived.status == Ecosystem.Status.ARCHIVED


def test_pausing_a_running_world_stops_its_ticks(world):
    ecosystem_start(ecosystem=world)

    ecosystem_pause(ecosystem=world)

    world.refresh_from_db()
    assert (world.status, world.next_tick_at) == ("paused", None)


def test_a_paused_world_starts_again(world):
    ecosystem_start(ecosystem=world)
    ecosystem_pause(ecosystem=world)

    ecosystem_start(ecosystem=world)

    world.refresh_from_db()
    assert world.status == "running" and world.next_tick_at is not None


def test_a_draft_world_cannot_be_paused_because_it_is_not_running(world):
    with pytest.raises(InvalidTransition, match="not running"):
        ecosystem_pause(ecosystem=world)
