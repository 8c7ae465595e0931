"""Project Gutenberg header, footer and licence stripping, and the cleaned text the engine reads.

The cleaned text is the book's body with every paragraph on one line (internal line breaks and
runs of spaces collapsed), paragraphs separated by one blank line, and the ``_italic_`` marks
removed. Every offset the engine reports (``Quote.offset``) is into this cleaned text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_START = re.compile(r"^\*{3}\s*START OF (?:THIS|THE) PROJECT GUTENBERG.*$", re.I | re.M)
_END = re.compile(r"^\*{3}\s*END OF (?:THIS|THE) PROJECT GUTENBERG.*$", re.I | re.M)
_END_LINE = re.compile(r"^\s*End of (?:the |this )?Project Gutenberg.*$", re.I | re.M)
_PRODUCED = re.compile(
    r"^\s*(?:Produced by|Prepared by|Transcribed by|E-?text prepared)\b.*$", re.I
)
_FIELD = re.compile(r"^(Title|Author):\s*(.+)$", re.I | re.M)
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_PARA_SPLIT = re.compile(r"\n\s*\n")
SHORT_LINE = 50  # without blank lines, a line this short ends its paragraph (or is a heading)


@dataclass(frozen=True)
class CleanText:
    text: str  # cleaned body: paragraphs joined by "\n\n"
    paragraphs: tuple[tuple[int, int], ...]  # (start, end) offsets of each paragraph in text
    title: str
    author: str
    gutenberg: bool


def clean(raw: str) -> CleanText:
    """Strip a Gutenberg header/footer/licence when present and normalise the body."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    raw = raw.translate(_QUOTES)
    title = author = ""
    body = raw
    start = _START.search(raw)
    gutenberg = bool(start) or "project gutenberg" in raw[:3000].lower()
    if start:
        header = raw[: start.start()]
        for field_match in _FIELD.finditer(header):
            key, value = field_match.group(1).lower(), field_match.group(2).strip()
            if key == "title" and not title:
                title = value
            elif key == "author" and not author:
                author = value
        body = raw[start.end() :]
    end = _END.search(body)
    if end:
        body = body[: end.start()]
    end_line = _END_LINE.search(body)
    if end_line:
        body = body[: end_line.start()]
    if gutenberg and not start:  # an old-style header without the START line: drop its first block
        first = re.search(r"\*END\*.*?\n", body)
        if first:
            body = body[first.end() :]
    paragraphs: list[str] = []
    blocks = _PARA_SPLIT.split(body)
    if len(blocks) * 20 < body.count("\n"):  # hardly any blank line (text out of a PDF)
        blocks = _line_blocks(body)
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if not paragraphs and _PRODUCED.match(lines[0]):
            continue
        para = _SPACES.sub(" ", " ".join(line.strip() for line in lines)).strip()
        para = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", "", para)
        if para:
            paragraphs.append(para)
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in paragraphs:
        spans.append((pos, pos + len(para)))
        pos += len(para) + 2
    text = "\n\n".join(paragraphs)
    if not title and paragraphs:
        title = paragraphs[0][:120] if len(paragraphs[0]) < 80 else ""
    return CleanText(
        text=text, paragraphs=tuple(spans), title=title, author=author, gutenberg=gutenberg
    )


def _line_blocks(body: str) -> list[str]:
    """Paragraphs of a text without blank lines: a line ends its paragraph when it ends a
    sentence or is short, or when the next line is indented or opens a quote."""
    blocks: list[str] = []
    current: list[str] = []
    for line in body.split("\n"):
        if current and (line[:1] in (" ", "\t", '"') and line.strip()):
            blocks.append("\n".join(current))
            current = []
        if line.strip():
            current.append(line)
        stripped = line.rstrip()
        if current and (not stripped or stripped[-1] in ".!?\"':;" or len(stripped) < SHORT_LINE):
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks
