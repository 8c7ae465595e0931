"""What each character knows: its own secrets, secrets it was told, and notable things it
saw happen, as data the rest of the engine reads (``learning`` applies the rules of what a
scene teaches, ``knowledge_after_scene``; this module knows nothing of scenes or the world).

A fact has one stable ``key`` whoever knows it ("secret:<owner>:<crc>" for a secret,
"event:<tick>:<initiator>:<target>:<kind>" for a witnessed act), so "does Bob know
Diana's secret?" is one dictionary lookup. Each character's copy records how it came to
know (own, witnessed, told), from whom and when.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from characters.engine.types import CharacterSnapshot, clamp
from ecosystems.engine.names import NameIndex, content_words

OWN = "own"
WITNESSED = "witnessed"
TOLD = "told"
SOURCES = (OWN, WITNESSED, TOLD)
SECRET = "secret"
EVENT = "event"
LORE = "lore"  # an entry of the world's lore (``ecosystems.engine.lore``), "lore:<entry id>"

# How much a witnessed act is worth retelling (0..1); a secret is worth 1. Ordered like
# the catalogue's intensities: a betrayal is better gossip than a gift.
NOTABLE_KINDS: dict[str, float] = {
    "betray": 1.0,
    "threaten": 0.8,
    "deceive": 0.7,
    "insult": 0.6,
    "flirt": 0.6,
    "argue": 0.5,
    "gift": 0.4,
    "reconcile": 0.35,
    "apologise": 0.3,
}
SECRET_JUICE = 1.0

# Letting something slip under an investigator's questions (chance 0..1 per probing act).
# Probing acts and how hard each presses (multiplies the chance).
PROBING_KINDS: dict[str, float] = {
    "small_talk": 0.5,
    "compliment": 0.7,
    "gift": 0.7,
    "flirt": 0.8,
    "deceive": 1.0,
    "threaten": 1.2,
}
SLIP_BASE = 0.05
SLIP_NEUROTICISM = 0.3  # x neuroticism: the anxious blurt things out
SLIP_CARELESSNESS = 0.2  # x (1 - conscientiousness)
SLIP_THREAT = 0.2  # a threat frightens it out of them
SLIP_UNSEEN_DECEIT = 0.15  # a lie they believed got them talking
SLIP_CHARMED = 0.1  # a compliment, flirt or gift that landed (felt valence > 0.3)
SLIP_MAX = 0.75

# Pruning (see ``prune_knowledge``): secrets are kept; witnessed events fade.
EVENT_TTL_TICKS = 144  # a day at 10 simulated minutes per tick
MAX_EVENTS_PER_CHARACTER = 30


@dataclass(frozen=True, slots=True)
class KnowledgeItem:
    """One fact as one character knows it.

    - ``key``: the fact's stable id; ``content``: readable text (a secret in its owner's
      words, or an act's summary "Eve insulted Diana").
    - ``kind``: "secret", "event" or "lore"; ``juice``: 0..1, how worth retelling it is.
    - ``about_id``: whom it mainly concerns (the secret's owner, the act's initiator);
      ``mentions``: other characters it names.
    - ``source``: "own", "witnessed" or "told"; ``source_id``: from whom; ``tick``: when
      this character learned it; ``how``: readable provenance for memories.
    """

    key: str
    content: str
    kind: str = SECRET
    about_id: str | None = None
    mentions: tuple[str, ...] = ()
    source: str = OWN
    source_id: str | None = None
    tick: int = 0
    juice: float = SECRET_JUICE
    how: str = ""

    def concerns(self, character_id: str) -> bool:
        return self.about_id == character_id or character_id in self.mentions

    def subject_for(self, teller_id: str, listener_id: str) -> str | None:
        """Whom telling this fact from ``teller_id`` to ``listener_id`` is gossip about:
        the character it concerns who is neither of them, or None."""
        if self.about_id is not None and self.about_id not in (teller_id, listener_id):
            return self.about_id
        for cid in self.mentions:
            if cid not in (teller_id, listener_id):
                return cid
        return None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for storing per character; ``from_dict`` reads it back."""
        return {
            "key": self.key,
            "content": self.content,
            "kind": self.kind,
            "about_id": self.about_id,
            "mentions": list(self.mentions),
            "source": self.source,
            "source_id": self.source_id,
            "tick": self.tick,
            "juice": self.juice,
            "how": self.how,
        }

    @classmethod
    def from_fact(
        cls,
        key: str,
        content: str,
        *,
        source: str = OWN,
        source_id: str | None = None,
        tick: int = 0,
        names: NameIndex | None = None,
    ) -> KnowledgeItem:
        """Rebuild an item from the stored minimum (fact key, content, source, from whom,
        tick): kind, about, mentions and juice follow from the key's shape (see
        ``secret_key`` and ``event_item``); ``names`` finds who a secret names."""
        parts = key.split(":")
        if parts[0] == EVENT and len(parts) == 5:
            _, _, initiator, target, kind = parts
            return cls(key, content, EVENT, initiator, (target,), source, source_id, tick,
                       NOTABLE_KINDS.get(kind, 0.3))  # fmt: skip
        if parts[0] == LORE:
            return cls(key, content, LORE, None, (), source, source_id, tick, 0.6)
        owner = parts[1] if parts[0] == SECRET and len(parts) == 3 else None
        mentions = tuple(names.find(content, exclude=(owner,) if owner else ())) if names else ()
        return cls(key, content, SECRET, owner, mentions, source, source_id, tick)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KnowledgeItem:
        return cls(
            key=str(data["key"]),
            content=str(data.get("content", "")),
            kind=str(data.get("kind", SECRET)),
            about_id=data.get("about_id"),
            mentions=tuple(data.get("mentions", ())),
            source=str(data.get("source", OWN)),
            source_id=data.get("source_id"),
            tick=int(data.get("tick", 0)),
            juice=float(data.get("juice", SECRET_JUICE)),
            how=str(data.get("how", "")),
        )


def secret_key(owner_id: str, text: str) -> str:
    """The stable key of ``owner_id``'s secret ``text`` (changes if the text is edited)."""
    return f"secret:{owner_id}:{zlib.crc32(text.encode()):08x}"


def own_secret_items(
    snapshot: CharacterSnapshot, names: NameIndex, tick: int = 0
) -> tuple[KnowledgeItem, ...]:
    """A character's own secrets as knowledge items (about itself, naming whom they name)."""
    return tuple(
        KnowledgeItem(
            key=secret_key(snapshot.id, text),
            content=text,
            kind=SECRET,
            about_id=snapshot.id,
            mentions=tuple(names.find(text, exclude=(snapshot.id,))),
            source=OWN,
            tick=tick,
        )
        for text in snapshot.secrets
    )


class Knowledge:
    """Every character's facts, by character id and fact key. Read-only by convention:
    ``merged`` returns a new ``Knowledge`` sharing the untouched characters' tables."""

    __slots__ = ("_by",)

    def __init__(self, by_character: Mapping[str, Iterable[KnowledgeItem]] | None = None) -> None:
        self._by: dict[str, dict[str, KnowledgeItem]] = {
            cid: {item.key: item for item in items} for cid, items in (by_character or {}).items()
        }

    def knows(self, character_id: str, key: str) -> bool:
        table = self._by.get(character_id)
        return table is not None and key in table

    def item(self, character_id: str, key: str) -> KnowledgeItem | None:
        table = self._by.get(character_id)
        return table.get(key) if table is not None else None

    def of(self, character_id: str) -> Mapping[str, KnowledgeItem]:
        """The character's facts by key (empty if none); do not mutate."""
        return self._by.get(character_id, _EMPTY)

    def items(self, character_id: str) -> tuple[KnowledgeItem, ...]:
        return tuple(self.of(character_id).values())

    def characters(self) -> Iterator[str]:
        return iter(self._by)

    def knowers(self, key: str) -> list[str]:
        """Who knows fact ``key`` (a scan: for tests and tools, not per-tick loops)."""
        return [cid for cid, table in self._by.items() if key in table]

    def merged(self, learned: Mapping[str, Iterable[KnowledgeItem]]) -> Knowledge:
        """A new ``Knowledge`` with ``learned`` added; a fact already known is kept as it
        was first learned."""
        out = Knowledge()
        out._by = dict(self._by)
        for cid, items in learned.items():
            table = dict(out._by.get(cid, _EMPTY))
            for item in items:
                table.setdefault(item.key, item)
            out._by[cid] = table
        return out


_EMPTY: Mapping[str, KnowledgeItem] = {}


def event_item(
    kind: str, initiator_id: str, target_id: str, summary: str, tick: int
) -> KnowledgeItem:
    """The fact that ``initiator_id`` did ``kind`` to ``target_id`` (a notable act)."""
    return KnowledgeItem(
        key=f"event:{tick}:{initiator_id}:{target_id}:{kind}",
        content=summary,
        kind=EVENT,
        about_id=initiator_id,
        mentions=(target_id,),
        source=WITNESSED,
        tick=tick,
        juice=NOTABLE_KINDS.get(kind, 0.3),
        how="saw it happen",
    )


def slip_chance(target: CharacterSnapshot, kind: str, felt: float, detected: bool) -> float:
    """0..1 chance a character pressed with ``kind`` lets a matching secret slip (see the
    constants)."""
    p = target.personality
    chance = SLIP_BASE + SLIP_NEUROTICISM * p.neuroticism
    chance += SLIP_CARELESSNESS * (1.0 - p.conscientiousness)
    if kind == "threaten":
        chance += SLIP_THREAT
    elif kind == "deceive" and not detected:
        chance += SLIP_UNSEEN_DECEIT
    elif kind in ("compliment", "flirt", "gift") and felt > 0.3:
        chance += SLIP_CHARMED
    return clamp(chance * PROBING_KINDS.get(kind, 0.0), 0.0, SLIP_MAX)


def matching_fact(
    holder: Mapping[str, KnowledgeItem],
    topic: Iterable[str],
    about_id: str | None,
    seeker_knows: Mapping[str, KnowledgeItem],
) -> KnowledgeItem | None:
    """The holder's secret (own or learned) that best matches what a seeker is after (the
    goal's topic words, or secrets concerning ``about_id``) and the seeker does not know."""
    topic = frozenset(topic)
    best: tuple[float, str] | None = None
    found = None
    for key, item in holder.items():
        if key in seeker_knows or item.kind != SECRET:
            continue
        score = float(len(topic & content_words(item.content))) if topic else 0.0
        if about_id is not None and item.concerns(about_id):
            score += 2.0
        if score < 1.0:
            continue
        rank = (-score, key)
        if best is None or rank < best:
            best, found = rank, item
    return found


def prune_knowledge(
    items: Iterable[KnowledgeItem],
    *,
    tick: int,
    event_ttl: int = EVENT_TTL_TICKS,
    max_events: int = MAX_EVENTS_PER_CHARACTER,
) -> tuple[KnowledgeItem, ...]:
    """One character's facts worth keeping: every secret and piece of lore, and the
    ``max_events`` most recent witnessed events younger than ``event_ttl`` ticks (for the
    caller's storage)."""
    secrets, events = [], []
    for item in items:
        if item.kind in (SECRET, LORE):
            secrets.append(item)
        elif tick - item.tick < event_ttl:
            events.append(item)
    events.sort(key=lambda it: (-it.tick, it.content, it.key))  # keys carry fresh ids
    return (*secrets, *events[:max_events])
