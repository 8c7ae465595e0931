"""The lore page works without JavaScript: the owner writes, searches, filters by tag, votes,
approves and rejects by forms; a visitor of a public world proposes and votes and sees secret
lore redacted; a private world's lore is a 404 to a stranger."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecosystems.models import Alliance, Ecosystem, LoreEntry
from ecosystems.services.lore import lore_create
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db

LOCKET = "The locket lies at the bottom of the lily pond, where Bob threw it."


@pytest.fixture
def town(owner):
    return EcosystemFactory(owner=owner, visibility=Ecosystem.Visibility.PUBLIC, name="Town")


def test_the_owner_writes_finds_votes_and_reviews_lore_by_forms(client, owner, town):
    client.force_login(owner)
    Alliance.objects.create(ecosystem=town, key="k", name="The Rose Garden Pact")
    page = reverse("lore", args=[town.pk])

    empty = client.get(page).content.decode()
    assert 'aria-current="page">Lore</a>' in empty and "No lore yet" in empty
    assert '<option value="The Rose Garden Pact">' in empty  # the world's groups offered
    written = client.post(reverse("lore-create", args=[town.pk]), {
        "title": "The Ancient Fountain", "text": "Older than the town.",
        "tags": "places, Legends", "visibility": "public",
    })  # fmt: skip
    assert written.url == page
    entry = LoreEntry.objects.get()
    assert (entry.status, entry.tags) == ("approved", ["places", "legends"])

    listing = client.get(page).content.decode()
    assert "The Ancient Fountain" in listing and "#legends" in listing
    assert "The Ancient Fountain" in client.get(page, {"q": "fountain"}).content.decode()
    assert "No entry matches" in client.get(page, {"q": "croquet results"}).content.decode()
    assert "No entry matches" in client.get(page, {"tag": "politics"}).content.decode()

    back = f"{page}?tag=places"
    voted = client.post(reverse("lore-vote", args=[town.pk, entry.pk]), {"value": "1",
                                                                        "next": back})  # fmt: skip
    assert voted.url == back
    assert LoreEntry.objects.get().score == 1
    assert 'value="1" class="button" aria-pressed="true"' in client.get(page).content.decode()

    client.post(reverse("lore-reject", args=[town.pk, entry.pk]))
    assert LoreEntry.objects.get().status == "rejected"
    client.post(reverse("lore-approve", args=[town.pk, entry.pk]))
    assert LoreEntry.objects.get().status == "approved"


def test_a_bad_entry_is_sent_back_with_what_to_fix(client, owner, town):
    client.force_login(owner)
    response = client.post(
        reverse("lore-create", args=[town.pk]),
        {"title": "Pact", "text": "Sundays.", "visibility": "group"},
        follow=True,
    )
    assert "Group lore names its group" in response.content.decode()
    assert not LoreEntry.objects.exists()


def test_a_visitor_proposes_votes_and_sees_secret_lore_redacted(client, owner, stranger, town):
    alice = CharacterFactory(ecosystem=town, name="Alice")
    lore_create(ecosystem=town, author=owner, title="Under the Pond", text=LOCKET,
                visibility="secret", knower_ids=[alice.pk])  # fmt: skip
    client.force_login(stranger)
    page = reverse("lore", args=[town.pk])

    html = client.get(page).content.decode()
    assert "Under the Pond" in html and "bottom of the lily pond" not in html
    assert "[a secret]" in html and "Known to Alice" not in html
    assert "Propose an entry" in html and "Approve</button>" not in html
    client.post(reverse("lore-create", args=[town.pk]), {"title": "The Mill", "text": "Burned."})
    proposal = LoreEntry.objects.get(title="The Mill")
    assert proposal.status == "proposed" and proposal.author == stranger
    refused = client.post(reverse("lore-approve", args=[town.pk, proposal.pk]))
    assert refused.status_code == 403
    assert LoreEntry.objects.get(pk=proposal.pk).status == "proposed"


def test_a_private_worlds_lore_is_a_404_to_a_stranger(client, owner, stranger, world):
    entry = lore_create(ecosystem=world, author=owner, title="Hidden", text="Nobody knows.")
    client.force_login(stranger)

    assert client.get(reverse("lore", args=[world.pk])).status_code == 404
    vote = client.post(reverse("lore-vote", args=[world.pk, entry.pk]), {"value": "1"})
    assert vote.status_code == 404
    assert LoreEntry.objects.get(pk=entry.pk).score == 0


def test_the_owner_sees_secret_lore_and_who_knows_it(client, owner, world, alice):
    lore_create(ecosystem=world, author=owner, title="Under the Pond", text=LOCKET,
                visibility="secret", knower_ids=[alice.pk])  # fmt: skip
    client.force_login(owner)

    html = client.get(reverse("lore", args=[world.pk])).content.decode()

    assert "bottom of the lily pond" in html and "Known to Alice" in html


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("lore", args=[world.pk]))
    assert response.status_code == 302 and "login" in response.url
