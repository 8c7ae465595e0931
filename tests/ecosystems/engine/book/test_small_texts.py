"""The book engine on a short story written for the test, on texts without people, and its
progress reports."""

from __future__ import annotations

import re
from pathlib import Path

from ecosystems.engine.book import BookAnalysis, analyse
from ecosystems.engine.book.clean import clean


def by_name(analysis: BookAnalysis) -> dict[str, object]:
    return {c.name: c for c in analysis.cast}


def test_the_story_cast_is_its_three_people_and_no_place(story: BookAnalysis) -> None:
    names = set(by_name(story))
    assert names == {"Tobias Wren", "Nell", "Dr. Okafor"}
    wren = by_name(story)["Tobias Wren"]
    assert "Mr. Wren" in wren.aliases and wren.gender == "male"
    assert story.title == "The Keeper of Gullrock"


def test_the_story_quotes_have_the_right_speakers(story: BookAnalysis) -> None:
    expected = {
        "You were meant to wake me at four": "Nell",
        "I was meant to do a great many things": "Tobias Wren",
        "It matters that you sleep in a bed": "Nell",
        "It matters that ships do not break": "Tobias Wren",
        "Good morning!": "Dr. Okafor",
        "You are told correctly": "Tobias Wren",
        "Then I shall sit in your kitchen": "Dr. Okafor",
        "You will wait a long time": "Tobias Wren",
        "I am a very patient man": "Dr. Okafor",
        "Since the autumn": "Nell",
        "Nell, you promised": "Tobias Wren",
        "I promised to keep the lamp": "Nell",
        "I will tell nobody in Saltmere": "Dr. Okafor",
        "You will come back?": "Nell",
        "Every week": "Dr. Okafor",
        "Nobody has ever managed that": "Tobias Wren",
    }
    got = {snippet: [q.speaker for q in story.quotes if snippet in q.text] for snippet in expected}
    assert got == {snippet: [speaker] for snippet, speaker in expected.items()}
    promised = next(q for q in story.quotes if "Nell, you promised" in q.text)
    assert promised.addressee == "Nell"


def test_the_story_relationships_carry_the_family_cue(story: BookAnalysis) -> None:
    pairs = {(p.source, p.target): p for p in story.relationships}
    father = pairs[("Tobias Wren", "Nell")]
    assert "his daughter" in father.cues and father.kind == "ally"
    assert pairs[("Dr. Okafor", "Tobias Wren")].exchanges >= 2
    assert story.relationships[0].weight == 1.0


def test_a_text_with_no_people_warns_and_has_an_empty_cast() -> None:
    result = analyse(
        "The rain fell on the hills all night. In the morning the river was high and brown, "
        "and the fields around Saltmere were under water.\n\nNothing moved on the road to "
        "Gullrock Point. The wind came from the sea.",
    )
    assert result.cast == () and result.relationships == ()
    assert any("no people" in w for w in result.warnings)


def test_an_empty_text_warns() -> None:
    result = analyse("   \n\n  ")
    assert result.words == 0 and result.cast == () and result.warnings


def test_progress_is_reported_in_order_through_every_stage() -> None:
    calls: list[tuple[float, str]] = []
    analyse(
        '"Hello," said Mr. Gray.\n\n"Hello," said Mrs. Gray.',
        progress=lambda f, s: calls.append((f, s)),
    )
    stages = [s for _, s in calls]
    assert stages[:5] == ["cleaning", "people", "quotes", "traits", "relationships"]
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0


def test_gutenberg_header_and_licence_are_stripped() -> None:
    raw = (
        "The Project Gutenberg EBook of A Test, by Ann Author\n\n"
        "Title: A Test\n\nAuthor: Ann Author\n\n"
        "*** START OF THIS PROJECT GUTENBERG EBOOK A TEST ***\n\nProduced by Volunteers\n\n"
        "It was a dark\nnight.\n\n*** END OF THIS PROJECT GUTENBERG EBOOK A TEST ***\n\n"
        "Section 1. General Terms of Use and Redistributing Project Gutenberg-tm\n"
    )
    cleaned = clean(raw)
    assert (cleaned.title, cleaned.author) == ("A Test", "Ann Author")
    assert cleaned.text == "It was a dark night."
    assert cleaned.paragraphs == ((0, len("It was a dark night.")),)


def test_text_without_blank_lines_is_split_at_sentence_ends(story: BookAnalysis) -> None:
    raw = (Path(__file__).parent / "story.txt").read_text(encoding="utf-8")
    squeezed = re.sub(r"\n\s*\n", "\n", raw)
    cleaned = clean(squeezed)
    assert len(cleaned.paragraphs) == len(clean(raw).paragraphs)
    again = analyse(squeezed)
    assert [q.speaker for q in again.quotes] == [q.speaker for q in story.quotes]
