"""Lore services: the owner writes (approved at once), a visitor of a public world proposes and
the owner reviews, votes replace each other, each write is logged; characters know the lore
their visibility allows, pass group and secret lore on, and cite what they know."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput, InvalidTransition, PlanLimitReached
from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.models import Alliance, Ecosystem, Event, Knowledge, LoreEntry
from ecosystems.selectors import lore_known_by
from ecosystems.services import interaction_process
from ecosystems.services.conversations import conversation_start, message_send
from ecosystems.services.lore import (
    MAX_PENDING_PROPOSALS,
    lore_create,
    lore_review,
    lore_vote,
)
from ecosystems.services.ticks import ecosystem_run_ticks
from tests.factories import CharacterFactory, EcosystemFactory, RelationshipFactory, UserFactory

pytestmark = pytest.mark.django_db

FOUNTAIN = "The fountain in the square is older than the town, and grants a wish at midnight."
LOCKET = "The locket lies at the bottom of the lily pond, where Bob threw it."


@pytest.fixture
def public_world(owner):
    return EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC, name="Town")


def fountain(world, author, **fields):
    fields.setdefault("title", "The Ancient Fountain")
    fields.setdefault("text", FOUNTAIN)
    return lore_create(ecosystem=world, author=author, **fields)


def lore_events(world) -> list[dict]:
    return list(
        Event.objects.filter(ecosystem=world, kind="lore_changed")
        .order_by("seq")
        .values_list("payload", flat=True)
    )


def test_the_owners_entry_is_approved_embedded_and_logged(world, owner):
    entry = fountain(world, owner, tags=["Places", "legends", "places"])

    assert entry.status == "approved" and entry.author == owner
    assert entry.tags == ["places", "legends"]
    assert entry.embedding is not None and len(entry.embedding) == 256
    [event] = lore_events(world)
    assert event == {
        "entry_id": str(entry.pk), "title": "The Ancient Fountain", "change": "created",
        "visibility": "public", "group": "", "tags": ["places", "legends"],
    }  # fmt: skip


def test_a_visitor_proposes_and_the_owner_approves_or_rejects(public_world, owner, stranger):
    proposal = fountain(public_world, stranger)
    assert proposal.status == "proposed"

    lore_review(entry=proposal, decision="approve")
    assert LoreEntry.objects.get(pk=proposal.pk).status == "approved"
    with pytest.raises(InvalidTransition):
        lore_review(entry=proposal, decision="approve")
    lore_review(entry=proposal, decision="reject")

    assert [e["change"] for e in lore_events(public_world)] == ["proposed", "approved", "rejected"]


def test_a_visitor_cannot_write_into_a_private_world(world, stranger):
    with pytest.raises(InvalidInput, match="private world"):
        fountain(world, stranger)


def test_a_second_vote_replaces_the_first(world, owner, stranger):
    entry = fountain(world, owner)
    other = UserFactory()

    assert lore_vote(entry=entry, user=stranger, value=1).score == 1
    assert lore_vote(entry=entry, user=other, value=1).score == 2
    assert lore_vote(entry=entry, user=stranger, value=-1).score == 0
    assert lore_vote(entry=entry, user=stranger, value=-1).score == 0
    assert entry.votes.count() == 2
    for wrong in (0, 2, True, "1"):
        with pytest.raises(InvalidInput):
            lore_vote(entry=entry, user=stranger, value=wrong)


def test_a_rejected_entry_takes_no_votes(world, owner):
    entry = fountain(world, owner)
    lore_review(entry=entry, decision="reject")
    with pytest.raises(InvalidTransition):
        lore_vote(entry=entry, user=owner, value=1)


def test_what_is_wrong_with_an_entry_is_said(world, owner, alice):
    with pytest.raises(InvalidInput, match="limit is 10,000"):
        fountain(world, owner, text="x" * 1_000_000)
    with pytest.raises(InvalidInput, match="title and a text"):
        fountain(world, owner, title="  ")
    with pytest.raises(InvalidInput, match="names its group"):
        fountain(world, owner, visibility="group")
    with pytest.raises(InvalidInput, match="who knows it"):
        fountain(world, owner, visibility="secret")
    other = CharacterFactory()  # of another world
    with pytest.raises(InvalidInput, match="who knows it"):
        fountain(world, owner, visibility="secret", knower_ids=[alice.pk, other.pk])
    with pytest.raises(InvalidInput, match="at most 10"):
        fountain(world, owner, tags=[f"t{i}" for i in range(11)])
    assert not LoreEntry.objects.exists() and not lore_events(world)


def test_a_visitor_may_have_only_so_many_proposals_waiting(public_world, stranger):
    for i in range(MAX_PENDING_PROPOSALS):
        fountain(public_world, stranger, title=f"Proposal {i}")
    with pytest.raises(PlanLimitReached, match="waiting"):
        fountain(public_world, stranger, title="One too many")


def test_characters_know_the_lore_their_visibility_allows(world, owner, alice):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    carol = CharacterFactory(ecosystem=world, name="Carol")
    pact = Alliance.objects.create(ecosystem=world, key="k", name="The Rose Garden Pact")
    pact.members.set([bob, carol])
    fountain(world, owner)
    fountain(world, owner, title="Pact Sundays", text="The pact meets at the gazebo.",
             visibility="group", group="the rose garden pact")  # fmt: skip
    fountain(world, owner, title="The Lost Locket", text=LOCKET, visibility="secret",
             knower_ids=[alice.pk])  # fmt: skip
    LoreEntry.objects.create(ecosystem=world, title="Unapproved", text="A fountain's twin.",
                             status="proposed")  # a proposal is not lore (yet)  # fmt: skip

    def titles(character):
        return sorted(f.title for f in lore_known_by(character=character))

    assert titles(alice) == ["The Ancient Fountain", "The Lost Locket"]
    assert titles(bob) == ["Pact Sundays", "The Ancient Fountain"]
    pact.broken_tick = 3
    pact.save()
    assert titles(bob) == ["The Ancient Fountain"]  # the group no longer stands


def test_secret_lore_shared_is_known_by_the_listener_as_lore(world, owner, alice):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    entry = fountain(world, owner, title="The Lost Locket", text=LOCKET, visibility="secret",
                     knower_ids=[alice.pk])  # fmt: skip

    interaction_process(initiator=alice, target=bob, interaction_type="share_secret",
                        context={"secret": LOCKET})  # fmt: skip

    known = Knowledge.objects.get(character=bob, fact_key=f"lore:{entry.pk}")
    assert known.told_by == alice and known.data["kind"] == "lore"
    assert [f.title for f in lore_known_by(character=bob)] == ["The Lost Locket"]


def test_a_character_cites_lore_it_knows_when_the_talk_turns_to_it(world, owner, alice):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    fountain(world, owner)

    result = interaction_process(
        initiator=bob, target=alice, interaction_type="small_talk",
        content="Have you ever made a wish at the old fountain in the square?",
    )  # fmt: skip
    again = interaction_process(
        initiator=bob, target=alice, interaction_type="small_talk",
        content="Tell me again about the fountain and the wish.",
    )  # fmt: skip
    plain = interaction_process(
        initiator=bob, target=alice, interaction_type="small_talk", content="Lovely croquet."
    )

    assert "older than the town" in result.response
    assert result.interaction.response == result.response
    assert "older than the town" not in again.response  # not the same legend every line
    assert "older than the town" not in plain.response


def test_a_character_does_not_cite_secret_lore_it_was_never_told(world, owner, alice):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    fountain(world, owner, title="The Lost Locket", text=LOCKET, visibility="secret",
             knower_ids=[alice.pk])  # fmt: skip

    asked = "Where could the locket be? Maybe the lily pond?"
    to_bob = interaction_process(
        initiator=alice, target=bob, interaction_type="small_talk", content=asked
    )
    to_alice = interaction_process(
        initiator=bob, target=alice, interaction_type="small_talk", content=asked
    )

    assert "bottom of the lily pond" not in to_bob.response
    assert "bottom of the lily pond" in to_alice.response


def test_group_lore_spreads_beyond_the_group_in_ticks(owner):
    world = EcosystemFactory(owner=owner, seed=11)
    people = [
        CharacterFactory(ecosystem=world, name=name, extraversion=1.0, openness=1.0,
                         conscientiousness=0.0, agreeableness=0.2, autonomy_level=1)
        for name in ("Anna", "Beth", "Cora")
    ]  # fmt: skip
    for a in people:
        for b in people:
            if a != b:
                RelationshipFactory(source=a, target=b, strength=0.8, trust=0.8, familiarity=0.9)
    pact = Alliance.objects.create(ecosystem=world, key="k", name="Anna's Circle")
    pact.members.set([people[0]])
    entry = fountain(world, owner, title="The Circle's Oath", text="We swore on the oak.",
                     visibility="group", group="Anna's Circle")  # fmt: skip

    ecosystem_run_ticks(ecosystem=world, ticks=30)

    learned = Knowledge.objects.filter(fact_key=f"lore:{entry.pk}")
    assert learned.exists()
    assert set(learned.values_list("source", flat=True)) == {"told"}
    assert people[0].pk not in set(learned.values_list("character_id", flat=True))


def test_a_person_asking_a_character_about_the_lore_hears_it_cited(world, owner, alice):
    fountain(world, owner)
    talk = conversation_start(
        user=owner, ecosystem=world, character_ids=[alice.pk], persona_name="Tom"
    )

    sent = message_send(conversation=talk, user=owner, text="What do you know of the fountain?")

    [reply] = sent["replies"]
    assert "older than the town" in reply["text"]


def test_a_guest_of_the_demo_party_cites_the_countys_talk_of_the_locket(owner):
    world = ecosystem_create_from_demo(owner=owner).ecosystem
    alice, bob = world.characters.order_by("name")[:2]

    result = interaction_process(
        initiator=bob, target=alice, interaction_type="small_talk",
        content="Any news of Lady Ashworth's locket?",
    )  # fmt: skip

    assert "the whole county whispers of it" in result.response
    assert LoreEntry.objects.filter(ecosystem=world, status="approved").count() == 2
