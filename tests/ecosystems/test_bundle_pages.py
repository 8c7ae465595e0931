"""The studio's bundle pages: "Export bundle" on a world and the dashboard's import form."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from characters.models import Character
from ecosystems.demo import demo_world_seed
from ecosystems.models import Ecosystem

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator_client(client, owner):
    client.force_login(owner)
    return client


def _file(document, name: str = "tea.dramatis.json") -> SimpleUploadedFile:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


def _small(names=("Ann", "Ben")) -> dict:
    return {
        "format": "dramatis.world",
        "version": 1,
        "world": {"name": "Tea"},
        "characters": [{"key": n.lower(), "name": n} for n in names],
    }


def test_the_owners_world_pages_offer_the_bundle_download(creator_client, owner):
    world = demo_world_seed(owner=owner).ecosystem
    page = creator_client.get(reverse("observatory", args=[world.pk])).content.decode()
    assert f'href="/worlds/{world.pk}/bundle/" download>Export bundle' in page

    response = creator_client.get(reverse("world-bundle", args=[world.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="the-garden-party.dramatis.json"'
    )
    assert json.loads(response.content)["world"]["name"] == "The Garden Party"


def test_a_visitor_of_a_public_world_sees_no_export_link(client, owner, stranger):
    world = demo_world_seed(owner=owner).ecosystem  # the demo world is public
    client.force_login(stranger)
    page = client.get(reverse("observatory", args=[world.pk])).content.decode()
    assert "Export bundle" not in page
    assert client.get(reverse("world-bundle", args=[world.pk])).status_code == 403


def test_the_dashboard_has_the_import_form(creator_client):
    page = creator_client.get(reverse("dashboard")).content.decode()
    assert 'action="/dashboard/worlds/import/" enctype="multipart/form-data"' in page
    assert "Import a world bundle" in page


def test_importing_a_bundle_opens_the_new_world(creator_client, owner):
    response = creator_client.post(
        reverse("world-import"), {"bundle-file": _file(_small()), "bundle-name": "Afternoon tea"}
    )
    world = Ecosystem.objects.get(owner=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("observatory", args=[world.pk])
    assert world.name == "Afternoon tea" and world.characters.count() == 2


def test_a_bad_bundle_shows_what_is_wrong_and_creates_nothing(creator_client):
    document = _small()
    document["characters"][1]["name"] = ""
    response = creator_client.post(reverse("world-import"), {"bundle-file": _file(document)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "characters[1].name: Required; must not be empty." in page
    assert not Ecosystem.objects.exists()


def test_a_file_that_is_not_json_is_refused(creator_client):
    response = creator_client.post(reverse("world-import"), {"bundle-file": _file(b"\x89PNG")})
    assert response.status_code == 400
    assert "not a JSON document" in response.content.decode()


def test_a_bundle_past_the_plan_is_a_402_with_the_limit(creator_client):
    document = _small(names=[f"Guest {i}" for i in range(7)])
    response = creator_client.post(reverse("world-import"), {"bundle-file": _file(document)})
    assert response.status_code == 402
    assert "allows 5 characters" in response.content.decode()
    assert not Character.objects.exists()


def test_a_file_past_the_bundle_limit_is_a_413(creator_client, settings):
    settings.BUNDLE_MAX_BYTES = 1_000
    document = _small()
    document["world"]["description"] = "x" * 2_000
    response = creator_client.post(reverse("world-import"), {"bundle-file": _file(document)})
    assert response.status_code == 413
    assert "at most 1,000" in response.content.decode()
