"""The import pages: the upload form, the progress page (which reloads itself without
JavaScript), the review and its "Create world"."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from characters.models import Character
from ecosystems.models import BookImport, Ecosystem, Relationship
from tests.ecosystems.imports.analyses import analysed_import
from tests.ecosystems.imports.books import png_bytes, story_pdf, story_txt

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def test_the_upload_form_is_linked_from_the_nav_and_asks_for_a_book(signed_in):
    page = signed_in.get("/imports/new/").content.decode()

    assert '<a href="/imports/new/" aria-current="page">Import a book</a>' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".txt,.epub,.pdf,.docx"' in page
    assert "/imports/new/" in signed_in.get("/dashboard/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, owner):
    book_import = analysed_import(owner)
    for path in ("/imports/new/", f"/imports/{book_import.pk}/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_upload_opens_the_imports_page_with_its_progress_bar(signed_in, owner):
    response = signed_in.post("/imports/new/", {"file": SimpleUploadedFile("s.txt", story_txt())})

    book_import = BookImport.objects.get(owner=owner)
    assert response.status_code == 302 and response["Location"] == f"/imports/{book_import.pk}/"
    page = signed_in.get(response["Location"]).content.decode()
    assert '<progress id="import-bar" max="1" value="0.0000">0 %</progress>' in page
    assert "Waiting for the analysis to start" in page
    # without JavaScript the page reloads itself until the analysis is over
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert "js/imports.js" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.txt", png_bytes(), "is not a text file"),
        ("locked.pdf", story_pdf(password="pw"), "is protected by a password"),
        ("empty.txt", b"", "is empty"),
        ("book.odt", b"words", "cannot be imported"),
    ],
)
def test_a_bad_file_is_shown_on_the_form_and_nothing_is_kept(signed_in, name, data, message):
    response = signed_in.post("/imports/new/", {"file": SimpleUploadedFile(name, data)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BookImport.objects.exists()


def test_fifty_megabytes_are_refused_on_the_form_without_reading_them(signed_in):
    response = signed_in.post(
        "/imports/new/",
        {"file": SimpleUploadedFile("s.txt", story_txt())},
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "The upload is 50.0 MB; a book may be at most 20 MB" in response.content.decode()
    assert not BookImport.objects.exists()


def test_the_upload_still_needs_its_csrf_token(client, owner):
    from django.test import Client

    checked = Client(enforce_csrf_checks=True)
    checked.force_login(owner)
    response = checked.post("/imports/new/", {"file": SimpleUploadedFile("s.txt", story_txt())})

    assert response.status_code == 403
    assert not BookImport.objects.exists()


def test_a_strangers_import_is_a_404(client, owner, stranger):
    book_import = analysed_import(owner)
    client.force_login(stranger)

    assert client.get(f"/imports/{book_import.pk}/").status_code == 404
    assert client.post(f"/imports/{book_import.pk}/world/", {"keep-0": "1"}).status_code == 404


def test_the_review_lists_the_cast_with_its_evidence(signed_in, owner):
    book_import = analysed_import(owner)

    page = signed_in.get(f"/imports/{book_import.pk}/").content.decode()

    assert "<noscript><meta" not in page and "js/imports.js" not in page
    assert "40 mentions · 12 lines spoken · female · also called Mara" in page
    assert "<q>I am Mara Ellison, and this is line 0.</q>" in page
    assert "Find what Mara Ellison lost" in page and "suggestions, to confirm" in page
    assert "Your plan (Free) has room for 5 more characters" in page
    # the top five are ticked, the rest not
    ticked = re.findall(r'name="keep-(\d+)" value="1" checked', page)
    assert ticked == ["0", "1", "2", "3", "4"]
    assert "<td>Mara Ellison</td><td>Tobias Quill</td><td>family</td>" in page


def test_the_review_untick_merge_rename_and_describe_make_the_world(signed_in, owner):
    book_import = analysed_import(owner)
    form = {
        "world_name": "Wrenfield",
        "keep-0": "1", "name-0": "Mara", "description-0": "The keeper's niece.",
        "keep-1": "1", "name-1": "Tobias Quill", "description-1": "",
        # Hester (2) unticked; Mara E. (7) is the same person as Mara (0)
        "name-2": "Hester Bryce", "merge-7": "0",
    }  # fmt: skip

    response = signed_in.post(f"/imports/{book_import.pk}/world/", form)

    world = Ecosystem.objects.get(owner=owner)
    assert response.status_code == 302 and response["Location"] == f"/worlds/{world.pk}/"
    assert world.name == "Wrenfield"
    names = set(Character.objects.filter(ecosystem=world).values_list("name", flat=True))
    assert names == {"Mara", "Tobias Quill"}
    mara = Character.objects.get(ecosystem=world, name="Mara")
    assert mara.backstory == "The keeper's niece."
    assert mara.card_extensions["dramatis/book_import"]["merged"] == ["Mara E."]
    assert (
        "Tobias Quill was brave and curious."
        in Character.objects.get(name="Tobias Quill").backstory
    )
    assert Relationship.objects.filter(ecosystem=world).count() == 2
    observatory = signed_in.get(response["Location"]).content.decode()
    assert "Wrenfield was made from the book with Mara, Tobias Quill" in observatory
    page = signed_in.get(f"/imports/{book_import.pk}/").content.decode()
    assert f'href="/worlds/{world.pk}/"' in page and 'id="cast-review"' not in page


def test_ticking_more_than_the_plan_allows_keeps_the_top_five_and_says_so(signed_in, owner):
    book_import = analysed_import(owner)
    form = {f"keep-{i}": "1" for i in range(8)}

    response = signed_in.post(f"/imports/{book_import.pk}/world/", form, follow=True)

    page = response.content.decode()
    assert "so the top five of the book were kept" in page
    assert Character.objects.count() == 5


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Choose at least one character"),
        ({"keep-0": "1", "merge-7": "2"}, "who is not ticked; tick Hester Bryce too"),
        ({"keep-0": "1", "keep-1": "1", "merge-7": "1", "merge-1": "0"}, "merge Mara E. into"),
        (
            {"keep-0": "1", "name-0": "Tobias Quill", "keep-1": "1"},
            "Two characters would be called",
        ),
    ],
)
def test_an_impossible_review_is_shown_again_and_makes_nothing(signed_in, owner, form, message):
    book_import = analysed_import(owner)

    response = signed_in.post(f"/imports/{book_import.pk}/world/", form)

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Ecosystem.objects.exists()


def test_a_failed_analysis_shows_its_message(signed_in, owner):
    book_import = analysed_import(owner, status="failed", result=None, stage="Failed",
                                  error="No people were found in this text.")  # fmt: skip

    page = signed_in.get(f"/imports/{book_import.pk}/").content.decode()

    assert "No people were found in this text." in page
    assert 'id="cast-review"' not in page and "<noscript><meta" not in page
