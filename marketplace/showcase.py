"""What a listing's content shows before it is installed: pure functions over the snapshot JSON
(no Django), defensive because the content is whatever a publisher's export produced. The API
(``GET /api/v1/marketplace/listings/{id}/``) and the listing page show this one preview.

Three shapes are read: a world bundle (``{"format": "dramatis.world", "world": {...},
"characters": [...], "relationships": [{"source", "target", ...}], "scenarios": [...]}``), a
Character Card V2/V3 (``{"spec": "chara_card_v3", "data": {"name", "description",
"personality", "first_mes", "character_book", "extensions": {"dramatis": {...}}}}``) and a
scenario package (``{"format": "dramatis.scenario", "scenario": {...}, "roles": [...]}``).
Anything missing or of the wrong type is skipped, never an error: a preview is a courtesy, the
install validates.

Only picked fields are shown. Secrets (a character's ``secrets``, a card's lorebook entries
marked ``extensions.dramatis.kind = "secret"``) and hidden objectives are kept in only when the
caller ``reveal``s them (the publisher and staff). For everyone else they are left out, and
every text shown first goes through the caller's ``redact`` (``ecosystems.redaction``'s
``Redactor.text``, built from ``content_secrets``), before it is cut to length, so a backstory
that quotes a secret shows ``[a secret]`` and a cut never leaves half a secret unrecognised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

BIG_FIVE = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
# trait: (low, high) words; a middling value (0.35..0.65) is not worth a word.
TRAIT_WORDS = {
    "openness": ("conventional", "curious"),
    "conscientiousness": ("spontaneous", "dependable"),
    "extraversion": ("reserved", "outgoing"),
    "agreeableness": ("blunt", "warm"),
    "neuroticism": ("steady", "anxious"),
}
LOW, HIGH = 0.35, 0.65
# A character's texts shown under their own keys when not empty (``personality`` only when it
# is a card's free text; ours is numbers, shown as ``traits`` and ``words``).
CHARACTER_TEXTS = ("personality", "description", "speaking_style", "backstory", "first_mes")
MAX_CAST = 60  # the biggest demo worlds have about 50; larger casts are counted, not drawn
MAX_EDGES = 300
MAX_SCENARIOS = 20
MAX_TEXT = 600  # characters of any one text: a preview, not the content
MAX_LINES = 3  # sample lines per character
_NAME_TAGS = re.compile(r"\{\{(char|user)\}\}", re.IGNORECASE)
_SECRET_ENTRY = "secret"  # a card's lorebook entry holding a secret (``characters.cards``)


def _unchanged(text: str) -> str:
    return text


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return max(0.0, min(1.0, float(value)))


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [x for x in value if isinstance(x, Mapping)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [x for x in value if isinstance(x, str) and x] if isinstance(value, list) else []


def personality_words(traits: Mapping[str, float]) -> list[str]:
    """The Big Five as words: ``{"openness": 0.9, "extraversion": 0.2}`` → ["curious",
    "reserved"]; middling traits say nothing."""
    words = []
    for trait in BIG_FIVE:
        value = traits.get(trait)
        if value is None:
            continue
        low, high = TRAIT_WORDS[trait]
        if value >= HIGH:
            words.append(high)
        elif value <= LOW:
            words.append(low)
    return words


def _big_five(character: Mapping[str, Any]) -> dict[str, float]:
    """The Big Five wherever an export put them: top level, or under ``personality``,
    ``big_five`` or ``traits``."""
    for place in (character, *(character.get(k) for k in ("personality", "big_five", "traits"))):
        if isinstance(place, Mapping):
            found = {t: _number(place.get(t)) for t in BIG_FIVE}
            if any(v is not None for v in found.values()):
                return {t: v for t, v in found.items() if v is not None}
    return {}


def _card_character(card: Mapping[str, Any]) -> dict[str, Any]:
    """A card's ``data`` with our own fields (``extensions.dramatis``: the Big Five, the
    speaking style) underneath, and its lorebook's secret entries as ``secrets``."""
    extensions = card.get("extensions")
    ours = extensions.get("dramatis") if isinstance(extensions, Mapping) else None
    character = {**(ours if isinstance(ours, Mapping) else {}), **card}
    book = card.get("character_book")
    entries = _dicts(book.get("entries")) if isinstance(book, Mapping) else []
    character["secrets"] = [
        entry["content"]
        for entry in entries
        if _is_secret_entry(entry) and isinstance(entry.get("content"), str)
    ]
    return character


def _is_secret_entry(entry: Mapping[str, Any]) -> bool:
    extensions = entry.get("extensions")
    ours = extensions.get("dramatis") if isinstance(extensions, Mapping) else None
    return isinstance(ours, Mapping) and ours.get("kind") == _SECRET_ENTRY


@dataclass(frozen=True)
class _Reader:
    """One preview's reading: whether secrets are revealed, and what every shown text goes
    through first."""

    reveal: bool
    redact: Callable[[str], str]

    def text(self, value: Any, limit: int = MAX_TEXT) -> str:
        if not isinstance(value, str) or not value:
            return ""
        value = " ".join(self.redact(value).split())
        return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"

    def member(self, character: Mapping[str, Any], index: int) -> dict[str, Any]:
        name = self.text(character.get("name"), 100) or f"Character {index + 1}"
        traits = _big_five(character)
        member: dict[str, Any] = {
            "id": f"c{index}",
            "name": name,
            "traits": traits,
            "words": personality_words(traits),
        }
        for field in CHARACTER_TEXTS:
            shown = self.text(character.get(field))
            if shown:
                member[field] = shown
        member["lines"] = self.lines(character, name)
        if self.reveal:
            member["secrets"] = _strings(character.get("secrets"))
        return member

    def lines(self, character: Mapping[str, Any], name: str) -> list[str]:
        """Sample lines: first messages and greetings, else examples of how they talk."""
        raw: list[Any] = [character.get(k) for k in ("first_mes", "first_message", "greeting",
                                                      "sample_line")]  # fmt: skip
        for key in ("alternate_greetings", "sample_lines", "lines"):
            extra = character.get(key)
            if isinstance(extra, list):
                raw.extend(extra[:MAX_LINES])
        example = character.get("mes_example")
        if isinstance(example, str):
            for said in (line.split(":", 1) for line in example.splitlines()):
                if len(said) == 2 and "char" in said[0].lower():
                    raw.append(said[1])

        def named(match: re.Match[str]) -> str:
            return name if match[1].lower() == "char" else "you"

        # Names go in before redaction, so a secret quoted as "{{char}} ..." is still found.
        lines = [self.text(_NAME_TAGS.sub(named, x)) for x in raw if isinstance(x, str)]
        return list(dict.fromkeys(x for x in lines if x))[:MAX_LINES]

    def objectives(self, raw: Any) -> dict[str, Any]:
        """``{"primary", "subplots"}`` (and ``hidden`` when revealed) from ``{"primary",
        "subplots", "hidden"}``, a list of strings or of ``{"text"/"description", "hidden"}``
        (the first visible one primary), or one string."""
        primary: Any = ""
        subplots: list[Any] = []
        hidden: list[str] = []
        if isinstance(raw, Mapping):
            primary = raw.get("primary")
            subplots = raw.get("subplots") if isinstance(raw.get("subplots"), list) else []
            hidden = _strings(raw.get("hidden"))
        elif isinstance(raw, list):
            for item in raw:
                if not isinstance(item, Mapping):
                    subplots.append(item)
                elif item.get("hidden"):
                    hidden.extend(_strings([item.get("text") or item.get("description")]))
                else:
                    subplots.append(item.get("text") or item.get("description"))
            visible = [x for x in subplots if isinstance(x, str) and x]
            primary, subplots = (visible[0], visible[1:]) if visible else ("", [])
        elif isinstance(raw, str):
            primary = raw
        shown: dict[str, Any] = {
            "primary": self.text(primary),
            "subplots": [x for x in (self.text(s) for s in subplots) if x],
        }
        if self.reveal:
            shown["hidden"] = hidden
        return shown

    def scenario(self, raw: Mapping[str, Any], cast: list[str]) -> dict[str, Any]:
        return {
            "title": self.text(raw.get("title") or raw.get("name"), 160) or "Scenario",
            "setting": self.text(raw.get("setting") or raw.get("description")),
            "mood": self.text(raw.get("mood"), 64),
            "cast": cast,
            "objectives": self.objectives(raw.get("objectives")),
        }


def _empty() -> dict[str, Any]:
    return {
        "format": "",
        "cast": [],
        "cast_total": 0,
        "graph": {"nodes": [], "edges": []},
        "relationships": [],
        "scenarios": [],
        "setting": "",
    }


def _end(value: Any) -> str:
    """A relationship's end as the exporter named it: an id, a ref, a key, a name, or an
    object holding one of those."""
    if isinstance(value, Mapping):
        value = next((value[k] for k in ("key", "id", "ref", "name") if k in value), None)
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def content_preview(
    content: Any, *, reveal: bool, redact: Callable[[str], str] = _unchanged
) -> dict[str, Any]:
    """``{"format", "cast": [{"id", "name", "traits", "words", <CHARACTER_TEXTS present>,
    "lines", "secrets" (reveal only)}], "cast_total", "graph": {"nodes", "edges"},
    "relationships": [{"source", "target", "kind", "strength"}], "scenarios": [{"title",
    "setting", "mood", "cast", "objectives": {"primary", "subplots", "hidden" (reveal
    only)}}], "setting"}`` for any of the three content shapes (empty parts for anything
    else). Without ``reveal``, pass ``redact`` to cut secrets out of the texts shown."""
    read = _Reader(reveal=reveal, redact=redact)
    preview = _empty()
    if not isinstance(content, Mapping):
        return preview
    spec = content.get("spec")
    if isinstance(spec, str) and spec.startswith("chara_card"):
        data = content.get("data")
        card = _card_character(data if isinstance(data, Mapping) else content)
        member = read.member(card, 0)
        preview.update(format=read.text(spec, 40), cast=[member], cast_total=1)
        preview["setting"] = read.text(card.get("scenario"))
        preview["graph"]["nodes"] = [{"id": member["id"], "name": member["name"]}]
        return preview

    preview["format"] = read.text(content.get("format"), 40)
    scenarios = _dicts(content.get("scenarios"))
    inner = content.get("scenario")
    if isinstance(inner, Mapping):
        scenarios = [inner, *scenarios]
    elif preview["format"] == "dramatis.scenario" and not scenarios:
        scenarios = [content]
    world = content.get("world") or content.get("ecosystem") or content.get("settings")
    if isinstance(world, Mapping):
        preview["setting"] = read.text(world.get("setting") or world.get("description"))
    # A bundle's cast is ``characters``; a scenario package's is ``roles``.
    characters = _dicts(content.get("characters")) or _dicts(content.get("roles"))
    cast = [read.member(c, i) for i, c in enumerate(characters[:MAX_CAST])]
    preview["cast"], preview["cast_total"] = cast, len(characters)

    # Relationships and scenario casts name characters by whatever the exporter used: an id, a
    # ref, a key or the name. Map every one of those to the preview's own node id.
    node_of: dict[str, str] = {}
    for character, member in zip(characters, cast, strict=False):
        for key in ("id", "ref", "key", "uuid", "name"):
            if end := _end(character.get(key)):
                node_of.setdefault(end, member["id"])
    names = {m["id"]: m["name"] for m in cast}
    edges, rows = [], []
    for i, rel in enumerate(_dicts(content.get("relationships"))[:MAX_EDGES]):
        source = node_of.get(_end(rel.get("source", rel.get("source_id"))))
        target = node_of.get(_end(rel.get("target", rel.get("target_id"))))
        if not source or not target or source == target:
            continue
        kind = read.text(rel.get("kind") or rel.get("type"), 32) or "acquaintance"
        raw_strength = rel.get("strength", rel.get("affinity", 0))
        strength = raw_strength if isinstance(raw_strength, int | float) else 0
        strength = max(-1.0, min(1.0, float(strength)))
        edges.append({"id": f"r{i}", "source": source, "target": target, "kind": kind,
                      "strength": strength})  # fmt: skip
        rows.append({"source": names[source], "target": names[target], "kind": kind,
                     "strength": strength})  # fmt: skip
    preview["graph"] = {"nodes": [{"id": m["id"], "name": m["name"]} for m in cast], "edges": edges}
    preview["relationships"] = rows
    for raw in scenarios[:MAX_SCENARIOS]:
        keys = raw.get("cast")  # the keys of the characters the scenario involves
        ends = [_end(k) for k in keys] if isinstance(keys, list) else []
        in_cast = [names[node_of[e]] for e in ends if node_of.get(e) in names]
        preview["scenarios"].append(read.scenario(raw, in_cast))
    return preview


def content_secrets(content: Any) -> tuple[list[str], list[str]]:
    """Every secret (strings under any ``secrets`` key, a card's secret lorebook entries) and
    every hidden objective (under any ``hidden`` key, or an item marked ``"hidden": true``) in
    the content, so a preview can cut them out of the texts it shows too: a backstory may
    quote a secret word for word."""
    secrets: list[str] = []
    hidden: list[str] = []

    def said(item: Any) -> str:
        if isinstance(item, Mapping):
            item = item.get("text") or item.get("description")
        return item if isinstance(item, str) else ""

    def walk(value: Any, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(value, Mapping):
            if _is_secret_entry(value):
                secrets.append(said(value.get("content")))
            for key, item in value.items():
                if key in ("secrets", "hidden") and isinstance(item, list | str):
                    found = [said(x) for x in (item if isinstance(item, list) else [item])]
                    (secrets if key == "secrets" else hidden).extend(found)
                elif isinstance(item, Mapping) and item.get("hidden") is True:
                    hidden.append(said(item))
                else:
                    walk(item, depth + 1)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping) and item.get("hidden") is True:
                    hidden.append(said(item))
                else:
                    walk(item, depth + 1)

    walk(content, 0)
    return [s for s in secrets if s], [h for h in hidden if h]
