"""Is a model's reply a usable spoken line? Pure functions: ``reply_clean`` then ``reply_problem``.

``reply_clean`` repairs what is harmless: the speaker's own name prefix ("Alice: ..."), wrapping
quotation marks, stage directions around the line, the model going on to write the other
character's turn, a reply cut off mid-sentence by ``max_tokens``. ``reply_problem`` rejects what
is not: too short to be a line, breaking character ("As an AI language model..."), speaking as
the other character, or repeating the last line said. The chain retries once on a problem, then
falls back to the template engine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

MIN_REPLY_LETTERS = 2  # "Oh." passes; "." or "" does not
# A cut-off reply is trimmed back to its last full sentence if that keeps at least this share.
MIN_KEPT_SHARE_WHEN_TRIMMING = 0.3

# Lower-case, straight apostrophes. Phrases a character in a story world has no reason to say
# but assistants say when they step out of a role-play or refuse it.
BREAKING_CHARACTER_PHRASES = (
    "as an ai",
    "i am an ai",
    "i'm an ai",
    "i'm just an ai",
    "language model",
    "as a chatbot",
    "as an assistant",
    "as a virtual assistant",
    "ai assistant",
    "openai",
    "chatgpt",
    "i cannot roleplay",
    "i can't roleplay",
    "i cannot role-play",
    "i can't role-play",
    "i'm sorry, but i can't",
    "i'm sorry, but i cannot",
    "i don't have personal feelings",
    "i do not have personal feelings",
    "i don't have feelings",
    "i do not have feelings",
    "out of character",
    "(ooc",
    "[ooc",
    "stay in character",
    "here is a line",
    "here's a line",
    "here is a response",
    "here's a response",
    "here's my response",
)


class QualityProblem(StrEnum):
    TOO_SHORT = "too_short"
    BREAKS_CHARACTER = "breaks_character"
    SPEAKS_AS_OTHER = "speaks_as_other"
    REPEATS_LAST_LINE = "repeats_last_line"


# Straight single quotes are left alone: they double as apostrophes ("'Tis nothing").
_QUOTE_PAIRS = {'"': '"', "\u201c": "\u201d", "\u2018": "\u2019"}
_LEADING_DIRECTION = re.compile(r"^\s*(?:\*[^*\n]{1,80}\*|\([^)\n]{1,80}\)|\[[^\]\n]{1,80}\])\s*")
_TRAILING_DIRECTION = re.compile(r"\s*(?:\*[^*\n]{1,80}\*|\([^)\n]{1,80}\)|\[[^\]\n]{1,80}\])\s*$")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*(?=\s|$)")


def _name_prefix(name: str) -> re.Pattern[str]:
    """ "Alice:", "**Alice:**", "Alice (softly):", "Alice says:" at the start of a line."""
    return re.compile(
        rf"^\s*[*_]*\s*{re.escape(name)}\s*[*_]*\s*(?:\([^)\n]*\)\s*)?(?:says|said)?\s*:\s*[*_]*\s*",
        re.IGNORECASE,
    )


def reply_clean(*, text: str, speaker: str, listener: str, truncated: bool = False) -> str:
    """The reply as one spoken line; ``truncated`` when the model stopped at ``max_tokens``."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    listener_prefix = _name_prefix(listener)
    kept: list[str] = []
    for n, line in enumerate(lines):
        # The model wrote the listener's next turn as well: the spoken line ended before it.
        if n > 0 and listener_prefix.match(line):
            break
        if line:
            kept.append(line)
    line = " ".join(kept)
    line = _name_prefix(speaker).sub("", line, count=1)
    for _ in range(2):  # '*smiles* "Hello."' needs the direction gone before the quotes
        line = _LEADING_DIRECTION.sub("", line)
        line = _TRAILING_DIRECTION.sub("", line)
        line = _unquote(line.strip())
    line = re.sub(r"\s+", " ", line).strip()
    if truncated:
        line = _trim_to_last_sentence(line)
    return line


def reply_problem(
    *, text: str, listener: str, previous_lines: Sequence[str] = ()
) -> QualityProblem | None:
    """Why a cleaned reply cannot be used as the character's line, or None when it can."""
    if sum(ch.isalpha() for ch in text) < MIN_REPLY_LETTERS:
        return QualityProblem.TOO_SHORT
    lowered = text.lower().replace("\u2019", "'")
    if any(phrase in lowered for phrase in BREAKING_CHARACTER_PHRASES):
        return QualityProblem.BREAKS_CHARACTER
    if _name_prefix(listener).match(text):
        return QualityProblem.SPEAKS_AS_OTHER
    said = {_normalised(line) for line in previous_lines if line.strip()}
    if _normalised(text) in said:
        return QualityProblem.REPEATS_LAST_LINE
    return None


def _unquote(line: str) -> str:
    if len(line) >= 2 and _QUOTE_PAIRS.get(line[0]) == line[-1]:
        inner = line[1:-1]
        # '"Yes," she said, "no."' is not wrapped in one pair of quotes; leave it alone.
        if line[0] not in inner and line[-1] not in inner:
            return inner.strip()
    return line


def _trim_to_last_sentence(line: str) -> str:
    ends = [match.end() for match in _SENTENCE_END.finditer(line)]
    if ends and ends[-1] >= MIN_KEPT_SHARE_WHEN_TRIMMING * len(line):
        return line[: ends[-1]]
    return line


def _normalised(line: str) -> str:
    return re.sub(r"[\W_]+", " ", line.lower()).strip()
