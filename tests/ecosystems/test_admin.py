"""The staff admin: every model is there, the log is read-only, the actions work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from billing.models import Plan, Subscription
from characters.models import Character, Memory
from ecosystems.models import (
    BookImport,
    Ecosystem,
    Event,
    Interaction,
    LoreEntry,
    PlanHold,
    Relationship,
    Scenario,
)
from tests.ecosystems.imports.analyses import analysed_import
from tests.factories import (
    CharacterFactory,
    EventFactory,
    InteractionFactory,
    MemoryFactory,
    RelationshipFactory,
    ScenarioFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    BookImport,
    Plan,
    Subscription,
    Character,
    Memory,
    Ecosystem,
    Relationship,
    Interaction,
    Event,
    Scenario,
    PlanHold,
    LoreEntry,
]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def populated(world, alice):
    """One row of every model, all in the owner's world."""
    bob = CharacterFactory(ecosystem=world, name="Bob")
    return {
        Plan: Plan.objects.get(code="free"),
        Subscription: world.owner.subscription,
        Character: alice,
        Memory: MemoryFactory(character=alice),
        Ecosystem: world,
        Relationship: RelationshipFactory(source=alice, target=bob),
        Interaction: InteractionFactory(initiator=alice, target=bob),
        Event: EventFactory(ecosystem=world),
        Scenario: ScenarioFactory(ecosystem=world, characters=[alice, bob]),
        PlanHold: PlanHold.objects.create(owner=world.owner, plan=Plan.objects.get(code="free")),
        LoreEntry: LoreEntry.objects.create(ecosystem=world, title="Well", text="Deep."),
        BookImport: analysed_import(world.owner),
    }


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_see_the_changelist_of_every_model(staff_client, populated, model):
    response = staff_client.get(_url(model, "changelist"))

    assert response.status_code == 200
    assert populated[model] in response.context["cl"].result_list


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_open_the_change_page_of_every_model(staff_client, populated, model):
    response = staff_client.get(_url(model, "change", populated[model].pk))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "model", [m for m in MODELS if m not in (Event, PlanHold, BookImport)], ids=lambda m: m.__name__
)
def test_staff_open_the_add_page_of_every_authored_model(staff_client, model):
    assert staff_client.get(_url(model, "add")).status_code == 200


def test_changelist_search_finds_a_character_by_name(staff_client, populated):
    response = staff_client.get(_url(Character, "changelist"), {"q": "Ali"})

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [populated[Character]]


def test_the_event_log_cannot_be_added_to_changed_or_deleted(staff_client, populated):
    event = populated[Event]

    assert staff_client.get(_url(Event, "add")).status_code == 403
    assert staff_client.post(_url(Event, "change", event.pk), {"kind": "x"}).status_code == 403
    assert staff_client.post(_url(Event, "delete", event.pk), {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.kind == "ecosystem_status"


def test_deleting_a_world_takes_its_event_log_with_it(staff_client, populated):
    world = populated[Ecosystem]

    response = staff_client.post(_url(Ecosystem, "delete", world.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Ecosystem.objects.filter(pk=world.pk).exists()
    assert not Event.objects.filter(ecosystem_id=world.pk).exists()


def test_the_memory_form_leaves_the_embedding_out(staff_client, populated):
    response = staff_client.get(_url(Memory, "change", populated[Memory].pk))

    assert "embedding" not in response.context["adminform"].form.fields


def test_staff_start_and_then_pause_worlds_with_admin_actions(staff_client, world):
    url = _url(Ecosystem, "changelist")

    started = staff_client.post(
        url, {"action": "start_ecosystems", "_selected_action": [world.pk]}, follow=True
    )
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.RUNNING and world.next_tick_at is not None
    assert "Started: Owner&#x27;s World." in started.text

    staff_client.post(url, {"action": "pause_ecosystems", "_selected_action": [world.pk]})
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.PAUSED


def test_the_start_action_explains_why_an_archived_world_stays_shut(staff_client, world):
    Ecosystem.objects.filter(pk=world.pk).update(status=Ecosystem.Status.ARCHIVED)

    response = staff_client.post(
        _url(Ecosystem, "changelist"),
        {"action": "start_ecosystems", "_selected_action": [world.pk]},
        follow=True,
    )

    assert "is archived and cannot be started" in response.text
    world.refresh_from_db()
    assert world.status == Ecosystem.Status.ARCHIVED


def test_staff_duplicate_characters_with_an_admin_action(staff_client, alice):
    response = staff_client.post(
        _url(Character, "changelist"),
        {"action": "duplicate_characters", "_selected_action": [alice.pk]},
        follow=True,
    )

    assert Character.objects.filter(ecosystem=alice.ecosystem, name="Alice (copy)").exists()
    assert "Duplicated 1 character(s): Alice (copy)." in response.text


def test_a_world_saved_in_admin_without_a_slug_gets_one(staff_client, owner):
    response = staff_client.post(
        _url(Ecosystem, "add"),
        {
            "owner": owner.pk,
            "name": "Harbour Town",
            "slug": "",
            "status": "draft",
            "visibility": "private",
            "tick_interval_seconds": 10,
            "minutes_per_tick": 15,
            "world_start_0": "1887-06-14",
            "world_start_1": "09:00:00",
            "seed": 7,
            "characters-TOTAL_FORMS": 0,
            "characters-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Ecosystem.objects.get(name="Harbour Town").slug == "harbour-town"


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(_url(Ecosystem, "changelist"))

    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_plan_hold_is_recorded_by_plan_changes_only_and_staff_may_lift_it(
    staff_client, populated
):
    hold = populated[PlanHold]

    assert staff_client.get(_url(PlanHold, "add")).status_code == 403
    response = staff_client.post(_url(PlanHold, "delete", hold.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not PlanHold.objects.filter(pk=hold.pk).exists()


def test_staff_approve_a_proposed_lore_entry_with_an_admin_action(staff_client, world):
    entry = LoreEntry.objects.create(ecosystem=world, title="Mill", text="Burned.",
                                     status="proposed")  # fmt: skip
    staff_client.post(
        _url(LoreEntry, "changelist"),
        {"action": "approve_lore", "_selected_action": [str(entry.pk)]},
    )
    assert LoreEntry.objects.get(pk=entry.pk).status == "approved"
