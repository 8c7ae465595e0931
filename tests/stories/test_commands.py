"""``manage.py stories``: sifts, lists, reads."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecosystems.services import interaction_process
from stories.models import Story
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db


def test_the_command_sifts_lists_and_reads_a_story(world, alice):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    for act, a, b in [("argue", alice, bob), ("insult", bob, alice), ("threaten", alice, bob)]:
        interaction_process(initiator=a, target=b, interaction_type=act)
    out = StringIO()

    call_command("stories", world.name, stdout=out)

    story = Story.objects.get()
    assert "1 new stories" in out.getvalue() and story.title in out.getvalue()
    read = StringIO()
    call_command("stories", str(world.pk), "--read", str(story.pk), stdout=read)
    assert read.getvalue().count("## ") >= 2 and story.title in read.getvalue()


def test_reading_a_story_of_another_world_is_refused(world):
    with pytest.raises(CommandError, match="No story"):
        call_command("stories", world.name, "--read", "00000000-0000-0000-0000-000000000000")
