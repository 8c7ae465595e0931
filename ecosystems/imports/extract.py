"""The text of an uploaded book: .txt (UTF-8 with or without a BOM, UTF-16 with a BOM, else
Windows-1252, else Latin-1), .epub (ebooklib; chapters in reading order, HTML to text), .pdf
(pypdf; text layer only, a password-protected file is refused) and .docx (python-docx).

Every refusal is an ``InvalidInput`` whose message says what was wrong with the file and what to
upload instead, with ``details["file"]``: the upload's 400. Nothing here touches the database.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath

from core.errors import InvalidInput

FORMATS = {".txt": "txt", ".epub": "epub", ".pdf": "pdf", ".docx": "docx"}
ACCEPTED = ".txt, .epub, .pdf or .docx"
# Share of control characters (other than line breaks and tabs) above which a decoded ".txt"
# is binary data: real texts have none; a renamed image or archive has ~10 % or more.
BINARY_CONTROL_SHARE = 0.005
BINARY_SNIFF_BYTES = 64 * 1024  # NUL bytes in the first 64 KiB: binary, not text


@dataclass(frozen=True)
class Extracted:
    """A book's plain text (paragraphs separated by blank lines) and what its file said."""

    text: str
    format: str  # "txt", "epub", "pdf" or "docx"
    encoding: str = ""  # how a .txt was decoded
    title: str = ""  # from the file's own metadata (EPUB, PDF, DOCX), when it has any
    author: str = ""


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, details={"file": [message]})


def book_format(filename: str) -> str:
    """The format named by the file's extension; ``InvalidInput`` for any other."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in FORMATS:
        shown = f"'{suffix}'" if suffix else "without an extension"
        raise _refuse(f"Files {shown} cannot be imported; upload a {ACCEPTED} file.")
    return FORMATS[suffix]


def book_text_extract(*, data: bytes, filename: str) -> Extracted:
    """The text of the book in ``data``, read as its extension says."""
    fmt = book_format(filename)
    if not data.strip():
        raise _refuse(f"{_name(filename)} is empty; upload a book with some text in it.")
    extracted = {"txt": _txt, "epub": _epub, "pdf": _pdf, "docx": _docx}[fmt](data, filename)
    text = _tidy(extracted.text)
    if not text.strip():
        raise _refuse(f"{_name(filename)} holds no text to read.")
    return Extracted(
        text=text,
        format=fmt,
        encoding=extracted.encoding,
        title=extracted.title.strip()[:200],
        author=extracted.author.strip()[:200],
    )


def _name(filename: str) -> str:
    return f"'{PurePath(filename or 'the file').name}'"


def _tidy(text: str) -> str:
    """One newline convention, no NULs, no trailing spaces, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --- .txt --------------------------------------------------------------------------------------


def _txt(data: bytes, filename: str) -> Extracted:
    not_text = _refuse(
        f"{_name(filename)} is not a text file (it holds binary data). Upload the book as "
        f"plain text, or as the {ACCEPTED} file it really is."
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise not_text from error
    else:
        if b"\x00" in data[:BINARY_SNIFF_BYTES]:
            raise not_text
        text, encoding = _decode(data)
    if _control_share(text) > BINARY_CONTROL_SHARE:
        raise not_text
    return Extracted(text=text, format="txt", encoding=encoding)


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (a BOM is dropped), else Windows-1252 (which leaves five bytes undefined), else
    Latin-1, which decodes any byte."""
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    for candidate in (encoding, "cp1252"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _control_share(text: str) -> float:
    sample = text[:BINARY_SNIFF_BYTES]
    if not sample:
        return 0.0
    controls = sum(
        1 for ch in sample if ch not in "\n\r\t\f" and unicodedata.category(ch) in ("Cc", "Co")
    )
    return controls / len(sample)


# --- .epub -------------------------------------------------------------------------------------

BLOCK_TAGS = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "section",
    "article", "pre", "hr", "dd", "dt", "figcaption", "table",
}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "head", "title", "svg", "math", "nav"}


class _HtmlText(HTMLParser):
    """Paragraph text of an (X)HTML chapter: block elements end paragraphs, scripts, styles and
    navigation are left out, runs of whitespace inside a paragraph become one space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self._end_paragraph()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._end_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def _end_paragraph(self) -> None:
        paragraph = " ".join("".join(self.current).split())
        if paragraph:
            self.paragraphs.append(paragraph)
        self.current = []

    def text(self) -> str:
        self._end_paragraph()
        return "\n\n".join(self.paragraphs)


def html_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return parser.text()


def _epub(data: bytes, filename: str) -> Extracted:
    import ebooklib
    from ebooklib import epub

    bad = _refuse(f"{_name(filename)} is not a readable EPUB book. Upload a valid .epub file.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "META-INF/encryption.xml" in archive.namelist():
                raise _refuse(
                    f"{_name(filename)} is protected by DRM (its chapters are encrypted) and "
                    "cannot be read. Upload a DRM-free copy."
                )
        book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    except InvalidInput:
        raise
    except Exception as error:  # zipfile, lxml and ebooklib raise many kinds on a bad file
        raise bad from error
    by_id = {item.get_id(): item for item in book.get_items_of_type(ebooklib.ITEM_DOCUMENT)}
    ordered = [by_id.pop(item_id) for item_id, _ in book.spine if item_id in by_id]
    ordered += list(by_id.values())  # documents left out of the spine still hold text
    chapters = []
    for item in ordered:
        try:
            chapters.append(html_text(item.get_content().decode("utf-8", errors="replace")))
        except Exception as error:
            raise bad from error
    text = "\n\n".join(c for c in chapters if c.strip())
    if not text.strip():
        raise _refuse(
            f"{_name(filename)} holds no text (its chapters are empty or only images). "
            "Upload an EPUB with the book's text, or the text itself as .txt."
        )
    return Extracted(
        text=text, format="epub", title=_dc(book, "title"), author=_dc(book, "creator")
    )


def _dc(book: object, name: str) -> str:
    values = book.get_metadata("DC", name)  # type: ignore[attr-defined]
    return str(values[0][0]) if values and values[0] and values[0][0] else ""


# --- .pdf --------------------------------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    bad = _refuse(f"{_name(filename)} is not a readable PDF. Upload a valid .pdf file.")
    locked = _refuse(
        f"{_name(filename)} is protected by a password. Remove the password (print it to a "
        "new PDF, or export the text) and upload it again."
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner-only password opens
            raise locked
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
    except InvalidInput:
        raise
    except PdfReadError as error:
        if "password" in str(error).lower() or "decrypt" in str(error).lower():
            raise locked from error
        raise bad from error
    except Exception as error:  # a damaged file fails in many places inside pypdf
        raise bad from error
    text = "\n\n".join(pdf_paragraphs(p) for p in pages if p.strip())
    if not text.strip():
        raise _refuse(
            f"{_name(filename)} has no text layer (is it a scan?). Upload a PDF with "
            "selectable text, or the book as .txt."
        )
    title = str(meta.title or "") if meta is not None else ""
    author = str(meta.author or "") if meta is not None else ""
    return Extracted(text=text, format="pdf", title=title, author=author)


# A PDF's text comes as the lines of the page. A line much shorter than the page's full lines
# ends its paragraph (the usual look of a paragraph's last line); the others are wrapped and
# are joined with the next (a word hyphenated across the break is joined whole).
PARAGRAPH_END_SHARE = 0.75


def pdf_paragraphs(page_text: str) -> str:
    lines = [line.strip() for line in page_text.splitlines()]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return ""
    full = lengths[int(0.9 * (len(lengths) - 1))]
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current.endswith("-") and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}" if current else line
        if len(line) < PARAGRAPH_END_SHARE * full:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


# --- .docx -------------------------------------------------------------------------------------


def _docx(data: bytes, filename: str) -> Extracted:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # not a zip, not a Word package, a damaged part
        raise _refuse(
            f"{_name(filename)} is not a readable Word document. Upload a valid .docx file "
            "(an old .doc must be saved as .docx first)."
        ) from error
    text = "\n\n".join(p.text for p in document.paragraphs if p.text.strip())
    props = document.core_properties
    return Extracted(text=text, format="docx", title=props.title or "", author=props.author or "")
