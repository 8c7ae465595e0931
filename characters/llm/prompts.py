"""Chat prompts for one spoken line: pure functions from a ``DialogueRequest`` to messages.

The system message fixes who the character is (personality in words, speaking style, backstory)
and the rules (stay in character, reply with only the spoken line). The user message carries the
moment: feelings now, the relationship toward the other character, what the character remembers,
the kind of interaction and what the other just said. Numbers are turned into words because
chat models follow "quite shy" far better than "extraversion 0.21".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MAX_PROMPT_MEMORIES = 8  # retrieval already ranks them; more only dilutes the moment
MAX_MEMORY_CHARS = 300  # per memory, so one long reflection cannot crowd out the rest
MAX_BACKSTORY_CHARS = 1200  # about 300 tokens
MIN_FELT_EMOTION = 0.2  # Plutchik intensities (0..1) below this are not mentioned
MAX_TALK_TURNS = 6  # of a conversation with a person: enough to keep the thread
MAX_TURN_CHARS = 300  # per earlier turn, as for memories
MAX_PERSONA_DESCRIPTION_CHARS = 400

_TRAIT_WORDS: dict[str, tuple[str, str, str]] = {
    # trait: (low, middling, high)
    "openness": (
        "conventional and practical, wary of new ideas",
        "open to new ideas within reason",
        "curious and imaginative, drawn to anything new",
    ),
    "conscientiousness": (
        "spontaneous and careless with plans and promises",
        "reasonably organised",
        "disciplined and dependable, keeps every promise",
    ),
    "extraversion": (
        "reserved and shy, quiet around others",
        "sociable in moderation",
        "outgoing and talkative, energised by company",
    ),
    "agreeableness": (
        "blunt, critical and quick to quarrel",
        "fair-minded, neither soft nor harsh",
        "warm and kind, eager to keep the peace",
    ),
    "neuroticism": (
        "calm and emotionally steady",
        "even-tempered most of the time",
        "anxious and easily upset",
    ),
}
# Ladders of (upper bound, exclusive; words): the first bound the value falls under wins.
_EMOTION_STRENGTH = ((0.4, "a little"), (0.7, "noticeably"), (1.01, "strongly"))
_AFFINITY = (
    (-0.6, "loathe"),
    (-0.2, "dislike"),
    (0.2, "feel neither warm nor cold toward"),
    (0.6, "like"),
    (1.01, "are very fond of"),
)
_TRUST = (
    (-0.6, "deeply distrust them"),
    (-0.2, "distrust them"),
    (0.2, "are unsure whether to trust them"),
    (0.6, "trust them"),
    (1.01, "trust them completely"),
)
_FAMILIARITY = (
    (0.2, "barely know them"),
    (0.5, "know them a little"),
    (0.8, "know them well"),
    (1.01, "know them intimately"),
)
# Plutchik emotion (noun) -> how it reads after "You feel".
_EMOTION_WORDS = {
    "joy": "joyful",
    "trust": "trusting",
    "fear": "afraid",
    "surprise": "surprised",
    "sadness": "sad",
    "disgust": "disgusted",
    "anger": "angry",
    "anticipation": "expectant",
}


@dataclass(frozen=True)
class RelationshipSummary:
    """How the speaker sees the listener (directed, speaker -> listener)."""

    kind: str = "stranger"  # friend, rival, enemy, partner...
    affinity: float = 0.0  # -1..1
    trust: float = 0.0  # -1..1
    familiarity: float = 0.0  # 0..1
    notes: str = ""  # e.g. why they are rivals, from the relationship's change log


@dataclass(frozen=True)
class TalkContext:
    """The listener is a person (a persona) talking with the speaker in a conversation."""

    description: str = ""  # the persona's short description, in the person's words
    # The conversation's last turns before the words being answered, oldest first, each as
    # (who said it, what they said); the prompt keeps the last ``MAX_TALK_TURNS``.
    recent_turns: Sequence[tuple[str, str]] = ()
    intent: str = ""  # what the person's words were read as (an intent kind: compliment...)


@dataclass(frozen=True)
class DialogueRequest:
    """Everything one spoken line depends on; the caller gathers it, nothing here queries."""

    speaker: str
    listener: str
    interaction_type: str  # from the catalogue: greeting, small_talk, confide, insult...
    big_five: Mapping[str, float]  # each 0..1
    emotions: Mapping[str, float] = field(default_factory=dict)  # Plutchik, each 0..1
    relationship: RelationshipSummary | None = None  # None: they have never met
    memories: Sequence[str] = ()  # retrieved for this moment, most relevant first
    speaking_style: str = ""
    backstory: str = ""
    other_line: str = ""  # what the listener just said; empty when the speaker opens
    own_last_line: str = ""  # the speaker's previous line, so a repeat can be caught
    talk: TalkContext | None = None  # set when the listener is a person in a conversation


def personality_in_words(*, big_five: Mapping[str, float]) -> str:
    """The Big Five as phrases, e.g. "quite reserved and shy, quiet around others; ...".

    Bands: below 0.2 "very" low, below 0.4 "quite" low, up to 0.6 middling, up to 0.8 "quite"
    high, above that "very" high.
    """
    phrases = []
    for trait, (low, middling, high) in _TRAIT_WORDS.items():
        value = float(big_five.get(trait, 0.5))
        if value < 0.2:
            phrases.append(f"very {low}")
        elif value < 0.4:
            phrases.append(f"quite {low}")
        elif value <= 0.6:
            phrases.append(middling)
        elif value <= 0.8:
            phrases.append(f"quite {high}")
        else:
            phrases.append(f"very {high}")
    return "; ".join(phrases)


def emotions_in_words(*, emotions: Mapping[str, float]) -> str:
    felt = sorted(
        ((value, name) for name, value in emotions.items() if value >= MIN_FELT_EMOTION),
        reverse=True,
    )
    if not felt:
        return "You feel calm; no strong emotion colours this moment."
    parts = [
        f"{_ladder(_EMOTION_STRENGTH, value)} {_EMOTION_WORDS.get(name, name)}"
        for value, name in felt
    ]
    return f"Right now you feel {_join(parts)}."


def relationship_in_words(*, listener: str, relationship: RelationshipSummary | None) -> str:
    if relationship is None:
        return f"You have never met {listener} before."
    text = (
        f"Your relationship with {listener}: {relationship.kind.replace('_', ' ')}. "
        f"You {_ladder(_AFFINITY, relationship.affinity)} {listener}, "
        f"{_ladder(_TRUST, relationship.trust)}, "
        f"and {_ladder(_FAMILIARITY, relationship.familiarity)}."
    )
    if relationship.notes:
        text += f" {relationship.notes.strip()}"
    return text


def talk_in_words(*, listener: str, talk: TalkContext) -> list[str]:
    """Lines about the person the speaker talks with: who they say they are, what was said
    so far in this conversation, what their words just did."""
    lines = []
    description = " ".join(talk.description.split())[:MAX_PERSONA_DESCRIPTION_CHARS]
    if description:
        lines.append(f"{listener} is a person talking with you. About {listener}: {description}")
    else:
        lines.append(f"{listener} is a person talking with you.")
    turns = [(who, " ".join(line.split())[:MAX_TURN_CHARS]) for who, line in talk.recent_turns]
    turns = [(who, line) for who, line in turns if line][-MAX_TALK_TURNS:]
    if turns:
        lines.append("Earlier in this conversation:")
        lines.extend(f'- {who}: "{line}"' for who, line in turns)
    if talk.intent:
        lines.append(f"{listener}'s words now read as {_article(talk.intent)}.")
    return lines


def system_prompt(*, request: DialogueRequest) -> str:
    lines = [
        f"You are {request.speaker}, a character in a living story world. You are not an "
        "assistant and you never say you are an AI or a language model.",
        f"Personality: {personality_in_words(big_five=request.big_five)}.",
    ]
    if request.speaking_style.strip():
        lines.append(f"Speaking style: {request.speaking_style.strip()}")
    if request.backstory.strip():
        lines.append(f"Backstory: {request.backstory.strip()[:MAX_BACKSTORY_CHARS]}")
    lines.append(
        f"Stay in character at all times. Reply with only the words {request.speaker} says aloud "
        f"to {request.listener}: no name prefix, no quotation marks, no narration or stage "
        "directions, no explanations. Let personality, feelings and history shape the line."
    )
    return "\n".join(lines)


def user_prompt(*, request: DialogueRequest) -> str:
    lines = [
        emotions_in_words(emotions=request.emotions),
        relationship_in_words(listener=request.listener, relationship=request.relationship),
    ]
    if request.talk is not None:
        lines.extend(talk_in_words(listener=request.listener, talk=request.talk))
    memories = [m.strip()[:MAX_MEMORY_CHARS] for m in request.memories if m.strip()]
    if memories:
        lines.append("You remember:")
        lines.extend(f"- {memory}" for memory in memories[:MAX_PROMPT_MEMORIES])
    kind = request.interaction_type.replace("_", " ")
    if request.other_line.strip():
        lines.append(
            f'Interaction: {kind}. {request.listener} says to you: "{request.other_line.strip()}"'
        )
        lines.append(f"What do you, {request.speaker}, say back?")
    else:
        lines.append(f"Interaction: {kind}. You speak first.")
        lines.append(f"What do you, {request.speaker}, say to {request.listener}?")
    return "\n".join(lines)


def dialogue_messages(*, request: DialogueRequest) -> list[dict[str, str]]:
    """The chat-completions ``messages`` for one spoken line."""
    return [
        {"role": "system", "content": system_prompt(request=request)},
        {"role": "user", "content": user_prompt(request=request)},
    ]


def correction_message(*, speaker: str, problem: str) -> dict[str, str]:
    """Appended for the single retry after a reply failed the quality check."""
    return {
        "role": "user",
        "content": (
            f"That reply was rejected ({problem.replace('_', ' ')}). Answer again as "
            f"{speaker}, in character, with only the new words {speaker} says aloud."
        ),
    }


def _ladder(steps: Sequence[tuple[float, str]], value: float) -> str:
    for bound, words in steps:
        if value < bound:
            return words
    return steps[-1][1]


def _article(kind: str) -> str:
    words = kind.replace("_", " ")
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def _join(parts: Sequence[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + f" and {parts[-1]}"
