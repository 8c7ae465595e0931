"""Finding characters' names in free text, and the content words of a text.

Goals ("Win Alice's heart"), secrets ("I saw Diana near the rooms") and facts name
characters; the engine needs to know whom. Matching is on lowercase word tokens, in
one pass over the text (no loop over every name), so it stays linear at 10,000 names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_TOKEN = re.compile(r"[^\W_]+")

# A multi-word name is also found by one word of it: the first ("Charlie Ashworth" by
# "Charlie"), or the last after a title ("Lady Ashworth" by "Ashworth"), when that word
# is unique in the world and is not a whole name already.
TITLES = frozenset(
    {"lady", "lord", "sir", "dame", "mr", "mrs", "miss", "ms", "dr", "captain", "colonel",
     "major", "reverend", "father", "sister", "aunt", "uncle", "madam", "master", "young"}
)  # fmt: skip

# Words too common to say two texts are about the same thing (goal topics, secrets).
STOPWORDS = frozenset(
    {
        "the", "and", "for", "with", "her", "his", "him", "she", "their", "them", "they",
        "our", "your", "you", "its", "was", "were", "are", "has", "have", "had", "not", "but",
        "from", "into", "onto", "more", "most", "all", "some", "one", "new", "again", "out",
        "this", "that", "who", "what", "when", "where", "which", "why", "how", "about", "any",
        "anyone", "anybody", "everyone", "nobody", "every", "there", "than", "then", "too",
        "very", "just", "own", "make", "get", "got", "will", "would", "could", "should", "can",
        "did", "does", "been", "being", "also", "only", "find", "know", "want", "wants",
    }
)  # fmt: skip


def tokens(text: str) -> list[str]:
    """Lowercase word tokens; "Alice's" gives "alice", "s"."""
    return _TOKEN.findall(text.lower())


def content_words(text: str) -> frozenset[str]:
    """Words of three letters or more that are not ``STOPWORDS``: what a text is about."""
    return frozenset(w for w in tokens(text) if len(w) >= 3 and w not in STOPWORDS)


class NameIndex:
    """Character ids by name, for finding who a text mentions.

    Built once per tick from ``{character_id: name}``; ``find`` costs one pass over the
    text's tokens times the longest name's length in words.
    """

    __slots__ = ("_by_tokens", "_longest", "_words")

    def __init__(self, names: Mapping[str, str]) -> None:
        full: dict[tuple[str, ...], str] = {}
        self._words: dict[str, tuple[str, ...]] = {}
        for cid, name in names.items():
            key = tuple(tokens(name))
            self._words[cid] = key
            if key:
                full.setdefault(key, cid)
        aliases: dict[str, list[str]] = {}
        for key, cid in full.items():
            if len(key) > 1:
                word = key[-1] if key[0] in TITLES else key[0]
                if word not in TITLES:
                    aliases.setdefault(word, []).append(cid)
        by_tokens = dict(full)
        for word, ids in aliases.items():
            if len(ids) == 1 and (word,) not in by_tokens:
                by_tokens[(word,)] = ids[0]
        self._by_tokens = by_tokens
        self._longest = max((len(k) for k in by_tokens), default=0)

    def words(self, character_id: str) -> tuple[str, ...]:
        """The lowercase words of a character's name."""
        return self._words.get(character_id, ())

    def find(self, text: str, exclude: Iterable[str] = ()) -> list[str]:
        """Ids of the characters ``text`` names, in order of first mention, without
        ``exclude`` (say, the speaker). Longer names win over their parts."""
        words = tokens(text)
        skip = set(exclude)
        found: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(self._longest, len(words) - i), 0, -1):
                cid = self._by_tokens.get(tuple(words[i : i + size]))
                if cid is not None:
                    if cid not in skip and cid not in found:
                        found.append(cid)
                    i += size
                    break
            else:
                i += 1
        return found
