"""Answer options from the model servers: the three things a person may say next.

``options_generate`` asks the provider chain for exactly three options as strict JSON::

    {"options": [{"kind": "follow_up", "text": "..."},
                 {"kind": "share", "text": "..."},
                 {"kind": "way_out", "text": "..."}]}

``options_parse`` validates a reply: a JSON object (a Markdown code fence around it is
tolerated, nothing else), exactly three options, the three kinds of the engine's
``OPTION_KINDS`` each once, every text non-empty, at most ``MAX_OPTION_CHARS`` characters and
different from the others. Anything else (bad JSON, a wrong count, a timeout, every breaker
open, no provider) makes ``fallback()`` (the engine's offline options) the answer, so the
person always gets three options.

Uses the chain of ``services`` (breakers, retries, usage rows), so it needs Django models.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from characters.engine.intent import read_intent
from characters.engine.talk import OPTION_KINDS, AnswerOption
from characters.llm.prompts import MAX_TALK_TURNS, MAX_TURN_CHARS
from characters.llm.providers import Provider
from characters.llm.services import text_generate

MAX_OPTION_CHARS = 160  # one spoken line, as a person would click it
# Three lines of up to 160 characters (about 40 tokens each) plus the JSON around them.
OPTIONS_MAX_TOKENS = 220
OPTIONS_TEMPERATURE = 0.8  # varied enough that options differ from turn to turn
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL | re.IGNORECASE)

# What each kind is, as the model is told.
_KIND_MEANINGS = {
    "follow_up": "a follow-up question on what {c} just said",
    "share": "something personal the person shares about themself (not a question)",
    "way_out": "a polite way to end or leave the conversation",
}

Source = Literal["llm", "engine"]


@dataclass(frozen=True)
class OptionsRequest:
    """What the three options depend on; the caller gathers it."""

    character: str  # who just replied
    persona: str  # the person the options are for
    reply_text: str  # what the character just said
    heard_kind: str = ""  # what the person's last words were read as
    closeness: float = 0.0  # -1..1, the character toward the person
    persona_description: str = ""
    recent_turns: Sequence[tuple[str, str]] = ()  # (who, line), oldest first


@dataclass(frozen=True)
class OptionsResult:
    options: tuple[AnswerOption, AnswerOption, AnswerOption]
    source: Source
    provider: str = ""


def options_messages(*, request: OptionsRequest) -> list[dict[str, str]]:
    """The chat-completions ``messages`` asking for the options as JSON."""
    kinds = "\n".join(
        f'- "{kind}": {_KIND_MEANINGS[kind].format(c=request.character)}' for kind in OPTION_KINDS
    )
    example = json.dumps({"options": [{"kind": kind, "text": "..."} for kind in OPTION_KINDS]})
    system = (
        "You write answer options for a person talking with a character in a story world. "
        "Reply with strict JSON only, no prose and no Markdown, exactly in this shape: "
        f"{example}\n"
        f"Exactly three options, one of each kind:\n{kinds}\n"
        f"Each text is one line the person says aloud to {request.character}, in the first "
        f"person, at most {MAX_OPTION_CHARS} characters, all three different."
    )
    lines = [f"The person is {request.persona}."]
    description = " ".join(request.persona_description.split())
    if description:
        lines.append(f"About {request.persona}: {description}")
    lines.append(f"{request.character} feels {_closeness_words(request.closeness)} them.")
    turns = [(who, " ".join(line.split())[:MAX_TURN_CHARS]) for who, line in request.recent_turns]
    turns = [(who, line) for who, line in turns if line][-MAX_TALK_TURNS:]
    if turns:
        lines.append("The conversation so far:")
        lines.extend(f'- {who}: "{line}"' for who, line in turns)
    if request.heard_kind:
        lines.append(
            f"{request.persona}'s last words read as {request.heard_kind.replace('_', ' ')}."
        )
    lines.append(f'{request.character} just said: "{request.reply_text.strip()}"')
    lines.append(f"Write the three options for what {request.persona} may say next.")
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(lines)}]


def options_parse(text: str) -> tuple[AnswerOption, AnswerOption, AnswerOption] | None:
    """The three options of a model's reply, in ``OPTION_KINDS`` order, or None when the
    reply breaks any rule of the module's docstring."""
    raw = text.strip()
    fenced = _FENCE.match(raw)
    if fenced:
        raw = fenced.group(1)
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    items = data.get("options") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or len(items) != len(OPTION_KINDS):
        return None
    by_kind: dict[str, str] = {}
    for item in items:
        if not isinstance(item, Mapping):
            return None
        kind, line = item.get("kind"), item.get("text")
        if kind not in OPTION_KINDS or kind in by_kind or not isinstance(line, str):
            return None
        line = " ".join(line.split())
        if not line or len(line) > MAX_OPTION_CHARS:
            return None
        by_kind[kind] = line
    if len({_normalised(line) for line in by_kind.values()}) != len(OPTION_KINDS):
        return None  # two options say the same thing
    follow_up, share, way_out = (
        AnswerOption(kind, by_kind[kind], read_intent(by_kind[kind]).kind) for kind in OPTION_KINDS
    )
    return follow_up, share, way_out


def options_generate(
    *,
    request: OptionsRequest,
    fallback: Callable[[], tuple[AnswerOption, AnswerOption, AnswerOption]],
    providers: Sequence[Provider],
    ecosystem_id: uuid.UUID | str | None = None,
    owner_id: int | None = None,
) -> OptionsResult:
    """Three options from the first provider whose reply passes ``options_parse``, else
    ``fallback()``'s. ``providers``: the world's chain (empty: ``fallback()`` at once)."""
    if providers:
        result = text_generate(
            messages=options_messages(request=request),
            accept=lambda text: options_parse(text) is not None,
            max_tokens=OPTIONS_MAX_TOKENS,
            temperature=OPTIONS_TEMPERATURE,
            ecosystem_id=ecosystem_id,
            owner_id=owner_id,
            providers=list(providers),
        )
        parsed = options_parse(result.text) if result is not None else None
        if result is not None and parsed is not None:
            return OptionsResult(options=parsed, source="llm", provider=result.provider)
    return OptionsResult(options=fallback(), source="engine")


def _closeness_words(closeness: float) -> str:
    if closeness < -0.5:
        return "hostile toward"
    if closeness < -0.15:
        return "cool toward"
    if closeness <= 0.15:
        return "neither warm nor cold toward"
    if closeness <= 0.5:
        return "warm toward"
    return "very close to"


def _normalised(line: str) -> str:
    return re.sub(r"[\W_]+", " ", line.lower()).strip()
