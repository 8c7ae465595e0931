"""The drama manager: RimWorld-storyteller pacing over the world's tension.

``drama_decide`` is called once per tick with the world tension (``board.world_tension``). It
keeps tension in a band [``low``, ``high``] with quiet stretches between peaks:

- Above ``high`` it injects nothing: the world is at a peak; the tick is remembered as the
  last peak.
- Inside the band it injects nothing.
- Below ``low`` it injects a director event only once tension has stayed low for
  ``patience_ticks``, the quiet stretch (``quiet_ticks`` after the last peak) is over and the
  ``cooldown_ticks`` since the last injection have passed.

Injections are small nudges the simulation turns into scenes: a ``rumour`` about a character
told to another, a ``lost_object`` one character finds and another lost, an ``invitation``,
or a ``storm`` that keeps a few characters indoors together. Pure and deterministic: the same
state, inputs and seeded ``random.Random`` give the same decision.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

RUMOUR = "rumour"
LOST_OBJECT = "lost_object"
INVITATION = "invitation"
STORM = "storm"
# Relative odds of each nudge: rumours seed the most patterns (secret, rivalry, betrayal).
INJECTION_WEIGHTS: tuple[tuple[str, int], ...] = (
    (RUMOUR, 3),
    (LOST_OBJECT, 2),
    (INVITATION, 2),
    (STORM, 1),
)
# Fewest characters each nudge needs.
CAST_SIZE = {RUMOUR: 3, LOST_OBJECT: 2, INVITATION: 2, STORM: 2}
STORM_MAX_CAST = 4
LOST_OBJECTS = (
    "a silver locket",
    "a sealed letter",
    "a worn diary",
    "a ring of keys",
    "a music box",
)
OCCASIONS = (
    "to supper",
    "for a walk by the river",
    "to a game of cards",
    "to help in the garden",
)


@dataclass(frozen=True, slots=True)
class CharacterBrief:
    """A character the drama manager may involve."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class DramaSettings:
    """The tension band (0..1) and its clocks (ticks).

    ``quiet_ticks``: after a peak ends, this long without injections (the world breathes).
    ``cooldown_ticks``: at least this long between two injections (one nudge at a time).
    ``patience_ticks``: tension must stay below ``low`` this long before a nudge.
    """

    low: float = 0.25
    high: float = 0.75
    quiet_ticks: int = 12
    cooldown_ticks: int = 8
    patience_ticks: int = 4

    def __post_init__(self) -> None:
        if not 0.0 <= self.low < self.high <= 1.0:
            raise ValueError(
                f"Drama band must satisfy 0 <= low < high <= 1; got {self.low}..{self.high}."
            )


@dataclass(frozen=True, slots=True)
class DramaState:
    """What the manager remembers between ticks; ``as_dict``/``from_dict`` for storage.

    ``low_since``: first tick of the current stretch below the band (None: not below).
    ``last_peak_tick``: last tick the tension was above the band.
    """

    low_since: int | None = None
    last_peak_tick: int | None = None
    last_injection_tick: int | None = None
    injections: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> DramaState:
        if not data:
            return cls()
        return cls(**{k: data.get(k) for k in ("low_since", "last_peak_tick",
                                                "last_injection_tick")},
                   injections=int(data.get("injections") or 0))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Injection:
    """A director event to publish as ``director_intervention``."""

    kind: str
    text: str
    reason: str
    characters: tuple[CharacterBrief, ...]
    detail: str = ""  # the object lost, the occasion, the rumour: what the director applies

    @property
    def character_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.characters)

    def as_event_data(self) -> dict[str, Any]:
        """The ``director_intervention`` payload."""
        return {
            "kind": self.kind,
            "text": self.text,
            "reason": self.reason,
            "characters": [{"id": c.id, "name": c.name} for c in self.characters],
        }


@dataclass(frozen=True, slots=True)
class DramaDecision:
    """The nudge to make this tick (or None), why, and the state to keep."""

    injection: Injection | None
    state: DramaState
    reason: str


def drama_decide(
    *,
    state: DramaState,
    world_tension: float,
    tick: int,
    characters: Sequence[CharacterBrief],
    rng: random.Random,
    settings: DramaSettings | None = None,
    minutes_per_tick: int = 60,
) -> DramaDecision:
    """Decide this tick's nudge. Call once per tick, in tick order. ``reason`` is the note
    the owner reads: plain words and world time (``minutes_per_tick``), never tick counts."""
    settings = settings or DramaSettings()

    def span(ticks: int) -> str:
        return world_span(ticks, minutes_per_tick)

    if world_tension > settings.high:
        state = replace(state, low_since=None, last_peak_tick=tick)
        return DramaDecision(None, state, "Tension is running high: the world is at a peak.")
    if world_tension >= settings.low:
        return DramaDecision(None, replace(state, low_since=None), "Tension is where it should be.")
    low_since = tick if state.low_since is None else state.low_since
    state = replace(state, low_since=low_since)
    low_for = tick - low_since
    peak = state.last_peak_tick
    quiet = f"Tension has been low for {span(low_for)}" if low_for else "Tension just fell low"
    peak_note = f"the last peak was {span(tick - peak)} ago" if peak is not None else "no peak yet"
    reason = f"{quiet}; {peak_note}"
    if peak is not None and tick - peak < settings.quiet_ticks:
        return DramaDecision(None, state, f"{reason}; a quiet stretch after the peak.")
    last = state.last_injection_tick
    if last is not None and tick - last < settings.cooldown_ticks:
        return DramaDecision(None, state, f"{reason}; the last nudge was {span(tick - last)} ago.")
    if low_for < settings.patience_ticks:
        wait = span(settings.patience_ticks)
        return DramaDecision(None, state, f"{reason}; waiting for {wait} of calm before a nudge.")
    # Authored order (name, then id): ids are fresh UUIDs, so sorting by them alone would
    # cast different characters for the same seed in two copies of a world.
    cast = sorted(characters, key=lambda c: (c.name, c.id))
    kinds = [(k, w) for k, w in INJECTION_WEIGHTS if len(cast) >= CAST_SIZE[k]]
    if not kinds:
        return DramaDecision(None, state, f"{reason}; too few characters to involve.")
    kind = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
    reason = f"{reason}: time to stir things up."
    injection = _inject(kind, cast, rng, reason)
    state = replace(state, last_injection_tick=tick, injections=state.injections + 1)
    return DramaDecision(injection, state, reason)


def world_span(ticks: int, minutes_per_tick: int) -> str:
    """``ticks`` as world time a reader says: "40 minutes", "an hour", "3 hours", "2 days"."""
    minutes = max(0, ticks) * minutes_per_tick
    for unit, size in (("week", 7 * 24 * 60), ("day", 24 * 60), ("hour", 60)):
        if minutes >= size:
            count = round(minutes / size)
            return f"{'an' if unit == 'hour' else 'a'} {unit}" if count == 1 else f"{count} {unit}s"
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def _inject(
    kind: str, cast: Sequence[CharacterBrief], rng: random.Random, reason: str
) -> Injection:
    if kind == RUMOUR:
        subject, teller, listener = rng.sample(list(cast), 3)
        text = (
            f"A rumour about {subject.name} reaches {teller.name}, "
            f"who cannot help telling {listener.name}."
        )
        # The director's order for a rumour: teller, subject, then whom it is told to.
        return Injection(kind, text, reason, (teller, subject, listener))
    if kind == LOST_OBJECT:
        finder, owner = rng.sample(list(cast), 2)
        thing = rng.choice(LOST_OBJECTS)
        text = f"{finder.name} finds {thing} that {owner.name} lost."
        return Injection(kind, text, reason, (finder, owner), detail=thing)
    if kind == INVITATION:
        host, guest = rng.sample(list(cast), 2)
        occasion = rng.choice(OCCASIONS)
        text = f"{host.name} invites {guest.name} {occasion}."
        return Injection(kind, text, reason, (host, guest), detail=occasion)
    size = min(len(cast), rng.randint(2, STORM_MAX_CAST))
    sheltering = rng.sample(list(cast), size)
    names = [c.name for c in sheltering]
    together = f"{', '.join(names[:-1])} and {names[-1]}"
    text = f"A storm keeps everyone indoors; {together} end up sheltering together."
    return Injection(STORM, text, reason, tuple(sheltering))
