"""White label: the worlds of an owner whose plan has it carry no Dramatis branding, in their
story exports and on the pages their visitors see; everyone else's credit Dramatis."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import Plan, Subscription
from billing.services import subscription_ensure
from ecosystems.branding import branding_for
from ecosystems.models import Ecosystem
from ecosystems.redaction import Redactor
from stories.services import story_export
from tests.factories import CharacterFactory, EcosystemFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

FORMATS = ("md", "html", "epub")


def on_plan(user, code: str):
    subscription_ensure(user=user)
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code=code))
    return user


def public_world_of(owner):
    world = EcosystemFactory(owner=owner, name="Hartfield", visibility=Ecosystem.Visibility.PUBLIC)
    alice = CharacterFactory(ecosystem=world, name="Alice")
    bob = CharacterFactory(ecosystem=world, name="Bob")
    story = StoryFactory(ecosystem=world, participants=[alice, bob], title="The Quarrel")
    return world, alice, story


def exported_text(story, owner, fmt: str) -> str:
    content = story_export(story=story, user=owner, fmt=fmt, redactor=Redactor.none()).content
    if fmt != "epub":
        return content.decode()
    book = zipfile.ZipFile(io.BytesIO(content))
    return "\n".join(book.read(name).decode() for name in book.namelist())


@pytest.fixture
def enterprise_owner():
    return on_plan(UserFactory(username="enterprise"), "enterprise")


@pytest.fixture
def free_owner():
    return on_plan(UserFactory(username="free"), "free")


@pytest.fixture
def visitor() -> Client:
    client = Client()
    client.force_login(UserFactory(username="visitor"))
    return client


def test_the_branding_follows_the_owners_plan(enterprise_owner, free_owner):
    assert branding_for(ecosystem=EcosystemFactory(owner=enterprise_owner)).white_label
    assert branding_for(ecosystem=EcosystemFactory(owner=free_owner)).product_name == "Dramatis"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_enterprise_owners_export_carries_no_dramatis_branding(enterprise_owner, fmt):
    _, _, story = public_world_of(enterprise_owner)
    text = exported_text(story, enterprise_owner, fmt)
    assert "The Quarrel" in text
    assert "dramatis" not in text.lower()
    assert "Hartfield" in text  # the world is credited instead


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_free_owners_export_is_told_by_dramatis(free_owner, fmt):
    _, _, story = public_world_of(free_owner)
    assert "Dramatis" in exported_text(story, free_owner, fmt)


def test_a_downgrade_brings_the_credit_back(enterprise_owner):
    _, _, story = public_world_of(enterprise_owner)
    on_plan(enterprise_owner, "pro")
    assert "Told by Dramatis" in exported_text(story, enterprise_owner, "md")


def _pages(world, alice, story) -> list[str]:
    return [
        reverse("observatory", args=[world.pk]),
        reverse("director", args=[world.pk]),
        reverse("story-board", args=[world.pk]),
        reverse("story-detail", args=[world.pk, story.pk]),
        reverse("character", args=[world.pk, alice.pk]),
    ]


def test_visitors_of_an_enterprise_owners_world_see_no_dramatis_branding(enterprise_owner, visitor):
    world, alice, story = public_world_of(enterprise_owner)
    for page in _pages(world, alice, story):
        response = visitor.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "Hartfield" in html
        assert "dramatis" not in html.lower(), page


def test_visitors_of_a_free_owners_world_see_dramatis(free_owner, visitor):
    world, alice, story = public_world_of(free_owner)
    for page in _pages(world, alice, story):
        html = visitor.get(page).content.decode()
        assert "<title>" in html and "· Dramatis</title>" in html, page
        assert "Dramatis — living character ecosystems." in html, page


def test_pages_outside_a_world_keep_the_dramatis_brand(enterprise_owner):
    client = Client()
    client.force_login(enterprise_owner)
    assert "Dramatis" in client.get(reverse("dashboard")).content.decode()
