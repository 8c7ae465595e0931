"""``/api/v1/imports/``: upload a book, read the import, make a world of the reviewed cast."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from characters.models import Character
from ecosystems.models import BookImport, Ecosystem
from tests.api.conftest import error_of
from tests.ecosystems.imports.analyses import analysed_import
from tests.ecosystems.imports.books import (
    empty_epub,
    png_bytes,
    story_docx,
    story_epub,
    story_pdf,
    story_txt,
)

pytestmark = pytest.mark.django_db

IMPORTS = "/api/v1/imports/"


def _upload(client, name: str, data: bytes, **extra):
    return client.post(IMPORTS, {"file": SimpleUploadedFile(name, data)}, format="multipart",
                       **extra)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "build"),
    [("story.txt", story_txt), ("story.docx", story_docx), ("story.epub", story_epub),
     ("story.pdf", story_pdf)],
)  # fmt: skip
def test_a_book_in_any_format_is_queued_for_analysis(
    as_owner, owner, name, build, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _upload(as_owner, name, build())

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued" and body["progress"] == 0.0
    assert body["filename"] == name and body["format"] == name.rsplit(".", 1)[1]
    assert response["Location"] == f"{IMPORTS}{body['id']}/"
    book_import = BookImport.objects.get(pk=body["id"])
    assert book_import.owner == owner
    assert "Mara Ellison came to Wrenfield" in book_import.text
    assert len(callbacks) == 1  # the analysis task, enqueued once the row is committed


BAD = [
    ("empty.txt", b"", "'empty.txt' is empty"),
    ("photo.txt", png_bytes(), "'photo.txt' is not a text file (it holds binary data)"),
    ("locked.pdf", story_pdf(password="secret"), "'locked.pdf' is protected by a password"),
    ("pictures.epub", empty_epub(), "'pictures.epub' holds no text"),
    ("story.odt", story_txt(), "Files '.odt' cannot be imported"),
    ("fake.docx", b"not a word file", "'fake.docx' is not a readable Word document"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_is_a_400_saying_why_and_nothing_is_kept(as_owner, name, data, message):
    response = _upload(as_owner, name, data)

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert message in error["message"]
    assert error["details"] == {"file": [error["message"]]}
    assert not BookImport.objects.exists()


def test_no_file_is_a_400(as_owner):
    response = as_owner.post(IMPORTS, {"other": "x"}, format="multipart")

    assert response.status_code == 400
    assert error_of(response)["details"] == {"file": ["No file was submitted."]}


def test_fifty_megabytes_are_refused_from_the_declared_length_without_reading(as_owner):
    # The body is small but declares 50 MB: read, it would be a fine upload.
    response = _upload(as_owner, "big.txt", story_txt(), CONTENT_LENGTH=str(50 * 1024 * 1024))

    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "request_too_large"
    assert "The upload is 50.0 MB; a book may be at most 20 MB" in error["message"]
    assert not BookImport.objects.exists()


def test_a_real_fifty_megabyte_upload_is_refused(as_owner):
    response = _upload(as_owner, "big.txt", b"word " * (10 * 1024 * 1024))

    assert response.status_code == 413
    assert not BookImport.objects.exists()


def test_a_file_just_over_the_limit_is_refused(as_owner, settings):
    settings.BOOK_IMPORT_MAX_BYTES = 1000
    response = _upload(as_owner, "a.txt", b"word " * 300)

    assert response.status_code == 413
    assert "at most 0 MB (1,000 bytes)" in error_of(response)["message"]


def test_the_import_shows_its_cast_and_relationships_once_done(as_owner, owner):
    book_import = analysed_import(owner)

    body = as_owner.get(f"{IMPORTS}{book_import.pk}/").json()

    assert body["status"] == "done" and body["progress"] == 1.0
    assert body["title"] == "The Lighthouse Keeper's Niece" and body["words"] == 412
    mara = body["cast"][0]
    assert mara["name"] == "Mara Ellison" and mara["aliases"] == ["Mara"]
    assert mara["mentions"] == 40 and mara["speech_count"] == 12
    assert mara["sample_quotes"][0] == "I am Mara Ellison, and this is line 0."
    assert mara["big_five"]["openness"] == pytest.approx(0.8)
    assert mara["goals"][0] == {"text": "Find what Mara Ellison lost", "evidence": "chapter 1",
                                "source": "rules", "suggested": True}  # fmt: skip
    first = body["relationships"][0]
    assert first["source"] == "Mara Ellison" and first["target"] == "Tobias Quill"
    assert first["weight"] == 1.0 and first["kind"] == "family" and first["cues"] == ["her uncle"]
    assert body["world"] is None


def test_the_list_holds_only_my_imports_without_their_cast(as_owner, owner, stranger):
    mine = analysed_import(owner)
    analysed_import(stranger)

    body = as_owner.get(IMPORTS).json()

    assert body["count"] == 1
    assert body["results"][0]["id"] == str(mine.pk) and body["results"][0]["cast"] == []


def test_a_stranger_gets_404_and_anonymous_401(as_stranger, anonymous, owner):
    book_import = analysed_import(owner)
    for path in (f"{IMPORTS}{book_import.pk}/",):
        assert as_stranger.get(path).status_code == 404
        assert error_of(anonymous.get(path))["code"] == "not_authenticated"
    world = f"{IMPORTS}{book_import.pk}/world/"
    response = as_stranger.post(world, {"characters": ["Mara Ellison"]}, format="json")
    assert response.status_code == 404
    assert anonymous.post(world, {}, format="json").status_code == 401
    assert anonymous.get(IMPORTS).status_code == 401
    assert _upload(anonymous, "s.txt", story_txt()).status_code == 401
    assert not Ecosystem.objects.exists()


def test_a_world_is_made_of_the_reviewed_cast(as_owner, owner):
    book_import = analysed_import(owner)

    response = as_owner.post(
        f"{IMPORTS}{book_import.pk}/world/",
        {
            "characters": ["Mara Ellison", "Hester Bryce"],
            "rename": {"Hester Bryce": "Aunt Hester"},
            "descriptions": {"Mara Ellison": "The keeper's niece."},
            "merge": {"Mara Ellison": ["Mara E."]},
            "name": "Wrenfield",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["world"]["name"] == "Wrenfield" and body["world"]["status"] == "draft"
    assert body["characters"] == ["Mara Ellison", "Aunt Hester"]
    assert body["relationships"] == 2 and body["notes"] == [] and body["left_out"] == []
    assert response["Location"] == f"/api/v1/ecosystems/{body['world']['id']}/"
    mara = Character.objects.get(name="Mara Ellison")
    assert mara.backstory == "The keeper's niece."
    assert mara.card_extensions["dramatis/book_import"]["merged"] == ["Mara E."]
    detail = as_owner.get(f"{IMPORTS}{book_import.pk}/").json()
    assert detail["world"] == {"id": body["world"]["id"], "name": "Wrenfield"}


def test_on_free_the_whole_cast_is_cut_to_the_top_five(as_owner, owner):
    book_import = analysed_import(owner)

    body = as_owner.post(f"{IMPORTS}{book_import.pk}/world/", {}, format="json").json()

    assert body["characters"] == ["Mara Ellison", "Tobias Quill", "Hester Bryce",
                                  "Captain Rourke", "Old Finch"]  # fmt: skip
    assert body["left_out"] == ["Ada Quill", "The Ferryman", "Mara E."]
    assert "top five" in body["notes"][0]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"characters": ["Nobody"]}, "characters"),
        ({"characters": ["Mara Ellison"], "rename": {"Hester Bryce": "H"}}, "rename"),
        ({"charcters": ["Mara Ellison"]}, "charcters"),
        ({"characters": "Mara Ellison"}, "characters"),
    ],
)
def test_bad_world_requests_are_400s_and_make_nothing(as_owner, owner, payload, field):
    book_import = analysed_import(owner)

    response = as_owner.post(f"{IMPORTS}{book_import.pk}/world/", payload, format="json")

    assert response.status_code == 400
    assert field in error_of(response)["details"]
    assert not Ecosystem.objects.exists()


def test_a_second_world_or_an_unfinished_import_is_a_409(as_owner, owner):
    done = analysed_import(owner)
    running = analysed_import(owner, status="running", result=None, progress=0.4)
    path = f"{IMPORTS}{done.pk}/world/"
    assert as_owner.post(path, {"characters": ["Mara Ellison"]}, format="json").status_code == 201

    again = as_owner.post(path, {"characters": ["Hester Bryce"]}, format="json")
    early = as_owner.post(f"{IMPORTS}{running.pk}/world/", {}, format="json")

    assert again.status_code == 409 and error_of(again)["code"] == "conflict"
    assert early.status_code == 409 and "not been analysed yet" in error_of(early)["message"]
    assert Ecosystem.objects.count() == 1
