"""A short original story for the import tests, and the same story as each format the import
reads, built here with the writers of those formats (python-docx, ebooklib, fpdf2, pypdf)."""

from __future__ import annotations

import io

STORY_TITLE = "The Lighthouse Keeper's Niece"
STORY_AUTHOR = "A. Test Writer"
STORY = """The Lighthouse Keeper's Niece

Mara Ellison came to Wrenfield on the last ferry of the autumn. Her uncle, Tobias Quill, kept the lighthouse on the point, and he was waiting for her on the jetty with a lantern.

"You are late," said Tobias. "The sea does not wait for anyone, Mara."

"The ferry was slow," Mara replied. "I am glad to be here, Uncle Tobias."

Tobias was a tall, gruff man who rarely smiled. Mara was curious and brave, and she asked him a great many questions on the walk up the hill.

At the cottage their neighbour, Hester Bryce, had left a pie on the table. Hester was kind and talkative, and she came in without knocking.

"Welcome, child," said Hester warmly. "Your uncle has spoken of nothing else all week."

"I have not," Tobias grumbled. Mara laughed, and Hester winked at her.

That night a storm came in from the west. Tobias climbed the tower to tend the lamp, and Mara followed him up the iron stairs.

"Go back to bed," Tobias said. "This is no place for you."

"I want to help," Mara insisted. "Show me what to do."

Tobias looked at his niece for a long moment. Then he handed her the oil can, and together they kept the light burning until dawn. When Hester Bryce came up the hill in the morning she found them asleep on the bench, and she smiled.

"You two are more alike than you know," Hester told Mara later. Mara thought about that for a long time.
"""  # noqa: E501 - paragraphs of prose, one line each as a text file holds them


def story_txt(encoding: str = "utf-8") -> bytes:
    return STORY.encode(encoding)


def story_docx() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = STORY_TITLE
    document.core_properties.author = STORY_AUTHOR
    for paragraph in STORY.split("\n\n"):
        document.add_paragraph(paragraph.strip())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _epub(chapters: list[str]) -> bytes:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("test-story-1")
    book.set_title(STORY_TITLE)
    book.set_language("en")
    book.add_author(STORY_AUTHOR)
    items = []
    for i, html in enumerate(chapters, start=1):
        item = epub.EpubHtml(title=f"Part {i}", file_name=f"part{i}.xhtml", lang="en")
        item.content = html
        book.add_item(item)
        items.append(item)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    out = io.BytesIO()
    epub.write_epub(out, book)
    return out.getvalue()


def story_epub() -> bytes:
    paragraphs = [p.strip() for p in STORY.split("\n\n")]
    half = len(paragraphs) // 2
    chapters = []
    for part in (paragraphs[:half], paragraphs[half:]):
        body = "".join(f"<p>{p.replace('&', '&amp;')}</p>" for p in part)
        chapters.append(
            f"<html><head><style>p {{ margin: 0 }}</style></head><body>{body}</body></html>"
        )
    return _epub(chapters)


def empty_epub() -> bytes:
    """An EPUB whose only chapter holds an image and no text."""
    return _epub(['<html><body><p><img src="cover.png" alt=""/></p></body></html>'])


def story_pdf(*, password: str = "") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(STORY_TITLE)
    pdf.set_author(STORY_AUTHOR)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for paragraph in STORY.split("\n\n"):
        text = paragraph.strip().replace("\u2019", "'")
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    data = bytes(pdf.output())
    if not password:
        return data
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    """A real (tiny) PNG image: binary data to rename as .txt."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x10\x20\x30" * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + (chunk(b"IEND", b""))
    )
