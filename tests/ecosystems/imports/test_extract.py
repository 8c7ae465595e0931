"""Reading an uploaded book: the same story in each format, and every kind of bad file."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from ecosystems.imports.extract import book_text_extract, html_text
from tests.ecosystems.imports.books import (
    STORY_AUTHOR,
    STORY_TITLE,
    empty_epub,
    png_bytes,
    story_docx,
    story_epub,
    story_pdf,
    story_txt,
)

LINES = [
    "Mara Ellison came to Wrenfield on the last ferry of the autumn.",
    "said Tobias.",
    "Hester Bryce",
    "You two are more alike than you know",
]


def _refusal(data: bytes, filename: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        book_text_extract(data=data, filename=filename)
    assert caught.value.details["file"] == [caught.value.message]
    return caught.value.message


@pytest.mark.parametrize(
    ("filename", "build"),
    [
        ("story.txt", story_txt),
        ("story.docx", story_docx),
        ("story.epub", story_epub),
        ("story.pdf", story_pdf),
    ],
)
def test_the_story_is_read_in_every_format(filename, build):
    extracted = book_text_extract(data=build(), filename=filename)

    assert extracted.format == filename.rsplit(".", 1)[1]
    for line in LINES:
        assert line in " ".join(extracted.text.split()), (filename, line)
    assert "\n\n" in extracted.text  # paragraphs stay apart
    assert "\r" not in extracted.text


@pytest.mark.parametrize(("filename", "build"), [("s.docx", story_docx), ("s.epub", story_epub),
                                                 ("s.pdf", story_pdf)])  # fmt: skip
def test_the_files_own_title_and_author_are_kept(filename, build):
    extracted = book_text_extract(data=build(), filename=filename)

    assert extracted.title == STORY_TITLE
    assert extracted.author == STORY_AUTHOR


def test_the_epub_leaves_out_styles():
    extracted = book_text_extract(data=story_epub(), filename="story.epub")

    assert "margin" not in extracted.text


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_a_text_file_is_decoded_whatever_its_encoding(encoding, expected):
    text = "Café society: “Hello,” said Zoë. It cost £5 — and more.\n"
    extracted = book_text_extract(data=text.encode(encoding), filename="a.TXT")

    assert extracted.encoding == expected
    assert extracted.text == text.replace("\n", "") + "\n"


def test_latin_1_is_the_last_resort():
    # 0x81 is undefined in cp1252; one such byte in a long text is no sign of binary data
    data = ("Señor Ñandú went to town. " * 20 + "\x81").encode("latin-1")

    extracted = book_text_extract(data=data, filename="a.txt")

    assert extracted.encoding == "latin-1"
    assert extracted.text.startswith("Señor Ñandú")


@pytest.mark.parametrize("filename", ["empty.txt", "empty.pdf", "empty.epub", "empty.docx"])
def test_an_empty_file_is_refused(filename):
    assert "is empty" in _refusal(b"", filename)
    assert "is empty" in _refusal(b"  \n\n ", filename)


def test_a_binary_file_named_txt_is_refused():
    message = _refusal(png_bytes(), "photo.txt")

    assert "'photo.txt' is not a text file (it holds binary data)" in message


def test_control_characters_without_nuls_are_binary_too():
    assert "binary" in _refusal(bytes(range(1, 32)) * 100 + b"text", "x.txt")


def test_a_password_protected_pdf_is_refused():
    message = _refusal(story_pdf(password="secret"), "locked.pdf")

    assert "'locked.pdf' is protected by a password" in message


def test_an_epub_without_text_is_refused():
    message = _refusal(empty_epub(), "pictures.epub")

    assert "'pictures.epub' holds no text" in message


@pytest.mark.parametrize("filename", ["story.pdf", "story.epub", "story.docx"])
def test_a_file_that_is_not_what_its_name_says_is_refused(filename):
    message = _refusal(b"Just some words, not a " + filename.encode(), filename)

    assert f"'{filename}' is not a readable" in message


@pytest.mark.parametrize("filename", ["story.odt", "story", "story.txt.exe"])
def test_an_unknown_extension_is_refused(filename):
    message = _refusal(story_txt(), filename)

    assert "cannot be imported; upload a .txt, .epub, .pdf or .docx file" in message


def test_html_paragraphs_become_blank_line_separated_text():
    html = "<h1>One</h1><p>A  b\n c</p><script>x()</script><p>D<br/>E</p>"

    assert html_text(html) == "One\n\nA b c\n\nD\n\nE"
