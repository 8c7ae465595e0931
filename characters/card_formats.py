"""Character Card files, pure Python (no Django): read V1/V2/V3 cards from PNG, JSON and CHARX
into one normalised V3 card, check every field, write the V2 backfill and a PNG carrying both.

The formats are the SillyTavern / chub convention:

- Character Card V2, ``spec: "chara_card_v2"`` (malfoyslastname/character-card-spec-v2,
  spec_v2.md); V1 is the same six texts at the top level without ``spec``;
- Character Card V3, ``spec: "chara_card_v3"`` (kwaroran/character-card-spec-v3, SPEC_V3.md):
  "Embedding Methods" (PNG ``tEXt`` chunk ``ccv3`` holding base64 of the UTF-8 JSON, ``chara``
  the V2 backfill; a JSON file; CHARX, a zip with ``card.json`` at its root) and "JSON Objects"
  (the card and its Lorebook).

Everything from outside is hostile until checked: texts and lists have bounds (a 10 MB field is
a 400 naming the field, not a 10 MB row), a CHARX is refused before it is inflated when its
members, their declared sizes or their compression ratio look like a zip bomb, and a member
name that could escape a folder (``..``, absolute, backslashes) refuses the whole archive.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import struct
import zipfile
import zlib
from typing import Any

from core.errors import InvalidInput

SPEC_V3 = "chara_card_v3"
SPEC_V2 = "chara_card_v2"

# --- Bounds -------------------------------------------------------------------------------------
# A long community card's description is ~30,000 characters; 200,000 leaves room for any honest
# card and keeps one field far below what would strain a row, a page or a prompt.
MAX_TEXT_CHARS = 200_000
MAX_NAME_CHARS = 100  # Character.name's max_length
MAX_LIST_ITEMS = 1_000  # tags, greetings, sources
MAX_BOOK_ENTRIES = 2_000
MAX_JSON_DEPTH = 32  # as the API's own JSON parser (core/api/parsers.py)
MAX_CARD_JSON_BYTES = 16 * 1024 * 1024  # the card JSON in any container (as the upload cap)
# CHARX: assets are not kept, only card.json is read; the caps refuse bombs before inflating.
MAX_CHARX_MEMBERS = 1_000
MAX_CHARX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_CHARX_RATIO = 100  # deflate of real text/images stays under ~20:1; zeros reach 1000:1
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # tiny members compress oddly; judge the ratio past 1 MiB

TEXT_FIELDS = ("description", "personality", "scenario", "first_mes", "mes_example",
               "creator_notes", "system_prompt", "post_history_instructions", "creator",
               "character_version")  # fmt: skip
LIST_FIELDS = ("tags", "alternate_greetings", "group_only_greetings")
V2_FIELDS = ("name", *TEXT_FIELDS, "alternate_greetings", "tags", "extensions")
V1_FIELDS = ("name", "description", "personality", "scenario", "first_mes", "mes_example")
# SPEC_V3.md "Embedding Methods / PNG": what a V3 exporter writes into the V2 backfill.
BACKFILL_WARNING = (
    "This character card is Character Card V3, but it is loaded as a Character Card V2. Please "
    "use a Character Card V3 compatible application to use this character card properly."
)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # PostgreSQL text and JSONB refuse both
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- Reading ------------------------------------------------------------------------------------


def card_read(*, data: bytes, filename: str = "") -> dict[str, Any]:
    """The normalised V3 card in ``data`` (a PNG, a JSON file or a CHARX, V1, V2 or V3).

    Raises ``InvalidInput`` saying what is wrong with anything else, with ``details`` per
    field (``data.name``, ``data.character_book.entries[3].keys``...) for a bad card.
    """
    name = filename.lower()
    head = data[:16]
    if head.startswith(PNG_SIGNATURE):
        return card_normalise(_json_load(_png_card_text(data), where="the PNG's card chunk"))
    if head.startswith(b"PK\x03\x04") or name.endswith(".charx"):
        return card_normalise(_json_load(_charx_card_json(data), where="card.json"))
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{") or name.endswith(".json"):
        return card_normalise(_json_load(data, where="the JSON file"))
    kind = _image_kind(head)
    if kind:
        raise InvalidInput(
            f"The file is a {kind} image: character cards travel in PNG images (or as JSON or "
            "CHARX files); export the card as PNG and upload that."
        )
    if name.endswith((".png", ".apng")):
        raise InvalidInput("The file is not an image: it does not start with the PNG signature.")
    raise InvalidInput(
        "The file is not an image, a JSON card or a CHARX file; upload a character card as "
        "PNG, JSON or CHARX."
    )


def _image_kind(head: bytes) -> str:
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return ""


def _json_load(raw: bytes, *, where: str) -> Any:
    if len(raw) > MAX_CARD_JSON_BYTES:
        raise InvalidInput(
            f"{where.capitalize()} is {len(raw):,} bytes; a card may be at most "
            f"{MAX_CARD_JSON_BYTES:,}."
        )
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{where.capitalize()} is not UTF-8 text.") from error
    except RecursionError as error:
        raise InvalidInput(f"{where.capitalize()} is nested too deep.") from error
    except ValueError as error:
        raise InvalidInput(f"{where.capitalize()} is not valid JSON: {error}.") from error


def png_text_chunks(data: bytes) -> dict[str, str]:
    """The ``tEXt`` chunks of a PNG, keyword → text (Latin-1, as PNG defines them), the first of
    each keyword. Walks chunk headers only; the image itself is never decoded."""
    if not data.startswith(PNG_SIGNATURE):
        raise InvalidInput("The file is not an image: it does not start with the PNG signature.")
    chunks: dict[str, str] = {}
    at = len(PNG_SIGNATURE)
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        if len(body) < length:
            raise InvalidInput("The PNG is cut short: a chunk runs past the end of the file.")
        if kind == b"tEXt" and b"\x00" in body:
            keyword, _, text = body.partition(b"\x00")
            chunks.setdefault(keyword.decode("latin-1"), text.decode("latin-1"))
        if kind == b"IEND":
            break
        at += 12 + length  # length, type, data, CRC
    return chunks


def _png_card_text(data: bytes) -> bytes:
    chunks = {key.lower(): value for key, value in reversed(png_text_chunks(data).items())}
    # SPEC_V3.md: "if the application detects both chara and ccv3 chunk, ... use the ccv3".
    for key in ("ccv3", "chara"):
        if key in chunks:
            try:
                return base64.b64decode(chunks[key].strip(), validate=True)
            except (binascii.Error, ValueError) as error:
                raise InvalidInput(f"The PNG's {key!r} chunk is not base64 text.") from error
    raise InvalidInput(
        "The PNG has no character card chunk (a tEXt chunk named 'ccv3' or 'chara'); it is an "
        "ordinary picture, not a character card."
    )


def _charx_card_json(data: bytes) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise InvalidInput("The CHARX file is not a valid zip archive.") from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_CHARX_MEMBERS:
            raise InvalidInput(
                f"The CHARX holds {len(members):,} files; at most {MAX_CHARX_MEMBERS:,} are read."
            )
        total = 0
        for member in members:
            _charx_member_check(member)
            total += member.file_size
        if total > MAX_CHARX_UNCOMPRESSED_BYTES:
            raise InvalidInput(
                f"The CHARX unpacks to {total:,} bytes; at most "
                f"{MAX_CHARX_UNCOMPRESSED_BYTES:,} are accepted (is it a zip bomb?)."
            )
        card = next((m for m in members if m.filename == "card.json"), None)
        if card is None:
            raise InvalidInput("card.json is missing from the CHARX (it must be at the root).")
        try:
            with archive.open(card) as stream:
                # The declared size may lie: never inflate more than the cap, whatever it says.
                raw = stream.read(MAX_CARD_JSON_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as error:
            raise InvalidInput(f"card.json in the CHARX cannot be unpacked: {error}.") from error
        return raw


def _charx_member_check(member: zipfile.ZipInfo) -> None:
    name = member.filename
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or ".." in parts or re.match(r"^[A-Za-z]:", name):
        raise InvalidInput(f"The CHARX holds a file named {name!r}, which points outside it.")
    if member.flag_bits & 0x1:
        raise InvalidInput("The CHARX is encrypted; export it without a password.")
    if member.file_size > RATIO_CHECK_FROM_BYTES:
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_CHARX_RATIO:
            raise InvalidInput(
                f"{name!r} in the CHARX is compressed {ratio:,.0f} to 1 (at most "
                f"{MAX_CHARX_RATIO} to 1 is accepted): it looks like a zip bomb."
            )


# --- Checking and normalising -------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.details: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.details.setdefault(path, []).append(message)

    def raise_if_any(self) -> None:
        if self.details:
            first = next(iter(self.details.items()))
            more = len(self.details) - 1
            tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
            raise InvalidInput(
                f"The character card is not valid: {first[0]}: {first[1][0]}{tail}",
                details=self.details,
            )


def card_normalise(card: Any) -> dict[str, Any]:
    """A V1, V2 or V3 card object as a checked V3 card: defaults filled where the spec gives
    them, unknown fields kept as they are. ``InvalidInput`` with field details otherwise."""
    problems = _Problems()
    if not isinstance(card, dict):
        raise InvalidInput("The character card is not a JSON object.")
    spec = card.get("spec")
    if spec is None and "data" not in card:
        if "name" not in card:
            raise InvalidInput(
                "This is not a character card: it has no 'spec' (chara_card_v3 or "
                "chara_card_v2) and no 'name'.",
                details={"spec": ["This field is required."]},
            )
        data = {key: card[key] for key in V1_FIELDS if key in card}  # V1: texts at the top
        version = 1
    elif spec in (SPEC_V3, SPEC_V2):
        data = card.get("data")
        if not isinstance(data, dict):
            problems.add("data", "Required: an object holding the card's fields.")
            problems.raise_if_any()
        data = dict(data)
        version = 3 if spec == SPEC_V3 else 2
    else:
        raise InvalidInput(
            f"Unknown card spec {spec!r}; expected 'chara_card_v3' or 'chara_card_v2'.",
            details={"spec": [f"Expected 'chara_card_v3' or 'chara_card_v2', got {spec!r}."]},
        )
    _check_data(data, problems)
    problems.raise_if_any()
    if version < 3:
        data.setdefault("group_only_greetings", [])
        notes = data.get("creator_notes", "")
        if notes.startswith(BACKFILL_WARNING):  # SPEC_V3.md: trim the backfill's warning
            data["creator_notes"] = notes[len(BACKFILL_WARNING) :].lstrip("\n")
    return {"spec": SPEC_V3, "spec_version": "3.0", "data": data}


def _check_data(data: dict[str, Any], problems: _Problems) -> None:
    name = data.get("name")
    if name is None:
        problems.add("data.name", "This field is required.")
    elif not isinstance(name, str):
        problems.add("data.name", f"Must be a text; got {_kind(name)}.")
    elif not name.strip():
        problems.add("data.name", "Must not be blank.")
    elif len(name) > MAX_NAME_CHARS:
        problems.add("data.name", f"Is {len(name):,} characters; at most {MAX_NAME_CHARS}.")
    for field in TEXT_FIELDS:
        data.setdefault(field, "")
        _check_text(data[field], f"data.{field}", problems)
    for field in LIST_FIELDS:
        data.setdefault(field, [])
        _check_texts(data[field], f"data.{field}", problems)
    data.setdefault("extensions", {})
    if not isinstance(data["extensions"], dict):
        problems.add("data.extensions", f"Must be an object; got {_kind(data['extensions'])}.")
    if "nickname" in data:
        _check_text(data["nickname"], "data.nickname", problems)
    if "source" in data:
        _check_texts(data["source"], "data.source", problems)
    for field in ("creation_date", "modification_date"):
        value = data.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.add(f"data.{field}", f"Must be a number (Unix seconds); got {_kind(value)}.")
    notes = data.get("creator_notes_multilingual")
    if notes is not None:
        if not isinstance(notes, dict):
            problems.add("data.creator_notes_multilingual", "Must be an object of texts.")
        else:
            for lang, text in notes.items():
                _check_text(text, f"data.creator_notes_multilingual.{lang}", problems)
    if "assets" in data:
        _check_assets(data["assets"], problems)
    if data.get("character_book") is not None:
        _check_book(data["character_book"], problems)
    _check_storable(data, problems)


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "a text",
             list: "a list", dict: "an object", type(None): "null"}  # fmt: skip
    return names.get(type(value), type(value).__name__)


def _check_text(value: Any, path: str, problems: _Problems) -> None:
    if not isinstance(value, str):
        problems.add(path, f"Must be a text; got {_kind(value)}.")
    elif len(value) > MAX_TEXT_CHARS:
        problems.add(path, f"Is {len(value):,} characters; at most {MAX_TEXT_CHARS:,}.")


def _check_texts(value: Any, path: str, problems: _Problems, limit: int = MAX_LIST_ITEMS) -> None:
    if not isinstance(value, list):
        problems.add(path, f"Must be a list of texts; got {_kind(value)}.")
        return
    if len(value) > limit:
        problems.add(path, f"Has {len(value):,} items; at most {limit:,}.")
        return
    for i, item in enumerate(value):
        _check_text(item, f"{path}[{i}]", problems)


def _check_assets(assets: Any, problems: _Problems) -> None:
    if not isinstance(assets, list) or len(assets) > MAX_LIST_ITEMS:
        problems.add("data.assets", f"Must be a list of at most {MAX_LIST_ITEMS} objects.")
        return
    for i, asset in enumerate(assets):
        if not isinstance(asset, dict):
            problems.add(f"data.assets[{i}]", f"Must be an object; got {_kind(asset)}.")
            continue
        for key in ("type", "uri", "name", "ext"):
            if key not in asset:
                problems.add(f"data.assets[{i}].{key}", "This field is required.")
            else:
                _check_text(asset[key], f"data.assets[{i}].{key}", problems)


def _check_book(book: Any, problems: _Problems) -> None:
    """The Lorebook of SPEC_V3.md "Lorebook Fields": required fields checked and defaulted
    (``extensions`` {}, ``enabled`` true, ``insertion_order`` the entry's place, ``use_regex``
    false), optional ones type-checked, unknown ones kept."""
    path = "data.character_book"
    if not isinstance(book, dict):
        problems.add(path, f"Must be an object (a lorebook); got {_kind(book)}.")
        return
    book.setdefault("extensions", {})
    if not isinstance(book["extensions"], dict):
        problems.add(f"{path}.extensions", "Must be an object.")
    for key in ("name", "description"):
        if key in book:
            _check_text(book[key], f"{path}.{key}", problems)
    entries = book.setdefault("entries", [])
    if not isinstance(entries, list):
        problems.add(f"{path}.entries", f"Must be a list; got {_kind(entries)}.")
        return
    if len(entries) > MAX_BOOK_ENTRIES:
        problems.add(f"{path}.entries", f"Has {len(entries):,}; at most {MAX_BOOK_ENTRIES:,}.")
        return
    for i, entry in enumerate(entries):
        here = f"{path}.entries[{i}]"
        if not isinstance(entry, dict):
            problems.add(here, f"Must be an object; got {_kind(entry)}.")
            continue
        if "keys" not in entry:
            problems.add(f"{here}.keys", "This field is required.")
        else:
            _check_texts(entry["keys"], f"{here}.keys", problems)
        if "content" not in entry:
            problems.add(f"{here}.content", "This field is required.")
        else:
            _check_text(entry["content"], f"{here}.content", problems)
        entry.setdefault("extensions", {})
        entry.setdefault("enabled", True)
        entry.setdefault("insertion_order", i)
        entry.setdefault("use_regex", False)
        if not isinstance(entry["extensions"], dict):
            problems.add(f"{here}.extensions", "Must be an object.")
        for key in ("enabled", "use_regex", "constant", "selective", "case_sensitive"):
            if key in entry and not isinstance(entry[key], bool):
                problems.add(f"{here}.{key}", f"Must be true or false; got {_kind(entry[key])}.")
        order = entry["insertion_order"]
        if isinstance(order, bool) or not isinstance(order, int | float):
            problems.add(f"{here}.insertion_order", f"Must be a number; got {_kind(order)}.")
        for key in ("name", "comment"):
            if key in entry:
                _check_text(entry[key], f"{here}.{key}", problems)


def _check_storable(data: Any, problems: _Problems) -> None:
    """No nesting past ``MAX_JSON_DEPTH`` and no text PostgreSQL cannot store, anywhere
    (unknown fields and other apps' extensions included). Iterative: nothing can recurse."""
    pending: list[tuple[Any, str, int]] = [(data, "data", 0)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            problems.add(path, f"Nested more than {MAX_JSON_DEPTH} levels deep.")
            return
        if isinstance(value, dict):
            for key, item in value.items():
                if _UNSTORABLE.search(key):
                    problems.add(path, "A key holds a NUL character or a lone surrogate.")
                pending.append((item, f"{path}.{key}", depth + 1))
        elif isinstance(value, list):
            pending.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str) and _UNSTORABLE.search(value):
            problems.add(path, "Holds a NUL character or a lone surrogate; send plain text.")


# --- Writing ------------------------------------------------------------------------------------


def card_v2_backfill(card: dict[str, Any]) -> dict[str, Any]:
    """The V2 card old readers find in the ``chara`` chunk (SPEC_V3.md "Embedding Methods"):
    the V2 fields of ``card``, its lorebook, and the warning in ``creator_notes``."""
    data = card["data"]
    v2 = {key: data[key] for key in V2_FIELDS if key in data}
    v2["creator_notes"] = f"{BACKFILL_WARNING}\n\n{data.get('creator_notes', '')}".rstrip()
    if data.get("character_book") is not None:
        v2["character_book"] = data["character_book"]
    return {"spec": SPEC_V2, "spec_version": "2.0", "data": v2}


def card_json_bytes(card: dict[str, Any]) -> bytes:
    return json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_write(*, width: int, height: int, rows: list[bytes], texts: dict[str, str]) -> bytes:
    """An 8-bit RGB PNG of ``rows`` (``width * 3`` bytes each) with a ``tEXt`` chunk per item
    of ``texts`` (Latin-1 text: base64 is), placed before the image data as readers expect."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every scanline
    text_chunks = b"".join(
        _chunk(b"tEXt", key.encode("latin-1") + b"\x00" + value.encode("latin-1"))
        for key, value in texts.items()
    )
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + text_chunks
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


# A 5x7 bitmap font for initials: capitals, digits and "?" for anything else.
_GLYPHS = {
    "A": ".###.#...##...#######...##...##...#", "B": "####.#...##...#####.#...##...#####.",
    "C": ".###.#...##....#....#....#...#.###.", "D": "####.#...##...##...##...##...#####.",
    "E": "######....#....####.#....#....#####", "F": "######....#....####.#....#....#....",
    "G": ".###.#...##....#.####...##...#.####", "H": "#...##...##...#######...##...##...#",
    "I": ".###...#....#....#....#....#...###.", "J": "..###...#....#....#....##..#..##...",
    "K": "#...##..#.#.#..##...#.#..#..#.#...#", "L": "#....#....#....#....#....#....#####",
    "M": "#...###.###.#.##.#.##...##...##...#", "N": "#...###..##.#.##..###...##...##...#",
    "O": ".###.#...##...##...##...##...#.###.", "P": "####.#...##...#####.#....#....#....",
    "Q": ".###.#...##...##...##.#.##..#..##.#", "R": "####.#...##...#####.#.#..#..#.#...#",
    "S": ".####.....#.....###.....#.....####.", "T": "#####..#....#....#....#....#....#..",
    "U": "#...##...##...##...##...##...#.###.", "V": "#...##...##...##...##...#.#.#...#..",
    "W": "#...##...##...##.#.##.#.##.#..#.#..", "X": "#...##...#.#.#...#...#.#.#...##...#",
    "Y": "#...##...#.#.#...#....#....#....#..", "Z": "#####....#...#...#...#...#....#####",
    "0": ".###.#...##..###.#.###..##...#.###.", "1": "..#...##....#....#....#....#...###.",
    "2": ".###.#...#....#...#...#...#...#####", "3": "####.....#....#.###.....#....#####.",
    "4": "...#...##..#.#.#..#.#####...#....#.", "5": "######....####.....#....##...#.###.",
    "6": "..##..#...#....####.#...##...#.###.", "7": "#####....#...#...#...#....#....#...",
    "8": ".###.#...##...#.###.#...##...#.###.", "9": ".###.#...##...#.####....#...#..##..",
    "?": ".###.#...#....#...#...#.......#....",
}  # fmt: skip


def initials_of(name: str) -> str:
    words = [w for w in re.split(r"[\s\-_]+", name.strip()) if w]
    letters = "".join(w[0] for w in words[:2]).upper() or "?"
    return "".join(c if c in _GLYPHS else "?" for c in letters)


def colour_of(name: str) -> tuple[int, int, int]:
    """A stable, mid-dark colour for a name (white initials stay readable on it)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    hue = digest[0] / 255 * 6
    sector, f = int(hue) % 6, hue - int(hue)
    high, low = 200, 70
    mid_up, mid_down = int(low + (high - low) * f), int(high - (high - low) * f)
    return [(high, mid_up, low), (mid_down, high, low), (low, high, mid_up),
            (low, mid_down, high), (mid_up, low, high), (high, low, mid_down)][sector]  # fmt: skip


def portrait_png(*, name: str, texts: dict[str, str], width: int = 256, height: int = 384) -> bytes:
    """A portrait placeholder: the name's initials in white on the name's colour (2:3, the
    shape card sites show), carrying ``texts`` as ``tEXt`` chunks."""
    background = bytes(colour_of(name))
    letters = initials_of(name)
    scale = 14
    text_w = (len(letters) * 6 - 1) * scale
    left, top = (width - text_w) // 2, (height - 7 * scale) // 2
    plain = background * width
    rows: list[bytes] = []
    for y in range(height):
        gy = (y - top) // scale
        if not 0 <= gy < 7 or y < top:
            rows.append(plain)
            continue
        row = bytearray(plain)
        for i, letter in enumerate(letters):
            glyph = _GLYPHS[letter][gy * 5 : gy * 5 + 5]
            for gx, bit in enumerate(glyph):
                if bit == "#":
                    x0 = left + (i * 6 + gx) * scale
                    row[x0 * 3 : (x0 + scale) * 3] = b"\xff\xff\xff" * scale
        rows.append(bytes(row))
    return png_write(width=width, height=height, rows=rows, texts=texts)


def card_png_bytes(card: dict[str, Any]) -> bytes:
    """``card`` as a PNG portrait with ``ccv3`` (the V3 card) and ``chara`` (its V2 backfill),
    each base64 of the UTF-8 JSON (SPEC_V3.md "Embedding Methods / PNG")."""
    ccv3 = base64.b64encode(card_json_bytes(card)).decode("ascii")
    chara = base64.b64encode(card_json_bytes(card_v2_backfill(card))).decode("ascii")
    return portrait_png(name=card["data"]["name"], texts={"chara": chara, "ccv3": ccv3})
