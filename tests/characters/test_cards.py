"""Character Card V3 export and import: the spec's own example cards (tests/characters/cards/,
see its README for the spec sections), the demo cast's round trip and hostile files."""

from __future__ import annotations

import base64
import copy
import io
import json
import zipfile
from pathlib import Path

import pytest

from billing.models import Plan, Subscription
from characters.card_formats import (
    BACKFILL_WARNING,
    MAX_CHARX_UNCOMPRESSED_BYTES,
    card_png_bytes,
    card_v2_backfill,
    png_text_chunks,
    png_write,
)
from characters.cards import card_export, card_import, card_png, card_read
from characters.models import Character
from core.errors import InvalidInput, PlanLimitReached
from ecosystems.demo import demo_world_seed
from tests.factories import CharacterFactory, EcosystemFactory

CARDS = Path(__file__).parent / "cards"


def _example(name: str) -> dict:
    return json.loads((CARDS / name).read_text())


def _without_dates(card: dict) -> dict:
    data = {k: v for k, v in card["data"].items() if k not in ("creation_date",
            "modification_date")}  # fmt: skip
    return {**card, "data": data}


def _without_ours(card: dict) -> dict:
    card = copy.deepcopy(card)
    card["data"]["extensions"].pop("dramatis", None)
    return card


def _charx(card: dict, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("card.json", json.dumps(card))
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _pro(user) -> None:
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code="pro"))


# --- Reading (pure) -----------------------------------------------------------------------------


def test_the_v3_example_reads_from_json_png_and_charx_alike():
    example = _example("v3_spec_example.json")
    from_json = card_read(data=json.dumps(example).encode(), filename="sera.json")
    from_png = card_read(data=card_png_bytes(example), filename="sera.png")
    from_charx = card_read(
        data=_charx(example, {"assets/icon/images/main.png": b"\x89PNG..."}), filename="s.charx"
    )
    assert from_json == from_png == from_charx
    assert from_json["spec"] == "chara_card_v3"
    assert from_json["data"]["character_book"]["entries"][0]["priority"] == 5


def test_a_png_prefers_the_ccv3_chunk_over_the_v2_backfill():
    example = _example("v3_spec_example.json")
    png = card_png_bytes(example)
    chunks = png_text_chunks(png)
    v2 = json.loads(base64.b64decode(chunks["chara"]))
    assert v2["spec"] == "chara_card_v2"
    assert v2["data"]["creator_notes"].startswith(BACKFILL_WARNING)
    assert card_read(data=png)["data"]["group_only_greetings"] == ["*Seraphina nods to everyone.*"]


def test_a_v2_card_reads_as_v3_from_json_and_from_a_png_chara_chunk():
    example = _example("v2_spec_example.json")
    chara = base64.b64encode(json.dumps(example).encode()).decode()
    png = png_write(width=1, height=1, rows=[b"\x00\x00\x00"], texts={"chara": chara})
    card = card_read(data=png, filename="aqua.png")
    assert card == card_read(data=json.dumps(example).encode())
    assert card["spec"] == "chara_card_v3" and card["spec_version"] == "3.0"
    assert card["data"]["group_only_greetings"] == []
    assert card["data"]["character_book"]["entries"][0]["use_regex"] is False
    assert card["data"]["extensions"] == {"agnai": {"voice": "aqua"}}


def test_the_v2_backfill_warning_is_trimmed_on_import():
    v2 = card_v2_backfill(card_read(data=json.dumps(_example("v3_spec_example.json")).encode()))
    card = card_read(data=json.dumps(v2).encode())
    assert card["data"]["creator_notes"] == "Made from the CharacterCardV3 interface in SPEC_V3.md."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("name"), "data.name"),
        (lambda d: d.update(name=["Sera"]), "data.name"),
        (lambda d: d.update(tags="fantasy"), "data.tags"),
        (lambda d: d.update(description="x" * (10 * 1024 * 1024)), "data.description"),
        (lambda d: d.update(creation_date="yesterday"), "data.creation_date"),
        (lambda d: d["character_book"]["entries"][0].pop("keys"),
         "data.character_book.entries[0].keys"),
        (lambda d: d["character_book"]["entries"][0].update(enabled="yes"),
         "data.character_book.entries[0].enabled"),
    ],
)  # fmt: skip
def test_a_bad_field_is_named(change, field):
    example = _example("v3_spec_example.json")
    change(example["data"])
    with pytest.raises(InvalidInput) as raised:
        card_read(data=json.dumps(example).encode())
    assert field in raised.value.details
    assert field in raised.value.message


def test_a_png_with_no_card_chunk_says_so():
    png = png_write(width=1, height=1, rows=[b"\x00\x00\x00"], texts={"Software": "paint"})
    with pytest.raises(InvalidInput, match="no character card chunk"):
        card_read(data=png, filename="photo.png")


def test_bytes_that_are_not_an_image_say_so():
    with pytest.raises(InvalidInput, match="not an image"):
        card_read(data=b"MZ\x90\x00 this is a program", filename="card.png")


def test_a_jpeg_is_told_to_become_a_png():
    with pytest.raises(InvalidInput, match="JPEG"):
        card_read(data=b"\xff\xd8\xff\xe0\x00\x10JFIF", filename="card.jpg")


def test_a_charx_without_card_json_says_so():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("module.json", "{}")
    with pytest.raises(InvalidInput, match=r"card\.json is missing from the CHARX"):
        card_read(data=buffer.getvalue(), filename="x.charx")


def test_a_zip_bomb_shaped_charx_is_refused_before_it_is_inflated():
    zeros = b"\x00" * (MAX_CHARX_UNCOMPRESSED_BYTES + 1024 * 1024)
    data = _charx(_example("v3_spec_example.json"), {"assets/other/other/zeros.bin": zeros})
    assert len(data) < 1024 * 1024  # a small file...
    with pytest.raises(InvalidInput, match="zip bomb"):  # ...that would unpack past the cap
        card_read(data=data, filename="bomb.charx")


def test_a_charx_member_outside_the_archive_is_refused():
    data = _charx(_example("v3_spec_example.json"), {"../../etc/passwd": b"root"})
    with pytest.raises(InvalidInput, match="points outside"):
        card_read(data=data, filename="x.charx")


# --- Export and import --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["v3_spec_example.json", "v2_spec_example.json"])
def test_a_spec_example_survives_import_and_export(name, owner):
    card = card_read(data=(CARDS / name).read_bytes())
    character = card_import(ecosystem=EcosystemFactory(owner=owner), card=card)
    assert character.backstory == card["data"]["description"]
    exported = card_export(character=Character.objects.get(pk=character.pk))
    assert _without_dates(_without_ours(exported)) == _without_dates(card)
    assert exported["data"]["creation_date"] == card["data"].get(
        "creation_date", exported["data"]["creation_date"]
    )


@pytest.mark.django_db
def test_the_demo_cast_round_trips_through_png_cards(owner):
    _pro(owner)
    demo = demo_world_seed(owner=owner).ecosystem
    elsewhere = EcosystemFactory(owner=owner, name="Elsewhere", setting="A rainy pier.")
    for original in demo.characters.all():
        first = card_read(data=card_png(character=original), filename=f"{original.name}.png")
        copy_ = card_import(ecosystem=elsewhere, card=first)
        again = card_read(data=card_png(character=Character.objects.get(pk=copy_.pk)))
        assert _without_dates(again) == _without_dates(first), original.name
        for field in ("openness", "values", "long_term_goals", "emotions", "speaking_style",
                      "secrets", "backstory"):  # fmt: skip
            assert getattr(copy_, field) == getattr(original, field), field


@pytest.mark.django_db
def test_an_export_maps_the_characters_fields(owner):
    world = EcosystemFactory(owner=owner, setting="A garden in 1887.")
    alice = CharacterFactory(
        ecosystem=world, name="Alice", backstory="The hostess's niece.", agreeableness=0.9,
        values=["kindness"], secrets=["I wrote the note."], speaking_style="Warm.",
    )  # fmt: skip
    data = card_export(character=alice)["data"]
    assert data["description"] == "The hostess's niece."
    assert data["scenario"] == "A garden in 1887."
    assert "warm and kind" in data["personality"] and "kindness" in data["personality"]
    assert data["character_book"]["entries"][0]["content"] == "I wrote the note."
    assert data["extensions"]["dramatis"]["speaking_style"] == "Warm."
    assert data["extensions"]["dramatis"]["agreeableness"] == 0.9


@pytest.mark.django_db
def test_importing_a_taken_name_numbers_it(owner):
    world = EcosystemFactory(owner=owner)
    CharacterFactory(ecosystem=world, name="Aqua")
    card = card_read(data=(CARDS / "v2_spec_example.json").read_bytes())
    assert card_import(ecosystem=world, card=card).name == "Aqua (2)"


@pytest.mark.django_db
def test_a_full_free_plan_refuses_the_import_and_creates_nothing(owner):
    world = EcosystemFactory(owner=owner)
    for n in range(5):
        CharacterFactory(ecosystem=world, name=f"Guest {n}")
    card = card_read(data=(CARDS / "v2_spec_example.json").read_bytes())
    with pytest.raises(PlanLimitReached):
        card_import(ecosystem=world, card=card)
    assert world.characters.count() == 5


@pytest.mark.django_db
def test_a_bad_dramatis_extension_is_named_and_creates_nothing(owner):
    world = EcosystemFactory(owner=owner)
    card = card_read(data=(CARDS / "v2_spec_example.json").read_bytes())
    card["data"]["extensions"]["dramatis"] = {"openness": 7}
    with pytest.raises(InvalidInput) as raised:
        card_import(ecosystem=world, card=card)
    assert "data.extensions.dramatis.openness" in raised.value.details
    assert not world.characters.exists()


def test_a_v1_card_reads_as_v3():
    card = card_read(data=json.dumps({"name": "Old", "description": "From 2023."}).encode())
    assert card["spec"] == "chara_card_v3"
    assert card["data"]["description"] == "From 2023." and card["data"]["first_mes"] == ""


@pytest.mark.django_db
def test_secrets_added_after_import_join_the_cards_own_lorebook(owner):
    from characters.services import character_update

    card = card_read(data=(CARDS / "v3_spec_example.json").read_bytes())
    sera = card_import(ecosystem=EcosystemFactory(owner=owner), card=card)
    character_update(character=sera, secrets=["I was once a wolf."])
    book = card_export(character=sera)["data"]["character_book"]
    assert book["name"] == "Eldoria" and book["token_budget"] == 512
    assert book["entries"][0]["content"] == "I was once a wolf."
    assert book["entries"][1] == card["data"]["character_book"]["entries"][0]
    again = card_import(ecosystem=EcosystemFactory(owner=owner), card=card_export(character=sera))
    assert again.secrets == ["I was once a wolf."]
