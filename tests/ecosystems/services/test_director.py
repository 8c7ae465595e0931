"""The Director's services: interventions change the world and are logged with their reason;
scenarios turn objectives into goals and are announced."""

from __future__ import annotations

import pytest

from characters.models import Memory
from core.errors import InvalidInput, InvalidTransition
from ecosystems.models import Event, Interaction, Knowledge, Scenario
from ecosystems.services.director import (
    director_intervene,
    scenario_create,
    scenario_from_template,
    scenario_start,
    scene_direct,
)
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob")


@pytest.fixture
def carol(world):
    return CharacterFactory(ecosystem=world, name="Carol")


def _last(kind: str) -> Event:
    return Event.objects.filter(kind=kind).order_by("-seq").first()


def test_a_whisper_becomes_a_memory_a_goal_and_a_logged_intervention(world, alice):
    director_intervene(ecosystem=world, kind="whisper", text="Find out who took the ledger",
                       character_ids=[str(alice.pk)], reason="testing")  # fmt: skip

    alice.refresh_from_db()
    assert Memory.objects.filter(character=alice, content__contains="who took the ledger").exists()
    assert alice.short_term_goals[-1]["description"] == "Find out who took the ledger"
    event = _last("director_intervention")
    assert event.payload["kind"] == "whisper"
    assert event.payload["reason"] == "testing"
    assert event.payload["characters"] == [{"id": str(alice.pk), "name": "Alice"}]


def test_making_two_characters_meet_produces_their_interaction(world, alice, bob):
    result = director_intervene(ecosystem=world, kind="meet",
                                character_ids=[str(alice.pk), str(bob.pk)])  # fmt: skip

    assert Interaction.objects.filter(initiator=alice, target=bob).count() == 1
    kinds = list(Event.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds[0] == "director_intervention" and "character_interaction" in kinds
    assert result.interactions and result.interactions[0].response


def test_a_rumour_is_known_to_its_teller_as_a_secret_about_the_subject(world, alice, bob):
    director_intervene(ecosystem=world, kind="rumour", text="Bob gambles at night.",
                       character_ids=[str(alice.pk), str(bob.pk)])  # fmt: skip

    known = Knowledge.objects.get(character=alice, fact_key__startswith="rumour:")
    logged = _last("director_intervention").payload["text"]
    assert logged == "A rumour about Bob reached Alice: Bob gambles at night."
    assert known.content == "Bob gambles at night."
    assert known.data["about_id"] == str(bob.pk) and known.data["kind"] == "secret"


def test_a_storm_is_remembered_by_everyone_and_throws_people_together(world, alice, bob, carol):
    director_intervene(ecosystem=world, kind="storm", reason="tension low")

    assert Memory.objects.filter(content__contains="storm").count() == 3
    assert Interaction.objects.count() == 1  # three people make one pair
    assert _last("director_intervention").payload["reason"] == "tension low"


def test_a_lost_object_gives_the_finder_a_goal_toward_the_owner(world, alice, bob):
    director_intervene(ecosystem=world, kind="lost_object", text="pocket watch",
                       character_ids=[str(alice.pk), str(bob.pk)])  # fmt: skip

    alice.refresh_from_db()
    goal = alice.short_term_goals[-1]
    assert goal["target_id"] == str(bob.pk) and goal["intent"] == "befriend"
    assert "pocket watch" in _last("director_intervention").payload["text"]


@pytest.mark.parametrize(
    ("kind", "cast", "message"),
    [
        ("earthquake", 0, "Unknown intervention"),
        ("meet", 1, "exactly 2"),
        ("whisper", 1, "needs a text"),
    ],
)
def test_a_wrong_intervention_is_refused_with_what_to_do(world, alice, bob, kind, cast, message):
    ids = [str(alice.pk), str(bob.pk)][:cast]
    with pytest.raises(InvalidInput, match=message):
        director_intervene(ecosystem=world, kind=kind, character_ids=ids)
    assert not Event.objects.exists()


def test_a_character_of_another_world_cannot_be_directed(world, alice):
    elsewhere = CharacterFactory(ecosystem=EcosystemFactory(), name="Eve")
    with pytest.raises(InvalidInput, match="No character"):
        director_intervene(ecosystem=world, kind="meet",
                           character_ids=[str(alice.pk), str(elsewhere.pk)])  # fmt: skip


def test_a_directed_scene_forces_the_chosen_interaction_with_the_chosen_words(world, alice, bob):
    scene_direct(ecosystem=world, initiator_id=str(alice.pk), target_id=str(bob.pk),
                 interaction_type="compliment", content="Your roses are splendid.")  # fmt: skip

    interaction = Interaction.objects.get()
    assert interaction.interaction_type == "compliment"
    assert interaction.content == "Your roses are splendid."
    assert _last("director_intervention").payload["kind"] == "scene"


def test_starting_a_scenario_gives_its_characters_the_objectives_and_announces_it(
    world, alice, bob
):
    scenario = scenario_create(
        ecosystem=world, title="The Missing Locket", setting="The garden", mood="tense",
        character_ids=[str(alice.pk), str(bob.pk)],
        objectives={"primary": "Find out who took the locket", "subplots": ["Win Bob's heart"],
                    "hidden": ["Hide the locket", "Blame Carol"]},
    )  # fmt: skip

    scenario_start(scenario=scenario)

    alice.refresh_from_db()
    bob.refresh_from_db()
    assert [g["description"] for g in alice.short_term_goals] == [
        "Find out who took the locket", "Win Bob's heart", "Hide the locket",
    ]  # fmt: skip
    assert bob.short_term_goals[-1]["description"] == "Blame Carol"
    event = _last("scenario_started")
    assert event.payload["title"] == "The Missing Locket"
    assert event.payload["objectives"]["hidden_count"] == 2
    assert "Hide the locket" not in str(event.payload)  # hidden stays hidden
    assert Scenario.objects.get().status == Scenario.Status.ACTIVE


def test_a_started_scenario_cannot_start_again(world, alice):
    scenario = scenario_create(ecosystem=world, title="Tea", character_ids=[str(alice.pk)])
    scenario_start(scenario=scenario)
    with pytest.raises(InvalidTransition, match="only a draft"):
        scenario_start(scenario=scenario)


def test_a_template_is_reused_as_a_new_draft_and_never_started_itself(world, alice):
    template = scenario_create(ecosystem=world, title="Picnic", is_template=True,
                               character_ids=[str(alice.pk)],
                               objectives={"primary": "Enjoy the picnic"})  # fmt: skip
    with pytest.raises(InvalidTransition, match="template"):
        scenario_start(scenario=template)

    copy = scenario_from_template(template=template)

    assert copy.pk != template.pk and not copy.is_template
    assert copy.objectives["primary"] == "Enjoy the picnic"
    assert list(copy.characters.all()) == [alice]


def test_unknown_objective_fields_are_refused(world):
    with pytest.raises(InvalidInput, match="Unknown objective"):
        scenario_create(ecosystem=world, title="X", objectives={"secret": "y"})


def test_a_rumour_told_on_at_once_is_gossiped_to_the_listener(world, alice, bob, carol):
    director_intervene(ecosystem=world, kind="rumour", text="Bob gambles at night.",
                       character_ids=[str(alice.pk), str(bob.pk), str(carol.pk)])  # fmt: skip

    gossip = Interaction.objects.get(interaction_type="gossip")
    assert (gossip.initiator, gossip.target) == (alice, carol)
    assert gossip.context.get("subject_id") == str(bob.pk)
