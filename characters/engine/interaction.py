"""``resolve_interaction``: one interaction between two characters, start to finish.

This is the single call the Django service makes: it runs the feasibility rules, works
out how the act lands, moves both characters' emotions and both directions of their
relationship, spends social energy, and realises the initiator's line (unless the
caller gave one) and the target's reply. Pure and deterministic: the same inputs and
the same ``rng`` state give the same outcome.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from characters.engine.dialogue import (
    COLD_ABOVE,
    WARM_ABOVE,
    realise,
    stage_for,
    tone_for,
    tone_score,
)
from characters.engine.emotions import (
    DominantEmotion,
    apply_impulse,
    contagion,
    dominant,
    impulse_for,
    susceptibility,
)
from characters.engine.intent import Intent, read_intent
from characters.engine.interactions import (
    CATALOGUE,
    RESPONDER_ENERGY_SHARE,
    Feasibility,
    act_text,
    detection_chance,
    feasible,
    felt_valence,
)
from characters.engine.personality import Compatibility, compatibility, energy_use_scale
from characters.engine.relationships import (
    RelationshipChange,
    RelationshipUpdate,
    hearsay_update,
    interaction_updates,
)
from characters.engine.types import (
    INITIATOR,
    PLUTCHIK,
    TARGET,
    CharacterSnapshot,
    EmotionState,
    InteractionContext,
    RelationshipState,
    clamp,
)

RESPONSE_HISTORY_CHANCE = 0.3  # how often a reply, too, refers back to shared history
OPENING_HISTORY_CHANCE = 0.5  # an opener looks back at half its chances: not every line
IMPORTANCE_KIND_CHANGE_BONUS = 0.2  # a relationship changing kind is worth remembering
# Words decide the act when they are read with at least this confidence (a cue phrase).
INTENT_OVERRIDE_CONFIDENCE = 0.5
# The stated kind yields when the words feel this far the other way (valence, -1..1).
INTENT_OVERRIDE_VALENCE = 0.3
# Acts that set the words only the frame: a deceit sounds friendly, a tease sounds rude.
WORDS_MAY_BELIE = frozenset({"deceive", "betray", "tease", "share_secret", "gossip"})
LIGHT_KINDS = frozenset({"greeting", "small_talk"})  # say little: the words say what it was


@dataclass(frozen=True, slots=True)
class EmotionShift:
    """One character's emotions before and after the interaction."""

    character_id: str
    before: EmotionState
    after: EmotionState

    @property
    def dominant(self) -> DominantEmotion:
        return dominant(self.after)

    def deltas(self, threshold: float = 0.005) -> dict[str, float]:
        """Emotions that moved by at least ``threshold``, rounded to 4 places."""
        return {
            name: round(a - b, 4)
            for name, b, a in zip(PLUTCHIK, self.before.values(), self.after.values(), strict=True)
            if abs(a - b) >= threshold
        }


@dataclass(frozen=True, slots=True)
class EnergyChange:
    """One character's social energy (0..1) before and after."""

    character_id: str
    before: float
    after: float

    @property
    def cost(self) -> float:
        return self.before - self.after


@dataclass(frozen=True, slots=True)
class InteractionOutcome:
    """Everything one interaction did. When ``ok`` is false nothing happened:
    ``feasibility`` says why and every other result field is empty or None.

    - ``content`` / ``response``: the initiator's line and the target's reply, with the
      tones they were said in.
    - ``felt_valence``: how the act landed on the target, -1..1.
    - ``detected``: False only for a deceit the target believed.
    - ``initiator_view`` / ``target_view``: the initiator's relationship to the target
      and the target's to the initiator, before/after with per-axis causes;
      ``subject_view``: for gossip, the target's view of the subject (when the caller
      gave it).
    - ``importance``: 1..10, how memorable (Generative Agents' memory importance).
    - ``summary``: the act in the world's words, "Bob insulted Alice" (no tick).
    - ``conflict``: the kind leaves a rift (argue, insult, threaten, deceive, betray).
    - ``kind`` / ``stated_kind`` / ``intent``: the act as it landed, the act the caller
      named, and how the caller's ``content`` read (None without content). They differ
      when the words say otherwise: a threat sent as small talk lands as ``threaten``.
    """

    ok: bool
    feasibility: Feasibility
    kind: str
    initiator_id: str
    target_id: str
    tick: int
    summary: str = ""
    stated_kind: str = ""
    intent: Intent | None = None
    content: str = ""
    response: str = ""
    content_tone: str = ""
    response_tone: str = ""
    felt_valence: float = 0.0
    detected: bool = True
    conflict: bool = False
    importance: int = 0
    initiator_view: RelationshipUpdate | None = None
    target_view: RelationshipUpdate | None = None
    subject_view: RelationshipUpdate | None = None
    initiator_emotions: EmotionShift | None = None
    target_emotions: EmotionShift | None = None
    initiator_energy: EnergyChange | None = None
    target_energy: EnergyChange | None = None
    compatibility: Compatibility | None = None

    @property
    def changes(self) -> tuple[RelationshipChange, ...]:
        """Every relationship axis change, for the change log."""
        out: tuple[RelationshipChange, ...] = ()
        for update in (self.initiator_view, self.target_view, self.subject_view):
            if update is not None:
                out += update.changes
        return out


class _SaidPlus(Collection[str]):
    """``said`` plus one more line, without copying ``said``."""

    __slots__ = ("base", "extra")

    def __init__(self, base: Collection[str], extra: str) -> None:
        self.base, self.extra = base, extra

    def __contains__(self, line: object) -> bool:
        return line == self.extra or line in self.base

    def __iter__(self) -> Iterator[str]:
        yield from self.base
        yield self.extra

    def __len__(self) -> int:
        return len(self.base) + 1


def closeness(view: RelationshipState) -> float:
    """0..1 emotional closeness for contagion: a little even between strangers face to
    face, more with affinity and familiarity."""
    return clamp(0.15 + 0.5 * max(0.0, view.strength) + 0.35 * view.familiarity)


def landing_kind(stated: str, heard: Intent) -> str:
    """The interaction the words make of a stated act: the intent's kind when it was read
    with confidence and either the stated act says little (greeting, small talk) or the
    words feel the other way (a "compliment" that calls you a liar is an insult); the
    stated kind otherwise, and always for acts whose words may belie them (a deceit)."""
    if stated in WORDS_MAY_BELIE or stated not in CATALOGUE:
        return stated
    heard_kind = heard.interaction_kind
    if heard.confidence < INTENT_OVERRIDE_CONFIDENCE or heard_kind == stated:
        return stated
    if heard_kind in LIGHT_KINDS and stated not in LIGHT_KINDS:
        return stated  # a question or a remark does not undo a stated act
    stated_valence = CATALOGUE[stated].valence
    opposed = (stated_valence >= 0 and heard.valence <= -INTENT_OVERRIDE_VALENCE) or (
        stated_valence < 0 and heard.valence >= INTENT_OVERRIDE_VALENCE
    )
    return heard_kind if opposed or stated in LIGHT_KINDS else stated


def resolve_interaction(
    initiator: CharacterSnapshot,
    target: CharacterSnapshot,
    kind: str,
    rel_i_to_t: RelationshipState,
    rel_t_to_i: RelationshipState,
    content: str | None,
    context: InteractionContext,
    rng: random.Random,
    *,
    intent: Intent | None = None,
) -> InteractionOutcome:
    """Resolve ``initiator`` doing ``kind`` to ``target``.

    ``rel_i_to_t`` is the initiator's relationship to the target, ``rel_t_to_i`` the
    target's to the initiator. ``content`` is the initiator's line if the caller has
    one (a user typed it, an LLM wrote it); otherwise the template engine writes it.
    Randomness (line choice, whether a deceit is seen through) comes from ``rng``.
    Never raises for an impossible interaction: returns ``ok=False`` with the reason.

    ``content`` is read for intent (``intent``, when the caller read it already, e.g. with
    embedding prototypes; rules otherwise) and the act lands as ``landing_kind`` says, when
    that act is feasible: relationships, feelings and the reply follow what was said.
    """
    stated = kind
    kind, heard = _landing(
        kind, content, intent, initiator, target, rel_i_to_t, rel_t_to_i, context
    )
    fz = feasible(kind, initiator, target, rel_i_to_t, rel_t_to_i, context)
    tick = context.tick
    if not fz.ok:
        return InteractionOutcome(
            False, fz, kind, initiator.id, target.id, tick, fz.reason, stated, heard
        )

    t = CATALOGUE[kind]
    subject = context.subject
    subject_name = subject.name if subject else None
    compat = compatibility(initiator.personality, target.personality)
    detected = True
    if kind == "deceive":
        detected = rng.random() < detection_chance(target, rel_t_to_i)
    felt = felt_valence(kind, target, rel_t_to_i, compat, detected=detected)
    i_after, t_after = _feelings(kind, initiator, target, rel_i_to_t, rel_t_to_i, felt)
    content_tone, response_tone, response_warmth = _tones(
        kind, initiator, target, rel_i_to_t, rel_t_to_i, felt, t_after, detected=detected
    )
    initiator_view, target_view = interaction_updates(
        kind,
        initiator,
        target,
        rel_i_to_t,
        rel_t_to_i,
        compat=compat,
        felt=felt,
        response_warmth=response_warmth,
        tick=tick,
        subject_name=subject_name,
        detected=detected,
    )
    summary = act_text(kind, initiator.name, target.name, subject_name)
    subject_view = None
    if subject is not None and t.needs_subject and context.target_view_of_subject is not None:
        subject_view = hearsay_update(
            target.id, subject.id, context.target_view_of_subject, rel_t_to_i, summary, tick
        )
    line, response = _lines(
        kind, initiator, target, rel_i_to_t, rel_t_to_i, content, context, rng,
        tones=(content_tone, response_tone), target_feels=t_after, subject_name=subject_name,
    )  # fmt: skip
    memorable = t.intensity * (0.5 + 0.5 * abs(felt))
    if initiator_view.kind_changed or target_view.kind_changed:
        memorable += IMPORTANCE_KIND_CHANGE_BONUS
    initiator_energy, target_energy = _energies(kind, initiator, target)
    return InteractionOutcome(
        ok=True,
        feasibility=fz,
        kind=kind,
        initiator_id=initiator.id,
        target_id=target.id,
        tick=tick,
        summary=summary,
        stated_kind=stated,
        intent=heard,
        content=line,
        response=response,
        content_tone=content_tone,
        response_tone=response_tone,
        felt_valence=felt,
        detected=detected,
        conflict=t.conflict and detected,
        importance=round(1 + 9 * clamp(memorable)),
        initiator_view=initiator_view,
        target_view=target_view,
        subject_view=subject_view,
        initiator_emotions=EmotionShift(initiator.id, initiator.emotions, i_after),
        target_emotions=EmotionShift(target.id, target.emotions, t_after),
        initiator_energy=initiator_energy,
        target_energy=target_energy,
        compatibility=compat,
    )


def _landing(
    kind: str,
    content: str | None,
    intent: Intent | None,
    initiator: CharacterSnapshot,
    target: CharacterSnapshot,
    rel_i_to_t: RelationshipState,
    rel_t_to_i: RelationshipState,
    context: InteractionContext,
) -> tuple[str, Intent | None]:
    """The act the words land as (the stated one unless what was said is another feasible
    act), and what was heard in them."""
    if not content:
        return kind, None
    names = [n for n in (target.name, context.subject.name if context.subject else "") if n]
    heard = intent or read_intent(content, names=names)
    landed = landing_kind(kind, heard)
    if landed != kind and feasible(landed, initiator, target, rel_i_to_t, rel_t_to_i, context):
        return landed, heard
    return kind, heard


def _feelings(
    kind: str,
    initiator: CharacterSnapshot,
    target: CharacterSnapshot,
    rel_i_to_t: RelationshipState,
    rel_t_to_i: RelationshipState,
    felt: float,
) -> tuple[EmotionState, EmotionState]:
    """Each side's impulse, then each catches some of the other's new state."""
    ip, tp = initiator.personality, target.personality
    i_felt = apply_impulse(initiator.emotions, impulse_for(kind, INITIATOR), ip)
    t_felt = apply_impulse(
        target.emotions,
        impulse_for(kind, TARGET, felt),
        tp,
        0.75 + 0.5 * rel_t_to_i.familiarity,  # those we know well move us more
    )
    i_after = contagion(t_felt, i_felt, closeness(rel_i_to_t), susceptibility(ip))
    t_after = contagion(i_felt, t_felt, closeness(rel_t_to_i), susceptibility(tp))
    return i_after, t_after


def _tones(
    kind: str,
    initiator: CharacterSnapshot,
    target: CharacterSnapshot,
    rel_i_to_t: RelationshipState,
    rel_t_to_i: RelationshipState,
    felt: float,
    target_feels: EmotionState,
    *,
    detected: bool,
) -> tuple[str, str, float]:
    """The initiator's tone from intent, the target's from how it landed (a lie seen through
    lands cold or hostile, one believed warm), and the reply's warmth -1..1."""
    t = CATALOGUE[kind]
    content_tone = tone_for(
        tone_score(initiator.personality, rel_i_to_t, t.valence, initiator.emotions)
    )
    response_score = tone_score(target.personality, rel_t_to_i, felt, target_feels)
    response_tone = tone_for(response_score)
    if t.breaks_trust and kind == "deceive":
        if detected:
            response_tone = "cold" if response_score > COLD_ABOVE else "hostile"
        else:
            response_tone = "warm" if response_score > WARM_ABOVE else "neutral"
    return content_tone, response_tone, clamp(response_score, -1.0, 1.0)


def _lines(
    kind: str,
    initiator: CharacterSnapshot,
    target: CharacterSnapshot,
    rel_i_to_t: RelationshipState,
    rel_t_to_i: RelationshipState,
    content: str | None,
    context: InteractionContext,
    rng: random.Random,
    *,
    tones: tuple[str, str],
    target_feels: EmotionState,
    subject_name: str | None,
) -> tuple[str, str]:
    """The initiator's line (theirs if given) and the target's reply to it."""
    said = context.lines_said
    secret = context.secret or (initiator.secrets[0] if initiator.secrets else None)
    line = content or realise(
        kind,
        INITIATOR,
        initiator,
        target.name,
        tone=tones[0],
        stage=stage_for(rel_i_to_t.kind),
        rng=rng,
        said=said,
        emotions=initiator.emotions,
        subject_name=subject_name,
        secret=secret,
        history=context.shared_history,
        history_chance=OPENING_HISTORY_CHANCE,
    )
    response = realise(
        kind,
        TARGET,
        target,
        initiator.name,
        tone=tones[1],
        stage=stage_for(rel_t_to_i.kind),
        rng=rng,
        said=_SaidPlus(said, line),
        emotions=target_feels,
        subject_name=subject_name,
        history=context.shared_history,
        history_chance=RESPONSE_HISTORY_CHANCE,
        answering=line,
    )
    return line, response


def _energies(
    kind: str, initiator: CharacterSnapshot, target: CharacterSnapshot
) -> tuple[EnergyChange, EnergyChange]:
    """What the exchange costs each side's social energy (the responder a share of it)."""
    t = CATALOGUE[kind]
    i_energy, t_energy = initiator.social_energy, target.social_energy
    i_cost = t.energy_cost * energy_use_scale(initiator.personality)
    t_cost = RESPONDER_ENERGY_SHARE * t.energy_cost * energy_use_scale(target.personality)
    return (
        EnergyChange(initiator.id, i_energy, max(0.0, i_energy - i_cost)),
        EnergyChange(target.id, t_energy, max(0.0, t_energy - t_cost)),
    )
