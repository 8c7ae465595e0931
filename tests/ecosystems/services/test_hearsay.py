"""hearsay: a secret shared through an interaction is known by the listener, and gossip about
its keeper carries it on, logged as gossip_spread as the tick logs it."""

from __future__ import annotations

import pytest

from ecosystems.models import Event, Knowledge
from ecosystems.services import interaction_process
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db
WILL = "I forged my uncle's will."


@pytest.fixture
def cast(world):
    return {
        name: CharacterFactory(
            ecosystem=world, name=name, secrets=[WILL] if name == "Alice" else []
        )
        for name in ("Alice", "Bob", "Carol", "Dave")
    }


def spread() -> list[dict]:
    return list(
        Event.objects.filter(kind="gossip_spread").order_by("seq").values_list("payload", flat=True)
    )


def test_a_shared_secret_is_known_by_the_listener_and_logged_as_it_travels(cast):
    interaction_process(
        initiator=cast["Alice"], target=cast["Bob"], interaction_type="share_secret"
    )

    known = Knowledge.objects.get(character=cast["Bob"])
    assert (known.content, known.source, known.told_by) == (WILL, "told", cast["Alice"])
    [told] = spread()
    assert (told["teller"]["name"], told["listener"]["name"], told["fact"]) == (
        "Alice",
        "Bob",
        WILL,
    )


def test_gossip_about_the_confider_carries_the_secret_to_a_third(cast):
    interaction_process(
        initiator=cast["Alice"], target=cast["Bob"], interaction_type="share_secret"
    )
    interaction_process(
        initiator=cast["Bob"], target=cast["Carol"], interaction_type="gossip",
        context={"subject_id": str(cast["Alice"].pk)},
    )  # fmt: skip

    assert Knowledge.objects.get(character=cast["Carol"]).told_by == cast["Bob"]
    leak = spread()[-1]
    assert (leak["teller"]["name"], leak["listener"]["name"], leak["subject"]["name"]) == (
        "Bob", "Carol", "Alice"
    )  # fmt: skip
    assert leak["fact"] == WILL


def test_gossip_about_someone_who_never_confided_carries_nothing(cast):
    interaction_process(
        initiator=cast["Alice"], target=cast["Bob"], interaction_type="share_secret"
    )
    interaction_process(
        initiator=cast["Bob"], target=cast["Carol"], interaction_type="gossip",
        context={"subject_id": str(cast["Dave"].pk)},
    )  # fmt: skip

    assert len(spread()) == 1  # only Alice's own telling
    assert not Knowledge.objects.filter(character=cast["Carol"]).exists()


def test_a_secret_told_twice_to_the_same_listener_travels_once(cast):
    for _ in range(2):
        interaction_process(
            initiator=cast["Alice"], target=cast["Bob"], interaction_type="share_secret"
        )

    assert len(spread()) == 1 and Knowledge.objects.filter(character=cast["Bob"]).count() == 1
