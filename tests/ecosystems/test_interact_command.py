from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecosystems.demo import demo_world_seed
from ecosystems.models import Event

pytestmark = pytest.mark.django_db


def test_alice_greeting_bob_in_the_demo_world_prints_both_lines_and_the_change(owner):
    demo_world_seed(owner=owner)
    out = StringIO()

    call_command("interact", "The Garden Party", "Alice", "Bob", "greeting", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Alice: ")
    assert lines[1].startswith("Bob: ")
    assert "initiator to target: strength" in out.getvalue()
    assert Event.objects.filter(kind="character_interaction").count() == 1


def test_an_unknown_character_names_the_ones_there_are(owner):
    demo_world_seed(owner=owner)
    with pytest.raises(CommandError, match="choose one of: Alice, Bob"):
        call_command("interact", "The Garden Party", "Alice", "Zed", "greeting")


def test_an_infeasible_interaction_says_why(owner):
    demo_world_seed(owner=owner)
    with pytest.raises(CommandError, match="not_feasible"):
        call_command("interact", "The Garden Party", "Alice", "Bob", "reconcile")
