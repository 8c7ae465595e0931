"""Small template filters of the creator's pages."""

from __future__ import annotations

from typing import Any

from django import template

from characters.engine.emotions import mood_name
from ecosystems.feed import KIND_COLOURS

register = template.Library()


@register.filter
def percent(value: Any) -> int:
    """0..1 as a whole percentage, clamped."""
    try:
        return max(0, min(100, round(float(value) * 100)))
    except (TypeError, ValueError):
        return 0


@register.filter
def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, "#9a97a8")


@register.filter
def humanise(value: Any) -> str:
    """snake_case to words: "close_friend" → "close friend"."""
    return str(value or "").replace("_", " ")


@register.filter
def signed(value: Any) -> str:
    try:
        return f"{float(value):+.2f}"
    except (TypeError, ValueError):
        return ""


@register.filter
def mood(emotions: Any) -> str:
    """A character's emotions (the model's JSON) as its mood: "joy", "fear", "calm"."""
    return mood_name(emotions if isinstance(emotions, dict) else None)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]`` in a template (None when missing)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def tail(items: Any, count: int) -> list[Any]:
    """The last ``count`` items (the template ``slice`` filter cannot count from the end of a
    queryset)."""
    return list(items)[-int(count) :]
