"""Talking with a character: answer options, conversation goals, secrets and the emotional arc.

Four small, pure pieces a conversation service puts together (no Django, deterministic):

- ``answer_options``: the three lines offered to the person after every reply (a follow-up
  question on the thread, a personal share, a way out), generated from the situation: what
  the person last did (an intent kind), what the character replied (its people and things),
  the character's topics, and how close the two are (warm or cold wording). Every candidate
  is read back with ``read_intent`` and kept only when it reads as what it is meant to be,
  so the ``intent`` an option carries is the one the conversation will detect when it is sent.
- ``parse_goal`` / ``goal_progress``: "win Bob's trust", "find out who has the locket",
  "make Eve laugh" as a measurable ``TalkGoal`` and its progress 0..1.
- ``revealable``: which secret a character tells now, given what was asked and how far it
  trusts and likes the person.
- ``arc_swing``: whether one turn swung the conversation's feeling sharply.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from characters.engine.intent import INTENT_KINDS, Prototypes, read_intent
from characters.engine.relationships import AXES
from characters.engine.types import PLUTCHIK
from characters.engine.words import STOPWORDS, content_words, stem, tokens

# --- answer options ----------------------------------------------------------------------------

OPTION_KINDS: tuple[str, ...] = ("follow_up", "share", "way_out")
# The intent kinds each option must read as (read with and without names, rules and, when
# given, prototypes). A share is a statement: anything but a question or a hostile act.
OPTION_INTENTS: dict[str, frozenset[str]] = {
    "follow_up": frozenset({"question"}),
    "share": frozenset({"small_talk", "confession", "compliment", "thanks", "joke"}),
    "way_out": frozenset({"farewell", "small_talk"}),
}
WARM_FROM = 0.35  # closeness at or above: warm wording (the character's name, softer lines)
COLD_BELOW = -0.25  # closeness below: cold, terse wording
CONFIDE_FROM = 0.55  # closeness at or above: the share may be a confidence
HOSTILE_HEARD = frozenset({"insult", "threat", "disagreement"})
TENDER_HEARD = frozenset({"apology", "confession", "compliment", "flirt", "thanks"})


@dataclass(frozen=True, slots=True)
class AnswerOption:
    """One line offered to the person: ``kind`` (one of ``OPTION_KINDS``), the ``text`` and
    the intent kind ``read_intent`` gives that text."""

    kind: str
    text: str
    intent: str


@dataclass(frozen=True, slots=True)
class _Subject:
    ref: str  # "the locket", "your mother's garden", "Eve", "your sister"
    person: bool
    from_reply: bool
    kin: bool = False  # "your mother": a person known only by the tie ("how did you meet" fits not)
    topic: bool = False  # one of the character's topics


# Templates: {s} a thing ("the locket"), {p} a person, {c} the character's name. Questions
# about people avoid "about"/"with"/"see" (a question naming someone with those reads as
# gossip); every line is read back anyway.
_FOLLOW_THING: dict[str, tuple[str, ...]] = {
    "warm": (
        "What is it about {s} that means so much to you, {c}?",
        "Will you tell me more of {s}?",
        "How did {s} come into your life?",
        "And {s}, what's the story there?",
        "What would you do if {s} were gone tomorrow?",
    ),
    "neutral": (
        "What is it about {s} that matters to you?",
        "Where does that leave {s}?",
        "How long have you been thinking of {s}?",
        "Who else knows of {s}?",
        "Why {s}, of all things?",
        "What happened to {s}, then?",
    ),
    "cold": (
        "What have I to do with {s}?",
        "Why bring up {s}?",
        "And what of {s}?",
        "Do you care to talk of anything but {s}?",
    ),
}
_FOLLOW_PERSON: dict[str, tuple[str, ...]] = {
    "warm": (
        "How did you and {p} first meet, {c}?",
        "What is {p} like, when nobody is watching?",
        "Do you miss {p}?",
        "What does {p} mean to you?",
    ),
    "neutral": (
        "How well do you know {p}?",
        "When did you last speak to {p}?",
        "Do you trust {p}?",
        "What does {p} make of all this?",
        "Where is {p} these days?",
    ),
    "cold": (
        "Why mention {p}?",
        "What is {p} to you?",
        "Does {p} know you talk like this?",
    ),
}
_FOLLOW_KIN: tuple[str, ...] = (
    "Do you miss {p}?",
    "What would {p} make of all this?",
    "Where is {p} these days?",
    "Do you take after {p}?",
)
_SHARE_KIN: tuple[str, ...] = (
    "{P} sounds a lot like mine.",
    "I think of my own family often, hearing that.",
    "I wish I'd known {p}.",
)
_FOLLOW_HOSTILE: tuple[str, ...] = (
    "Is this really over {s}?",
    "Are you cross over {s}?",
    "Would it help if we spoke of {s} calmly?",
)
_FOLLOW_BARE: tuple[str, ...] = (  # {w}: a word of the reply, when nothing better names a thread
    'When you say "{w}", what do you mean?',
    'What did you mean by "{w}"?',
    'Why "{w}"?',
)

_SHARE_THING: dict[str, tuple[str, ...]] = {
    "warm": (
        "I'll be honest with you: {s} matters to me too.",
        "Something in {s} reminds me of home, if I'm honest.",
        "I lost something like {s} once, and I still think of it.",
        "I've been turning {s} over in my mind all week.",
    ),
    "neutral": (
        "I know a little of {s} myself.",
        "Talk of {s} takes me back years.",
        "I had my own troubles over {s} once.",
        "I've been wondering over {s} for a while.",
    ),
    "cold": (
        "I have my own reasons for asking of {s}.",
        "I care for {s} more than I let on.",
        "I've had my fill of {s}, to be frank.",
    ),
}
_SHARE_PERSON: dict[str, tuple[str, ...]] = {
    "warm": (
        "{p} was kind to me once, when nobody else was.",
        "I think of {p} more often than I admit.",
        "I'd like to know {p} better, truth be told.",
    ),
    "neutral": (
        "I don't know {p} well, but I'd like to.",
        "To be honest, {p} makes me a little nervous.",
        "{p} and I have crossed paths once or twice.",
    ),
    "cold": (
        "I've no quarrel with {p}, whatever you think.",
        "{p} and I have never been close.",
    ),
}
_SHARE_CONFIDE: tuple[str, ...] = (
    "I've never told anyone this, but I lie awake over {s}.",
    "Truth is, I'm a little afraid of what {s} might mean.",
)
_SHARE_HOSTILE: tuple[str, ...] = (
    "I didn't come to quarrel; I came because {s} matters to me.",
    "I spoke too sharply; I'm on edge over {s}.",
)

_WAY_OUT: dict[str, tuple[str, ...]] = {
    "warm": (
        "I'll let you get back to {s}. See you soon, {c}.",
        "Let's leave {s} for another day; I've kept you long enough. Goodbye for now, {c}.",
        "I should go, but I'd love to hear more of {s} another time. Farewell, {c}.",
    ),
    "neutral": (
        "Let's talk of something lighter than {s}.",
        "Enough of {s} for one day. Goodbye, {c}.",
        "I won't keep you from {s} any longer. Farewell.",
    ),
    "cold": (
        "That's enough of {s}. Goodbye.",
        "I'll leave you to it. Goodbye, {c}.",
        "We're done with {s}, I think. Farewell.",
    ),
}
_WAY_OUT_CHANGE: tuple[str, ...] = (  # {t}: another of the character's topics
    "Let's talk of {t} instead.",
    "Enough of {s}; I'd rather hear of {t}.",
)
_WAY_OUT_FALLBACK: dict[str, str] = {
    "warm": "I'll let you rest now. See you soon, {c}.",
    "neutral": "I should be on my way. Goodbye, {c}.",
    "cold": "Goodbye, {c}.",
}
# With nothing to pick up (a blank reply, no topics): still a question to the character.
_FOLLOW_FALLBACK: tuple[str, ...] = (
    "What else is on your mind, {c}?",
    "What are you thinking of, {c}?",
    "How have your days been, {c}?",
)
_SHARE_FALLBACK: tuple[str, ...] = (
    "I've been thinking of home all day.",
    "I haven't slept well this week, to be honest.",
    "I came here hoping for a quiet word.",
)

# A noun phrase in a reply: a determiner and up to two words ("the old locket", "my garden").
_PHRASE = re.compile(
    r"\b(the|my|his|her|their|our|your|that|this)\s+([a-z]+(?:'s)?)(?:\s+([a-z]+))?\b"
)
_FLIP = {"my": "your", "your": "my", "our": "our", "that": "that", "this": "that"}
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,})\b")


def answer_options(
    *,
    character_name: str,
    persona_name: str,
    heard_kind: str,
    reply_text: str,
    topics: Sequence[str],
    closeness: float,
    seed: int,
    names: Sequence[str] = (),
    prototypes: Prototypes | None = None,
) -> tuple[AnswerOption, AnswerOption, AnswerOption]:
    """Always three, in the order follow_up, share, way_out, with three different texts,
    generated from the situation: what the person's last line was (``heard_kind``, an
    ``INTENT_KINDS`` value), what the character replied (``reply_text``: its content words
    and the people it names), ``topics`` (the character's goals, interests, people it knows,
    e.g. "the locket", "Eve"), ``closeness`` -1..1 (warm vs cold wording) and a ``seed``
    (the same inputs and seed give the same options).

    The follow-up question always names something from ``reply_text`` or ``topics``.
    ``names`` (the world's people) and ``prototypes`` are what the conversation reads the
    person's lines with; options are checked to read the same way with them. Raises
    ``ValueError`` for an unknown ``heard_kind``.
    """
    if heard_kind not in INTENT_KINDS:
        raise ValueError(f"Unknown heard_kind {heard_kind!r}; use one of {INTENT_KINDS}.")
    rng = random.Random(f"{seed}|{character_name}|{heard_kind}|{reply_text}|{closeness:.2f}")
    tone = "warm" if closeness >= WARM_FROM else "cold" if closeness < COLD_BELOW else "neutral"
    others = [n for n in names if n and n not in (character_name, persona_name)]
    subjects = _subjects(reply_text, topics, others)
    people = [s.ref for s in subjects if s.person]
    all_names = tuple(dict.fromkeys([*names, *people, character_name, persona_name]))
    primary = _pick_primary(subjects, rng)
    fill = {"c": character_name or "friend", "p": "", "P": "", "s": "", "S": "", "t": "", "w": ""}

    def reads(kind: str, text: str) -> str | None:
        plain = read_intent(text).kind
        named = read_intent(text, names=all_names, prototypes=prototypes).kind
        return plain if plain == named and plain in OPTION_INTENTS[kind] else None

    def first(kind: str, candidates: Iterable[tuple[str, dict[str, str]]], taken: set[str]):
        for template, values in candidates:
            text = _tidy(template.format(**{**fill, **values}))
            if text in taken:
                continue
            intent = reads(kind, text)
            if intent is not None:
                return AnswerOption(kind, text, intent)
        return None

    taken: set[str] = set()
    follow = first("follow_up", _follow_candidates(subjects, primary, tone, heard_kind, reply_text,
                                                    rng), taken)  # fmt: skip
    if follow is None:
        follow = first("follow_up", ((t, {}) for t in _shuffled(_FOLLOW_FALLBACK, rng)), taken)
    if follow is None:
        follow = _forced("follow_up", _FOLLOW_FALLBACK[0].format(**fill), reads)
    taken.add(follow.text)
    share = first("share", _share_candidates(subjects, primary, tone, heard_kind, closeness, rng),
                  taken)  # fmt: skip
    if share is None:
        share = first("share", ((t, {}) for t in _shuffled(_SHARE_FALLBACK, rng)), taken)
    if share is None:
        share = _forced("share", _SHARE_FALLBACK[0], reads)
    taken.add(share.text)
    way_out = first("way_out", _way_out_candidates(subjects, primary, tone, heard_kind, rng),
                    taken)  # fmt: skip
    if way_out is None:
        way_out = _forced("way_out", _WAY_OUT_FALLBACK[tone].format(**fill), reads)
    return follow, share, way_out


def _forced(kind: str, text: str, reads) -> AnswerOption:
    """A last-resort line (checked to read right in the tests)."""
    return AnswerOption(kind, _tidy(text), reads(kind, _tidy(text)) or read_intent(text).kind)


def _follow_candidates(subjects, primary, tone, heard_kind, reply_text, rng):
    ordered = _ordered(subjects, primary)
    for subject in ordered:
        if heard_kind in HOSTILE_HEARD and not subject.person:
            for t in _shuffled(_FOLLOW_HOSTILE, rng):
                yield t, _values(subject)
        if subject.kin:
            for t in _shuffled(_FOLLOW_KIN, rng):
                yield t, _values(subject)
            continue
        table = _FOLLOW_PERSON if subject.person else _FOLLOW_THING
        for t in _shuffled(table[tone], rng) + _shuffled(table["neutral"], rng):
            yield t, _values(subject)
    words = sorted(
        (w for w in tokens(reply_text) if len(w) >= 4 and w not in STOPWORDS and "'" not in w),
        key=lambda w: (-len(w), w),
    )
    for word in words[:3]:
        for t in _shuffled(_FOLLOW_BARE, rng):
            yield t, {"w": word}


def _share_candidates(subjects, primary, tone, heard_kind, closeness, rng):
    ordered = _ordered(subjects, primary)
    # A share is about oneself: prefer the character's own topics after the reply's thread.
    if len(ordered) > 1 and rng.random() < 0.5:
        ordered = ordered[1:] + ordered[:1]
    for subject in ordered:
        if subject.kin:
            for t in _shuffled(_SHARE_KIN, rng):
                yield t, _values(subject)
            continue
        if subject.person:
            for t in _shuffled(_SHARE_PERSON[tone], rng) + _shuffled(_SHARE_PERSON["neutral"], rng):
                yield t, _values(subject)
            continue
        if heard_kind in HOSTILE_HEARD:
            for t in _shuffled(_SHARE_HOSTILE, rng):
                yield t, _values(subject)
        if closeness >= CONFIDE_FROM and rng.random() < 0.5:
            for t in _shuffled(_SHARE_CONFIDE, rng):
                yield t, _values(subject)
        for t in _shuffled(_SHARE_THING[tone], rng) + _shuffled(_SHARE_THING["neutral"], rng):
            yield t, _values(subject)


def _way_out_candidates(subjects, primary, tone, heard_kind, rng):
    ordered = _ordered(subjects, primary)
    things = [s for s in ordered if not s.person]
    if heard_kind != "farewell" and len(things) > 1 and rng.random() < 0.4:
        other = things[1]
        for t in _shuffled(_WAY_OUT_CHANGE, rng):
            yield t, {**_values(things[0]), "t": other.ref}
    for subject in things or ordered:
        for t in _shuffled(_WAY_OUT[tone], rng):
            yield t, _values(subject)


def _values(subject: _Subject) -> dict[str, str]:
    ref = subject.ref
    cap = ref[:1].upper() + ref[1:]
    return {"s": ref, "S": cap, "p": ref, "P": cap}


def _ordered(subjects: list[_Subject], primary: _Subject | None) -> list[_Subject]:
    if primary is None:
        return list(subjects)
    return [primary] + [s for s in subjects if s is not primary]


def _shuffled(items: Sequence[str], rng: random.Random) -> list[str]:
    out = list(items)
    rng.shuffle(out)
    return out


def _pick_primary(subjects: list[_Subject], rng: random.Random) -> _Subject | None:
    """The thread to follow: a topic of the character's the reply names (by chance among
    them), else something else the reply names (the first two), else a topic."""
    from_reply = [s for s in subjects if s.from_reply]
    pool = [s for s in from_reply if s.topic] or from_reply[:2] or subjects[:3]
    return rng.choice(pool) if pool else None


def _subjects(reply_text: str, topics: Sequence[str], names: Sequence[str] = ()) -> list[_Subject]:
    """People and things to talk about: those the reply names first (topics it mentions,
    the world's people, other capitalised names, noun phrases), then the character's
    other topics."""
    reply_words = content_words(reply_text)
    reply_low = reply_text.lower()
    out: list[_Subject] = []
    seen: list[frozenset[str]] = []

    def add(ref: str, person: bool, from_reply: bool, *, kin: bool = False, topic: bool = False):
        key = content_words(ref) or frozenset({ref.lower()})
        if ref and not any(key & other or key == other for other in seen):
            seen.append(key)
            out.append(_Subject(ref, person or kin, from_reply, kin, topic))

    topic_refs = [(t, _topic_ref(t)) for t in topics if t and t.strip()]
    for raw, (ref, person) in topic_refs:
        mentioned = (
            re.search(rf"\b{re.escape(ref)}\b", reply_text, re.IGNORECASE) is not None
            if person
            else bool(content_words(raw) & reply_words)
        )
        if mentioned:
            add(ref, person or _last(ref) in _ROLES, True, kin=_is_kin(ref), topic=True)
    for name in names:
        if re.search(rf"\b{re.escape(name)}\b", reply_text):
            add(name, True, True)
    for match in _NAME.finditer(reply_text):
        word = match.group(1)
        if word.lower() not in STOPWORDS and word.lower() not in _NOT_NAMES:
            add(word, True, True)
    for match in _PHRASE.finditer(reply_low):
        det, first_word, second = match.groups()
        if det in ("his", "her", "their") or first_word in STOPWORDS or len(first_word) < 3:
            continue  # "her locket": whose it is is unclear from here
        words = [first_word]
        # A second word only after an adjective or a possessive ("the old locket", "my
        # mother's ring"); otherwise it is likely a verb ("my mother left").
        if (
            second
            and second not in STOPWORDS
            and len(second) >= 3
            and (first_word in _ADJECTIVES or first_word.endswith("'s"))
        ):
            words.append(second)
        elif first_word.endswith("'s") or first_word in _ADJECTIVES:
            continue
        kin = len(words) == 1 and first_word in _KIN
        person = words[-1] in _ROLES  # "the vicar", "the old miller"
        add(" ".join([_FLIP.get(det, det), *words]), person, True, kin=kin)
    for _raw, (ref, person) in topic_refs:
        add(ref, person or _last(ref) in _ROLES, False, kin=_is_kin(ref), topic=True)
    return out


# People named by a tie ("my mother"): talked of as people, with their own lines.
_KIN = frozenset(
    {"mother", "father", "sister", "brother", "husband", "wife", "son", "daughter", "aunt",
     "uncle", "cousin", "grandmother", "grandfather", "mum", "mam", "dad", "papa", "mama",
     "nephew", "niece", "fiance", "fiancee", "children", "parents", "family", "master",
     "mistress", "friend", "neighbour", "neighbor"}
)  # fmt: skip

# People named by what they are ("the vicar"): talked of as people.
_ROLES = frozenset(
    {"vicar", "priest", "curate", "doctor", "mayor", "baker", "butcher", "miller", "smith",
     "blacksmith", "squire", "constable", "widow", "widower", "king", "queen", "prince",
     "princess", "captain", "teacher", "schoolmaster", "landlord", "landlady", "innkeeper",
     "maid", "cook", "gardener", "farmer", "postman", "stranger", "girl", "boy", "man",
     "woman", "lady", "gentleman", "lord", "duke", "duchess", "butler", "nurse", "judge"}
)  # fmt: skip

# Adjectives that may open a noun phrase ("the old locket").
_ADJECTIVES = frozenset(
    {"old", "new", "little", "big", "small", "young", "silver", "golden", "gold", "red", "blue",
     "green", "black", "white", "dark", "broken", "lost", "secret", "strange", "missing",
     "stolen", "last", "first", "whole", "east", "west", "north", "south", "rose", "summer",
     "winter", "village", "family", "garden"}
)  # fmt: skip

# Capitalised words that are not people (sentence-inner "I'm", days, interjections).
_NOT_NAMES = frozenset(
    {"i'm", "i've", "i'll", "i'd", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday", "god", "heaven", "lord", "lady", "sir", "miss", "mister", "madam"}
)  # fmt: skip


def _last(ref: str) -> str:
    words = ref.lower().split()
    return words[-1] if words else ""


def _is_kin(ref: str) -> bool:
    """ "your sister" (two words, a tie): a person known by the tie."""
    words = ref.lower().split()
    return len(words) == 2 and words[0] in _FLIP.values() and words[1] in _KIN


def _topic_ref(topic: str) -> tuple[str, bool]:
    """How a topic is named in a line, and whether it is a person: "Eve" -> ("Eve", True),
    "win the garden prize" -> ("the garden prize", False), "gardening" -> ("gardening", False)."""
    text = " ".join(topic.split()).strip(" .!?,;:")
    if not text:
        return "", False
    words = text.split()
    if all(w[:1].isupper() for w in words) and len(words) <= 3:
        return text, True
    low = text.lower()
    match = _PHRASE.search(low)
    if match:  # "win the garden prize" -> "the garden prize"; "my roses" -> "your roses"
        det = match.group(1)
        return f"{_FLIP.get(det, det)} {low[match.end(1) :].strip()}", False
    return (low if len(words) <= 3 else " ".join(words[-3:]).lower()), False


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;?!])", r"\1", text)
    return text[:1].upper() + text[1:]


# --- conversation goals ------------------------------------------------------------------------

GOAL_KINDS: tuple[str, ...] = ("relationship", "knowledge", "emotion")
# Axis values that complete a relationship goal, from the derived-kind thresholds in
# ``characters.engine.relationships`` (a friend from strength 0.3, a close friend's trust 0.45,
# romantic interest from attraction 0.45).
TRUST_TARGET = 0.45
LIKE_TARGET = 0.3  # "make Bob like me", "be friends": a friend's strength
CLOSE_TARGET = 0.6  # "become close friends", "Bob's best friend"
ATTRACTION_TARGET = 0.45
FAMILIARITY_TARGET = 0.5
EMOTION_TARGET = 0.5  # "make Eve laugh": joy at a moderate level (emotions.MILD_BELOW is 0.4)
CALM_TARGET = 0.15  # "calm Eve down": anger back under emotions.CALM_BELOW
GOAL_MIN_GAIN = 0.15  # what a goal asks beyond where things stand (anchor_goal)
AXIS_MAX = 1.0  # every axis and emotion tops out at 1
KNOWLEDGE_QUESTION_CREDIT = 0.25  # per question the person asked on the topic
KNOWLEDGE_MENTION_CREDIT = 0.1  # per other line of theirs naming the topic
KNOWLEDGE_ASKING_CAP = 0.5  # asking alone never completes a knowledge goal
# Trust and warmth count toward a knowledge goal too: a secret is told only to someone trusted
# (``revealable``), so how near the character is to that is progress the person can see.
KNOWLEDGE_READINESS_SHARE = 0.45  # at the reveal thresholds; with asking, at most 0.95 untold

_GOAL_WORDS = frozenset(
    {"find", "out", "learn", "discover", "uncover", "figure", "work", "who", "has", "have",
     "where", "what", "why", "how", "when", "whether", "the", "truth", "secret", "about", "is",
     "was", "did", "does", "hid", "hides", "hidden", "keeps", "kept", "ask", "get", "make",
     "tell", "me", "reveal", "show", "real", "happened", "story"}
)  # fmt: skip
_QUESTION_START = re.compile(
    r"^(?:who|what|where|when|why|how|which|whose|is|are|was|were|do|does|did|can|could|would"
    r"|will|have|has)\b"
)
_EMOTION_GOALS: tuple[tuple[str, str, float, bool], ...] = (
    # (pattern, emotion, target, rising): "rising" goals complete at or above the target,
    # the others (calming) at or below it.
    (r"\b(?:calm|soothe|settle|reassure|comfort|pacify|placate)\b", "anger", CALM_TARGET, False),
    (r"\b(?:laugh|smile|giggle|grin|happy|happier|cheer|cheerful|glad|delight|amuse)\b", "joy",
     EMOTION_TARGET, True),
    (r"\b(?:scare|frighten|terrify|afraid|nervous|fear)\b", "fear", EMOTION_TARGET, True),
    (r"\b(?:angry|anger|furious|annoy|provoke|enrage|mad)\b", "anger", EMOTION_TARGET, True),
    (r"\b(?:sad|cry|weep|tears|upset)\b", "sadness", EMOTION_TARGET, True),
    (r"\b(?:surprise|astonish|amaze|shock)\b", "surprise", EMOTION_TARGET, True),
    (r"\b(?:excite|excited|curious|intrigue)\b", "anticipation", EMOTION_TARGET, True),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TalkGoal:
    """What the person wants from a conversation, measurable.

    - ``kind``: "relationship", "knowledge" or "emotion".
    - ``axis``: relationship goals: one of ``relationships.AXES``.
    - ``target``: the axis value (or emotion level) that completes the goal.
    - ``topic``: knowledge goals: content words to find in what the character revealed.
    - ``emotion``: emotion goals: the character's emotion (a ``PLUTCHIK`` name).
    - ``rising``: emotion goals: complete at or above ``target`` (True) or, for calming, at
      or below it (False).
    - ``person``: whom the goal names ("Bob" in "win Bob's trust"), if anyone.
    """

    text: str
    kind: str
    axis: str | None
    target: float
    topic: tuple[str, ...] = ()
    emotion: str | None = None
    rising: bool = True
    person: str | None = None


def parse_goal(text: str) -> TalkGoal:
    """Read a goal the person typed.

    "gain/win/earn X's trust" -> trust; "make X like me", "be friends" -> strength;
    "charm/seduce/woo X", "win X's heart" -> attraction; "get to know X" -> familiarity;
    "find out/learn/discover ..." -> knowledge, its content words the topic; "make X
    laugh/smile/happy" -> emotion joy; "calm X down" -> anger falling to ``CALM_TARGET``;
    anything else -> relationship strength. Raises ``ValueError`` for blank text.
    """
    clean = " ".join((text or "").split())
    if not clean:
        raise ValueError(
            'A goal needs words, e.g. "win Bob\'s trust", "find out who has the locket" or '
            '"make Eve laugh".'
        )
    low = clean.lower().replace("\u2019", "'")
    person = _goal_person(clean)

    def rel(axis: str, target: float) -> TalkGoal:
        return TalkGoal(clean, "relationship", axis, target, person=person)

    if re.search(r"\b(?:find out|learn|discover|uncover|figure out|work out|found out|ask about"
                 r"|get .{0,30}to (?:tell|reveal|show|admit)|who (?:has|took|stole|killed|hid)"
                 r"|where (?:is|are|was)|the truth|the secret)\b", low):  # fmt: skip
        # "learn Eve's secret" has no topic words: any secret she tells completes it
        topic = _goal_topic(low, person)
        return TalkGoal(clean, "knowledge", None, 1.0, topic=topic, person=person)
    if re.search(r"\bget to know\b|\bknow (?:\w+ ){0,2}better\b|\bfamiliar\b", low):
        return rel("familiarity", FAMILIARITY_TARGET)
    if re.search(r"\btrust", low):
        return rel("trust", TRUST_TARGET)
    if re.search(r"\b(?:charm|seduce|woo|romance|flirt|kiss|date|heart|fall for|love|attract"
                 r"|fancy|crush)", low):  # fmt: skip
        return rel("attraction", ATTRACTION_TARGET)
    for pattern, emotion, target, rising in _EMOTION_GOALS:
        if re.search(pattern, low):
            return TalkGoal(clean, "emotion", None, target, emotion=emotion, rising=rising,
                            person=person)  # fmt: skip
    if re.search(r"\b(?:best friends?|close friends?|closest|inseparable)\b", low):
        return rel("strength", CLOSE_TARGET)
    return rel("strength", LIKE_TARGET)


def _goal_person(text: str) -> str | None:
    """A capitalised name the goal names, not its first word unless possessive ("Bob's")."""
    for i, word in enumerate(re.findall(r"[A-Za-z][\w'\u2019]*", text)):
        base = re.sub(r"['\u2019]s$", "", word)
        named = base[:1].isupper() and base.lower() not in _NOT_NAMES and base != "I"
        if named and (i > 0 or base != word):
            return base
    return None


def _goal_topic(low: str, person: str | None) -> tuple[str, ...]:
    skip = _GOAL_WORDS | STOPWORDS | ({person.lower()} if person else set())
    words = [stem(w) for w in tokens(low) if len(w) >= 3 and w not in skip]
    words = [w for w in words if w not in skip]
    return tuple(dict.fromkeys(words))


def anchor_goal(goal: TalkGoal, *, start: Mapping[str, float]) -> TalkGoal:
    """The goal as set when the conversation starts: a relationship goal's target (or a
    rising emotion goal's) is raised to at least ``GOAL_MIN_GAIN`` above where it stands
    in ``start`` (axes and emotions by name), within the axis's range, so no goal is done
    before a word is said ("win Bob's trust" when Bob already trusts you 0.5 means 0.65)."""
    if goal.kind == "relationship" and goal.axis in start:
        target = min(AXIS_MAX, max(goal.target, start[goal.axis] + GOAL_MIN_GAIN))
    elif goal.kind == "emotion" and goal.rising and goal.emotion in start:
        target = min(AXIS_MAX, max(goal.target, start[goal.emotion] + GOAL_MIN_GAIN))
    else:
        return goal
    return replace(goal, target=round(target, 4))


def goal_progress(
    goal: TalkGoal,
    *,
    start: Mapping[str, float],
    now: Mapping[str, float],
    revealed: Sequence[str],
    heard: Sequence[str],
    emotions: Mapping[str, float],
) -> float:
    """0..1 toward ``goal``.

    - relationship: how far ``now[axis]`` moved from ``start[axis]`` toward ``goal.target``
      (1.0 at or beyond it, also when it started there; 0 when it moved away).
    - knowledge: 1.0 when any ``revealed`` text holds the topic words (all of them for up to
      two, otherwise all but one); else partial credit from the person's lines in ``heard``
      that name the topic (a question ``KNOWLEDGE_QUESTION_CREDIT``, another line
      ``KNOWLEDGE_MENTION_CREDIT``), capped at ``KNOWLEDGE_ASKING_CAP``. A goal without
      topic words ("learn Eve's secret") is done by any revealed text, and each question
      counts ``KNOWLEDGE_MENTION_CREDIT``. Until told, how near ``now``'s trust and strength
      are to ``revealable``'s thresholds adds up to ``KNOWLEDGE_READINESS_SHARE``.
    - emotion: ``emotions[goal.emotion]`` relative to ``goal.target`` (for a calming goal, how
      far it fell from ``start[emotion]``, or from 1, to the target).
    """
    if goal.kind == "relationship":
        axis = goal.axis or "strength"
        if axis not in AXES:
            raise ValueError(f"Unknown relationship axis {axis!r}; use one of {AXES}.")
        return _toward(start.get(axis, 0.0), now.get(axis, start.get(axis, 0.0)), goal.target)
    if goal.kind == "knowledge":
        topic = frozenset(stem(w) for w in goal.topic)
        if not topic:
            if any(text.strip() for text in revealed):
                return 1.0
            asked = sum(KNOWLEDGE_MENTION_CREDIT for line in heard if _is_question(line))
            return round(min(KNOWLEDGE_ASKING_CAP, asked) + _readiness(now), 4)
        need = len(topic) if len(topic) <= 2 else len(topic) - 1
        if any(len(topic & content_words(text)) >= need for text in revealed):
            return 1.0
        credit = 0.0
        for line in heard:
            if topic & content_words(line):
                credit += KNOWLEDGE_QUESTION_CREDIT if _is_question(line) else (
                    KNOWLEDGE_MENTION_CREDIT)  # fmt: skip
        return round(min(KNOWLEDGE_ASKING_CAP, credit) + _readiness(now), 4)
    if goal.kind == "emotion":
        emotion = goal.emotion or "joy"
        if emotion not in PLUTCHIK:
            raise ValueError(f"Unknown emotion {emotion!r}; use one of {PLUTCHIK}.")
        value = emotions.get(emotion, 0.0)
        if goal.rising:
            return round(min(1.0, max(0.0, value / goal.target)) if goal.target > 0 else 1.0, 4)
        return _toward(start.get(emotion, 1.0), value, goal.target, rising=False)
    raise ValueError(f"Unknown goal kind {goal.kind!r}; use one of {GOAL_KINDS}.")


def _toward(begin: float, value: float, target: float, *, rising: bool = True) -> float:
    """Fraction of the way from ``begin`` to ``target``, 0..1: 1.0 at or beyond the target
    (upward when ``rising``, downward otherwise), 0 when it moved away."""
    d = 1.0 if rising else -1.0
    if (value - target) * d >= -1e-9:
        return 1.0
    gap = (target - begin) * d
    if gap <= 0:
        return 0.0
    return round(min(1.0, max(0.0, (value - begin) * d / gap)), 4)


def _is_question(line: str) -> bool:
    low = line.strip().lower()
    return low.endswith("?") or low == "question" or bool(_QUESTION_START.match(low))


# --- secrets -----------------------------------------------------------------------------------

# A character tells a secret to a friend (relationships.FRIEND_MIN_STRENGTH, 0.3) it has come
# to trust. Trust is the slow axis (gains are small, losses weigh 2.5x): a newcomer's warm
# turns earn about 0.016 each, so 0.25 is some fifteen turns of a patient talk, where a close
# friend's 0.45 took thirty (measured on the demo's Diana) and read as a wall, not a game.
REVEAL_MIN_TRUST = 0.25
REVEAL_MIN_STRENGTH = 0.3


def _readiness(now: Mapping[str, float]) -> float:
    """How near the character is to telling a secret (``revealable``'s thresholds), as a
    share of a knowledge goal: 0 for a stranger, ``KNOWLEDGE_READINESS_SHARE`` once both
    trust and strength are there."""
    trust = max(0.0, now.get("trust", 0.0)) / REVEAL_MIN_TRUST
    strength = max(0.0, now.get("strength", 0.0)) / REVEAL_MIN_STRENGTH
    return KNOWLEDGE_READINESS_SHARE * min(1.0, trust, strength)


def revealable(*, secrets: Sequence[str], asked: str, trust: float, strength: float) -> str | None:
    """The secret the character would tell now: the one sharing the most content words with
    what the person ``asked`` (the first on a tie), when ``trust`` >= ``REVEAL_MIN_TRUST``
    and ``strength`` >= ``REVEAL_MIN_STRENGTH`` toward the person; None otherwise."""
    if trust < REVEAL_MIN_TRUST or strength < REVEAL_MIN_STRENGTH:
        return None
    wanted = content_words(asked)
    if not wanted:
        return None
    best, best_shared = None, 0
    for secret in secrets:
        shared = len(wanted & content_words(secret))
        if shared > best_shared:
            best, best_shared = secret, shared
    return best


# --- the emotional arc -------------------------------------------------------------------------

# A swing is the larger of the sentiment jump (-1..1 scale, so up to 2) and the Euclidean
# distance between the two emotion states (eight 0..1 intensities). 0.6 is a compliment
# (+0.6) after small talk (~0) or joy 0.2 -> anger 0.6 with joy falling: a turn that reads
# as a turning point, while ordinary drift (0.1-0.3 per turn) stays below it.
ARC_SWING_MIN = 0.6


@dataclass(frozen=True, slots=True)
class ArcPoint:
    """One turn of the arc: its ``sentiment`` (-1..1) and the character's ``emotions``
    (name -> 0..1) after it."""

    sentiment: float
    emotions: Mapping[str, float]


def arc_distance(previous: ArcPoint, current: ArcPoint) -> float:
    """How far the arc moved between two turns (see ``ARC_SWING_MIN``)."""
    jump = abs(current.sentiment - previous.sentiment)
    keys = set(previous.emotions) | set(current.emotions)
    distance = math.sqrt(
        sum((current.emotions.get(k, 0.0) - previous.emotions.get(k, 0.0)) ** 2 for k in keys)
    )
    return round(max(jump, distance), 4)


def arc_swing(previous: ArcPoint | None, current: ArcPoint) -> float | None:
    """The size of a sharp swing (sentiment jump and/or emotional distance) when it is
    >= ``ARC_SWING_MIN``, else None (also for the first turn)."""
    if previous is None:
        return None
    size = arc_distance(previous, current)
    return size if size >= ARC_SWING_MIN else None
