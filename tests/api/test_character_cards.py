"""The card endpoints: download a character's card, import a card file into a world."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest

from characters.card_formats import png_text_chunks, png_write
from characters.models import Character
from tests.api.conftest import error_of
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db

CARDS = Path(__file__).parent.parent / "characters" / "cards"


def _upload(client, world, name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        f"/api/v1/ecosystems/{world.pk}/characters/import/", {"file": file}, format="multipart"
    )


def test_the_owner_downloads_a_png_card_with_both_chunks(as_owner, alice):
    response = as_owner.get(f"/api/v1/characters/{alice.pk}/card/?format=png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="alice.card.png"'
    chunks = png_text_chunks(response.content)
    assert json.loads(base64.b64decode(chunks["ccv3"]))["data"]["name"] == "Alice"
    assert json.loads(base64.b64decode(chunks["chara"]))["spec"] == "chara_card_v2"


def test_the_owner_downloads_a_json_card(as_owner, alice):
    response = as_owner.get(f"/api/v1/characters/{alice.pk}/card/?format=json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["spec"] == "chara_card_v3"


def test_an_unknown_card_format_is_a_400(as_owner, alice):
    response = as_owner.get(f"/api/v1/characters/{alice.pk}/card/?format=gif")
    assert response.status_code == 400
    assert "format" in error_of(response)["details"]


@pytest.mark.parametrize("name", ["v3_spec_example.json", "v2_spec_example.json"])
def test_a_spec_example_card_is_imported(as_owner, world, name):
    response = _upload(as_owner, world, name, (CARDS / name).read_bytes())
    assert response.status_code == 201, response.content
    assert world.characters.get(pk=response.json()["id"]).backstory


def test_an_exported_png_card_imports_into_another_world(as_owner, owner, alice):
    from tests.factories import EcosystemFactory

    png = as_owner.get(f"/api/v1/characters/{alice.pk}/card/?format=png").content
    other = EcosystemFactory(owner=owner)
    response = _upload(as_owner, other, "alice.png", png)
    assert response.status_code == 201, response.content
    assert response.json()["agreeableness"] == 0.9


def test_a_charx_card_is_imported(as_owner, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("card.json", (CARDS / "v3_spec_example.json").read_text())
    response = _upload(as_owner, world, "sera.charx", buffer.getvalue())
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Seraphina"


def _refused(response, world, text: str) -> dict:
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert text in error["message"]
    assert not world.characters.exists()  # nothing half-created
    return error


def test_a_png_without_a_card_is_refused(as_owner, world):
    png = png_write(width=1, height=1, rows=[b"\x00\x00\x00"], texts={})
    _refused(_upload(as_owner, world, "cat.png", png), world, "no character card chunk")


def test_bytes_that_are_not_an_image_are_refused(as_owner, world):
    _refused(_upload(as_owner, world, "card.png", b"GIF? no: plain bytes"), world, "not an image")


def test_a_card_missing_its_name_names_the_field(as_owner, world):
    card = json.loads((CARDS / "v3_spec_example.json").read_text())
    del card["data"]["name"]
    error = _refused(_upload(as_owner, world, "c.json", json.dumps(card).encode()), world, "name")
    assert "data.name" in error["details"]


def test_a_wrongly_typed_field_is_named(as_owner, world):
    card = json.loads((CARDS / "v3_spec_example.json").read_text())
    card["data"]["alternate_greetings"] = "hello"
    error = _refused(
        _upload(as_owner, world, "c.json", json.dumps(card).encode()), world, "alternate_greetings"
    )
    assert error["details"]["data.alternate_greetings"] == ["Must be a list of texts; got a text."]


def test_ten_megabytes_of_text_in_a_field_is_refused_by_name(as_owner, world):
    card = json.loads((CARDS / "v3_spec_example.json").read_text())
    card["data"]["personality"] = "x" * (10 * 1024 * 1024)
    error = _refused(
        _upload(as_owner, world, "c.json", json.dumps(card).encode()), world, "personality"
    )
    assert "at most 200,000" in error["details"]["data.personality"][0]


def test_a_zip_bomb_shaped_charx_is_refused(as_owner, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("card.json", (CARDS / "v3_spec_example.json").read_text())
        archive.writestr("assets/other/other/zeros.bin", b"\x00" * (100 * 1024 * 1024))
    _refused(_upload(as_owner, world, "bomb.charx", buffer.getvalue()), world, "zip bomb")


def test_a_file_over_the_cap_is_a_413(as_owner, world, settings):
    settings.CARD_UPLOAD_MAX_BYTES = 1024
    response = _upload(as_owner, world, "big.json", b"{" + b" " * 4096 + b"}")
    assert response.status_code == 413
    assert "at most 1,024" in error_of(response)["message"]
    assert not world.characters.exists()


def test_no_file_is_a_400_that_says_how_to_send_one(as_owner, world):
    response = as_owner.post(
        f"/api/v1/ecosystems/{world.pk}/characters/import/", {}, format="multipart"
    )
    assert response.status_code == 400
    assert "multipart field 'file'" in error_of(response)["message"]


def test_a_full_free_plan_is_a_402(as_owner, world):
    for n in range(5):
        CharacterFactory(ecosystem=world, name=f"Guest {n}")
    response = _upload(as_owner, world, "aqua.json", (CARDS / "v2_spec_example.json").read_bytes())
    assert response.status_code == 402
    assert error_of(response)["code"] == "plan_limit"
    assert Character.objects.filter(ecosystem=world).count() == 5


def test_both_card_operations_are_in_the_schema(as_owner):
    paths = as_owner.get("/api/schema/?format=json").json()["paths"]
    card = paths["/api/v1/characters/{character_id}/card/"]["get"]
    upload = paths["/api/v1/ecosystems/{ecosystem_id}/characters/import/"]["post"]
    assert set(card["responses"]["200"]["content"]) == {"image/png", "application/json"}
    assert "multipart/form-data" in upload["requestBody"]["content"]
