"""What a text is about, in words: tokens, content words and a light stem.

The characters app cannot import ``ecosystems.engine.names`` (apps import one way), so the
engine keeps its own small helper; the stopword list is the same idea, extended with the
chatter words conversation lines are full of ("really", "think", "tell").

Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")

# Words too common to say two texts are about the same thing (goal topics, secrets, replies).
STOPWORDS = frozenset(
    {
        "the", "and", "for", "with", "her", "his", "him", "she", "their", "them", "they",
        "our", "your", "you", "its", "was", "were", "are", "has", "have", "had", "not", "but",
        "from", "into", "onto", "more", "most", "all", "some", "one", "new", "again", "out",
        "this", "that", "who", "what", "when", "where", "which", "why", "how", "about", "any",
        "anyone", "anybody", "everyone", "nobody", "every", "there", "than", "then", "too",
        "very", "just", "own", "make", "get", "got", "will", "would", "could", "should", "can",
        "did", "does", "been", "being", "also", "only", "find", "know", "want", "wants",
        # conversational chatter
        "yes", "yeah", "well", "really", "think", "tell", "told", "say", "said", "like",
        "much", "many", "here", "now", "today", "yet", "still", "ever", "never", "always",
        "something", "anything", "nothing", "thing", "things", "way", "let", "let's",
        "i'm", "i've", "i'll", "i'd", "you're", "you've", "you'll", "it's", "that's", "don't",
        "didn't", "can't", "won't", "isn't", "wasn't", "aren't", "there's", "what's", "mine",
        "yours", "myself", "yourself", "please", "thank", "thanks", "hello", "oh", "ah",
        "perhaps", "maybe", "quite", "rather", "such", "even", "back", "off", "over", "down",
        "come", "came", "going", "goes", "go", "see", "saw", "seen", "look", "looks", "take",
        "give", "put", "keep", "kept", "feel", "felt", "must", "shall", "may", "might", "same",
        "other", "another", "these", "those", "because", "while", "after", "before", "ask",
        "asked", "good", "fine", "sure", "little", "enough", "lot", "who's", "whose", "dear",
    }
)  # fmt: skip


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, apostrophes kept inside a word ("don't", "alice's")."""
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


def stem(word: str) -> str:
    """A light stem, enough to match "lockets" with "locket" and "Eve's" with "Eve"."""
    word = word.lower()
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str) -> frozenset[str]:
    """Stems of words of three letters or more that are not ``STOPWORDS``: what a text is
    about ("Who has the lockets?" -> {"locket"}); contractions ("couldn't") say nothing."""
    return frozenset(
        stem(w)
        for w in tokens(text)
        if len(w) >= 3 and w not in STOPWORDS and ("'" not in w or w.endswith("'s"))
    )


def shared_words(a: str | Iterable[str], b: str | Iterable[str]) -> frozenset[str]:
    """Content words two texts (or word sets) have in common."""
    wa = content_words(a) if isinstance(a, str) else frozenset(stem(w) for w in a)
    wb = content_words(b) if isinstance(b, str) else frozenset(stem(w) for w in b)
    return wa & wb
