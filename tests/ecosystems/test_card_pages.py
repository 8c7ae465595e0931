"""The studio's card links and upload form (the API's card endpoints: tests/api)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from characters.card_formats import png_text_chunks, png_write
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db

CARDS = Path(__file__).parent.parent / "characters" / "cards"


@pytest.fixture
def browser(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def test_the_owners_character_page_links_both_card_downloads(browser, world, alice):
    page = browser.get(f"/worlds/{world.pk}/characters/{alice.pk}/").content.decode()
    assert "Download card (PNG)" in page and "Download card (JSON)" in page
    png = browser.get(f"/worlds/{world.pk}/characters/{alice.pk}/card.png")
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"] == 'attachment; filename="alice.card.png"'
    assert "ccv3" in png_text_chunks(png.content)


def test_the_director_page_offers_the_card_upload(browser, world):
    page = browser.get(f"/worlds/{world.pk}/director/").content.decode()
    assert "Import a character card" in page
    assert 'enctype="multipart/form-data"' in page


def test_an_uploaded_card_becomes_a_character_and_opens_its_page(browser, world):
    card = SimpleUploadedFile("aqua.json", (CARDS / "v2_spec_example.json").read_bytes())
    response = browser.post(f"/worlds/{world.pk}/characters/import/", {"file": card}, follow=True)
    aqua = world.characters.get(name="Aqua")
    assert response.redirect_chain[-1][0] == f"/worlds/{world.pk}/characters/{aqua.pk}/"
    assert "Imported Aqua from aqua.json." in response.content.decode()


def test_a_picture_without_a_card_says_so_and_creates_nothing(browser, world):
    png = png_write(width=1, height=1, rows=[b"\x00\x00\x00"], texts={})
    upload = SimpleUploadedFile("cat.png", png)
    response = browser.post(f"/worlds/{world.pk}/characters/import/", {"file": upload}, follow=True)
    assert "no character card chunk" in response.content.decode()
    assert not world.characters.exists()


def test_a_full_plan_says_what_to_do(browser, world):
    for n in range(5):
        CharacterFactory(ecosystem=world, name=f"Guest {n}")
    card = SimpleUploadedFile("aqua.json", (CARDS / "v2_spec_example.json").read_bytes())
    response = browser.post(f"/worlds/{world.pk}/characters/import/", {"file": card}, follow=True)
    assert "/billing/" in response.content.decode()
    assert world.characters.count() == 5
