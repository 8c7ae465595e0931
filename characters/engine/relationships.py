"""Directed relationship dynamics: how one interaction moves each side's view of the other,
the derived kind (friend, rival, ...), and readable causes for every change.

Rules, each held by a test:

- Trust is slow to build and quick to break. Gains shrink with the trust already there
  and with unfamiliarity; losses are multiplied by ``NEGATIVITY_BIAS`` and grow with the
  trust that was placed ("bad is stronger than good", Baumeister et al. 2001; Gottman's
  roughly 5:1 ratio of positive to negative interactions in stable couples). One betrayal
  outweighs many compliments.
- Familiarity grows with any contact and saturates toward 1.
- Attraction moves mainly by flirting, compliments and gifts, scaled by romance
  compatibility.
- Every axis moves softly near its edge (a delta toward +1 is scaled by ``1 - value``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from characters.engine.interactions import (
    BELIEVED_DECEIT_DELTAS,
    CATALOGUE,
    InteractionType,
    cause_text,
)
from characters.engine.personality import Compatibility, negative_impact_scale
from characters.engine.types import (
    ACQUAINTANCE,
    ALLY,
    CLOSE_FRIEND,
    ENEMY,
    FRIEND,
    PARTNER,
    RIVAL,
    ROMANTIC_INTEREST,
    STRANGER,
    CharacterSnapshot,
    RelationshipState,
    clamp,
)

# --- derived kind thresholds (checked in this order; first match wins) -----------------------
ENEMY_MAX_STRENGTH = -0.55  # affinity at or below: enemy
ENEMY_MAX_TRUST = -0.6  # ... or a rival's affinity with trust at or below this: enemy
RIVAL_MAX_STRENGTH = -0.2  # affinity at or below: rival
PARTNER_MIN_ATTRACTION = 0.7
PARTNER_MIN_STRENGTH = 0.6
PARTNER_MIN_TRUST = 0.5
PARTNER_MIN_FAMILIARITY = 0.6
ROMANTIC_MIN_ATTRACTION = 0.45
ROMANTIC_MIN_STRENGTH = 0.1
CLOSE_FRIEND_MIN_STRENGTH = 0.6
CLOSE_FRIEND_MIN_TRUST = 0.45
CLOSE_FRIEND_MIN_FAMILIARITY = 0.5
FRIEND_MIN_STRENGTH = 0.3
FRIEND_MIN_FAMILIARITY = 0.25
ACQUAINTANCE_MIN_FAMILIARITY = 0.1

# --- dynamics --------------------------------------------------------------------------------
NEGATIVITY_BIAS = 2.5  # trust losses x this (Baumeister et al. 2001; Gottman's ~5:1 ratio)
FAMILIARITY_PER_CONTACT = 0.03  # x (0.5 + intensity): ~40 ordinary exchanges to reach 0.6
RESPONSE_STRENGTH_WEIGHT = 0.04  # how much the answer's warmth (-1..1) moves the initiator
RESPONSE_TRUST_WEIGHT = 0.01
VALENCE_RATIO_LIMIT = 2.0  # felt/nominal valence multiplies nominal deltas, within +-this
GOSSIP_HEARSAY = (-0.04, -0.03)  # (strength, trust) of the target's view of the subject
AXIS_WEIGHTS = {"strength": 1.0, "trust": 1.0, "attraction": 0.7, "familiarity": 0.3}
AXES = ("strength", "trust", "familiarity", "attraction")
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class RelationshipChange:
    """One axis of one directed relationship moved, and why.

    ``cause`` is readable ("Bob insulted Alice at tick 12"); ``interaction`` is the kind
    that caused it; ``before``/``after`` are the axis values."""

    source_id: str
    target_id: str
    axis: str
    before: float
    after: float
    cause: str
    interaction: str
    tick: int

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class RelationshipUpdate:
    """The whole change to one directed relationship from one interaction."""

    source_id: str
    target_id: str
    before: RelationshipState
    after: RelationshipState
    changes: tuple[RelationshipChange, ...]

    @property
    def kind_changed(self) -> bool:
        return self.before.kind != self.after.kind

    def deltas(self, digits: int = 4) -> dict[str, float]:
        """``{"strength_delta": ..., "trust_delta": ..., ...}`` for event payloads."""
        b, a = self.before, self.after
        return {
            "strength_delta": round(a.strength - b.strength, digits),
            "trust_delta": round(a.trust - b.trust, digits),
            "familiarity_delta": round(a.familiarity - b.familiarity, digits),
            "attraction_delta": round(a.attraction - b.attraction, digits),
        }


def derive_kind(strength: float, trust: float, familiarity: float, attraction: float) -> str:
    """The relationship kind these values imply (never ``ally``, which group dynamics
    grant). Thresholds are the module constants, checked enemy, rival, partner, romantic
    interest, close friend, friend, acquaintance, stranger."""
    if strength <= ENEMY_MAX_STRENGTH or (
        strength <= RIVAL_MAX_STRENGTH and trust <= ENEMY_MAX_TRUST
    ):
        return ENEMY
    if strength <= RIVAL_MAX_STRENGTH:
        return RIVAL
    if (
        attraction >= PARTNER_MIN_ATTRACTION
        and strength >= PARTNER_MIN_STRENGTH
        and trust >= PARTNER_MIN_TRUST
        and familiarity >= PARTNER_MIN_FAMILIARITY
    ):
        return PARTNER
    if attraction >= ROMANTIC_MIN_ATTRACTION and strength >= ROMANTIC_MIN_STRENGTH:
        return ROMANTIC_INTEREST
    if (
        strength >= CLOSE_FRIEND_MIN_STRENGTH
        and trust >= CLOSE_FRIEND_MIN_TRUST
        and familiarity >= CLOSE_FRIEND_MIN_FAMILIARITY
    ):
        return CLOSE_FRIEND
    if strength >= FRIEND_MIN_STRENGTH and familiarity >= FRIEND_MIN_FAMILIARITY:
        return FRIEND
    if familiarity >= ACQUAINTANCE_MIN_FAMILIARITY:
        return ACQUAINTANCE
    return STRANGER


def next_kind(
    previous: str, strength: float, trust: float, familiarity: float, attraction: float
) -> str:
    """The kind after a change: ``derive_kind``, except that an ``ally`` stays an ally
    until affinity turns negative (alliances are made and broken by group dynamics)."""
    if previous == ALLY and strength >= 0:
        return ALLY
    return derive_kind(strength, trust, familiarity, attraction)


def _soft(value: float, delta: float, low: float, high: float) -> float:
    """``value + delta`` slowed near the edge it moves toward, within ``[low, high]``."""
    if delta > 0:
        room = (high - value) / (high - low) * 2 if low < 0 else high - value
    else:
        room = (value - low) / (high - low) * 2 if low < 0 else value - low
    return clamp(value + delta * min(1.0, room), low, high)


def _trust_delta(delta: float, trust: float, familiarity: float) -> float:
    """Trust asymmetry: gains slowed by unfamiliarity; losses amplified by
    ``NEGATIVITY_BIAS`` and by the trust that was placed."""
    if delta > 0:
        return delta * (0.5 + 0.5 * familiarity)
    return delta * NEGATIVITY_BIAS * (1.0 + max(0.0, trust))


def _as_landed(delta: float, nominal: float, ratio: float) -> float:
    """A nominal delta scaled by how the act landed (``ratio`` = felt / nominal valence).

    A delta with the valence's sign scales by ``ratio``. A delta against it (teasing's
    spark of attraction, gossip's hint of distrust) is a side effect of the act landing
    as meant: full size at ``ratio`` 1, gone at 2 (it stung twice as hard), doubled when
    it landed the other way (the tease delighted, the gossip appalled)."""
    if (delta > 0) == (nominal > 0):
        return delta * ratio
    return delta * clamp(2.0 - ratio, 0.0, 2.0)


def _compat_scale(delta: float, compat: Compatibility) -> float:
    """Compatible people warm faster and sour slower (0.75x..1.25x)."""
    if delta > 0:
        return delta * (0.75 + 0.5 * compat.friendship)
    return delta * (1.25 - 0.5 * compat.friendship)


def _update(
    source_id: str,
    target_id: str,
    before: RelationshipState,
    deltas: tuple[float, float, float, float],
    cause: str,
    kind: str,
    tick: int,
) -> RelationshipUpdate:
    ds, dt, df, da = deltas
    strength = _soft(before.strength, ds, -1.0, 1.0)
    trust = _soft(before.trust, dt, -1.0, 1.0)
    familiarity = _soft(before.familiarity, df, 0.0, 1.0)
    attraction = _soft(before.attraction, da, 0.0, 1.0)
    after = RelationshipState(
        strength,
        trust,
        familiarity,
        attraction,
        next_kind(before.kind, strength, trust, familiarity, attraction),
    )
    changes = tuple(
        RelationshipChange(source_id, target_id, axis, old, new, cause, kind, tick)
        for axis, old, new in (
            ("strength", before.strength, strength),
            ("trust", before.trust, trust),
            ("familiarity", before.familiarity, familiarity),
            ("attraction", before.attraction, attraction),
        )
        if abs(new - old) > _EPS
    )
    return RelationshipUpdate(source_id, target_id, before, after, changes)


def interaction_updates(
    kind: str,
    initiator: CharacterSnapshot,
    target: CharacterSnapshot,
    initiator_view: RelationshipState,
    target_view: RelationshipState,
    *,
    compat: Compatibility,
    felt: float,
    response_warmth: float,
    tick: int,
    subject_name: str | None = None,
    detected: bool = True,
) -> tuple[RelationshipUpdate, RelationshipUpdate]:
    """(initiator's view of target, target's view of initiator) after one interaction.

    ``felt`` is the target's felt valence (``interactions.felt_valence``); the target's
    nominal deltas are scaled by felt/nominal (within +-2, see ``_as_landed``), so an act
    that lands harder, softer or the other way moves the relationship accordingly. The initiator's
    view moves by its nominal deltas plus the warmth of the answer (``response_warmth``,
    -1..1). ``detected=False`` (a deceit that went unnoticed) moves the target's view
    like pleasant small talk.
    """
    t = CATALOGUE[kind]
    cause = cause_text(kind, initiator.name, target.name, subject_name, tick)
    contact = FAMILIARITY_PER_CONTACT * (0.5 + t.intensity)
    landed = _target_deltas(t, target_view, compat, felt, contact, detected=detected)
    answered = _initiator_deltas(t, initiator, initiator_view, compat, response_warmth, contact)
    target_update = _update(target.id, initiator.id, target_view, landed, cause, kind, tick)
    initiator_update = _update(initiator.id, target.id, initiator_view, answered, cause, kind, tick)
    return initiator_update, target_update


Deltas = tuple[float, float, float, float]  # strength, trust, familiarity, attraction


def _target_deltas(
    t: InteractionType,
    target_view: RelationshipState,
    compat: Compatibility,
    felt: float,
    contact: float,
    *,
    detected: bool,
) -> Deltas:
    """The target's view of the initiator: the act as it landed."""
    if t.breaks_trust and not detected:
        d, nominal = BELIEVED_DECEIT_DELTAS, CATALOGUE["small_talk"].valence
    else:
        d, nominal = t.target_deltas, t.valence
    ratio = clamp(felt / nominal, -VALENCE_RATIO_LIMIT, VALENCE_RATIO_LIMIT)
    attraction = _as_landed(d.attraction, nominal, ratio)
    if t.romantic and attraction > 0:
        attraction *= 2.0 * compat.romance
    return (
        _compat_scale(_as_landed(d.strength, nominal, ratio), compat),
        _trust_delta(
            _as_landed(d.trust, nominal, ratio), target_view.trust, target_view.familiarity
        ),
        contact + d.familiarity,
        attraction,
    )


def _initiator_deltas(
    t: InteractionType,
    initiator: CharacterSnapshot,
    initiator_view: RelationshipState,
    compat: Compatibility,
    response_warmth: float,
    contact: float,
) -> Deltas:
    """The initiator's view of the target: what they did, and how it was answered."""
    di = t.initiator_deltas
    strength = di.strength + RESPONSE_STRENGTH_WEIGHT * response_warmth
    if strength < 0:
        strength *= negative_impact_scale(initiator.personality)
    attraction = di.attraction * (1.0 + response_warmth) if t.romantic else di.attraction
    return (
        _compat_scale(strength, compat),
        _trust_delta(
            di.trust + RESPONSE_TRUST_WEIGHT * response_warmth,
            initiator_view.trust,
            initiator_view.familiarity,
        ),
        contact + di.familiarity,
        attraction,
    )


def hearsay_update(
    listener_id: str,
    subject_id: str,
    listener_view_of_subject: RelationshipState,
    listener_view_of_gossip: RelationshipState,
    cause: str,
    tick: int,
) -> RelationshipUpdate:
    """The listener's view of a gossip's subject after hearing it: a small drop in
    affinity and trust (``GOSSIP_HEARSAY``), believed in proportion to how much the
    listener trusts the gossip (none at trust -0.5 or below, fully at 0.5 and above)."""
    belief = clamp(listener_view_of_gossip.trust + 0.5)
    ds, dt = GOSSIP_HEARSAY
    return _update(
        listener_id,
        subject_id,
        listener_view_of_subject,
        (ds * belief, _trust_delta(dt * belief, listener_view_of_subject.trust, 1.0), 0.0, 0.0),
        cause,
        "gossip",
        tick,
    )


def explain(
    changes: Iterable[RelationshipChange],
    state: RelationshipState | None = None,
    top: int = 5,
) -> list[str]:
    """The biggest causes behind a relationship, biggest first, one readable line each:
    ``"Bob insulted Alice at tick 12: strength -0.18, trust -0.10"``.

    Without ``state`` causes rank by the size of what they moved. With the current
    ``state`` they rank by how much they pushed it where it is now (for "why are they
    rivals?", the insults rank above the compliments). Axes weigh ``AXIS_WEIGHTS``.
    """
    by_cause: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(AXES, 0.0))
    first_tick: dict[str, int] = {}
    for change in changes:
        by_cause[change.cause][change.axis] += change.delta
        first_tick.setdefault(change.cause, change.tick)

    def weight(axes: dict[str, float]) -> float:
        if state is None:
            return sum(AXIS_WEIGHTS[a] * abs(v) for a, v in axes.items())
        total = 0.0
        for axis, value in axes.items():
            current = getattr(state, axis)
            sign = 1.0 if axis in ("familiarity", "attraction") or current >= 0 else -1.0
            total += AXIS_WEIGHTS[axis] * value * sign
        return total

    ranked = sorted(
        by_cause.items(), key=lambda item: (-weight(item[1]), first_tick[item[0]], item[0])
    )
    lines = []
    for cause, axes in ranked[:top]:
        if state is not None and weight(axes) <= 0:
            break
        moved = ", ".join(f"{a} {v:+.2f}" for a, v in axes.items() if abs(v) >= 0.005)
        lines.append(f"{cause}: {moved}" if moved else cause)
    return lines
