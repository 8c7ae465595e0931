"""Story exports, each parsed back: Markdown, printable HTML, JSON and EPUB 3."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from markdown_it import MarkdownIt

from stories.engine.document import Chapter, DocBeat, DocParticipant, Quote, StoryDocument
from stories.engine.exports import (
    EXPORT_FORMATS,
    epub_modified,
    export,
    export_epub,
    export_html,
    export_json,
    export_markdown,
    slug_filename,
    tension_words,
)
from stories.engine.narrative import narrate

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
XHTML = "{http://www.w3.org/1999/xhtml}"
MODIFIED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

NASTY = 'Tom & "Jerry" <script>alert(1)</script>'


def story(**changes: object) -> StoryDocument:
    beats = (
        DocBeat(
            seq=10,
            tick=3,
            kind="character_interaction",
            label="Bob insulted Alice",
            text="Bob insulted Alice at tick 3",
            quote=Quote(
                speaker="Bob", line="You'll regret that.", listener="Alice", reply="Will I?"
            ),
            data={"interaction_type": "insult", "content": "You'll regret that."},
        ),
        DocBeat(
            seq=12,
            tick=5,
            kind="gossip_spread",
            label="Word got around",
            text="Clara told Dan what Bob had said.",
            data={"teller": {"id": "c", "name": "Clara"}},
        ),
        DocBeat(
            seq=30,
            tick=12,
            kind="conflict_escalated",
            label="The feud deepened",
            text="Bob and Alice stopped speaking & started plotting.",
            world_time="the third bell",
            data={"rung_before": 1, "rung_after": 2},
        ),
    )
    doc = StoryDocument(
        id="3f1c2a9e-1111-4a2b-9c3d-123456789abc",
        title="The Garden Conspiracy",
        genre="escalating_conflict",
        status="climax",
        summary="A slight at the party becomes a feud.",
        world_name="The Garden",
        participants=(
            DocParticipant(id="b", name="Bob", role="instigator"),
            DocParticipant(id="a", name="Alice", role="target"),
        ),
        tension=0.8,
        tension_curve=((3, 0.2), (5, 0.45), (12, 0.8)),
        beats=beats,
        predictions=("Alice may strike back.", "Clara could take sides."),
        started_tick=3,
        updated_tick=12,
        generated_at="2024-05-01T12:30:00+02:00",
    )
    return dataclasses.replace(doc, **changes)


def nasty_story() -> StoryDocument:
    doc = story()
    quote = Quote(speaker="Bob", line=NASTY, listener="Alice", reply="a < b && c > d")
    beats = (dataclasses.replace(doc.beats[0], quote=quote, label=NASTY), *doc.beats[1:])
    return dataclasses.replace(
        doc, title=NASTY, summary="Ünïcode — “quotes” & 'apostrophes'\x07", beats=beats
    )


class Page(HTMLParser):
    """What a browser would see: tags, attributes, text by tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: dict[str, list[str]] = {}
        self.stack: list[str] = []
        self.polyline_points: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs
        if tag == "polyline":
            self.polyline_points.append(dict(attrs)["points"] or "")
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if self.stack:
            self.text.setdefault(self.stack[-1], []).append(data)

    def joined(self, tag: str) -> str:
        return "".join(self.text.get(tag, []))


def parse_html(source: str) -> Page:
    page = Page()
    page.feed(source)
    page.close()
    return page


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_has_the_title_the_chapters_the_beats_and_the_predictions():
    doc = story()
    chapters = narrate(doc)

    md = export_markdown(doc, chapters)

    lines = md.splitlines()
    assert lines[0] == "# The Garden Conspiracy"
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == [
        *(f"Chapter {c.number}: {c.title}" for c in chapters),
        "Key beats",
        "What may happen next",
    ]
    assert "\u201cYou'll regret that.\u201d" in md
    assert "\u201cWill I?\u201d" in md
    assert "- **The third bell** \u2014 " in md  # the world's time, not a tick
    assert "Tension is " in md
    assert "- Alice may strike back." in md
    assert "Escalating conflict" in md and "Bob (instigator)" in md


def test_markdown_keeps_story_text_from_becoming_headings():
    doc = story(summary="fine", title="Plain")
    chapters = (Chapter(1, "One", ("# not a heading", "> nor a quote")),)

    md = export_markdown(doc, chapters)

    assert "\n# not a heading" not in md
    assert "\\# not a heading" in md


def test_markdown_from_hostile_names_and_lines_renders_as_text_in_a_stock_renderer():
    hostile = '<img src=x onerror="alert(1)"> [click](javascript:alert(1)) *loud* `code`'
    doc = story(title=NASTY, summary=hostile)
    chapters = (Chapter(1, NASTY, (hostile, "> <script>steal()</script>")),)

    rendered = MarkdownIt("commonmark").render(export_markdown(doc, chapters))

    assert "<script" not in rendered and "<img" not in rendered
    assert "<a " not in rendered and "<em>loud" not in rendered and "<code>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # the words are kept, as text
    assert "onerror=&quot;alert(1)&quot;" in rendered
    assert "[click](javascript:alert(1))" in rendered and "*loud*" in rendered


# --- HTML -------------------------------------------------------------------------------------


def test_html_is_a_printable_page_with_title_chapters_and_a_tension_curve():
    doc = story()
    chapters = narrate(doc)

    page = parse_html(export_html(doc, chapters))

    assert page.text["title"][0] == "The Garden Conspiracy"  # then the SVG's own title
    assert page.joined("h1") == "The Garden Conspiracy"
    h2 = page.text["h2"]
    for chapter in chapters:
        assert f"Chapter {chapter.number}: {chapter.title}" in h2
    assert "Key beats" in h2
    assert "What may happen next" in h2
    assert "svg" in page.tags
    assert len(page.polyline_points) == 1
    assert len(page.polyline_points[0].split()) == len(doc.tension_curve)
    assert "@media print" in page.joined("style")
    assert "serif" in page.joined("style")
    assert "The third bell" in page.joined("span")


def test_html_has_no_scripts_and_no_links_outside_the_page():
    doc = nasty_story()

    source = export_html(doc, narrate(doc))
    page = parse_html(source)

    assert "script" not in page.tags
    assert "link" not in page.tags
    for name, value in page.attrs:
        if name in ("href", "src"):
            assert value is not None and value.startswith("#")
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?https?:", source)
    assert "@import" not in source and "url(" not in source


def test_html_escapes_every_piece_of_story_text():
    doc = nasty_story()

    source = export_html(doc, narrate(doc))
    page = parse_html(source)

    assert "<script>" not in source
    assert "&lt;script&gt;" in source
    assert page.joined("h1") == NASTY
    assert NASTY in page.joined("p")
    assert "a < b && c > d" in page.joined("p")
    assert "\x07" not in source


def test_html_draws_a_curve_of_one_point_and_says_so_when_there_is_none():
    one = parse_html(export_html(story(tension_curve=((4, 0.5),)), ()))
    none = parse_html(export_html(story(tension_curve=()), ()))

    assert len(one.polyline_points) == 1
    assert len(one.polyline_points[0].split()) == 2
    assert none.polyline_points == []
    assert "No tension recorded yet" in none.joined("text")


# --- JSON -------------------------------------------------------------------------------------


def test_json_carries_the_story_its_beats_and_its_chapters():
    doc = story()
    chapters = narrate(doc)

    data = json.loads(export_json(doc, chapters))

    assert data["format"] == "dramatis.story"
    assert data["version"] == 1
    s = data["story"]
    assert s["id"] == doc.id
    assert s["title"] == doc.title
    assert (s["genre"], s["status"], s["world"]) == ("escalating_conflict", "climax", "The Garden")
    assert s["participants"] == [
        {"id": "b", "name": "Bob", "role": "instigator"},
        {"id": "a", "name": "Alice", "role": "target"},
    ]
    assert s["tension"] == 0.8
    assert s["tension_curve"] == [
        {"tick": 3, "tension": 0.2},
        {"tick": 5, "tension": 0.45},
        {"tick": 12, "tension": 0.8},
    ]
    assert s["predictions"] == ["Alice may strike back.", "Clara could take sides."]
    assert [b["seq"] for b in data["beats"]] == [10, 12, 30]
    first = data["beats"][0]
    assert first["quote"] == {
        "speaker": "Bob",
        "line": "You'll regret that.",
        "listener": "Alice",
        "reply": "Will I?",
    }
    assert first["event"] == {"interaction_type": "insult", "content": "You'll regret that."}
    assert data["beats"][1]["quote"] is None
    assert data["chapters"] == [
        {"number": c.number, "title": c.title, "paragraphs": list(c.paragraphs)} for c in chapters
    ]


def test_json_writes_values_it_cannot_hold_as_strings():
    import uuid

    odd = uuid.UUID("12345678-1234-5678-1234-567812345678")
    beat = dataclasses.replace(story().beats[1], data={"alliance_id": odd})

    data = json.loads(export_json(story(beats=(beat,)), ()))

    assert data["beats"][0]["event"] == {"alliance_id": str(odd)}


# --- EPUB -------------------------------------------------------------------------------------


def open_epub(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


def opf_of(archive: zipfile.ZipFile) -> tuple[str, ElementTree.Element]:
    container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
    rootfile = container.find(f"{CONTAINER}rootfiles/{CONTAINER}rootfile")
    assert rootfile is not None
    assert rootfile.get("media-type") == "application/oebps-package+xml"
    path = rootfile.get("full-path")
    assert path
    return path, ElementTree.fromstring(archive.read(path))


def test_the_epub_starts_with_a_stored_mimetype():
    archive = open_epub(export_epub(story(), narrate(story())))

    first = archive.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert first.extra == b""
    assert archive.read("mimetype") == b"application/epub+zip"


def test_the_epub_package_describes_the_book():
    doc = story()
    archive = open_epub(export_epub(doc, narrate(doc)))

    path, opf = opf_of(archive)

    assert path == "OEBPS/content.opf"
    assert opf.tag == f"{OPF}package"
    assert opf.get("version") == "3.0"
    metadata = opf.find(f"{OPF}metadata")
    assert metadata is not None
    identifier = metadata.find(f"{DC}identifier[@id='{opf.get('unique-identifier')}']")
    assert identifier is not None
    assert identifier.text == f"urn:uuid:{doc.id}"
    assert metadata.findtext(f"{DC}title") == doc.title
    assert metadata.findtext(f"{DC}language") == "en"
    assert metadata.findtext(f"{DC}creator") == "Dramatis"
    modified = [
        m.text for m in metadata.iter(f"{OPF}meta") if m.get("property") == "dcterms:modified"
    ]
    assert modified == ["2024-05-01T10:30:00Z"]  # generated_at, in UTC
    assert MODIFIED.match(modified[0])


def test_every_epub_manifest_item_exists_and_the_spine_reads_them_in_order():
    doc = story()
    chapters = narrate(doc, beats_per_chapter=1)
    archive = open_epub(export_epub(doc, chapters))
    path, opf = opf_of(archive)
    base = path.rsplit("/", 1)[0] + "/"
    names = set(archive.namelist())

    items = {i.get("id"): i for i in opf.iter(f"{OPF}item")}
    for item in items.values():
        assert base + (item.get("href") or "") in names
    spine = [ref.get("idref") for ref in opf.iter(f"{OPF}itemref")]
    assert all(idref in items for idref in spine)
    assert len(spine) == len(chapters) + 2  # title page, chapters, key beats
    nav = [i for i in items.values() if "nav" in (i.get("properties") or "").split()]
    assert len(nav) == 1
    assert names == {"mimetype", "META-INF/container.xml", path} | {
        base + (i.get("href") or "") for i in items.values()
    }


def test_the_epub_nav_links_every_chapter():
    doc = story()
    chapters = narrate(doc, beats_per_chapter=1)
    archive = open_epub(export_epub(doc, chapters))

    nav = ElementTree.fromstring(archive.read("OEBPS/nav.xhtml"))

    (toc,) = [
        n for n in nav.iter(f"{XHTML}nav") if n.get("{http://www.idpf.org/2007/ops}type") == "toc"
    ]
    links = {a.get("href"): a.text for a in toc.iter(f"{XHTML}a")}
    for chapter in chapters:
        assert links[f"chapter-{chapter.number:03d}.xhtml"] == (
            f"Chapter {chapter.number}: {chapter.title}"
        )
    assert set(links) <= set(archive.namelist()) | {n[len("OEBPS/") :] for n in archive.namelist()}


def test_every_epub_xhtml_file_is_well_formed_even_with_nasty_text():
    doc = nasty_story()
    archive = open_epub(export_epub(doc, narrate(doc)))

    xhtml = [n for n in archive.namelist() if n.endswith(".xhtml")]
    assert len(xhtml) >= 4
    for name in xhtml:
        root = ElementTree.fromstring(archive.read(name))
        assert root.tag == f"{XHTML}html"
    _, opf = opf_of(archive)
    assert opf.findtext(f".//{DC}title") == NASTY
    chapter = ElementTree.fromstring(archive.read("OEBPS/chapter-001.xhtml"))
    assert NASTY in "".join(chapter.itertext())


def test_the_same_story_gives_the_same_epub_bytes():
    doc = story()

    first = export_epub(doc, narrate(doc), modified="2024-06-01T08:00:00Z")
    again = export_epub(doc, narrate(doc), modified="2024-06-01T08:00:00Z")

    assert first == again
    _, opf = opf_of(open_epub(first))
    assert opf.findtext(f".//{OPF}meta[@property='dcterms:modified']") == "2024-06-01T08:00:00Z"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T12:30:00Z", "2024-05-01T12:30:00Z"),
        ("2024-05-01T12:30:00.123456+00:00", "2024-05-01T12:30:00Z"),
        ("2024-05-01T12:30:00-05:00", "2024-05-01T17:30:00Z"),
        ("2024-05-01T12:30:00", "2024-05-01T12:30:00Z"),
    ],
)
def test_modified_timestamps_are_written_in_utc_seconds(value, expected):
    assert epub_modified(value) == expected


def test_a_modified_that_is_not_a_timestamp_is_refused():
    with pytest.raises(ValueError, match="ISO 8601"):
        export_epub(story(), (), modified="yesterday")


# --- dispatch and file names ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_dispatches_every_format_to_bytes(fmt):
    doc = story()
    chapters = narrate(doc)

    data = export(fmt, doc, chapters)

    assert isinstance(data, bytes)
    if fmt == "epub":
        assert data == export_epub(doc, chapters)
    else:
        renderer = {"md": export_markdown, "html": export_html, "json": export_json}[fmt]
        assert data.decode("utf-8") == renderer(doc, chapters)


def test_an_unknown_format_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"'pdf'.*epub, html, json, md"):
        export("pdf", story(), ())


def test_file_names_are_slugs_of_the_title():
    assert slug_filename(story(), "epub") == "the-garden-conspiracy.epub"
    assert slug_filename(story(title="Ça va? Très bien!"), "md") == "ca-va-tres-bien.md"
    assert slug_filename(story(title="!!!"), "json") == "story-3f1c2a9e.json"
    with pytest.raises(ValueError, match="Unknown export format"):
        slug_filename(story(), "docx")


def test_no_export_counts_ticks_or_gives_tension_as_a_percentage():
    doc = story()
    chapters = narrate(doc)

    for fmt in ("md", "html"):
        text = export(fmt, doc, chapters).decode()
        text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", text, flags=re.DOTALL)  # what is read
        assert not re.search(r"\btick \d", text, re.IGNORECASE), fmt
        assert not re.search(r"\d+\s?%", text), fmt


@pytest.mark.parametrize(
    ("tension", "words"),
    [(0.0, "calm"), (0.3, "simmering"), (0.5, "rising"), (0.9, "at breaking point")],
)
def test_tension_is_told_in_words(tension, words):
    assert tension_words(tension) == words
