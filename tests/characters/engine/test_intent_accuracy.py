"""Intent understanding on a labelled set of lines written for the test (506 lines, 15 kinds).

Offline, as conversations read a person's words: the cue rules plus the WordLlama prototypes
(``characters.embeddings.intent_prototypes``). On failure the message lists the accuracy of
each set, with and without prototypes, the confusions (label -> read as) and every miss.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from characters.engine.intent import INTENT_KINDS, read_intent
from characters.engine.intent_examples import EXAMPLES
from tests.characters.engine.intent_labelled import (
    FIRST,
    LABELLED,
    NAMES,
    NEGATIVE_KINDS,
    POSITIVE_KINDS,
    SECOND,
    THIRD,
    TRAPS,
)

ACCURACY_MIN = 0.85  # the bar, offline with prototypes, for every set and overall
RULES_ONLY_MIN = 0.8  # a floor under the rules alone (without the embedding model)
SETS = {"first": FIRST, "second": SECOND, "third": THIRD, "traps": TRAPS, "all": LABELLED}


@pytest.fixture(scope="module")
def prototypes():
    from django.conf import settings

    from characters import embeddings

    if settings.EMBEDDINGS != "wordllama":  # the test settings embed offline already
        pytest.fail(f"EMBEDDINGS is {settings.EMBEDDINGS!r}; this test reads with WordLlama.")
    return embeddings.intent_prototypes()


def _report(lines, prototypes) -> tuple[float, str]:
    misses = []
    for text, kind in lines:
        intent = read_intent(text, names=NAMES, prototypes=prototypes)
        if intent.kind != kind:
            misses.append((kind, intent.kind, intent.source, text))
    accuracy = 1 - len(misses) / len(lines)
    confusions = Counter((label, read) for label, read, _, _ in misses)
    summary = "\n".join(
        [f"accuracy {accuracy:.1%} ({len(lines) - len(misses)}/{len(lines)})", "confusions:"]
        + [f"  {label} -> {read}: {n}" for (label, read), n in confusions.most_common()]
        + ["misses:"]
        + [f"  [{label} read as {read} by {source}] {text}" for label, read, source, text in misses]
    )
    return accuracy, summary


def _summary(prototypes) -> str:
    rows = []
    for name, lines in SETS.items():
        with_p, _ = _report(lines, prototypes)
        rules, _ = _report(lines, None)
        rows.append(f"{name}: {with_p:.1%} with prototypes, {rules:.1%} rules only")
    return "\n".join(rows)


def test_the_labelled_set_is_large_varied_and_covers_every_kind():
    kinds = Counter(kind for _, kind in LABELLED)

    assert len(LABELLED) >= 200
    assert set(kinds) == set(INTENT_KINDS)
    assert min(kinds.values()) >= 20, kinds
    assert len({text.lower() for text, _ in LABELLED}) == len(LABELLED)  # no repeats
    assert sum(any(name in text for name in NAMES) for text, _ in LABELLED) >= 30


def test_no_labelled_line_is_a_prototype_example():
    def norm(text: str) -> str:
        return re.sub(r"[^a-z ]", "", text.lower()).strip()

    examples = {norm(line) for lines in EXAMPLES.values() for line in lines}

    assert not [text for text, _ in LABELLED if norm(text) in examples]


@pytest.mark.parametrize("name", list(SETS))
def test_intent_is_understood_offline_with_prototypes(name, prototypes):
    accuracy, summary = _report(SETS[name], prototypes)

    assert accuracy >= ACCURACY_MIN, f"{summary}\n\n{_summary(prototypes)}"


@pytest.mark.parametrize("name", list(SETS))
def test_the_rules_alone_still_read_most_lines(name, prototypes):
    accuracy, summary = _report(SETS[name], None)

    assert accuracy >= RULES_ONLY_MIN, f"{summary}\n\n{_summary(prototypes)}"


def test_warm_acts_read_warm_and_hostile_ones_hostile(prototypes):
    wrong = []
    for text, kind in LABELLED:
        valence = read_intent(text, names=NAMES, prototypes=prototypes).valence
        if (kind in POSITIVE_KINDS and valence <= 0) or (kind in NEGATIVE_KINDS and valence >= 0):
            wrong.append(f"  [{kind}, valence {valence}] {text}")

    assert not wrong, "wrong sign:\n" + "\n".join(wrong)
