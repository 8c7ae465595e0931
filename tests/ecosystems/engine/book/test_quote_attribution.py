"""Quote attribution against 50 quotes of Pride and Prejudice checked by hand (pp_quotes.json)."""

from __future__ import annotations

import json
from pathlib import Path

from ecosystems.engine.book import BookAnalysis

SAMPLE = json.loads((Path(__file__).parent / "pp_quotes.json").read_text())["quotes"]
TARGET = 0.70


def canonical(analysis: BookAnalysis, form: str) -> str:
    found = [c.name for c in analysis.cast if c.name == form or form in c.aliases]
    assert len(found) == 1, (form, found)
    return found[0]


def test_the_sample_is_fifty_quotes_spread_over_the_novel() -> None:
    assert len(SAMPLE) == 50
    chapters = {row["chapter"] for row in SAMPLE}
    assert len(chapters) >= 40 and min(chapters) == 1 and max(chapters) >= 59


def test_each_sample_snippet_is_exactly_one_quote(novel: BookAnalysis) -> None:
    for row in SAMPLE:
        hits = [q for q in novel.quotes if row["quote"] in q.text]
        assert len(hits) == 1, (row["quote"], len(hits))


def test_at_least_seventy_percent_of_the_sample_has_the_right_speaker(
    novel: BookAnalysis,
) -> None:
    right, wrong = 0, []
    for row in SAMPLE:
        quote = next(q for q in novel.quotes if row["quote"] in q.text)
        if quote.speaker == canonical(novel, row["speaker"]):
            right += 1
        else:
            wrong.append((row["chapter"], row["quote"][:40], row["speaker"], quote.speaker))
    assert right / len(SAMPLE) >= TARGET, (right, wrong)
