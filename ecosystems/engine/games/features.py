"""A player context (any JSON object) as a fixed-length float vector, and as a short text.

The vector has ``FeatureConfig.dimension = buckets + 1`` entries: index 0 is the bias (always
1.0), the other ``buckets`` entries receive every feature by *signed feature hashing*
(Weinberger et al. 2009): a feature's name picks its bucket and a sign from a BLAKE2b digest
(stable across processes and machines, unlike ``hash()``), so any JSON shape fits the same
vector and two colliding features cancel on average instead of adding up.

How each value becomes features (nested objects are flattened with dotted keys first,
``{"player": {"hp": 30}}`` -> ``player.hp``):

- number: one feature named by the key, ``value / scale`` clipped to -1..1. The scale is the
  declared one (``FeatureConfig.scales``, e.g. ``{"health": 100}``) or else the *running
  scale*: the largest magnitude seen so far for that key (at least 1, so frequencies and
  shares in 0..1 pass unchanged). Running scales live in the learning state and only grow;
  ``EncodedContext.new_scales`` lists the keys a context pushed further (``learn`` stores
  them), so ``decide`` itself changes nothing. Huge integers are clamped to the largest float;
  NaN and infinities are rejected (``GameInputError``, code ``not_finite``).
- bool: 1.0 or 0.0, unscaled.
- string: one-hot, the feature ``key=value`` set to 1.0 (strings are NFC-normalised and cut
  at ``MAX_STRING`` characters).
- list: ``key.len`` (a number, running scale), ``key.mean`` of its numbers and bools,
  and for each distinct string its share of the list as the feature ``key[]=value``.
  Objects or lists inside a list only count towards its length.
- null: nothing (the same as a missing key).

Features are added in name order, so the vector does not depend on key order.
"""

from __future__ import annotations

import math
import sys
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b
from typing import Any

import numpy as np

BIAS_INDEX = 0
DEFAULT_BUCKETS = 24  # 25-dimensional vectors: 16 actions x 25^2 floats stay cheap to store
MIN_BUCKETS, MAX_BUCKETS = 4, 256
MAX_DEPTH = 8  # nesting levels of objects in a context
MAX_FEATURES = 512  # features per context; a bigger context is a client bug, said so (400)
MAX_STRING = 200  # characters of a string value that count
MAX_LIST_ITEMS = 10_000  # list elements looked at (the length counts them all)
DESCRIPTION_CHARS = 600  # the text for embedding stays short (WordLlama reads ~512 tokens)
FLOAT_MAX = sys.float_info.max


class GameInputError(ValueError):
    """Input the engine cannot use. ``code`` is stable (the product maps it to a 400),
    ``field`` names the offending part, and the message says what to send instead."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


@dataclass(frozen=True)
class FeatureConfig:
    """How contexts become vectors. ``scales``: declared magnitude per dotted key (the value
    that maps to 1.0); keys without one use the running scale."""

    buckets: int = DEFAULT_BUCKETS
    scales: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (MIN_BUCKETS <= int(self.buckets) <= MAX_BUCKETS):
            raise GameInputError(
                f"buckets must be between {MIN_BUCKETS} and {MAX_BUCKETS}, not {self.buckets}.",
                field="buckets",
            )
        for key, scale in self.scales.items():
            if not (isinstance(scale, int | float) and math.isfinite(scale) and scale > 0):
                raise GameInputError(
                    f"The scale of {key!r} must be a positive finite number, not {scale!r}.",
                    field=f"scales.{key}",
                )

    @property
    def dimension(self) -> int:
        return self.buckets + 1

    def as_dict(self) -> dict[str, Any]:
        return {"buckets": self.buckets, "scales": dict(self.scales)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureConfig:
        return cls(
            buckets=int(data.get("buckets", DEFAULT_BUCKETS)),
            scales={str(k): float(v) for k, v in dict(data.get("scales", {})).items()},
        )


DEFAULT_FEATURES = FeatureConfig()


@dataclass(frozen=True, slots=True)
class FeatureItem:
    """One feature of a context: ``vector[bucket] += sign * value``.

    ``name`` is the hashed name (``health``, ``environment=arena``, ``attacks[]=melee``,
    ``attacks.len``), ``key`` the context key it came from, ``shown`` the raw value as a
    designer reads it ("0.8", "arena", "67% melee")."""

    name: str
    key: str
    shown: str
    bucket: int
    sign: float
    value: float


@dataclass(frozen=True)
class EncodedContext:
    vector: np.ndarray
    items: tuple[FeatureItem, ...]
    description: str
    new_scales: dict[str, float]  # running scales this context raised (key -> magnitude)


@lru_cache(maxsize=65_536)
def feature_slot(name: str, buckets: int) -> tuple[int, float]:
    """(bucket 1..buckets, sign ±1) of a feature name; stable everywhere."""
    h = int.from_bytes(blake2b(name.encode("utf-8"), digest_size=8).digest(), "big")
    return 1 + h % buckets, (1.0 if (h >> 63) & 1 == 0 else -1.0)


def _text(value: str) -> str:
    if value.isascii():  # the common case; ASCII is already in NFC
        return value[:MAX_STRING]
    return unicodedata.normalize("NFC", value)[:MAX_STRING]


def _number(value: int | float, key: str) -> float:
    if isinstance(value, int):  # Python ints have no size limit; floats do
        return float(max(-FLOAT_MAX, min(FLOAT_MAX, value))) if abs(value) > 2**1023 else value
    if not math.isfinite(value):
        what = "NaN" if math.isnan(value) else "infinite"
        raise GameInputError(
            f"context.{key} is {what}; send a finite number (or leave the key out).",
            code="not_finite",
            field=key,
        )
    return float(value)


def _shown(value: float) -> str:
    return f"{value:.3g}"


def flatten_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted key -> leaf value (number, bool, string or list); null leaves dropped.

    Raises ``GameInputError`` for a non-object context, nesting deeper than ``MAX_DEPTH``,
    more than ``MAX_FEATURES`` leaves, NaN/inf or a value JSON cannot hold."""
    if not isinstance(context, Mapping):
        raise GameInputError(
            f"The context must be a JSON object, not {type(context).__name__}.",
            field="context",
        )
    leaves: dict[str, Any] = {}

    def walk(node: Mapping[str, Any], prefix: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise GameInputError(
                f"context.{prefix.rstrip('.')} nests deeper than {MAX_DEPTH} levels; flatten it.",
                code="too_deep",
                field=prefix.rstrip("."),
            )
        for raw_key, value in node.items():
            key = prefix + _text(str(raw_key))
            if value is None:
                continue
            if isinstance(value, Mapping):
                walk(value, key + ".", depth + 1)
                continue
            if isinstance(value, bool | str):
                leaves[key] = value
            elif isinstance(value, int | float):
                leaves[key] = _number(value, key)
            elif isinstance(value, list | tuple):
                leaves[key] = list(value)
            else:
                raise GameInputError(
                    f"context.{key} is a {type(value).__name__}; use numbers, strings, "
                    "booleans, lists or objects.",
                    field=key,
                )
            if len(leaves) > MAX_FEATURES:
                raise GameInputError(
                    f"The context has more than {MAX_FEATURES} values; send the few that "
                    "describe the player.",
                    code="too_large",
                    field="context",
                )

    walk(context, "", 1)
    return leaves


def encode_context(
    context: Mapping[str, Any],
    config: FeatureConfig | None = None,
    running_scales: Mapping[str, float] | None = None,
) -> EncodedContext:
    """The vector, its named features and the description of one context (pure)."""
    config = config or DEFAULT_FEATURES
    running = running_scales or {}
    declared = config.scales
    new_scales: dict[str, float] = {}
    raw: list[tuple[str, str, str, float]] = []  # (name, key, shown, value)

    def number(name: str, key: str, value: float, shown: str) -> None:
        if name in declared:
            scale = declared[name]
        else:
            scale = max(1.0, running.get(name, 1.0))
            if abs(value) > scale:
                new_scales[name] = abs(value)
        raw.append((name, key, shown, max(-1.0, min(1.0, value / scale))))

    for key, value in flatten_context(context).items():
        if isinstance(value, bool):
            raw.append((key, key, "yes" if value else "no", 1.0 if value else 0.0))
        elif isinstance(value, str):
            text = _text(value)
            raw.append((f"{key}={text}", key, text, 1.0))
        elif isinstance(value, float | int):
            number(key, key, value, _shown(value))
        else:  # list
            number(f"{key}.len", key, float(len(value)), f"{len(value)} entries")
            numbers: list[float] = []
            strings: Counter[str] = Counter()
            for element in value[:MAX_LIST_ITEMS]:
                if isinstance(element, bool):
                    numbers.append(1.0 if element else 0.0)
                elif isinstance(element, int | float):
                    numbers.append(_number(element, f"{key}[]"))
                elif isinstance(element, str):
                    strings[_text(element)] += 1
            if numbers:
                mean = math.fsum(n / len(numbers) for n in numbers)
                number(f"{key}.mean", key, mean, f"mean {_shown(mean)}")
            for text, count in strings.items():
                share = count / len(value)
                raw.append((f"{key}[]={text}", key, f"{share:.0%} {text}", share))

    raw.sort()
    vector = np.zeros(config.dimension)
    vector[BIAS_INDEX] = 1.0
    items = []
    for name, key, shown, value in raw:
        bucket, sign = feature_slot(name, config.buckets)
        vector[bucket] += sign * value
        items.append(FeatureItem(name, key, shown, bucket, sign, value))
    return EncodedContext(vector, tuple(items), _describe(items), new_scales)


def _describe(items: list[FeatureItem]) -> str:
    parts: list[str] = []
    lists: dict[str, list[str]] = {}
    for item in items:
        if "[]=" in item.name or item.name.endswith((".len", ".mean")):
            lists.setdefault(item.key, []).append(item.shown)
        else:
            parts.append(f"{item.key} {item.shown}")
    parts += [f"{key}: {', '.join(shown)}" for key, shown in lists.items()]
    text = "; ".join(parts)
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1] + "…"


def describe_context(context: Mapping[str, Any]) -> str:
    """A short text of the context for embedding ("distance 4.2; environment arena; ...")."""
    return encode_context(context).description


def scales_after(running: Mapping[str, float], new: Mapping[str, float]) -> dict[str, float]:
    """Running scales after a context raised some (they only grow)."""
    merged = dict(running)
    for key, magnitude in new.items():
        merged[key] = max(merged.get(key, 1.0), magnitude)
    return merged
