"""Render a story (document + chapters) as Markdown, printable HTML, JSON or EPUB 3.

Pure functions of their inputs: the same document and chapters give the same bytes (the EPUB
zip carries fixed timestamps; its dcterms:modified comes from ``modified`` or the document's
``generated_at``). Nothing links outside the file: no scripts, fonts or remote images, so the
HTML prints and the EPUB reads offline.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from stories.engine.document import Chapter, DocBeat, StoryDocument
from stories.engine.narrative import tidy_sentence

EXPORT_FORMATS: Mapping[str, tuple[str, str]] = {
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
    "json": ("application/json", "json"),
    "epub": ("application/epub+zip", "epub"),
}
JSON_FORMAT, JSON_VERSION = "dramatis.story", 1

# Tension curve drawing, in SVG user units (the HTML scales it to the page width).
CURVE_WIDTH, CURVE_HEIGHT, CURVE_PAD = 600, 140, 24
# Zip entries' timestamp: fixed so that the same story gives the same bytes (the zip format
# cannot store dates before 1980).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SLUG_MAX = 80  # characters of title kept in a download's file name

# Characters XML 1.0 forbids (C0 controls other than tab, newline, carriage return).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- shared helpers --------------------------------------------------------------------------


def chapter_heading(chapter: Chapter) -> str:
    """ "Chapter 2: The Betrayal"."""
    return (
        f"Chapter {chapter.number}: {chapter.title}"
        if chapter.title
        else (f"Chapter {chapter.number}")
    )


def meta_line(doc: StoryDocument) -> str:
    """Genre · status · world · participants, as one line of plain text."""
    people = ", ".join(f"{p.name} ({p.role})" if p.role else p.name for p in doc.participants)
    parts = [_label(doc.genre), _label(doc.status), doc.world_name, people]
    return " \u00b7 ".join(p for p in parts if p)


def sorted_beats(doc: StoryDocument) -> list[DocBeat]:
    """The document's beats in story order (tick, then seq)."""
    return sorted(doc.beats, key=lambda b: (b.tick, b.seq))


def _told_by(doc: StoryDocument) -> str:
    """ "Told by Dramatis", or nothing for a white-labelled world."""
    return f"Told by {doc.brand}" if doc.brand else ""


def _credit(doc: StoryDocument) -> str:
    """The closing credit of the Markdown book: who told it, else the world it happened in."""
    return _told_by(doc) or doc.world_name


def _label(value: str) -> str:
    """ "love_triangle" -> "Love triangle"."""
    text = value.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _esc(text: str) -> str:
    """Text for HTML and XHTML: escaped (quotes too) and free of characters XML forbids."""
    return html.escape(_XML_FORBIDDEN.sub("", text), quote=True)


# Tension (0..1) in words, highest first: a reader gets a feeling, not a gauge.
TENSION_WORDS: tuple[tuple[float, str], ...] = (
    (0.85, "at breaking point"),
    (0.6, "high"),
    (0.35, "rising"),
    (0.15, "simmering"),
    (0.0, "calm"),
)


def tension_words(tension: float) -> str:
    """ "rising", "at breaking point"...: how tense a story is, in words."""
    return next(words for floor, words in TENSION_WORDS if tension >= floor)


def _when(beat: DocBeat) -> str:
    """When a beat happened in the world's own time ("11:00 am on Tuesday"), or nothing
    when the world's clock is unknown (the list's order says the rest)."""
    when = beat.world_time or ""
    return when[:1].upper() + when[1:]


def slug_filename(doc: StoryDocument, fmt: str) -> str:
    """A download file name from the title: "The Garden Conspiracy" + "epub" ->
    "the-garden-conspiracy.epub". Falls back to "story-<id prefix>" for titles with no
    letters or digits."""
    _, extension = _format(fmt)
    ascii_title = unicodedata.normalize("NFKD", doc.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:SLUG_MAX].strip("-")
    if not slug:
        slug = "story-" + (re.sub(r"[^a-z0-9]+", "", doc.id.lower())[:8] or "untitled")
    return f"{slug}.{extension}"


def _format(fmt: str) -> tuple[str, str]:
    try:
        return EXPORT_FORMATS[fmt]
    except KeyError:
        valid = ", ".join(sorted(EXPORT_FORMATS))
        raise ValueError(f"Unknown export format {fmt!r}; use one of: {valid}.") from None


def export(fmt: str, doc: StoryDocument, chapters: Sequence[Chapter]) -> bytes:
    """``doc`` in format ``fmt`` (a key of ``EXPORT_FORMATS``), as bytes (UTF-8 for text).
    Raises ValueError naming the valid formats for any other ``fmt``."""
    _format(fmt)
    renderers: Mapping[str, Callable[[StoryDocument, Sequence[Chapter]], str | bytes]] = {
        "md": export_markdown,
        "html": export_html,
        "json": export_json,
        "epub": export_epub,
    }
    out = renderers[fmt](doc, chapters)
    return out if isinstance(out, bytes) else out.encode("utf-8")


# --- Markdown --------------------------------------------------------------------------------


_MD_INLINE = re.compile(r"([\\`*_\[\]])")


def _md_line(text: str) -> str:
    """One line of Markdown text: no line breaks, no accidental heading/list/quote, and no
    markup from names or lines: raw HTML (``<script>``, ``onerror=``) becomes entities, which
    a stock renderer shows as text, and emphasis, code and link brackets are backslashed."""
    text = " ".join(_XML_FORBIDDEN.sub("", text).split())
    text = html.escape(text, quote=False)  # & < > only: quotes read as quotes
    text = _MD_INLINE.sub(r"\\\1", text)
    return "\\" + text if text[:1] in "#>-+*|" and text else text


def export_markdown(doc: StoryDocument, chapters: Sequence[Chapter]) -> str:
    """A Markdown book: "# title", meta line, summary, "## Chapter n: title" per chapter,
    then "## Key beats" (in the world's time) and "## What may happen next"."""
    out = [f"# {_md_line(doc.title)}", "", f"*{_md_line(meta_line(doc))}*", ""]
    if doc.summary.strip():
        out += [f"> {_md_line(doc.summary)}", ""]
    out += [f"Tension is {tension_words(doc.tension)}.", ""]
    for chapter in chapters:
        out += [f"## {_md_line(chapter_heading(chapter))}", ""]
        for paragraph in chapter.paragraphs:
            out += [_md_line(paragraph), ""]
    beats = sorted_beats(doc)
    if beats:
        out += ["## Key beats", ""]
        for beat in beats:
            when = _when(beat)
            lead = f"**{_md_line(when)}** \u2014 " if when else ""
            out.append(f"- {lead}{_md_line(_beat_line(beat))}")
        out.append("")
    if doc.predictions:
        out += ["## What may happen next", ""]
        out += [f"- {_md_line(p)}" for p in doc.predictions]
        out.append("")
    out += ["---", "", f"*{_md_line(_credit(doc))} \u00b7 {_md_line(doc.generated_at)}*", ""]
    return "\n".join(out)


def _beat_line(beat: DocBeat) -> str:
    """ "Alice is angry: Alice's mood turned to anger." without repeating the label, and
    without the engine's "at tick N" (the world's time is printed beside it)."""
    label, text = beat.label.strip(), tidy_sentence(beat.text)
    if not label or not text or text.startswith(label):
        return text or label
    return f"{label}: {text}"


# --- tension curve (SVG) ---------------------------------------------------------------------


def tension_points(curve: Sequence[tuple[int, float]]) -> list[tuple[float, float]]:
    """The curve's points in SVG coordinates (x by tick, y by tension 0..1, top = 1). One
    point draws a flat line across; no points draws nothing."""
    points = sorted(curve)
    if not points:
        return []
    inner_w, inner_h = CURVE_WIDTH - 2 * CURVE_PAD, CURVE_HEIGHT - 2 * CURVE_PAD
    first, last = points[0][0], points[-1][0]
    span = last - first

    def y(tension: float) -> float:
        return round(CURVE_PAD + (1 - max(0.0, min(1.0, tension))) * inner_h, 1)

    if span == 0:
        level = y(points[-1][1])
        return [(float(CURVE_PAD), level), (float(CURVE_WIDTH - CURVE_PAD), level)]
    return [(round(CURVE_PAD + (t - first) / span * inner_w, 1), y(v)) for t, v in points]


def tension_svg(doc: StoryDocument) -> str:
    """An inline SVG of the tension curve (valid XML, usable in HTML and XHTML)."""
    points = tension_points(doc.tension_curve)
    base = CURVE_HEIGHT - CURVE_PAD
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tension" role="img" '
        f'viewBox="0 0 {CURVE_WIDTH} {CURVE_HEIGHT}" width="{CURVE_WIDTH}" '
        f'height="{CURVE_HEIGHT}" aria-label="Tension over time">',
        f"<title>Tension over time (now {tension_words(doc.tension)})</title>",
        f'<line x1="{CURVE_PAD}" y1="{base}" x2="{CURVE_WIDTH - CURVE_PAD}" y2="{base}" '
        'stroke="#999" stroke-width="1"/>',
        f'<line x1="{CURVE_PAD}" y1="{CURVE_PAD}" x2="{CURVE_PAD}" y2="{base}" '
        'stroke="#999" stroke-width="1"/>',
    ]
    if points:
        coords = " ".join(f"{x:g},{y:g}" for x, y in points)
        fill = f"{points[0][0]:g},{base} {coords} {points[-1][0]:g},{base}"
        parts += [
            f'<polygon points="{fill}" fill="#b0413e" fill-opacity="0.12" stroke="none"/>',
            f'<polyline points="{coords}" fill="none" stroke="#b0413e" stroke-width="2.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>',
        ]
        label_y = CURVE_HEIGHT - 6
        parts += [
            f'<text x="{CURVE_PAD}" y="{label_y}" font-size="11" fill="#666">the beginning</text>',
            f'<text x="{CURVE_WIDTH - CURVE_PAD}" y="{label_y}" font-size="11" fill="#666" '
            'text-anchor="end">now</text>',
        ]
    else:
        parts.append(
            f'<text x="{CURVE_WIDTH // 2}" y="{CURVE_HEIGHT // 2}" font-size="12" fill="#666" '
            'text-anchor="middle">No tension recorded yet</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- HTML ------------------------------------------------------------------------------------

HTML_CSS = """
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", Times, serif; font-size: 1.1rem;
  line-height: 1.6; color: #1d1d1f; background: #fdfcf8; max-width: 40em;
  margin: 2.5rem auto; padding: 0 1.25rem; }
header h1 { font-size: 2.2rem; line-height: 1.2; margin: 0 0 .4rem; }
.meta { color: #5b5b60; font-style: italic; margin: 0 0 1rem; }
.summary { border-left: 3px solid #b0413e; margin: 1rem 0; padding: .2rem 0 .2rem 1rem;
  color: #333; }
figure { margin: 1.5rem 0; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #5b5b60; text-align: center; }
nav.toc ol { padding-left: 1.4rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 1rem; }
.chapter p { text-indent: 1.5em; margin: 0 0 .6rem; text-align: justify; hyphens: auto; }
.chapter p:first-of-type { text-indent: 0; }
.beats li { margin-bottom: .35rem; }
.tick { font-variant-numeric: tabular-nums; color: #5b5b60; }
footer { margin-top: 3rem; font-size: .85rem; color: #5b5b60; border-top: 1px solid #ddd;
  padding-top: .8rem; }
@media print {
  @page { margin: 2cm; }
  body { background: #fff; color: #000; max-width: none; margin: 0; padding: 0;
    font-size: 11.5pt; }
  nav.toc { display: none; }
  .chapter { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  p { orphans: 3; widows: 3; }
  figure, li { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
""".strip()


def export_html(doc: StoryDocument, chapters: Sequence[Chapter]) -> str:
    """A self-contained printable HTML page: inline CSS (with ``@media print``), title, meta
    line, summary, inline SVG tension curve, contents, chapters, key beats, predictions.
    No scripts and no external resources; all text escaped."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        *([f'<meta name="generator" content="{_esc(doc.brand)}">'] if doc.brand else []),
        f"<title>{_esc(doc.title)}</title>",
        f"<style>\n{HTML_CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_esc(doc.title)}</h1>",
        f'<p class="meta">{_esc(meta_line(doc))}</p>',
    ]
    if doc.summary.strip():
        out.append(f'<p class="summary">{_esc(doc.summary)}</p>')
    out += [
        "</header>",
        "<figure>",
        tension_svg(doc),
        f"<figcaption>Tension over time \u00b7 now {tension_words(doc.tension)}</figcaption>",
        "</figure>",
    ]
    if len(chapters) > 1:
        out.append('<nav class="toc"><h2>Contents</h2><ol>')
        out += [
            f'<li><a href="#chapter-{c.number}">{_esc(chapter_heading(c))}</a></li>'
            for c in chapters
        ]
        out.append("</ol></nav>")
    for chapter in chapters:
        out.append(f'<section class="chapter" id="chapter-{chapter.number}">')
        out.append(f"<h2>{_esc(chapter_heading(chapter))}</h2>")
        out += [f"<p>{_esc(p)}</p>" for p in chapter.paragraphs]
        out.append("</section>")
    out += _beats_and_predictions_html(doc, heading="h2")
    footer = " \u00b7 ".join(p for p in (_told_by(doc), doc.world_name, doc.generated_at) if p)
    out += [
        f"<footer>{_esc(footer)}</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def _beats_and_predictions_html(doc: StoryDocument, *, heading: str) -> list[str]:
    out: list[str] = []
    beats = sorted_beats(doc)
    if beats:
        out.append(f'<section class="beats"><{heading}>Key beats</{heading}><ol>')
        for beat in beats:
            out.append(
                (
                    f'<li><span class="tick">{_esc(_when(beat))}</span> \u2014 '
                    if _when(beat)
                    else "<li>"
                )
                + f"{_esc(_beat_line(beat))}</li>"
            )
        out.append("</ol></section>")
    if doc.predictions:
        out.append(f'<section class="predictions"><{heading}>What may happen next</{heading}><ul>')
        out += [f"<li>{_esc(p)}</li>" for p in doc.predictions]
        out.append("</ul></section>")
    return out


# --- JSON ------------------------------------------------------------------------------------


def story_payload(doc: StoryDocument, chapters: Sequence[Chapter]) -> dict[str, Any]:
    """The JSON export as a dict (see ``export_json``)."""
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "story": {
            "id": doc.id,
            "title": doc.title,
            "genre": doc.genre,
            "status": doc.status,
            "summary": doc.summary,
            "world": doc.world_name,
            "participants": [
                {"id": p.id, "name": p.name, "role": p.role} for p in doc.participants
            ],
            "tension": doc.tension,
            "tension_curve": [{"tick": t, "tension": v} for t, v in sorted(doc.tension_curve)],
            "predictions": list(doc.predictions),
            "started_tick": doc.started_tick,
            "updated_tick": doc.updated_tick,
            "generated_at": doc.generated_at,
        },
        "beats": [
            {
                "seq": b.seq,
                "tick": b.tick,
                "kind": b.kind,
                "label": b.label,
                "text": b.text,
                "world_time": b.world_time,
                "quote": None
                if b.quote is None
                else {
                    "speaker": b.quote.speaker,
                    "line": b.quote.line,
                    "listener": b.quote.listener,
                    "reply": b.quote.reply,
                },
                "event": dict(b.data),
            }
            for b in sorted_beats(doc)
        ],
        "chapters": [
            {"number": c.number, "title": c.title, "paragraphs": list(c.paragraphs)}
            for c in chapters
        ],
    }


def export_json(doc: StoryDocument, chapters: Sequence[Chapter]) -> str:
    """Machine-readable story: ``{"format": "dramatis.story", "version": 1, "story": {...},
    "beats": [...], "chapters": [...]}``; beats in (tick, seq) order with their event payload
    under "event". Values JSON cannot hold (UUIDs, datetimes) are written as strings."""
    return json.dumps(story_payload(doc, chapters), ensure_ascii=False, indent=2, default=str)


# --- EPUB 3 ----------------------------------------------------------------------------------

EPUB_CSS = """
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.5; margin: 0 5%; }
h1 { font-size: 1.8em; text-align: center; margin: 2em 0 .5em; }
h2 { font-size: 1.4em; margin: 1.5em 0 1em; }
p { margin: 0; text-indent: 1.5em; text-align: justify; }
p.first, .titlepage p, li p { text-indent: 0; }
.meta { text-align: center; font-style: italic; color: #555; margin: .5em 0 1.5em; }
.summary { margin: 1em 0; font-style: italic; }
.tick { color: #555; }
svg { width: 100%; height: auto; }
""".strip()

_XHTML_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
    'lang="en" xml:lang="en">\n<head>\n<meta charset="utf-8"/>\n<title>{title}</title>\n'
    '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
)


def _xhtml(title: str, body: Iterable[str], *, epub_type: str = "") -> str:
    attr = f' epub:type="{epub_type}"' if epub_type else ""
    return (
        _XHTML_HEAD.replace("{title}", _esc(title))
        + f"<body{attr}>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def epub_modified(value: str) -> str:
    """An ISO 8601 timestamp as EPUB's dcterms:modified wants it: ``CCYY-MM-DDThh:mm:ssZ``,
    in UTC (naive times are taken as UTC). Raises ValueError for anything else."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise ValueError(
            f"{value!r} is not an ISO 8601 timestamp; pass e.g. '2024-05-01T12:00:00Z'."
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def export_epub(
    doc: StoryDocument, chapters: Sequence[Chapter], *, modified: str | None = None
) -> bytes:
    """A valid EPUB 3 book: ``mimetype`` first and stored, ``META-INF/container.xml``,
    ``OEBPS/content.opf`` (identifier ``urn:uuid:<doc.id>``, dcterms:modified from
    ``modified`` or ``doc.generated_at``), ``nav.xhtml``, a title page (with the tension curve),
    one XHTML per chapter, a key-beats appendix and a stylesheet. Same input, same bytes."""
    stamp = epub_modified(modified if modified is not None else doc.generated_at)
    # (manifest id, href, media type, properties, in spine, toc label)
    items: list[tuple[str, str, str, str, bool, str]] = [
        ("css", "style.css", "text/css", "", False, ""),
        ("nav", "nav.xhtml", "application/xhtml+xml", "nav", False, ""),
        ("title", "title.xhtml", "application/xhtml+xml", "svg", True, doc.title),
    ]
    files: dict[str, str] = {
        "style.css": EPUB_CSS + "\n",
        "title.xhtml": _epub_title_page(doc),
    }
    for chapter in chapters:
        href = f"chapter-{chapter.number:03d}.xhtml"
        label = chapter_heading(chapter)
        items.append((f"chapter-{chapter.number}", href, "application/xhtml+xml", "", True, label))
        files[href] = _epub_chapter(chapter)
    items.append(("beats", "beats.xhtml", "application/xhtml+xml", "", True, "Key beats"))
    files["beats.xhtml"] = _epub_beats(doc)
    toc = [(href, label) for _, href, _, _, in_spine, label in items if in_spine]
    files["nav.xhtml"] = _epub_nav(doc, toc)
    opf = _epub_opf(doc, stamp, items)

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _zip_write(archive, "mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        _zip_write(archive, "META-INF/container.xml", CONTAINER_XML.encode())
        _zip_write(archive, "OEBPS/content.opf", opf.encode())
        for _, href, *_rest in items:
            _zip_write(archive, f"OEBPS/{href}", files[href].encode())
    return buffer.getvalue()


CONTAINER_XML = """<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def _zip_write(
    archive: zipfile.ZipFile, name: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED
) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = compress
    info.create_system = 3  # Unix, whatever machine writes it: part of the same-bytes promise
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _epub_opf(
    doc: StoryDocument, stamp: str, items: Sequence[tuple[str, str, str, str, bool, str]]
) -> str:
    manifest = []
    for item_id, href, media, properties, _, _ in items:
        props = f' properties="{properties}"' if properties else ""
        manifest.append(f'    <item id="{item_id}" href="{href}" media-type="{media}"{props}/>')
    spine = [f'    <itemref idref="{item_id}"/>' for item_id, *_m, in_spine, _ in items if in_spine]
    description = (
        f"    <dc:description>{_esc(doc.summary)}</dc:description>\n" if doc.summary else ""
    )
    subject = f"    <dc:subject>{_esc(_label(doc.genre))}</dc:subject>\n" if doc.genre else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="book-id" xml:lang="en">\n'
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'    <dc:identifier id="book-id">urn:uuid:{_esc(doc.id)}</dc:identifier>\n'
        f"    <dc:title>{_esc(doc.title)}</dc:title>\n"
        "    <dc:language>en</dc:language>\n"
        f"    <dc:creator>{_esc(doc.brand or doc.world_name)}</dc:creator>\n"
        f"{description}{subject}"
        f'    <meta property="dcterms:modified">{stamp}</meta>\n'
        "  </metadata>\n"
        "  <manifest>\n" + "\n".join(manifest) + "\n  </manifest>\n"
        "  <spine>\n" + "\n".join(spine) + "\n  </spine>\n"
        "</package>\n"
    )


def _epub_nav(doc: StoryDocument, entries: Sequence[tuple[str, str]]) -> str:
    links = [f'<li><a href="{href}">{_esc(label)}</a></li>' for href, label in entries]
    return _xhtml(
        doc.title,
        [
            '<nav epub:type="toc" id="toc">',
            "<h1>Contents</h1>",
            "<ol>",
            *links,
            "</ol>",
            "</nav>",
        ],
    )


def _epub_title_page(doc: StoryDocument) -> str:
    body = [
        '<section class="titlepage" epub:type="titlepage">',
        f"<h1>{_esc(doc.title)}</h1>",
        f'<p class="meta">{_esc(meta_line(doc))}</p>',
    ]
    if doc.summary.strip():
        body.append(f'<p class="summary">{_esc(doc.summary)}</p>')
    body += [tension_svg(doc), f'<p class="meta">Tension is {tension_words(doc.tension)}.</p>']
    body.append("</section>")
    return _xhtml(doc.title, body)


def _epub_chapter(chapter: Chapter) -> str:
    heading = chapter_heading(chapter)
    body = [
        f'<section epub:type="chapter" id="chapter-{chapter.number}">',
        f"<h2>{_esc(heading)}</h2>",
    ]
    for i, paragraph in enumerate(chapter.paragraphs):
        cls = ' class="first"' if i == 0 else ""
        body.append(f"<p{cls}>{_esc(paragraph)}</p>")
    body.append("</section>")
    return _xhtml(heading, body)


def _epub_beats(doc: StoryDocument) -> str:
    body = ['<section epub:type="appendix" id="beats">']
    body += _beats_and_predictions_html(doc, heading="h2")
    if not doc.beats and not doc.predictions:
        body.append("<h2>Key beats</h2><p>No beats yet.</p>")
    body.append("</section>")
    return _xhtml("Key beats", body)
