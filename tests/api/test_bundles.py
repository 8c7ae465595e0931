"""``GET /api/v1/ecosystems/{id}/bundle/`` and ``POST /api/v1/ecosystems/import/``."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from billing.models import Plan, Subscription
from characters.models import Character
from ecosystems.demo import demo_world_seed
from ecosystems.models import Ecosystem, Relationship, Scenario
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/ecosystems/import/"


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Ecosystem, Character, Relationship, Scenario))


def _demo_bundle(as_owner, owner) -> dict:
    world = demo_world_seed(owner=owner).ecosystem
    response = as_owner.get(f"/api/v1/ecosystems/{world.pk}/bundle/")
    assert response.status_code == 200
    return response.json()


def _small() -> dict:
    return {
        "format": "dramatis.world",
        "version": 1,
        "world": {"name": "Tea"},
        "characters": [{"key": "a", "name": "Ann"}, {"key": "b", "name": "Ben"}],
        "relationships": [{"source": "a", "target": "b", "kind": "friend"}],
    }


def test_the_bundle_downloads_as_a_named_json_file(owner, as_owner):
    world = demo_world_seed(owner=owner).ecosystem
    response = as_owner.get(f"/api/v1/ecosystems/{world.pk}/bundle/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        'attachment; filename="the-garden-party.dramatis.json"'
    )
    assert response.json()["format"] == "dramatis.world"


def test_the_demo_bundle_imports_into_another_account_over_json(
    owner, as_owner, stranger, as_stranger
):
    Subscription.objects.filter(user=stranger).update(plan=Plan.objects.get(code="pro"))
    document = _demo_bundle(as_owner, owner)

    response = as_stranger.post(f"{IMPORT}?name=Copied", document, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Copied" and body["status"] == "draft" and body["is_owner"]
    assert response["Location"] == f"/api/v1/ecosystems/{body['id']}/"
    world = Ecosystem.objects.get(pk=body["id"])
    assert world.owner == stranger and world.characters.count() == 6


def test_a_bundle_uploads_as_a_file(owner, as_owner):
    upload = SimpleUploadedFile(
        "tea.dramatis.json", json.dumps(_small()).encode(), content_type="application/json"
    )
    response = as_owner.post(IMPORT, {"file": upload, "name": "Uploaded"}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Uploaded"


def test_an_upload_that_is_not_json_is_a_400(as_owner):
    upload = SimpleUploadedFile("card.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    before = _counts()
    response = as_owner.post(IMPORT, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "file is not a JSON document" in error_of(response)["message"]
    assert _counts() == before


def test_a_form_without_the_file_says_so(as_owner):
    response = as_owner.post(IMPORT, {"name": "x"}, format="multipart")
    assert response.status_code == 400
    assert error_of(response)["details"] == {"file": ["Required."]}


def test_a_bad_bundle_is_a_400_naming_the_places_and_creates_nothing(as_owner):
    document = _small()
    del document["characters"][0]["name"]
    document["characters"][1]["personality"] = {"openness": "high"}
    before = _counts()

    response = as_owner.post(IMPORT, document, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["details"] == {
        "characters[0].name": ["Required."],
        "characters[1].personality.openness": ["Expected a number, got a text."],
    }
    assert _counts() == before


def test_a_dangling_relationship_key_is_a_400(as_owner):
    document = _small()
    document["relationships"][0]["source"] = "ghost"
    response = as_owner.post(IMPORT, document, format="json")
    assert response.status_code == 400
    assert error_of(response)["details"] == {
        "relationships[0].source": ["No character has the key 'ghost'."]
    }


def test_a_newer_version_is_a_clear_400(as_owner):
    response = as_owner.post(IMPORT, {**_small(), "version": 7}, format="json")
    assert response.status_code == 400
    assert "newer Dramatis" in error_of(response)["message"]


def test_a_bundle_larger_than_the_api_default_is_accepted(as_owner):
    document = _small()
    document["characters"][0]["backstory"] = "Long ago. " * 1_900  # 19,000 characters each
    for i in range(4):  # well past the API's usual 64 KiB, within the bundle limit
        document["characters"].append({"key": f"x{i}", "name": f"Guest {i}",
                                       "backstory": "Long ago. " * 1_900})  # fmt: skip
    Subscription.objects.filter(user__username="owner").update(plan=Plan.objects.get(code="pro"))
    assert len(json.dumps(document)) > 64 * 1024
    response = as_owner.post(IMPORT, document, format="json")
    assert response.status_code == 201, response.content


def test_a_three_megabyte_bundle_passes_the_body_limit_and_is_refused_by_the_schema(as_owner):
    document = _small()  # past Django's 2.5 MB upload cap, within the 5 MiB bundle limit
    document["characters"][0]["backstory"] = "x" * (3 * 1024 * 1024)
    response = as_owner.post(IMPORT, document, format="json")
    assert response.status_code == 400
    assert list(error_of(response)["details"]) == ["characters[0].backstory"]


def test_ten_megabytes_is_a_413_and_creates_nothing(as_owner):
    document = _small()
    document["characters"][0]["backstory"] = "x" * (10 * 1024 * 1024)
    before = _counts()
    response = as_owner.post(IMPORT, document, format="json")
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "request_too_large"
    assert "5,242,880" in error["message"]
    assert _counts() == before


def test_a_ten_megabyte_upload_is_a_413(as_owner):
    upload = SimpleUploadedFile(
        "big.json", b" " * (10 * 1024 * 1024), content_type="application/json"
    )
    response = as_owner.post(IMPORT, {"file": upload}, format="multipart")
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"


def test_a_seven_character_bundle_on_free_is_a_402_and_creates_nothing(as_owner):
    document = _small()
    document["characters"] = [{"key": f"c{i}", "name": f"Guest {i}"} for i in range(7)]
    document["relationships"] = []
    before = _counts()
    response = as_owner.post(IMPORT, document, format="json")
    assert response.status_code == 402
    error = error_of(response)
    assert error["code"] == "plan_limit"
    assert "allows 5 characters" in error["message"]
    assert _counts() == before


def test_the_other_endpoints_keep_their_64_kib_limit(owner, as_owner):
    world = demo_world_seed(owner=owner).ecosystem
    response = as_owner.patch(
        f"/api/v1/ecosystems/{world.pk}/", {"description": "x" * (70 * 1024)}, format="json"
    )
    assert response.status_code == 413


def test_an_imported_copy_does_not_reach_the_original(owner, as_owner, stranger, as_stranger):
    Subscription.objects.filter(user=stranger).update(plan=Plan.objects.get(code="pro"))
    document = _demo_bundle(as_owner, owner)
    original = copy.deepcopy(document)
    body = as_stranger.post(IMPORT, document, format="json").json()
    as_stranger.patch(f"/api/v1/ecosystems/{body['id']}/", {"description": "Mine."}, format="json")
    world = Ecosystem.objects.get(owner=owner)
    again = as_owner.get(f"/api/v1/ecosystems/{world.pk}/bundle/").json()
    assert again["world"] == original["world"]


def test_nan_in_a_bundle_is_malformed_json(as_owner):
    body = (
        json.dumps(_small())[:-1] + ', "relationships": [{"source": "a", "target": "b", '
        '"strength": NaN}]}'
    )
    response = as_owner.post(IMPORT, body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed"
