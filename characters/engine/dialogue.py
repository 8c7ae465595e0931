"""The built-in dialogue engine: picks and voices a line from ``dialogue_bank``.

A line is chosen by interaction kind x role (initiator or target) x tone (warm, neutral,
cold, hostile) x relationship stage (stranger, acquaintance, friend, close), then voiced
by the speaker's personality and speaking-style hints (formality, verbosity, humour,
hesitation) and current emotion, and may refer back to a shared event ("Like at the
picnic."). The caller passes the lines already said; a line is never repeated while an
unused variant remains, and a line none of whose sentences was said is preferred (so no
stock sentence recurs across a world). No filler tails are glued on: variety comes from
the bank, the speaker's voice and feelings, and what the two remember.

Everything random comes from the ``random.Random`` passed in, so the same inputs and
seed give the same line.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from characters.engine.dialogue_bank import (
    DEFLECTIONS,
    EMOTION_PREFIXES,
    HESITATIONS,
    HISTORY,
    OPENERS,
    REPLIES,
)
from characters.engine.emotions import DominantEmotion, dominant, mood
from characters.engine.interactions import CATALOGUE
from characters.engine.personality import talkativeness, warmth
from characters.engine.types import (
    ACQUAINTANCE,
    ALLY,
    CLOSE_FRIEND,
    ENEMY,
    FRIEND,
    INITIATOR,
    PARTNER,
    RIVAL,
    ROMANTIC_INTEREST,
    STRANGER,
    TARGET,
    CharacterSnapshot,
    EmotionState,
    Personality,
    RelationshipState,
    clamp,
)

TONES: tuple[str, ...] = ("warm", "neutral", "cold", "hostile")
STAGES: tuple[str, ...] = ("stranger", "acquaintance", "friend", "close")
STAGE_OF_KIND: dict[str, str] = {
    STRANGER: "stranger",
    ACQUAINTANCE: "acquaintance",
    RIVAL: "acquaintance",
    ENEMY: "acquaintance",
    FRIEND: "friend",
    ALLY: "friend",
    ROMANTIC_INTEREST: "friend",
    CLOSE_FRIEND: "close",
    PARTNER: "close",
}

# Tone score thresholds (score: see ``tone_score``, about -1..1).
WARM_ABOVE = 0.25
NEUTRAL_ABOVE = -0.1
COLD_ABOVE = -0.45

# Voice thresholds (voice traits are 0..1).
FORMAL_ABOVE = 0.72  # expand contractions, "Hello" not "Hey"
CASUAL_BELOW = 0.35  # contract, "Hey" not "Hello"
VERBOSE_ABOVE = 0.6  # may refer back to shared history more often
TERSE_BELOW = 0.45  # prefers lines of at most SHORT_LINE_WORDS words
SHORT_LINE_WORDS = 6  # "Oh. Hello, Alice. I'm fine." is short
HESITANT_ABOVE = 0.4  # may open with "Um, " (with probability = hesitation)
EMOTION_MARK_ABOVE = 0.55  # a dominant emotion this strong may colour the line
# How often it does, per unit of intensity above the threshold: a marker on every joyful
# line ("Ha!" opened 28 % and "Oh, happy day!" 24 % of a 100-tick demo run) is a tic.
EMOTION_MARK_RATE = 0.6

# Speaking-style hint words and what they add to the voice (trait, amount).
STYLE_HINTS: dict[str, tuple[tuple[str, float], ...]] = {
    "formal": (("formality", 0.35),),
    "proper": (("formality", 0.3),),
    "polite": (("formality", 0.2),),
    "stiff": (("formality", 0.3),),
    "casual": (("formality", -0.35),),
    "slang": (("formality", -0.4),),
    "blunt": (("formality", -0.2), ("verbosity", -0.2)),
    "terse": (("verbosity", -0.4),),
    "curt": (("verbosity", -0.35),),
    "laconic": (("verbosity", -0.4),),
    "quiet": (("verbosity", -0.2), ("hesitation", 0.1)),
    "chatty": (("verbosity", 0.35),),
    "verbose": (("verbosity", 0.4),),
    "rambling": (("verbosity", 0.4),),
    "talkative": (("verbosity", 0.3),),
    "shy": (("hesitation", 0.4),),
    "nervous": (("hesitation", 0.4),),
    "stammers": (("hesitation", 0.5),),
    "stammer": (("hesitation", 0.5),),
    "timid": (("hesitation", 0.35),),
    "anxious": (("hesitation", 0.3),),
    "witty": (("humour", 0.35),),
    "playful": (("humour", 0.3),),
    "sarcastic": (("humour", 0.3),),
    "funny": (("humour", 0.3),),
    "dry": (("humour", 0.15),),
    "serious": (("humour", -0.3),),
    "gruff": (("formality", -0.1), ("warmth", -0.2)),
    "warm": (("warmth", 0.2),),
    "kind": (("warmth", 0.15),),
    "cold": (("warmth", -0.2),),
    "guarded": (("hesitation", -0.35), ("verbosity", -0.1)),
    "quick": (("hesitation", -0.3),),
    "precise": (("formality", 0.25),),
    "silken": (("formality", 0.05),),
    "loud": (("formality", -0.25), ("verbosity", 0.1)),
    "encouraging": (("warmth", 0.1),),
}
# Style words that make a speaker answer with a question of their own (see DEFLECTIONS).
DEFLECTING_HINTS = frozenset({"deflects", "deflect", "evasive", "guarded"})
DEFLECT_CHANCE = 0.5  # of a deflecting speaker's replies
TERSE_CUT_BELOW = 0.2  # verbosity this low says one sentence of a longer line (not a joke)
_WORD = re.compile(r"[a-z]+")

_FORMAL = (
    ("I'm", "I am"), ("I've", "I have"), ("I'll", "I will"), ("I'd", "I would"),
    ("don't", "do not"), ("Don't", "Do not"), ("can't", "cannot"), ("Can't", "Cannot"),
    ("won't", "will not"), ("isn't", "is not"), ("aren't", "are not"), ("didn't", "did not"),
    ("doesn't", "does not"), ("haven't", "have not"), ("wasn't", "was not"),
    ("couldn't", "could not"), ("wouldn't", "would not"), ("shouldn't", "should not"),
    ("it's", "it is"), ("It's", "It is"), ("you're", "you are"), ("You're", "You are"),
    ("you've", "you have"), ("You've", "You have"), ("that's", "that is"),
    ("That's", "That is"), ("what's", "what is"), ("What's", "What is"),
    ("there's", "there is"), ("There's", "There is"), ("we're", "we are"),
    ("We're", "We are"), ("let's", "let us"), ("Let's", "Let us"), ("Hey,", "Hello,"),
    ("Hi,", "Good day,"), ("Hi!", "Good day!"), ("Yeah", "Yes"), ("Thanks", "Thank you"),
)  # fmt: skip
_CASUAL = (
    ("I am ", "I'm "), ("do not", "don't"), ("Do not", "Don't"), ("cannot", "can't"),
    ("It is ", "It's "), ("it is ", "it's "), ("you are ", "you're "), ("Hello", "Hey"),
    ("Thank you", "Thanks"), ("Good morning", "Morning"), ("Yes,", "Yeah,"),
)  # fmt: skip
_INTERJECTIONS = ("Oh", "Um", "Er", "Uh", "Ah", "Ha", "Hm", "Ugh", "Look", "Well", "So!", "(")
# Cheerful markers ("Ha! ") only colour kind acts; gloomy ones fit any act.
_CHEERFUL = frozenset({"joy", "anticipation"})
_EMOTION_TONES: dict[str, frozenset[str]] = {
    "joy": frozenset({"warm", "neutral"}),
    "anticipation": frozenset({"warm", "neutral"}),
    "anger": frozenset({"neutral", "cold", "hostile"}),
    "disgust": frozenset({"neutral", "cold", "hostile"}),
}
_ALL_TONES = frozenset(TONES)


@dataclass(frozen=True, slots=True)
class Voice:
    """How a character talks, each trait 0..1 except warmth (-1..1)."""

    formality: float
    verbosity: float
    warmth: float
    humour: float
    hesitation: float
    deflects: bool = False


@lru_cache(maxsize=4096)
def voice_of(p: Personality, speaking_style: str = "") -> Voice:
    """The voice a personality and speaking-style text imply. Conscientious, closed
    people are formal; extraverts talk more; open extraverts joke; neurotic introverts
    hesitate; hint words in the style ("formal", "terse", "shy", "witty", see
    ``STYLE_HINTS``) push each trait."""
    traits = {
        "formality": 0.25 + 0.45 * p.conscientiousness + 0.2 * (1 - p.openness)
        + 0.1 * p.agreeableness,
        "verbosity": talkativeness(p),
        "warmth": warmth(p),
        "humour": 0.15 + 0.4 * p.openness + 0.3 * p.extraversion - 0.15 * p.neuroticism,
        "hesitation": 1.2 * max(0.0, p.neuroticism - 0.5) + 0.8 * max(0.0, 0.5 - p.extraversion),
    }  # fmt: skip
    words = _WORD.findall(speaking_style.lower())
    for word in words:
        for trait, amount in STYLE_HINTS.get(word, ()):
            traits[trait] += amount
    return Voice(
        deflects=bool(DEFLECTING_HINTS.intersection(words)),
        formality=clamp(traits["formality"]),
        verbosity=clamp(traits["verbosity"]),
        warmth=clamp(traits["warmth"], -1.0, 1.0),
        humour=clamp(traits["humour"]),
        hesitation=clamp(traits["hesitation"]),
    )


def tone_score(
    personality: Personality, view: RelationshipState, valence: float, emotions: EmotionState
) -> float:
    """About -1..1: the speaker's warmth, their affinity for the other (``view``), how
    the moment lands (``valence``: the act's for an initiator, the felt valence for a
    target) and their mood, weighted 0.5, 0.5, 0.5, 0.3."""
    return 0.5 * warmth(personality) + 0.5 * view.strength + 0.5 * valence + 0.3 * mood(emotions)


def tone_for(score: float) -> str:
    """warm (> 0.25), neutral (> -0.1), cold (> -0.45) or hostile."""
    if score > WARM_ABOVE:
        return "warm"
    if score > NEUTRAL_ABOVE:
        return "neutral"
    if score > COLD_ABOVE:
        return "cold"
    return "hostile"


def stage_for(relationship_kind: str) -> str:
    """The dialogue stage of a relationship kind (rivals and enemies talk like
    acquaintances, in a colder tone)."""
    return STAGE_OF_KIND.get(relationship_kind, "acquaintance")


# --- the bank, indexed once at import ---------------------------------------------------------
_STAGE_PREFIX = re.compile(r"^([safc]{1,4}): (.+)$")
_STAGE_CODE = {"s": "stranger", "a": "acquaintance", "f": "friend", "c": "close"}
_Key = tuple[str, str, str, str]
_INDEX: dict[_Key, tuple[str, ...]] = {}
_SHORT: dict[_Key, tuple[str, ...]] = {}
_LONG: dict[_Key, tuple[str, ...]] = {}


def _build_index() -> None:
    for role, bank in ((INITIATOR, OPENERS), (TARGET, REPLIES)):
        for kind, tones in bank.items():
            for tone, block in tones.items():
                per_stage: dict[str, list[str]] = {stage: [] for stage in STAGES}
                for raw in block.strip().splitlines():
                    line = raw.strip()
                    if not line:
                        continue
                    match = _STAGE_PREFIX.match(line)
                    stages = [_STAGE_CODE[c] for c in match.group(1)] if match else list(STAGES)
                    text = match.group(2) if match else line
                    for stage in stages:
                        per_stage[stage].append(text)
                for stage, lines in per_stage.items():
                    key = (kind, role, tone, stage)
                    _INDEX[key] = tuple(lines)
                    _SHORT[key] = tuple(x for x in lines if len(x.split()) <= SHORT_LINE_WORDS)
                    _LONG[key] = tuple(x for x in lines if len(x.split()) > SHORT_LINE_WORDS)


_build_index()


def templates(kind: str, role: str, tone: str, stage: str) -> tuple[str, ...]:
    """The raw templates for one cell of the bank (empty if none)."""
    return _INDEX.get((kind, role, tone, stage), ())


def _tones_near(kind: str, role: str, tone: str, stage: str) -> list[str]:
    """Tones with lines for this cell, nearest first (ties go to the milder tone)."""
    i = TONES.index(tone)
    order = sorted(range(len(TONES)), key=lambda j: (abs(j - i), j))
    return [TONES[j] for j in order if _INDEX.get((kind, role, TONES[j], stage))]


def _rotated(seq: Sequence[str], rng: random.Random) -> list[str]:
    if len(seq) < 2:
        return list(seq)
    k = rng.randrange(len(seq))
    return [*seq[k:], *seq[:k]]


def _join(prefix: str, text: str, keep: tuple[str, ...]) -> str:
    """``prefix + text``, lower-casing text's first letter after a comma or ellipsis
    unless it starts with "I" or a name."""
    if prefix.endswith((", ", "... ")) and not text.startswith(("I ", "I'", "I,", *keep)):
        return prefix + text[:1].lower() + text[1:]
    return prefix + text


def _restyle(text: str, formality: float) -> str:
    if formality > FORMAL_ABOVE:
        for a, b in _FORMAL:
            if a in text:
                text = text.replace(a, b)
    elif formality < CASUAL_BELOW:
        for a, b in _CASUAL:
            if a in text:
                text = text.replace(a, b)
    return text


def _voiced(
    text: str,
    voice: Voice,
    tone: str,
    feeling: DominantEmotion,
    fear: float,
    rng: random.Random,
    keep: tuple[str, ...],
    history_line: str | None,
    extra: str | None,
    hostile_act: bool,
    whole: bool = False,
    deflection: str | None = None,
) -> str:
    if voice.verbosity < TERSE_CUT_BELOW and not whole:
        first = sentences(text)
        if len(first) > 1 and len(first[0].split()) >= 2:
            text = first[0]  # a terse speaker stops after the first sentence
    opens_with_interjection = text.startswith(_INTERJECTIONS)
    prefixes = EMOTION_PREFIXES.get(feeling.name, ())
    if (
        feeling.intensity >= EMOTION_MARK_ABOVE
        and prefixes
        and not opens_with_interjection
        and not (hostile_act and feeling.name in _CHEERFUL)
        and tone in _EMOTION_TONES.get(feeling.name, _ALL_TONES)
        and rng.random() < EMOTION_MARK_RATE * (feeling.intensity - EMOTION_MARK_ABOVE + 0.2)
    ):
        text = _join(prefixes[rng.randrange(len(prefixes))], text, keep)
    else:
        hesitation = voice.hesitation + 0.5 * fear
        if (
            hesitation >= HESITANT_ABOVE
            and not opens_with_interjection
            and rng.random() < hesitation
        ):
            text = _join(HESITATIONS[rng.randrange(len(HESITATIONS))], text, keep)
    if deflection:
        text = f"{deflection} {text}"
    if extra:
        text = f"{text} {extra}"
    if history_line:
        text = f"{text} {history_line}"
    return _restyle(text, voice.formality)


class _Fill(dict):
    def __missing__(self, key: str) -> str:
        return {"subject": "someone", "secret": "there's something I never told anyone"}.get(
            key, "you"
        )


def realise(
    kind: str,
    role: str,
    speaker: CharacterSnapshot,
    listener_name: str,
    *,
    tone: str,
    stage: str,
    rng: random.Random,
    said: Collection[str] = (),
    emotions: EmotionState | None = None,
    subject_name: str | None = None,
    secret: str | None = None,
    history: Sequence[str] = (),
    history_chance: float = 1.0,
    answering: str = "",
) -> str:
    """A line for ``speaker`` to say to ``listener_name``: ``role`` "initiator" opens the
    interaction ``kind``, "target" answers it.

    The line is drawn from the ``tone`` x ``stage`` cell (falling back to the nearest
    tone with lines), voiced by the speaker's personality, speaking style and
    ``emotions`` (default: the speaker's), and, with probability ``history_chance``,
    ends with a reference to one of ``history`` (short phrases: "the picnic").
    Never returns a line in ``said`` unless every variant is used up, and prefers lines
    none of whose sentences is in ``said``; a reply to a question (``answering``, the
    line answered) prefers lines that answer over lines that only ask back, unless the
    speaker deflects by style. Deterministic for a given ``rng`` state.
    """
    feelings = speaker.emotions if emotions is None else emotions
    voice = voice_of(speaker.personality, speaker.speaking_style)
    fill = _Fill(name=listener_name, me=speaker.name)
    if subject_name:
        fill["subject"] = subject_name
    if secret:
        fill["secret"] = secret.strip().rstrip(".!?")
    keep = tuple(n for n in (listener_name, speaker.name, subject_name) if n)
    spent = {sentence for said_line in said for sentence in sentences(said_line)}
    recalls, history_line = _recall(kind, tone, history, spent, rng, history_chance)
    deflection = None
    if voice.deflects and role == TARGET and rng.random() < DEFLECT_CHANCE:
        fresh = [d.format_map(fill) for d in DEFLECTIONS[tone]]
        fresh = [d for d in fresh if d not in spent]
        deflection = fresh[rng.randrange(len(fresh))] if fresh else None
    asked = answering.rstrip().endswith("?") and not voice.deflects
    feeling, hostile_act = dominant(feelings), hostile_act_of(kind)
    line = ""
    fallback, fallback_spent = "", 99.0
    attempts = _attempts(kind, role, tone, stage, voice.verbosity < TERSE_BELOW, rng, recalls)
    for template, cell_tone, extra in attempts:
        line = _voiced(
            template.format_map(fill),
            voice,
            cell_tone,
            feeling,
            feelings.fear,
            rng,
            keep,
            None if extra else history_line,
            extra,
            hostile_act,
            whole=kind == "joke" and role == INITIATOR,
            deflection=deflection,
        )
        if line in said:
            continue
        repeats = len(spent.intersection(sentences(line)))
        if asked and line.endswith("?"):
            repeats += 0.5  # a question answered with only a question does not follow
        if not repeats:
            return line
        if repeats < fallback_spent:  # the freshest line when every one repeats something
            fallback, fallback_spent = line, repeats
    if not line:
        raise KeyError(f"No dialogue for {kind!r} ({role}); is it in the catalogue?")
    return fallback or line  # every variant used: repeat rather than fail


def _recall(
    kind: str,
    tone: str,
    history: Sequence[str],
    spent: set[str],
    rng: random.Random,
    chance: float,
) -> tuple[list[str], str | None]:
    """Ways to refer back to the pair's past not said yet, and the one this line ends with
    (with probability ``chance``). Referring back is tone-coloured; after a hostile act a warm
    "Just like at ...!" would contradict the moment, so such lines look back neutrally."""
    history_tone = "neutral" if hostile_act_of(kind) and tone == "warm" else tone
    recalls = [
        option.format(history=event) for event in history for option in HISTORY[history_tone]
    ]
    recalls = [r for r in recalls if r not in spent]
    if recalls and rng.random() < chance:
        return recalls, recalls[rng.randrange(len(recalls))]
    return recalls, None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(line: str) -> list[str]:
    """The sentences of a line, as the repetition checks count them."""
    return [part for part in _SENTENCE_END.split(line.strip()) if part]


def hostile_act_of(kind: str) -> bool:
    """Whether ``kind`` is an unkind act (negative nominal valence)."""
    return kind in CATALOGUE and CATALOGUE[kind].valence < 0


def _attempts(
    kind: str,
    role: str,
    tone: str,
    stage: str,
    terse: bool,
    rng: random.Random,
    recalls: Sequence[str] = (),
) -> Iterator[tuple[str, str, str | None]]:
    """(template, tone, extra sentence) candidates in preference order: the tone's own
    lines (short ones first for terse speakers), then those lines with a look back at
    shared history (``recalls``), then the same for the nearest other tones, then pairs of
    the nearest cell's lines (a long exchange of one kind). No stock
    tail is ever added: variety beyond the bank comes from what the two remember."""
    for cell_tone in _tones_near(kind, role, tone, stage):
        key = (kind, role, cell_tone, stage)
        if terse:
            base = _rotated(_SHORT[key], rng) + _rotated(_LONG[key], rng)
        else:
            base = _rotated(_INDEX[key], rng)
        for template in base:
            yield template, cell_tone, None
        for extra in _rotated(recalls, rng):
            for template in base:
                yield template, cell_tone, extra
    # A long exchange of one kind: two of the cell's own lines in one breath.
    for cell_tone in _tones_near(kind, role, tone, stage)[:1]:
        base = _rotated(_INDEX[(kind, role, cell_tone, stage)], rng)
        for i, first in enumerate(base):
            for second in base[i + 1 :]:
                yield f"{first} {second}", cell_tone, None


def bank_size() -> int:
    """Distinct raw templates in the bank (each may be voiced many ways)."""
    return len({(k[0], k[1], text) for k, lines in _INDEX.items() for text in lines})
