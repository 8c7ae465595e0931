"""interaction_process: validates, runs the engine, saves everything at once, publishes after
commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from characters.models import Memory
from core.errors import InvalidInput, NotFeasible
from ecosystems.models import Ecosystem, Event, Interaction, Relationship, RelationshipChange
from ecosystems.services import interaction_process
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(
        ecosystem=world, name="Bob", agreeableness=0.15, extraversion=0.25, neuroticism=0.4
    )


@pytest.fixture
def charlie(world):
    return CharacterFactory(ecosystem=world, name="Charlie", extraversion=0.9)


def test_a_greeting_is_saved_with_both_relationships_memories_and_events(alice, bob):
    result = interaction_process(initiator=alice, target=bob, interaction_type="greeting")

    interaction = Interaction.objects.get()
    assert interaction.content and interaction.response == result.response
    assert {(r.source.name, r.target.name) for r in Relationship.objects.all()} == {
        ("Alice", "Bob"),
        ("Bob", "Alice"),
    }
    assert set(result.relationship_change) == {"initiator_to_target", "target_to_initiator"}
    assert result.relationship_change["initiator_to_target"]["familiarity_delta"] > 0
    assert Memory.objects.filter(kind=Memory.Kind.DIALOGUE).count() == 2
    assert "Alice greeted me" in Memory.objects.get(character=bob).content
    kinds = list(Event.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds[0] == "character_interaction"
    assert RelationshipChange.objects.filter(interaction=interaction).exists()


def test_the_interaction_event_matches_the_design_frame(alice, bob):
    interaction_process(initiator=alice, target=bob, interaction_type="greeting", content="Hi!")

    data = Event.objects.get(kind="character_interaction").payload
    assert data["participants"] == [
        {"id": str(alice.pk), "name": "Alice", "role": "initiator"},
        {"id": str(bob.pk), "name": "Bob", "role": "responder"},
    ]
    assert data["interaction_type"] == "greeting"
    assert data["content"] == "Hi!"
    assert set(data["relationship_change"]) >= {"strength_delta", "trust_delta"}
    assert set(data["emotional_states"]) == {str(alice.pk), str(bob.pk)}


def test_seq_is_gapless_across_interactions(alice, bob):
    for _ in range(3):
        interaction_process(initiator=alice, target=bob, interaction_type="small_talk")

    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert Ecosystem.objects.get(pk=alice.ecosystem_id).last_event_seq == seqs[-1]


def test_a_failed_transaction_leaves_no_event_and_no_gap(alice, bob):
    def interact_then_fail() -> None:
        with transaction.atomic():
            interaction_process(initiator=alice, target=bob, interaction_type="greeting")
            raise RuntimeError("the caller's transaction fails after the interaction")

    with pytest.raises(RuntimeError):
        interact_then_fail()
    assert not Event.objects.exists()
    assert not Interaction.objects.exists()

    interaction_process(initiator=alice, target=bob, interaction_type="greeting")
    assert Event.objects.order_by("seq").first().seq == 1


def test_agreeable_alice_and_disagreeable_bob_answer_a_greeting_differently(alice, bob, charlie):
    to_alice = interaction_process(initiator=charlie, target=alice, interaction_type="greeting")
    to_bob = interaction_process(initiator=charlie, target=bob, interaction_type="greeting")

    assert to_alice.response != to_bob.response
    assert len(to_alice.response) > len(to_bob.response)


def test_feelings_and_energy_change_and_are_saved(alice, bob):
    result = interaction_process(initiator=alice, target=bob, interaction_type="insult")

    bob.refresh_from_db()
    alice.refresh_from_db()
    assert bob.emotions["anger"] > 0
    assert alice.social_energy < 1.0
    assert result.energy_cost[str(alice.pk)] > 0
    assert result.emotional_impact[str(bob.pk)]["anger"] > 0


def test_small_moves_ride_in_the_interaction_frame_and_big_ones_get_their_own_event(alice, bob):
    interaction_process(initiator=alice, target=bob, interaction_type="small_talk")
    assert not Event.objects.filter(kind="relationship_changed").exists()

    for _ in range(3):
        interaction_process(initiator=bob, target=alice, interaction_type="help")
    interaction_process(initiator=bob, target=alice, interaction_type="betray")

    change = Event.objects.filter(kind="relationship_changed").latest("seq").payload
    assert change["source"]["name"] == "Alice"
    assert change["trust_delta"] <= -0.05
    assert "Bob betrayed Alice" in change["cause"]


def test_a_betrayal_leaves_a_readable_cause_in_the_change_log(alice, bob):
    for _ in range(3):
        interaction_process(initiator=bob, target=alice, interaction_type="help")
    interaction_process(initiator=bob, target=alice, interaction_type="betray")

    alice_view = Relationship.objects.get(source=alice, target=bob)
    causes = set(alice_view.changes.values_list("cause", flat=True))
    assert any("Bob betrayed Alice" in cause for cause in causes)
    trust_drop = alice_view.changes.filter(cause__contains="betrayed", axis="trust").get()
    assert trust_drop.delta < 0


def test_gossip_moves_the_listeners_view_of_the_subject(alice, bob, charlie):
    interaction_process(
        initiator=charlie,
        target=alice,
        interaction_type="gossip",
        context={"subject_id": str(bob.pk)},
    )

    assert Relationship.objects.filter(source=alice, target=bob).exists()
    event = Event.objects.get(kind="character_interaction")
    assert "Bob" in event.payload["summary"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"interaction_type": "dance"}, "Unknown interaction type 'dance'"),
        ({"content": "x" * 2001}, "the limit is 2000"),
        ({"context": {"subject_id": "not-a-uuid"}}, "subject_id must be a character id"),
        ({"context": {"shared_history": "the picnic"}}, "shared_history must be a list"),
    ],
)
def test_bad_requests_are_refused_with_a_message_that_says_what_to_do(alice, bob, change, message):
    arguments = {"initiator": alice, "target": bob, "interaction_type": "greeting", **change}
    with pytest.raises(InvalidInput, match=message):
        interaction_process(**arguments)
    assert not Event.objects.exists()


def test_characters_of_different_worlds_cannot_interact(alice):
    elsewhere = CharacterFactory(ecosystem=EcosystemFactory(owner=alice.ecosystem.owner))
    with pytest.raises(InvalidInput, match="different worlds"):
        interaction_process(initiator=alice, target=elsewhere, interaction_type="greeting")


def test_a_character_cannot_interact_with_itself(alice):
    with pytest.raises(InvalidInput, match="cannot interact with themself"):
        interaction_process(initiator=alice, target=alice, interaction_type="greeting")


def test_an_inactive_character_is_not_present(alice, bob):
    bob.is_active = False
    bob.save()
    with pytest.raises(InvalidInput, match="Bob is not present"):
        interaction_process(initiator=alice, target=bob, interaction_type="greeting")


def test_an_archived_world_refuses_interactions(alice, bob):
    Ecosystem.objects.filter(pk=alice.ecosystem_id).update(status=Ecosystem.Status.ARCHIVED)
    with pytest.raises(InvalidInput, match="archived"):
        interaction_process(initiator=alice, target=bob, interaction_type="greeting")


def test_reconciling_without_a_rift_is_not_feasible_and_says_why(alice, bob):
    with pytest.raises(NotFeasible) as refused:
        interaction_process(initiator=alice, target=bob, interaction_type="reconcile")
    assert refused.value.message
    assert not Interaction.objects.exists()


def test_after_an_argument_reconciling_becomes_possible(alice, bob):
    interaction_process(initiator=bob, target=alice, interaction_type="argue")
    result = interaction_process(initiator=alice, target=bob, interaction_type="reconcile")
    assert result.interaction.interaction_type == "reconcile"


def test_frames_are_sent_to_the_world_group_only_after_commit(alice, bob, monkeypatch):
    sent: list[list[int]] = []
    monkeypatch.setattr(
        "ecosystems.events.broadcast",
        lambda ecosystem_id, frames, **_: sent.append([f["event"]["seq"] for f in frames]),
    )
    with transaction.atomic():
        interaction_process(initiator=alice, target=bob, interaction_type="greeting")
        assert sent == []
    # pytest-django wraps the test in a transaction: on_commit callbacks run when captured.


def test_frames_go_out_once_the_transaction_commits(
    alice, bob, django_capture_on_commit_callbacks, monkeypatch
):
    sent: list[list[int]] = []
    monkeypatch.setattr(
        "ecosystems.events.broadcast",
        lambda ecosystem_id, frames, **_: sent.append([f["event"]["seq"] for f in frames]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        interaction_process(initiator=alice, target=bob, interaction_type="greeting")
    assert sent == [list(range(1, Event.objects.count() + 1))]


def test_with_a_model_server_configured_the_lines_come_from_the_llm(alice, bob, model_server):
    from characters.models import LLMUsage
    from tests.characters.llm.chat_server import Reply

    model_server.script(Reply("Good morning, Bob! Lovely roses."), Reply("Hm. Morning, Alice."))

    result = interaction_process(initiator=alice, target=bob, interaction_type="greeting")

    assert result.dialogue_source == "llm"
    assert result.interaction.content == "Good morning, Bob! Lovely roses."
    assert result.response == "Hm. Morning, Alice."
    assert "greeting" in model_server.requests[0].body["messages"][-1]["content"].lower()
    assert LLMUsage.objects.filter(ecosystem=alice.ecosystem).count() == 2


def test_when_the_model_server_fails_the_template_engine_answers(alice, bob, model_server):
    from tests.characters.llm.chat_server import Fail

    model_server.always(Fail(500))

    result = interaction_process(initiator=alice, target=bob, interaction_type="greeting")

    assert result.dialogue_source == "template"
    assert result.response
    assert result.interaction.content


def test_earlier_memorable_exchanges_are_named_as_shared_history(alice, bob):
    from ecosystems.records import history_phrases as _history_phrases

    world = alice.ecosystem
    interaction_process(initiator=bob, target=alice, interaction_type="argue")
    world.current_tick = 200  # 200 ticks of 15 minutes: two days later
    past = list(Interaction.objects.all())

    assert _history_phrases(world, past) == ["the quarrel on Tuesday"]  # 14 June 1887


def test_memories_are_embedded_and_count_toward_reflection(alice, bob):
    result = interaction_process(initiator=alice, target=bob, interaction_type="confide")

    alice.refresh_from_db()
    assert all(m.embedding is not None and len(m.embedding) == 256 for m in result.memories)
    assert alice.importance_since_reflection == result.memories[0].importance


def test_a_spent_reflection_budget_enqueues_a_reflection(
    alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    from characters.engine.memory import REFLECTION_IMPORTANCE_BUDGET

    reflecting = []
    monkeypatch.setattr(
        "ecosystems.tasks.memory_reflect_task.apply_async",
        lambda args, queue: reflecting.append(*args),
    )
    alice.importance_since_reflection = REFLECTION_IMPORTANCE_BUDGET
    alice.save()

    with django_capture_on_commit_callbacks(execute=True):
        interaction_process(initiator=alice, target=bob, interaction_type="greeting")

    assert reflecting == [str(alice.pk)]


def test_a_threat_sent_as_small_talk_is_saved_and_felt_as_a_threat(alice, bob):
    result = interaction_process(
        initiator=alice,
        target=bob,
        interaction_type="small_talk",
        content="I am going to burn your house down tonight.",
    )

    assert result.interaction.interaction_type == "threaten"
    assert result.relationship_change["target_to_initiator"]["strength_delta"] < 0
    assert result.emotional_impact[str(bob.pk)].get("fear", 0) > 0
    data = Event.objects.get(kind="character_interaction").payload
    assert data["interaction_type"] == "threaten"
