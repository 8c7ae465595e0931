"""The talk page works without JavaScript: start under a persona with a goal, send a line,
pick an option, see the goal's progress and the emotional arc as a table."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from ecosystems.models import Conversation, Ecosystem
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(world):
    return CharacterFactory(ecosystem=world, name="Bob", agreeableness=0.7)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def _start(client, bob, **fields):
    data = {"persona_name": "Tom", "goal": "win Bob's trust", **fields}
    return client.post(reverse("talk-start", args=[bob.ecosystem_id, bob.pk]), data)


def test_the_page_asks_who_you_are_before_the_first_conversation(owner_client, bob):
    page = owner_client.get(reverse("talk", args=[bob.ecosystem_id, bob.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Talk with Bob" in html and 'name="persona_name"' in html and 'name="goal"' in html


def test_talking_through_the_page_shows_the_reply_options_progress_and_arc(owner_client, bob):
    started = _start(owner_client, bob)
    assert started.status_code == 302
    talk = Conversation.objects.get(characters=bob)
    say = reverse("talk-say", args=[bob.ecosystem_id, bob.pk])

    sent = owner_client.post(say, {"conversation": talk.pk, "text": "You look lovely today"})
    page = owner_client.get(sent["Location"])

    html = page.content.decode()
    assert "You look lovely today" in html
    assert '<label for="say">Say something</label>' in html and ">Send</button>" in html
    options = talk.messages.get(seq=2).options
    assert len(options) == 3
    for option in options:  # each a button that sends its own text
        assert f'name="text" value="{escape(option)}"' in html
    assert "<progress" in html and "win Bob&#x27;s trust" in html
    assert 'id="arc-table"' in html and 'id="arc-chart"' in html
    assert "chart.umd.min.js" in html

    owner_client.post(say, {"conversation": talk.pk, "text": options[0]})
    assert talk.messages.filter(speaker_kind="person", text=options[0]).exists()


def test_an_empty_message_comes_back_as_a_message_saying_so(owner_client, bob):
    _start(owner_client, bob)
    talk = Conversation.objects.get(characters=bob)

    response = owner_client.post(
        reverse("talk-say", args=[bob.ecosystem_id, bob.pk]),
        {"conversation": talk.pk, "text": "  "},
        follow=True,
    )

    assert "the message is empty" in response.content.decode()
    assert not talk.messages.exists()


def test_the_cast_and_character_page_link_to_talk_and_mark_the_person(owner_client, bob):
    _start(owner_client, bob)
    talk_url = reverse("talk", args=[bob.ecosystem_id, bob.pk])

    character_page = owner_client.get(reverse("character", args=[bob.ecosystem_id, bob.pk]))
    observatory = owner_client.get(reverse("observatory", args=[bob.ecosystem_id]))

    assert talk_url in character_page.content.decode()
    html = observatory.content.decode()
    assert talk_url in html and "person-badge" in html


def test_someone_elses_private_world_is_a_404_and_a_public_one_read_only(client, stranger, bob):
    client.force_login(stranger)
    url = reverse("talk", args=[bob.ecosystem_id, bob.pk])
    assert client.get(url).status_code == 404
    Ecosystem.objects.filter(pk=bob.ecosystem_id).update(visibility="public")
    assert client.get(url).status_code == 403
    assert _start(client, bob).status_code == 403


def test_a_character_of_another_world_is_a_404(owner_client, owner, bob):
    elsewhere = CharacterFactory(ecosystem=EcosystemFactory(owner=owner), name="Eve")
    url = reverse("talk", args=[bob.ecosystem_id, elsewhere.pk])
    assert owner_client.get(url).status_code == 404


def _say(client, bob, text):
    conversation = Conversation.objects.filter(characters=bob).latest("created_at")
    url = reverse("talk-say", args=[bob.ecosystem_id, bob.pk])
    return client.post(url, {"conversation": str(conversation.pk), "text": text})


def test_my_conversations_are_listed_and_found_by_a_paraphrase(owner_client, bob):
    _start(owner_client, bob)
    _say(owner_client, bob, "I grew roses in my garden in Kent.")
    conversation = Conversation.objects.get(characters=bob)

    listed = owner_client.get(reverse("conversations")).content.decode()
    assert "Bob" in listed and "win Bob&#x27;s trust" in listed

    found = owner_client.get(reverse("conversations"), {"q": "flowers I cultivated"})
    html = found.content.decode()
    assert found.status_code == 200 and "I grew roses in my garden in Kent." in html
    said = conversation.messages.get(speaker_kind="person")
    assert escape(f"?c={conversation.pk}#turn-{said.seq}") in html
    assert "by meaning" in html


def test_a_stranger_finds_nothing_of_mine(client, owner_client, bob, stranger):
    _start(owner_client, bob)
    _say(owner_client, bob, "I grew roses in my garden in Kent.")
    client.force_login(stranger)

    html = client.get(reverse("conversations"), {"q": "roses in Kent"}).content.decode()

    assert "I grew roses" not in html and "Nothing you said or heard matches" in html
    assert "No conversations yet" in client.get(reverse("conversations")).content.decode()


def test_the_conversations_page_needs_an_account(client):
    page = client.get(reverse("conversations"))

    assert page.status_code == 302 and "/login" in page["Location"]


def test_a_line_said_in_a_room_is_found_and_opens_the_room(owner_client, owner, bob):
    from ecosystems.services.conversations import message_send
    from ecosystems.services.rooms import room_create, room_join

    room = room_create(user=owner, ecosystem=bob.ecosystem, title="Tea", character_ids=[bob.pk])
    room_join(room=room, user=owner, persona_name="Tom")
    message_send(conversation=room, user=owner, text="I grew roses in my garden in Kent.")
    said = room.messages.get(speaker_kind="person")

    html = owner_client.get(reverse("conversations"), {"q": "roses in Kent"}).content.decode()

    assert "Tom: “I grew roses in my garden in Kent.”" in html
    assert reverse("room", args=[bob.ecosystem_id, room.pk]) + f"#turn-{said.seq}" in html
