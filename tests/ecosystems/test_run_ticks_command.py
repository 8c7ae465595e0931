from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecosystems.demo import demo_world_seed

pytestmark = pytest.mark.django_db


def test_run_ticks_prints_each_tick_and_the_world_clock(owner):
    demo_world_seed(owner=owner)
    out = StringIO()

    call_command("run_ticks", "The Garden Party", "--ticks", "2", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("tick 1: ")
    assert lines[1].startswith("tick 2: ")
    assert "The Garden Party is now at tick 2 (Tuesday 09:20)" in lines[2]


def test_run_ticks_refuses_too_many_with_the_limit(owner):
    demo_world_seed(owner=owner)
    with pytest.raises(CommandError, match="between 1 and 100"):
        call_command("run_ticks", "The Garden Party", "--ticks", "1000")


def test_an_unknown_world_is_named_in_the_error():
    with pytest.raises(CommandError, match="no world named 'Atlantis'"):
        call_command("run_ticks", "Atlantis")
