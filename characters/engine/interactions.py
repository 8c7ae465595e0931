"""The catalogue of interaction types (data) and the rules for when one can happen.

Every number here is hand-tuned for play and ordered by intuition (a betrayal weighs more
than an insult, which weighs more than a disagreement), then held in place by tests of
the orderings and of the properties they produce. Units:

- ``valence``: -1..1, how the act is meant to land on the target (before personality).
- ``intensity``: 0..1, how strongly it is felt and remembered.
- ``energy_cost``: fraction of a full social-energy tank (0..1) the initiator spends; the
  target spends ``RESPONDER_ENERGY_SHARE`` of it. Tuned so a middling character (scale
  1.0) manages about 20 ordinary exchanges (0.05 average) on a full tank.
- ``target_deltas``: nominal change to the target's view of the initiator, per axis.
- ``initiator_deltas``: nominal change to the initiator's view of the target (the
  target's answer moves it further; see ``relationships``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from characters.engine.personality import (
    Compatibility,
    is_thrill_seeker,
    negative_impact_scale,
    novelty_appetite,
    positive_impact_scale,
)
from characters.engine.types import (
    CharacterSnapshot,
    EmotionImpulse,
    InteractionContext,
    RelationshipState,
    clamp,
)

RESPONDER_ENERGY_SHARE = 0.6  # answering costs less than starting; a tuning choice
DESPISE_STRENGTH = -0.5  # affinity at or below which a character despises the other
SECRET_MIN_TRUST = -0.3  # nobody shares a secret with someone they distrust more than this
BETRAYAL_MIN_TRUST = 0.05  # the target must trust the initiator at least this much ...
BETRAYAL_MIN_STRENGTH = 0.2  # ... or like them this much: there must be something to break


@dataclass(frozen=True, slots=True)
class AxisDeltas:
    """Nominal change per relationship axis (strength/trust -1..1, the others 0..1)."""

    strength: float = 0.0
    trust: float = 0.0
    familiarity: float = 0.0
    attraction: float = 0.0


@dataclass(frozen=True, slots=True)
class InteractionType:
    """One entry of the catalogue. ``verb`` renders causes: ``verb.format(a=..., b=...,
    s=...)`` gives "Bob insulted Alice"; ``tones`` are the tones an initiator can use."""

    name: str
    label: str
    verb: str
    valence: float
    intensity: float
    energy_cost: float
    target_deltas: AxisDeltas
    initiator_deltas: AxisDeltas
    target_impulse: EmotionImpulse
    initiator_impulse: EmotionImpulse
    conflict: bool = False  # leaves a rift (for apologise/reconcile, and for story sifting)
    playful: bool = False  # stings strangers, bonds close friends (teasing)
    novelty: bool = False  # open minds enjoy it more (jokes)
    romantic: bool = False  # lands by attraction and romance compatibility (flirting)
    breaks_trust: bool = False  # a trust violation when discovered
    needs_subject: bool = False
    needs_secret: bool = False
    needs_grievance: bool = False
    needs_rift: bool = False
    needs_bond: bool = False


_E = EmotionImpulse  # short aliases for the table below
_A = AxisDeltas

CATALOGUE: dict[str, InteractionType] = {
    t.name: t
    for t in (
        InteractionType(
            "greeting", "Greeting", "{a} greeted {b}", 0.2, 0.1, 0.02,
            _A(0.02, 0.01), _A(0.01),
            _E(joy=0.05, surprise=0.02), _E(joy=0.05, anticipation=0.03),
        ),
        InteractionType(
            "small_talk", "Small talk", "{a} chatted with {b}", 0.2, 0.2, 0.04,
            _A(0.03, 0.01, 0.01), _A(0.02, 0.01, 0.01),
            _E(joy=0.05, anticipation=0.02), _E(joy=0.05),
        ),
        InteractionType(
            "compliment", "Compliment", "{a} complimented {b}", 0.5, 0.35, 0.03,
            _A(0.06, 0.02, 0.0, 0.02), _A(0.02),
            _E(joy=0.2, trust=0.08, surprise=0.05), _E(joy=0.05, anticipation=0.05),
        ),
        InteractionType(
            "joke", "Joke", "{a} joked with {b}", 0.35, 0.3, 0.04,
            _A(0.04, 0.01, 0.0, 0.01), _A(0.02),
            _E(joy=0.18, surprise=0.1), _E(joy=0.12, anticipation=0.05),
            novelty=True,
        ),
        InteractionType(
            "confide", "Confide", "{a} confided in {b}", 0.3, 0.55, 0.08,
            _A(0.05, 0.04, 0.04), _A(0.04, 0.05, 0.04),
            _E(trust=0.1, sadness=0.08, anticipation=0.03), _E(trust=0.1, fear=0.05, sadness=-0.1),
        ),
        InteractionType(
            "ask_for_help", "Ask for help", "{a} asked {b} for help", 0.1, 0.35, 0.05,
            _A(0.02, 0.01, 0.01), _A(0.02, 0.02, 0.01),
            _E(anticipation=0.05, trust=0.03), _E(anticipation=0.1, fear=0.05),
        ),
        InteractionType(
            "help", "Help", "{a} helped {b}", 0.6, 0.5, 0.08,
            _A(0.08, 0.05, 0.02, 0.01), _A(0.05, 0.01, 0.01),  # helping endears (Franklin)
            _E(joy=0.2, trust=0.15, surprise=0.05), _E(joy=0.1, trust=0.05),
        ),
        InteractionType(
            "gift", "Gift", "{a} gave {b} a gift", 0.55, 0.45, 0.05,
            _A(0.07, 0.03, 0.01, 0.03), _A(0.02),
            _E(joy=0.25, surprise=0.2, trust=0.05), _E(joy=0.1, anticipation=0.08),
        ),
        InteractionType(
            "flirt", "Flirt", "{a} flirted with {b}", 0.3, 0.5, 0.06,
            _A(0.03, 0.0, 0.01, 0.1), _A(0.02, 0.0, 0.01, 0.05),
            _E(surprise=0.15, joy=0.1, anticipation=0.1), _E(anticipation=0.2, joy=0.08, fear=0.05),
            romantic=True,
        ),
        InteractionType(
            "apologise", "Apologise", "{a} apologised to {b}", 0.35, 0.5, 0.07,
            _A(0.08, 0.05, 0.01), _A(0.03, 0.01),
            _E(anger=-0.2, sadness=-0.05, trust=0.05, surprise=0.05), _E(sadness=0.05, fear=0.05),
            needs_grievance=True,
        ),
        InteractionType(
            "tease", "Tease", "{a} teased {b}", -0.15, 0.3, 0.04,
            _A(-0.02, 0.0, 0.01, 0.01), _A(0.01),
            _E(surprise=0.08, anger=0.05, joy=0.05), _E(joy=0.08),
            playful=True,
        ),
        InteractionType(
            "disagree", "Disagree", "{a} disagreed with {b}", -0.2, 0.35, 0.06,
            _A(-0.02, 0.0, 0.01), _A(-0.02, 0.0, 0.01),
            _E(anger=0.06, surprise=0.04), _E(anger=0.05, anticipation=0.03),
        ),
        InteractionType(
            "argue", "Argue", "{a} argued with {b}", -0.5, 0.7, 0.12,
            _A(-0.08, -0.02, 0.01, -0.01), _A(-0.07, -0.02, 0.01),
            _E(anger=0.25, sadness=0.08, disgust=0.05), _E(anger=0.25, sadness=0.05),
            conflict=True,
        ),
        InteractionType(
            "insult", "Insult", "{a} insulted {b}", -0.7, 0.65, 0.08,
            _A(-0.12, -0.03, 0.01, -0.03), _A(-0.04),
            _E(anger=0.3, sadness=0.15, disgust=0.1, joy=-0.2), _E(anger=0.1, disgust=0.1),
            conflict=True,
        ),
        InteractionType(
            "threaten", "Threaten", "{a} threatened {b}", -0.85, 0.85, 0.1,
            _A(-0.15, -0.08, 0.01, -0.04), _A(-0.03, -0.02),
            _E(fear=0.35, anger=0.15, surprise=0.1, joy=-0.2), _E(anger=0.15, anticipation=0.1),
            conflict=True,
        ),
        InteractionType(
            "deceive", "Deceive", "{a} deceived {b}", -0.6, 0.5, 0.07,
            _A(-0.08, -0.2, 0.01, -0.01), _A(-0.01),
            _E(anger=0.2, disgust=0.2, surprise=0.15, trust=-0.25),
            _E(fear=0.08, anticipation=0.05),
            conflict=True, breaks_trust=True,
        ),
        InteractionType(
            "betray", "Betray", "{a} betrayed {b}", -0.95, 1.0, 0.12,
            _A(-0.4, -0.25, 0.02, -0.06), _A(-0.05, -0.02),
            _E(anger=0.35, sadness=0.3, disgust=0.25, surprise=0.25, trust=-0.4, joy=-0.3),
            _E(fear=0.1, sadness=0.05, anticipation=0.05),
            conflict=True, breaks_trust=True, needs_bond=True,
        ),
        InteractionType(
            "gossip", "Gossip", "{a} gossiped to {b} about {s}", 0.1, 0.3, 0.05,
            _A(0.03, -0.01, 0.02), _A(0.03, 0.01, 0.01),  # gossip bonds (Dunbar 1996)
            _E(surprise=0.1, anticipation=0.06, disgust=0.03), _E(joy=0.08, anticipation=0.05),
            needs_subject=True,
        ),
        InteractionType(
            "share_secret", "Share a secret", "{a} shared a secret with {b}", 0.45, 0.7, 0.08,
            _A(0.07, 0.06, 0.05, 0.01), _A(0.05, 0.08, 0.04),
            _E(surprise=0.2, trust=0.15, anticipation=0.05), _E(fear=0.1, trust=0.1),
            needs_secret=True,
        ),
        InteractionType(
            "reconcile", "Reconcile", "{a} reconciled with {b}", 0.5, 0.7, 0.1,
            _A(0.12, 0.06, 0.02), _A(0.1, 0.05, 0.01),
            _E(joy=0.15, trust=0.08, anger=-0.2, sadness=-0.1),
            _E(joy=0.15, trust=0.1, anger=-0.2, sadness=-0.1),
            needs_rift=True,
        ),
    )
}  # fmt: skip
INTERACTION_KINDS: tuple[str, ...] = tuple(CATALOGUE)
# Noun phrases for refusal messages ("too tired for an argument").
NOUNS: dict[str, str] = {
    "greeting": "a greeting", "small_talk": "small talk", "compliment": "a compliment",
    "joke": "a joke", "confide": "confiding", "ask_for_help": "asking for help",
    "help": "helping", "gift": "a gift", "flirt": "flirting", "apologise": "an apology",
    "tease": "teasing", "disagree": "disagreeing", "argue": "an argument",
    "insult": "an insult", "threaten": "a threat", "deceive": "a deceit",
    "betray": "a betrayal", "gossip": "gossip", "share_secret": "sharing a secret",
    "reconcile": "reconciling",
}  # fmt: skip

# How a deceit that goes unnoticed lands: like pleasant small talk.
BELIEVED_DECEIT_DELTAS = CATALOGUE["small_talk"].target_deltas
# Chance (0..1) a target sees through a deceit: a base, more with familiarity and
# conscientiousness (attentive people check stories). People detect lies only a little
# better than chance in lab studies (Bond & DePaulo 2006: 54%); 0.25..0.8 here so both
# outcomes happen in play.
DECEIT_DETECTION_BASE = 0.25
DECEIT_DETECTION_FAMILIARITY = 0.35
DECEIT_DETECTION_CONSCIENTIOUSNESS = 0.2


def interaction_type(kind: str) -> InteractionType:
    """The catalogue entry for ``kind``; ``KeyError`` with the known kinds if unknown."""
    try:
        return CATALOGUE[kind]
    except KeyError:
        raise KeyError(
            f"Unknown interaction type {kind!r}; choose one of {', '.join(INTERACTION_KINDS)}."
        ) from None


def act_text(kind: str, initiator: str, target: str, subject: str | None) -> str:
    """The act in the world's words, e.g. ``"Bob insulted Alice"``: what memories, gossip,
    the log's summaries and stories say (never a tick number)."""
    return CATALOGUE[kind].verb.format(a=initiator, b=target, s=subject or "someone")


def cause_text(kind: str, initiator: str, target: str, subject: str | None, tick: int) -> str:
    """Readable cause of a relationship change-log row, e.g. ``"Bob insulted Alice at tick
    12"``: the log is a tool for owners ("why are they rivals?"), so it keeps the tick, and
    two insults at different ticks stay two causes."""
    return f"{act_text(kind, initiator, target, subject)} at tick {tick}"


def detection_chance(target: CharacterSnapshot, target_view: RelationshipState) -> float:
    """0..1 chance the target notices it is being deceived."""
    return clamp(
        DECEIT_DETECTION_BASE
        + DECEIT_DETECTION_FAMILIARITY * target_view.familiarity
        + DECEIT_DETECTION_CONSCIENTIOUSNESS * target.personality.conscientiousness
    )


def felt_valence(
    kind: str,
    target: CharacterSnapshot,
    target_view: RelationshipState,
    compat: Compatibility,
    *,
    detected: bool = True,
) -> float:
    """-1..1: how the act lands on this target, given who they are and how they regard
    the initiator (``target_view``). The nominal valence, adjusted:

    - playful acts (tease) sting strangers and bond close friends;
    - novelty (jokes) pleases open minds and bores closed ones;
    - romantic acts (flirt) land by attraction and romance compatibility, and turn
      unwelcome from someone disliked;
    - kindness from someone disliked or distrusted is discounted (gifts, compliments);
    - gossip sits badly with agreeable listeners;
    - an undetected deceit feels like pleasant small talk;

    then negatives are scaled by ``negative_impact_scale`` and positives by
    ``positive_impact_scale`` of the target.
    """
    t = CATALOGUE[kind]
    p = target.personality
    v = t.valence
    s = target_view.strength
    if t.breaks_trust and not detected:
        v = CATALOGUE["small_talk"].valence
    elif t.playful:
        closeness = max(0.0, s) * (0.5 + 0.5 * target_view.familiarity)
        v += 0.6 * closeness - 0.1 * (1 - target_view.familiarity)
    elif t.novelty:
        v += 0.25 * novelty_appetite(p)
    elif t.romantic:
        v += (
            0.3 * (compat.romance - 0.5)
            + 0.3 * (target_view.attraction - 0.1)
            + 0.8 * min(0.0, s)
            + 0.1 * novelty_appetite(p)
        )
    elif kind == "gossip":
        v += 0.4 * (0.5 - p.agreeableness) + 0.1 * (p.extraversion - 0.5)
    elif v > 0:
        v *= 1 + 0.6 * min(0.0, s) + 0.4 * min(0.0, target_view.trust)
    v *= negative_impact_scale(p) if v < 0 else positive_impact_scale(p)
    return clamp(v, -1.0, 1.0)


@dataclass(frozen=True, slots=True)
class Feasibility:
    """Whether an interaction can happen; ``reason`` says why not (or "ok"), and ``code``
    is a stable machine-readable reason for the service's domain error."""

    ok: bool
    reason: str = "ok"
    code: str = "ok"

    def __bool__(self) -> bool:
        return self.ok


FEASIBLE = Feasibility(True)


def feasible(
    kind: str,
    initiator: CharacterSnapshot,
    target: CharacterSnapshot,
    initiator_view: RelationshipState,
    target_view: RelationshipState,
    context: InteractionContext = InteractionContext(),  # noqa: B008 - frozen, immutable
) -> Feasibility:
    """Can ``initiator`` do ``kind`` to ``target`` now? ``initiator_view`` is the
    initiator's relationship to the target, ``target_view`` the target's to the initiator.

    Refusals, checked in this order:

    - ``unknown_kind``: not in the catalogue.
    - ``self``: initiator and target are the same character.
    - ``too_tired``: the initiator's social energy is below the exchange's cost.
    - ``despises_target`` (flirt): affinity <= ``DESPISE_STRENGTH`` and the initiator is not
      a thrill-seeker (see ``personality.is_thrill_seeker``).
    - ``no_grievance`` (apologise): the target neither dislikes nor distrusts the
      initiator and there was no recent conflict.
    - ``no_rift`` (reconcile): neither side's affinity or trust is negative and there was
      no recent conflict.
    - ``no_subject`` (gossip): no third character, or it is one of the two.
    - ``no_secret`` / ``distrusts_target`` (share_secret): nothing to tell, or the
      initiator's trust in the target is below ``SECRET_MIN_TRUST``.
    - ``nothing_to_betray`` (betray): the target neither trusts nor likes the initiator.
    """
    t = CATALOGUE.get(kind)
    a = initiator.name
    if t is None:
        return Feasibility(
            False,
            f"Unknown interaction type {kind!r}; choose one of {', '.join(INTERACTION_KINDS)}.",
            "unknown_kind",
        )
    if initiator.id == target.id:
        return Feasibility(False, f"{a} cannot interact with themself.", "self")
    if initiator.social_energy < t.energy_cost:
        return Feasibility(
            False,
            f"{a} is too tired for {NOUNS[kind]} (social energy "
            f"{initiator.social_energy:.2f}, needs {t.energy_cost:.2f}); let {a} rest first.",
            "too_tired",
        )
    for check in _CHECKS:
        refusal = check(t, initiator, target, initiator_view, target_view, context)
        if refusal is not None:
            return refusal
    return FEASIBLE


# Each check refuses acts of one kind for one reason, or lets them pass (``None``); they run
# in the order ``feasible``'s docstring lists them. Arguments: the act's type, the initiator,
# the target, the initiator's view of the target, the target's of the initiator, the context.
Check = Callable[
    [
        InteractionType,
        CharacterSnapshot,
        CharacterSnapshot,
        RelationshipState,
        RelationshipState,
        InteractionContext,
    ],
    Feasibility | None,
]


def _romance_check(
    t: InteractionType,
    me: CharacterSnapshot,
    them: CharacterSnapshot,
    iv: RelationshipState,
    tv: RelationshipState,
    context: InteractionContext,
) -> Feasibility | None:
    if t.romantic and iv.strength <= DESPISE_STRENGTH and not is_thrill_seeker(me.personality):
        return Feasibility(
            False,
            f"{me.name} despises {them.name} (affinity {iv.strength:.2f}) and won't flirt; "
            "only a thrill-seeker (agreeableness <= 0.25 and openness >= 0.75) would.",
            "despises_target",
        )
    return None


def _grievance_check(
    t: InteractionType,
    me: CharacterSnapshot,
    them: CharacterSnapshot,
    iv: RelationshipState,
    tv: RelationshipState,
    context: InteractionContext,
) -> Feasibility | None:
    if t.needs_grievance and not (tv.strength < 0 or tv.trust < 0 or context.recent_conflict):
        return Feasibility(
            False,
            f"{them.name} holds no grievance against {me.name} (affinity {tv.strength:.2f}, "
            f"trust {tv.trust:.2f}, no recent conflict), so there is nothing to apologise for.",
            "no_grievance",
        )
    return None


def _rift_check(
    t: InteractionType,
    me: CharacterSnapshot,
    them: CharacterSnapshot,
    iv: RelationshipState,
    tv: RelationshipState,
    context: InteractionContext,
) -> Feasibility | None:
    lowest = min(iv.strength, iv.trust, tv.strength, tv.trust)
    if t.needs_rift and not (lowest < 0 or context.recent_conflict):
        return Feasibility(
            False,
            f"There is no rift between {me.name} and {them.name} to mend (no negative "
            "affinity or trust either way, no recent conflict).",
            "no_rift",
        )
    return None


def _subject_check(
    t: InteractionType,
    me: CharacterSnapshot,
    them: CharacterSnapshot,
    iv: RelationshipState,
    tv: RelationshipState,
    context: InteractionContext,
) -> Feasibility | None:
    s = context.subject
    if not t.needs_subject:
        return None
    if s is None:
        return Feasibility(
            False, f"Gossip needs a subject: say whom {me.name} gossips about.", "no_subject"
        )
    if s.id in (me.id, them.id):
        return Feasibility(
            False,
            f"Gossip must be about a third character, not {s.name} (one of the two).",
            "no_subject",
        )
    return None


def _secret_check(
    t: InteractionType,
    me: CharacterSnapshot,
    them: CharacterSnapshot,
    iv: RelationshipState,
    tv: RelationshipState,
    context: InteractionContext,
) -> Feasibility | None:
    if not t.needs_secret:
        return None
    if not (context.secret or me.secrets):
        return Feasibility(False, f"{me.name} has no secret to share.", "no_secret")
    if iv.trust < SECRET_MIN_TRUST:
        return Feasibility(
            False,
            f"{me.name} distrusts {them.name} too much (trust {iv.trust:.2f}, needs "
            f"{SECRET_MIN_TRUST:.2f} or more) to share a secret.",
            "distrusts_target",
        )
    return None


def _bond_check(
    t: InteractionType,
    me: CharacterSnapshot,
    them: CharacterSnapshot,
    iv: RelationshipState,
    tv: RelationshipState,
    context: InteractionContext,
) -> Feasibility | None:
    if t.needs_bond and not (
        tv.trust >= BETRAYAL_MIN_TRUST or tv.strength >= BETRAYAL_MIN_STRENGTH
    ):
        return Feasibility(
            False,
            f"{them.name} never trusted or liked {me.name} (trust {tv.trust:.2f}, affinity "
            f"{tv.strength:.2f}); there is nothing to betray.",
            "nothing_to_betray",
        )
    return None


_CHECKS: tuple[Check, ...] = (
    _romance_check, _grievance_check, _rift_check, _subject_check, _secret_check, _bond_check,
)  # fmt: skip
