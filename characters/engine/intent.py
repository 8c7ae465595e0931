"""What a line means: ``read_intent(text) -> Intent``, the one reading of words in Dramatis.

An interaction's ``content`` (a user's or a game's line), a conversation turn, or any line a
character hears is read here for what it does (``kind``: a threat, a compliment, gossip...),
how it feels (``valence`` -1..1), how strongly (``intensity`` 0..1) and whom it names.

Two readers, combined:

1. **Rules** (always): a small lexicon of cue phrases per kind, with negation ("not bad at
   all" is praise, "I don't hate you" is no insult), second-person address ("you're a ..."
   is about the listener) and punctuation (a question mark, an exclamation). Rules are
   precise: when a cue fires, its kind wins.
2. **Prototypes** (optional): the nearest of a few example sentences per kind in an
   embedding space (WordLlama offline, see ``characters.embeddings.intent_prototypes``).
   The engine stays pure: the caller passes ``Prototypes`` built with any embed function.
   Used when no rule fires, and only above ``PROTOTYPE_MIN_SIMILARITY``.

Kinds (``INTENT_KINDS``) and the interaction kind each lands as (``INTERACTION_OF``):
greeting, farewell, question, compliment, thanks, insult, flirt, apology, request, threat,
confession, gossip, joke, disagreement, small_talk (the default). ``Intent.interaction_kind``
gives the catalogue kind (``threat`` -> ``threaten``).

Pure Python: no Django, deterministic, a few microseconds per line with rules only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

INTENT_KINDS: tuple[str, ...] = (
    "greeting", "farewell", "question", "compliment", "thanks", "insult", "flirt", "apology",
    "request", "threat", "confession", "gossip", "joke", "disagreement", "small_talk",
)  # fmt: skip
# The interaction (``characters.engine.interactions.CATALOGUE``) each intent lands as.
INTERACTION_OF: dict[str, str] = {
    "greeting": "greeting", "farewell": "small_talk", "question": "small_talk",
    "compliment": "compliment", "thanks": "compliment", "insult": "insult", "flirt": "flirt",
    "apology": "apologise", "request": "ask_for_help", "threat": "threaten",
    "confession": "confide", "gossip": "gossip", "joke": "joke", "disagreement": "disagree",
    "small_talk": "small_talk",
}  # fmt: skip
# Valence and intensity of each kind when the words give no stronger signal.
BASE: dict[str, tuple[float, float]] = {
    "greeting": (0.2, 0.2), "farewell": (0.1, 0.2), "question": (0.0, 0.2),
    "compliment": (0.6, 0.5), "thanks": (0.5, 0.4), "insult": (-0.7, 0.7),
    "flirt": (0.5, 0.6), "apology": (0.3, 0.5), "request": (0.0, 0.4),
    "threat": (-0.9, 0.9), "confession": (0.1, 0.6), "gossip": (0.0, 0.4),
    "joke": (0.4, 0.4), "disagreement": (-0.25, 0.4), "small_talk": (0.1, 0.15),
}  # fmt: skip
PROTOTYPE_MIN_SIMILARITY = 0.55  # cosine; below it the nearest example is too far to trust
RULE_CONFIDENCE = 0.9  # a cue phrase fired
DEFAULT_CONFIDENCE = 0.2  # nothing fired: small talk, weakly

# Cue patterns per kind, strongest kinds first (a threat that also says "you" is a threat).
# ``\b`` keeps "hell" out of "hello"; patterns see lower-cased text with straight quotes.
_YOU = r"(?:you|you're|youre|you are|ya|thou)"
_CUES: tuple[tuple[str, str], ...] = (
    ("threat", r"\b(?:i(?:'ll| will| am going to|'m going to|'m gonna| gonna) (?:kill|hurt|burn"
     r"|strangle|destroy|ruin|break you|make you pay)|i could (?:kill|strangle|throttle) you"
     r"|or else|you(?:'ll| will) (?:regret|pay"
     r"|be sorry)|watch your back|i know where you live|burn (?:your|down)|you(?:'re| are) "
     r"(?:dead|finished)|before i (?:hurt|kill)|last warning)\b"),
    ("apology", r"\b(?:i(?:'m| am) (?:so |really |truly |very )?sorry|i apologi[sz]e|my apologies"
     r"|forgive me|please forgive|i was wrong|my fault|pardon me|i regret)\b"),
    ("thanks", r"\b(?:thank you|thanks|thank ye|much obliged|grateful)\b"),
    ("flirt", r"\b(?:gorgeous|handsome|beautiful eyes|your eyes|your smile|kiss|darling"
     r"|sweetheart|dinner with me|walk with me|be mine|fancy you|on a date|take you out"
     r"|heart races|can't stop thinking about you)\b"),
    ("compliment", r"\b(?:puts? (?:\w+ ){0,3}to shame|outdone yourself|well done|bravo)\b"),
    ("gossip", r"\b(?:did you hear|have you heard|heard about|guess what \w+ did|between you and"
     r" me|rumou?r|they say (?:that )?\w+|word is|people are saying|don't tell anyone but)\b"),
    ("confession", r"\b(?:i have to (?:tell|confess)|i need to tell you|i confess|i've never told"
     r"|never told anyone|i must confess|truth is|the truth is|i have a secret|can i tell you"
     r" something)\b"),
    ("request", r"\b(?:(?:can|could|would|will) you (?:please )?(?:help|lend|give|pass|bring"
     r"|show|tell me where)|please help|help me|i need your help|i need you to|do me a favou?r"
     r"|lend me)\b"),
    ("joke", r"\b(?:knock knock|why did the|what do you call|walks into a bar|heard the one"
     r"|here's a joke|just kidding|ha ?ha)\b"),
    ("greeting", r"^(?:hello|hi|hey|good (?:morning|afternoon|evening|day)|greetings|howdy"
     r"|well met)\b"),
    ("farewell", r"\b(?:goodbye|good night|farewell|see you (?:later|soon|tomorrow)|bye)\b"),
    ("disagreement", r"\b(?:i disagree|that's not true|that is not true|you're wrong|you are"
     r" wrong|nonsense|i don't think so|not at all true|rubbish)\b"),
)  # fmt: skip
_CUE_RES = tuple((kind, re.compile(pattern)) for kind, pattern in _CUES)

# Evaluative words: what the speaker says about the listener (after "you"/"you're"/"your").
_GOOD = frozenset(
    [
        "lovely",
        "beautiful",
        "wonderful",
        "kind",
        "brilliant",
        "clever",
        "smart",
        "amazing",
        "lovely",
        "charming",
        "brave",
        "good",
        "great",
        "fine",
        "nice",
        "sweet",
        "gracious",
        "generous",
        "splendid",
        "marvellous",
        "marvelous",
        "talented",
        "wise",
        "elegant",
        "radiant",
        "stunning",
        "delightful",
        "gentle",
        "funny",
        "admirable",
        "impressive",
    ]
)
_BAD = frozenset(
    [
        "liar",
        "disgrace",
        "fool",
        "idiot",
        "coward",
        "cheat",
        "thief",
        "pathetic",
        "stupid",
        "ugly",
        "useless",
        "worthless",
        "snake",
        "traitor",
        "fraud",
        "disgusting",
        "horrible",
        "awful",
        "bad",
        "vile",
        "rude",
        "selfish",
        "cruel",
        "dull",
        "boring",
        "dreadful",
        "terrible",
        "pig",
        "rat",
        "hypocrite",
        "imbecile",
        "dolt",
        "wretch",
        "failure",
        "embarrassment",
        "monster",
        "loser",
    ]
)
_NEGATORS = frozenset(
    ["not", "no", "never", "hardly", "isn't", "aren't", "wasn't", "don't", "didn't", "nothing"]
)
_INTENSIFIERS = frozenset(
    ["so", "very", "really", "truly", "utterly", "absolutely", "such", "total", "complete"]
)
_WORDS = re.compile(r"[a-z']+")
_EXCLAIM = re.compile(
    r"^(?:what an?|such an?|how|that's an?|that is an?) "
)  # "Such a splendid hat."
_SECOND_PERSON = re.compile(rf"\b(?:{_YOU}|your|yours|yourself)\b")


@dataclass(frozen=True, slots=True)
class Intent:
    """How a line reads.

    - ``kind``: one of ``INTENT_KINDS``.
    - ``valence``: -1 (hostile) .. 1 (warm), how it feels to the one addressed.
    - ``intensity``: 0..1, how strongly it is meant.
    - ``confidence``: 0..1; rules give ``RULE_CONFIDENCE``, prototypes their similarity,
      nothing at all ``DEFAULT_CONFIDENCE``.
    - ``mentions``: the known names the line names, in order of appearance.
    - ``source``: "rule", "prototype" or "default".
    """

    kind: str
    valence: float
    intensity: float
    confidence: float = DEFAULT_CONFIDENCE
    mentions: tuple[str, ...] = ()
    source: str = "default"

    @property
    def interaction_kind(self) -> str:
        """The catalogue interaction this intent lands as ("threat" -> "threaten")."""
        return INTERACTION_OF[self.kind]

    @property
    def mentioned(self) -> str | None:
        """The first person named, if any."""
        return self.mentions[0] if self.mentions else None


@dataclass(frozen=True, slots=True)
class Prototypes:
    """Example sentences per kind as unit vectors, and the function that embeds a line
    the same way. Build with ``Prototypes.build(embed)``; ``embed`` maps texts to vectors."""

    kinds: tuple[str, ...]
    vectors: tuple[tuple[float, ...], ...]
    embed: Callable[[Sequence[str]], Sequence[Sequence[float]]]

    @classmethod
    def build(
        cls,
        embed: Callable[[Sequence[str]], Sequence[Sequence[float]]],
        examples: Mapping[str, Iterable[str]] | None = None,
    ) -> Prototypes:
        pairs = [(k, s) for k, lines in (examples or EXAMPLES).items() for s in lines]
        vectors = embed([s for _, s in pairs])
        return cls(tuple(k for k, _ in pairs), tuple(_unit(v) for v in vectors), embed)

    def nearest(self, text: str) -> tuple[str, float]:
        """The kind of the most similar example and the cosine similarity."""
        v = _unit(self.embed([text])[0])
        best, score = "small_talk", -1.0
        for kind, p in zip(self.kinds, self.vectors, strict=True):
            s = sum(a * b for a, b in zip(v, p, strict=True))
            if s > score:
                best, score = kind, s
        return best, score


# Examples for the prototype reader: plain lines a person might send, a few per kind.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "greeting": ("Hello there, how are you?", "Good morning to you.", "Nice to meet you."),
    "farewell": ("I must be going now.", "See you around.", "Until next time."),
    "question": ("What do you think about the weather?", "Where were you yesterday?"),
    "compliment": ("You look lovely today.", "What a wonderful dress.", "You did so well."),
    "thanks": ("Thank you so much for this.", "I really appreciate your help."),
    "insult": ("You are a liar and a fool.", "You're a disgrace.", "Nobody likes you."),
    "flirt": ("You have the most beautiful eyes.", "Would you have dinner with me tonight?"),
    "apology": ("I'm sorry for what I said.", "Please forgive me.", "I was wrong."),
    "request": ("Could you help me with this?", "Would you lend me a hand?"),
    "threat": ("I am going to hurt you.", "You will regret this.", "I'll burn it all down."),
    "confession": ("I have never told anyone this.", "I need to tell you the truth."),
    "gossip": ("Did you hear what happened to her?", "They say he stole the money."),
    "joke": ("Why did the chicken cross the road?", "Here's a funny one for you."),
    "disagreement": ("I don't agree with you at all.", "That's simply not true."),
    "small_talk": ("Lovely weather we're having.", "The garden looks nice this year."),
}


def read_intent(
    text: str,
    *,
    names: Iterable[str] = (),
    prototypes: Prototypes | None = None,
) -> Intent:
    """Read ``text`` for what it does and how it feels.

    ``names`` are the people the line may mention (matched whole-word, case-insensitive);
    ``prototypes`` adds the embedding reader for lines no rule recognises. Blank text is
    small talk with no feeling.
    """
    mentions = _mentions(text, names)
    low = text.lower().replace("\u2019", "'").strip()
    if not low:
        return Intent("small_talk", 0.0, 0.0, 0.0, mentions)
    words = _WORDS.findall(low)
    shout = min(0.2, 0.1 * text.count("!")) + (0.1 if text.isupper() and len(words) > 1 else 0)
    said_of_you = _evaluation(words) if _SECOND_PERSON.search(low) else 0.0

    for kind, pattern in _CUE_RES:
        if pattern.search(low):
            if kind == "disagreement" and said_of_you > 0:
                continue
            return _intent(kind, said_of_you, shout, RULE_CONFIDENCE, mentions, "rule")
    if said_of_you < 0:
        return _intent("insult", said_of_you, shout, RULE_CONFIDENCE, mentions, "rule")
    if said_of_you > 0:
        return _intent("compliment", said_of_you, shout, RULE_CONFIDENCE, mentions, "rule")
    if _EXCLAIM.match(low) and (praise := _evaluation(words)) > 0:
        return _intent("compliment", praise, shout, RULE_CONFIDENCE, mentions, "rule")
    if mentions and low.endswith("?") and re.search(r"\b(?:about|with|see|saw)\b", low):
        return _intent("gossip", 0.0, shout, 0.6, mentions, "rule")
    if prototypes is not None:
        kind, similarity = prototypes.nearest(text)
        if similarity >= PROTOTYPE_MIN_SIMILARITY:
            return _intent(kind, 0.0, shout, similarity, mentions, "prototype")
    if low.endswith("?"):
        return _intent("question", 0.0, shout, 0.5, mentions, "rule")
    mood = _evaluation(words)  # "What a dreadful party." is small talk, said glumly
    return _intent("small_talk", mood, shout, DEFAULT_CONFIDENCE, mentions, "default")


def _intent(
    kind: str,
    evaluation: float,
    shout: float,
    confidence: float,
    mentions: tuple[str, ...],
    source: str,
) -> Intent:
    valence, intensity = BASE[kind]
    if kind == "small_talk":
        valence += 0.4 * evaluation
    elif evaluation and (evaluation > 0) == (valence >= 0):
        valence = max(-1.0, min(1.0, valence + 0.3 * evaluation))
    return Intent(kind, round(valence, 3), round(min(1.0, intensity + shout), 3), confidence,
                  mentions, source)  # fmt: skip


def _evaluation(words: list[str]) -> float:
    """-1..1: the good and bad words said, a negator within three words before flipping
    one ("not bad at all" is good), an intensifier before one strengthening it."""
    score = 0.0
    for i, word in enumerate(words):
        sign = 1.0 if word in _GOOD else -1.0 if word in _BAD else 0.0
        if not sign:
            continue
        before = words[max(0, i - 3) : i]
        if any(w in _NEGATORS or w.endswith("n't") for w in before):
            sign = -sign * 0.6  # "not bad" is milder praise than "good"
        if any(w in _INTENSIFIERS for w in before):
            sign *= 1.3
        score += sign
    return max(-1.0, min(1.0, score))


def _mentions(text: str, names: Iterable[str]) -> tuple[str, ...]:
    found = []
    for name in names:
        match = re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) if name else None
        if match:
            found.append((match.start(), name))
    return tuple(name for _, name in sorted(found))


def _unit(vector: Sequence[float]) -> tuple[float, ...]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return tuple(x / norm for x in vector)
