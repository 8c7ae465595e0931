"""What one message costs the database: a fixed number of queries, whatever the history.

The numbers are exact on purpose: a query added to the message path (a row read back that the
service already holds, a lookup repeated per character) fails here and has to be argued for.
They count everything the message runs, the commit and what runs after it (the visitors'
redactor of a public world) included, as issue 15's benchmark measures it.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from characters.models import Character
from ecosystems.demo import demo_world_seed
from ecosystems.models import ConversationMessage, Event, Relationship
from ecosystems.services.conversations import conversation_start, message_send

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# BEGIN; the conversation locked with its persona and world; its cast; the plan (hold,
# subscription locked, this month's messages); the persona rested; the world's names; the
# recent turns; the world's model servers (once, for every reply); the cast's views of the
# persona. The interaction (savepoint; world, characters and relationships locked; recent
# exchanges; the lore it may cite: entries, alliances, what the character knows; its row, two
# relationships, their change log, two characters' feelings, two memories; the events' seqs
# and COPY; release). The recall (settings and clock, the pool). The options' acquaintances;
# both turns in one INSERT; the conversation; COMMIT; after it the visitors' redactor.
ONE_CHARACTER = 36
# Each further character of a group adds its own interaction (with its lore) and recall (20
# queries) and its events' redactor after commit (1), nothing per message: the views, the
# plan, the turns' INSERT and the conversation's UPDATE stay one query for the whole cast.
TWO_CHARACTERS = ONE_CHARACTER + 21


def _demo(owner):
    world = demo_world_seed(owner=owner).ecosystem
    return world, {c.name: c for c in Character.objects.filter(ecosystem=world)}


def _count(talk, owner, text: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        sent = message_send(conversation=talk, user=owner, text=text)
    return len(queries.captured_queries), sent


def test_a_message_to_one_character_takes_a_fixed_number_of_queries(owner):
    world, cast = _demo(owner)
    talk = conversation_start(user=owner, ecosystem=world, character_ids=[cast["Diana"].pk],
                              persona_name="Tom", goal="find out who has the locket")  # fmt: skip
    message_send(conversation=talk, user=owner, text="Good afternoon!")
    message_send(conversation=talk, user=owner, text="I grew roses in Kent for twenty years.")
    events_before = Event.objects.filter(ecosystem=world).count()

    count, sent = _count(talk, owner, "You look lovely today.")

    assert count == ONE_CHARACTER
    # Still everything a message does: both turns saved in order, searchable by meaning,
    # the options on the reply, the events logged, the character's view and feelings moved.
    said, reply = ConversationMessage.objects.filter(conversation=talk).order_by("-seq")[:2][::-1]
    assert [said.seq, reply.seq] == [5, 6] and said.speaker_kind == "person"
    assert said.embedding is not None and reply.embedding is not None
    assert reply.options == sent["options"] and len(reply.options) == 3
    assert reply.emotions == Character.objects.get(pk=cast["Diana"].pk).emotions
    assert Event.objects.filter(ecosystem=world).count() > events_before
    view = Relationship.objects.get(source=cast["Diana"], target=talk.persona)
    assert sent["relationship_change"]["strength_delta"] != 0 and view.strength > 0


def test_each_more_character_of_a_group_adds_only_its_own_interaction(owner):
    world, cast = _demo(owner)
    talk = conversation_start(user=owner, ecosystem=world,
                              character_ids=[cast["Diana"].pk, cast["Alice"].pk],
                              persona_name="Tom")  # fmt: skip
    message_send(conversation=talk, user=owner, text="Good afternoon!")
    message_send(conversation=talk, user=owner, text="I grew roses in Kent for twenty years.")

    count, sent = _count(talk, owner, "You look lovely today.")

    assert count == TWO_CHARACTERS
    assert {r["name"] for r in sent["replies"]} == {"Alice", "Diana"}
    assert list(talk.messages.order_by("seq").values_list("seq", flat=True)) == list(range(1, 10))
