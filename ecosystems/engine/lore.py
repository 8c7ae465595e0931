"""World lore as knowledge: who knows which entry, and which entry a character cites.

An approved entry is a fact with the stable key ``lore:<entry id>`` (kind "lore") in the same
``Knowledge`` every character already has: public lore is common knowledge (everyone knows it,
so there is nobody to tell it to), group lore is known by the members of that group, secret
lore by the characters named. Group and secret lore travel like secrets do (gossip, telling),
so an outsider can come to know it, told by someone.

A character cites an entry it knows when what it hears is about it: the heard words and the
entry's words overlap (``cite_score``). Deterministic: the same words, the same entry, the same
line.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ecosystems.engine.knowledge import LORE, OWN, KnowledgeItem
from ecosystems.engine.names import content_words

PUBLIC = "public"
GROUP = "group"
SECRET = "secret"

# How worth retelling lore is (knowledge juice, 0..1): a secret legend nearly as juicy as a
# secret (1.0), a group's lore less; public lore is known to all, so it is never retold.
LORE_JUICE = {SECRET: 0.8, GROUP: 0.6, PUBLIC: 0.0}
# Citing: a title word heard counts this much more than a word of the text.
TITLE_WEIGHT = 2.0
CITE_MIN_SCORE = 2.0  # one title word, or two words of the text, heard
CITE_MAX_CHARS = 160  # the part of an entry's text a character quotes
CITE_LEADS = (
    "They say {text}",
    "As the old story goes, {text}",
    "You know what is said of {title}: {text}",
    "Everyone in my circle knows it: {text}",
)
_LOWER_STARTS = frozenset(
    {"the", "a", "an", "in", "on", "at", "once", "long", "it", "there", "every", "no", "when"}
)
SECRET_LEADS = ("Between us, {text}", "Not many know this, but {text}")


@dataclass(frozen=True, slots=True)
class LoreFact:
    """One approved entry, as the engine reads it."""

    id: str
    title: str
    text: str
    visibility: str = PUBLIC
    group: str = ""
    knowers: tuple[str, ...] = ()  # secret lore: the character ids who know it
    tags: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return lore_key(self.id)


def lore_key(entry_id: str) -> str:
    return f"lore:{entry_id}"


def lore_item(fact: LoreFact, *, tick: int = 0) -> KnowledgeItem:
    """The knowledge item of ``fact`` for one who knows it first-hand (by membership)."""
    return KnowledgeItem(
        key=fact.key,
        content=f"{fact.title}: {fact.text}",
        kind=LORE,
        source=OWN,
        tick=tick,
        juice=LORE_JUICE.get(fact.visibility, 0.0),
        how=_how(fact),
    )


def _how(fact: LoreFact) -> str:
    if fact.visibility == GROUP:
        return f"lore of {fact.group}"
    if fact.visibility == SECRET:
        return "secret lore"
    return "common knowledge"


def knowers_of(
    fact: LoreFact, *, characters: Iterable[str], groups: Mapping[str, Iterable[str]]
) -> list[str]:
    """Who knows ``fact`` first-hand among ``characters`` (ids); ``groups``: a group's name
    (case-insensitive) to its members' ids."""
    present = list(characters)
    if fact.visibility == PUBLIC:
        return present
    if fact.visibility == GROUP:
        members = set(groups.get(fact.group.casefold(), ()))
        return [cid for cid in present if cid in members]
    named = set(fact.knowers)
    return [cid for cid in present if cid in named]


def first_hand_items(
    facts: Iterable[LoreFact],
    *,
    characters: Iterable[str],
    groups: Mapping[str, Iterable[str]],
    include_public: bool = True,
) -> dict[str, list[KnowledgeItem]]:
    """Each character's first-hand lore items. ``include_public=False`` leaves common knowledge
    out (the tick: nobody can be told what everyone knows, so it need not be carried)."""
    present = list(characters)
    out: dict[str, list[KnowledgeItem]] = {}
    for fact in facts:
        if fact.visibility == PUBLIC and not include_public:
            continue
        item = lore_item(fact)
        for cid in knowers_of(fact, characters=present, groups=groups):
            out.setdefault(cid, []).append(item)
    return out


def cite_score(fact: LoreFact, heard: frozenset[str]) -> float:
    """How much of ``fact`` the heard words touch: title words count ``TITLE_WEIGHT``, words of
    the text and tags one each."""
    title = content_words(fact.title)
    rest = (content_words(fact.text) | content_words(" ".join(fact.tags))) - title
    return TITLE_WEIGHT * len(heard & title) + len(heard & rest)


def lore_to_cite(facts: Iterable[LoreFact], heard: str) -> LoreFact | None:
    """The known entry the words ``heard`` are most about, or None under ``CITE_MIN_SCORE``;
    ties go to the title, then the id, so the choice is the same every time."""
    words = frozenset(content_words(heard))
    if not words:
        return None
    best: tuple[float, str, str] | None = None
    found = None
    for fact in facts:
        score = cite_score(fact, words)
        if score < CITE_MIN_SCORE:
            continue
        rank = (-score, fact.title, fact.id)
        if best is None or rank < best:
            best, found = rank, fact
    return found


def citation(fact: LoreFact) -> str:
    """The sentence a character says to cite ``fact`` (a lead chosen by the entry's id)."""
    text = " ".join(fact.text.split())
    if len(text) > CITE_MAX_CHARS:
        text = text[: CITE_MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"
    if text and text[-1] not in ".!?…":
        text += "."
    leads = SECRET_LEADS if fact.visibility == SECRET else CITE_LEADS
    lead = leads[zlib.crc32(fact.id.encode()) % len(leads)]
    first = text.split(" ", 1)[0]
    if first.casefold() in _LOWER_STARTS and first[:1].isupper():
        text = first[:1].lower() + text[1:]  # "They say the fountain...", not "They say The"
    return lead.format(title=fact.title, text=text)


def with_citation(line: str, fact: LoreFact | None) -> str:
    """``line`` with the citation of ``fact`` after it (unchanged when None)."""
    if fact is None:
        return line
    line = line.rstrip()
    return f"{line} {citation(fact)}" if line else citation(fact)
