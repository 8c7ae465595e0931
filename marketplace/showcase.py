"""What a listing's content shows before it is installed: pure functions over the snapshot JSON
(no Django), defensive because the content is whatever a publisher's export produced.

Three shapes are read: a world bundle (``{"format": "dramatis.world", "characters": [...],
"relationships": [{"source", "target", ...}], "scenarios": [...]}``), a Character Card V2/V3
(``{"spec": "chara_card_v3", "data": {"name", "description", "personality", "first_mes",
...}}``) and a scenario package (``{"format": "dramatis.scenario", ...}``). Anything missing or
of the wrong type is skipped, never an error: a preview is a courtesy, the install validates.
Secrets and hidden objectives never appear.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
MAX_CAST = 60  # a preview, not the world: larger casts are counted, not drawn
MAX_EDGES = 300
MAX_TEXT = 400  # characters of any one description or line
MAX_LINES = 3  # sample lines per character
_NAME_TAGS = re.compile(r"\{\{(char|user)\}\}", re.IGNORECASE)


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        return ""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return max(0.0, min(1.0, float(value)))


def _big_five(character: Mapping[str, Any]) -> dict[str, float]:
    """The Big Five wherever an export put them: top level, under ``personality``,
    ``big_five`` or ``traits``, or in a card's ``extensions.dramatis``."""
    places: list[Any] = [character]
    for key in ("personality", "big_five", "traits"):
        places.append(character.get(key))
    extensions = character.get("extensions")
    if isinstance(extensions, Mapping):
        ours = extensions.get("dramatis")
        if isinstance(ours, Mapping):
            places.append(ours)
            for key in ("personality", "big_five", "traits", "character"):
                places.append(ours.get(key))
    for place in places:
        if isinstance(place, Mapping):
            found = {t: _number(place.get(t)) for t in BIG_FIVE}
            if any(v is not None for v in found.values()):
                return {t: v for t, v in found.items() if v is not None}
    return {}


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


def _lines(character: Mapping[str, Any], name: str) -> list[str]:
    """Sample lines: first messages and greetings, else examples of how they talk."""
    lines: list[str] = []
    for key in ("first_mes", "first_message", "greeting", "sample_line"):
        lines.append(_text(character.get(key)))
    for key in ("alternate_greetings", "sample_lines", "lines"):
        extra = character.get(key)
        if isinstance(extra, list):
            lines.extend(_text(x) for x in extra[:MAX_LINES])
    example = character.get("mes_example")
    if isinstance(example, str):
        for raw in example.splitlines():
            said = raw.split(":", 1)
            if len(said) == 2 and "char" in said[0].lower():
                lines.append(_text(said[1]))

    def named(match: re.Match[str]) -> str:
        return name if match[1].lower() == "char" else "you"

    cleaned = [_NAME_TAGS.sub(named, x) for x in lines]
    unique = list(dict.fromkeys(x for x in cleaned if x))
    return unique[:MAX_LINES]


def _member(character: Mapping[str, Any], index: int) -> dict[str, Any]:
    name = _text(character.get("name"), 100) or f"Character {index + 1}"
    traits = _big_five(character)
    description = character.get("description") or character.get("backstory")
    personality = character.get("personality")
    return {
        "id": f"c{index}",
        "name": name,
        "traits": traits,
        "words": personality_words(traits),
        # A card's personality is free text; ours is numbers (shown as words above).
        "personality_text": _text(personality) if isinstance(personality, str) else "",
        "description": _text(description),
        "speaking_style": _text(character.get("speaking_style")),
        "lines": _lines(character, name),
    }


def _objectives(raw: Any) -> list[str]:
    """Visible objectives: ``{"primary", "subplots", "hidden"}`` (hidden dropped), or a list
    of strings or of ``{"text"/"description", "hidden"}``."""
    found: list[str] = []
    if isinstance(raw, Mapping):
        found.append(_text(raw.get("primary")))
        subplots = raw.get("subplots")
        if isinstance(subplots, list):
            found.extend(_text(x) for x in subplots)
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, str):
                found.append(_text(item))
            elif isinstance(item, Mapping) and not item.get("hidden"):
                found.append(_text(item.get("text") or item.get("description")))
    elif isinstance(raw, str):
        found.append(_text(raw))
    return [x for x in found if x]


def _scenario(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "cast": [],
        "title": _text(raw.get("title") or raw.get("name"), 160) or "Scenario",
        "setting": _text(raw.get("setting") or raw.get("description")),
        "mood": _text(raw.get("mood"), 64),
        "objectives": _objectives(raw.get("objectives")),
    }


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [x for x in value if isinstance(x, Mapping)] if isinstance(value, list) else []


def content_preview(content: Any) -> dict[str, Any]:
    """``{"format", "cast": [...], "cast_total", "graph": {"nodes", "edges"}, "relationships":
    [{"source", "target", "kind", "strength"}], "scenarios": [{"title", "setting", "mood",
    "objectives", "cast"}], "setting"}`` for any of the three content shapes (empty parts
    for anything else)."""
    preview: dict[str, Any] = {
        "format": "",
        "cast": [],
        "cast_total": 0,
        "graph": {"nodes": [], "edges": []},
        "relationships": [],
        "scenarios": [],
        "setting": "",
    }
    if not isinstance(content, Mapping):
        return preview
    spec = content.get("spec")
    if isinstance(spec, str) and spec.startswith("chara_card"):
        data = content.get("data")
        card = data if isinstance(data, Mapping) else content
        preview["format"] = spec
        preview["cast"] = [_member(card, 0)]
        preview["cast_total"] = 1
        preview["setting"] = _text(card.get("scenario"))
        preview["graph"]["nodes"] = [{"id": "c0", "name": preview["cast"][0]["name"]}]
        return preview

    preview["format"] = _text(content.get("format"), 40)
    body = content
    inner = content.get("scenario")
    scenarios = _dicts(content.get("scenarios"))
    if isinstance(inner, Mapping):
        scenarios = [inner, *scenarios]
    elif preview["format"] == "dramatis.scenario" and not scenarios:
        scenarios = [content]
    world = content.get("world") or content.get("ecosystem") or content.get("settings")
    if isinstance(world, Mapping):
        preview["setting"] = _text(world.get("description") or world.get("setting"))
    # A bundle's cast is ``characters``; a scenario package's is ``roles``.
    characters = _dicts(body.get("characters")) or _dicts(body.get("roles"))
    preview["cast_total"] = len(characters)
    cast = [_member(c, i) for i, c in enumerate(characters[:MAX_CAST])]
    preview["cast"] = cast

    # Relationships name their ends by whatever the exporter used: an id, a ref, a key or the
    # name. Map every one of those to the preview's own node id.
    node_of: dict[str, str] = {}
    for character, member in zip(characters, cast, strict=False):
        for key in ("id", "ref", "key", "uuid", "name"):
            value = character.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                node_of.setdefault(str(value), member["id"])
    names = {m["id"]: m["name"] for m in cast}
    edges, rows = [], []
    for i, rel in enumerate(_dicts(body.get("relationships"))[:MAX_EDGES]):
        source = node_of.get(str(rel.get("source", rel.get("source_id", ""))))
        target = node_of.get(str(rel.get("target", rel.get("target_id", ""))))
        if not source or not target or source == target:
            continue
        kind = _text(rel.get("kind") or rel.get("type"), 32) or "acquaintance"
        raw_strength = rel.get("strength", rel.get("affinity", 0))
        strength = raw_strength if isinstance(raw_strength, int | float) else 0
        strength = max(-1.0, min(1.0, float(strength)))
        edges.append({"id": f"r{i}", "source": source, "target": target, "kind": kind,
                      "strength": strength})  # fmt: skip
        rows.append({"source": names[source], "target": names[target], "kind": kind,
                     "strength": strength})  # fmt: skip
    preview["graph"] = {"nodes": [{"id": m["id"], "name": m["name"]} for m in cast], "edges": edges}
    preview["relationships"] = rows
    preview["scenarios"] = [_scenario(s) for s in scenarios[:20]]
    for raw, shown in zip(scenarios, preview["scenarios"], strict=False):
        cast = raw.get("cast")  # the keys of the characters the scenario involves
        keys = [str(k) for k in cast if isinstance(k, str | int)] if isinstance(cast, list) else []
        shown["cast"] = [names[node_of[k]] for k in keys if node_of.get(k) in names]
    return preview


def content_secrets(content: Any) -> tuple[list[str], list[str]]:
    """Every secret (strings under any ``secrets`` key) and every hidden objective (under
    any ``hidden`` key) in the content, so a preview can cut them out of the texts it shows
    too: a backstory may quote a secret word for word."""
    secrets: list[str] = []
    hidden: list[str] = []

    def walk(value: Any, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key in ("secrets", "hidden") and isinstance(item, list | str):
                    found = [item] if isinstance(item, str) else item
                    texts = [x for x in found if isinstance(x, str)]
                    texts += [
                        x.get("text") or x.get("description") or ""
                        for x in found
                        if isinstance(x, Mapping)
                    ]
                    (secrets if key == "secrets" else hidden).extend(t for t in texts if t)
                elif isinstance(item, Mapping) and item.get("hidden") is True:
                    hidden.append(_text(item.get("text") or item.get("description"), 10_000))
                else:
                    walk(item, depth + 1)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping) and item.get("hidden") is True:
                    hidden.append(str(item.get("text") or item.get("description") or ""))
                else:
                    walk(item, depth + 1)

    walk(content, 0)
    return secrets, [h for h in hidden if h]
