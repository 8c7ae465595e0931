"""The template narrator, the LLM prompt and the parser of the LLM's chapters."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest

from stories.engine.document import Chapter, DocBeat, DocParticipant, Quote, StoryDocument
from stories.engine.narrative import (
    CLOSINGS,
    LATER,
    MUCH_LATER,
    NARRATIVE_VERSION,
    SAME_TICK,
    SOON,
    chapters_from_llm_text,
    group_beats,
    narrate,
    narrative_prompt,
)

VERBS = {
    "insult": "insulted",
    "argue": "argued with",
    "threaten": "threatened",
    "apologise": "apologised to",
    "reconcile": "reconciled with",
    "flirt": "flirted with",
}


def talk(seq: int, tick: int, a: str, b: str, kind: str, line: str, reply: str = "") -> DocBeat:
    summary = f"{a} {VERBS[kind]} {b}"
    return DocBeat(
        seq=seq,
        tick=tick,
        kind="character_interaction",
        label=summary,
        text=f"{summary} at tick {tick}",
        quote=Quote(speaker=a, line=line, listener=b, reply=reply),
        data={"interaction_type": kind, "content": line, "response": reply},
    )


def happening(seq: int, tick: int, kind: str, text: str) -> DocBeat:
    return DocBeat(seq=seq, tick=tick, kind=kind, label=text.rstrip("."), text=text)


FEUD_BEATS = (
    talk(10, 3, "Bob", "Alice", "insult", "You'll regret that.", "Will I?"),
    happening(11, 3, "relationship_changed", "Alice's regard for Bob soured into rivalry."),
    happening(14, 4, "emotion_changed", "Alice's mood turned to anger."),
    talk(20, 6, "Alice", "Bob", "argue", "You had no right to say that.", "I had every right."),
    happening(25, 7, "gossip_spread", "The rumour about Bob's debts reached Dan through Clara."),
    talk(30, 8, "Bob", "Alice", "threaten", "Say that again and see what happens."),
    happening(40, 9, "conflict_escalated", "The quarrel turned into a feud."),
    talk(50, 20, "Bob", "Alice", "apologise", "I was wrong. I'm sorry.", "It's a start."),
    talk(51, 21, "Alice", "Bob", "reconcile", "Let's put it behind us.", "Gladly."),
)


def story(**changes: object) -> StoryDocument:
    doc = StoryDocument(
        id="3f1c2a9e-1111-4a2b-9c3d-123456789abc",
        title="The Garden Feud",
        genre="escalating_conflict",
        status="resolved",
        summary="Bob and Alice fell out, badly, and then made up.",
        world_name="The Garden",
        participants=(
            DocParticipant(id="b", name="Bob", role="instigator"),
            DocParticipant(id="a", name="Alice", role="target"),
        ),
        tension=0.3,
        tension_curve=((3, 0.2), (6, 0.5), (9, 0.9), (21, 0.3)),
        beats=FEUD_BEATS,
        predictions=("Bob may still hold a grudge.",),
        started_tick=3,
        updated_tick=21,
        generated_at="2024-05-01T12:00:00Z",
    )
    return dataclasses.replace(doc, **changes)


def prose(chapters: tuple[Chapter, ...]) -> str:
    return "\n".join(p for c in chapters for p in c.paragraphs)


def test_the_version_is_a_string_to_store_beside_the_prose():
    assert NARRATIVE_VERSION == "1"


def test_every_line_and_reply_appears_verbatim_in_the_prose():
    text = prose(narrate(story()))

    for beat in FEUD_BEATS:
        if beat.quote is not None:
            assert f"\u201c{beat.quote.line}\u201d" in text
            if beat.quote.reply:
                assert f"\u201c{beat.quote.reply}\u201d" in text


def test_the_same_story_reads_the_same_every_time():
    assert narrate(story()) == narrate(story())


def test_another_story_with_the_same_beats_is_told_differently():
    told = [prose(narrate(story(id=f"story-{i}"))) for i in range(6)]

    assert len(set(told)) > 1


def test_chapters_are_numbered_titled_and_never_empty():
    chapters = narrate(story(), beats_per_chapter=3)

    assert [c.number for c in chapters] == list(range(1, len(chapters) + 1))
    assert len(chapters) >= 3
    assert all(c.title and c.paragraphs and all(p.strip() for p in c.paragraphs) for c in chapters)
    assert len({c.title for c in chapters}) == len(chapters)


def test_beats_are_grouped_by_size_and_by_quiet_stretches():
    groups = group_beats(FEUD_BEATS, beats_per_chapter=6)

    assert [len(g) for g in groups] == [6, 3]
    quiet = group_beats(
        (
            happening(1, 1, "tick", "A."),
            happening(2, 2, "tick", "B."),
            happening(3, 30, "tick", "C."),
        ),
        beats_per_chapter=6,
    )
    assert [[b.seq for b in g] for g in quiet] == [[1, 2], [3]]


def test_beats_are_told_in_tick_order_whatever_order_they_come_in():
    shuffled = story(beats=tuple(reversed(FEUD_BEATS)))

    assert narrate(shuffled) == narrate(story())


def test_the_engines_tick_references_stay_out_of_the_prose():
    assert not re.search(r"at tick \d", prose(narrate(story())))


def test_time_phrases_do_not_repeat_back_to_back():
    beats = tuple(
        happening(i, i * 2, "emotion_changed", f"Someone's mood changed for the {i}th time.")
        for i in range(1, 25)
    )
    text = prose(narrate(story(beats=beats), beats_per_chapter=30))
    phrases = [*SAME_TICK, *SOON, *LATER, *MUCH_LATER]
    found = sorted(
        (m.start(), phrase) for phrase in phrases for m in re.finditer(re.escape(phrase), text)
    )
    used = [phrase for _, phrase in found]

    assert len(used) >= 5
    assert all(a != b for a, b in itertools.pairwise(used))


@pytest.mark.parametrize("status", ["resolved", "climax", "developing", "brewing"])
def test_the_story_closes_with_a_line_for_its_status(status):
    chapters = narrate(story(status=status))

    assert chapters[-1].paragraphs[-1] in CLOSINGS[status]


def test_a_brewing_story_can_end_not_knowing_how_it_ends():
    endings = {narrate(story(status="brewing", id=f"s{i}"))[-1].paragraphs[-1] for i in range(30)}

    assert "Nobody yet knew how it would end." in endings


def test_a_story_of_one_beat_is_one_chapter_with_its_words_and_an_ending():
    beat = talk(7, 2, "Clara", "Dan", "flirt", "Is that a new coat?", "You noticed!")

    chapters = narrate(story(beats=(beat,), status="brewing", genre="romance"))

    assert len(chapters) == 1
    text = prose(chapters)
    assert "\u201cIs that a new coat?\u201d" in text
    assert "\u201cYou noticed!\u201d" in text
    assert chapters[0].paragraphs[-1] in CLOSINGS["brewing"]


def test_beats_without_quotes_are_told_without_quote_marks():
    beats = (
        happening(1, 1, "alliance_formed", "Clara and Dan agreed to stand together."),
        happening(2, 4, "alliance_broken", "Dan walked away from the alliance."),
    )

    text = prose(narrate(story(beats=beats, genre="alliance")))

    assert "\u201c" not in text
    assert "stand together" in text
    assert "walked away" in text


def test_a_quote_with_only_a_reply_still_reads():
    beat = dataclasses.replace(
        FEUD_BEATS[0], quote=Quote(speaker="Bob", line="", listener="Alice", reply="Never.")
    )

    text = prose(narrate(story(beats=(beat,))))

    assert "\u201cNever.\u201d" in text
    assert "\u201c\u201d" not in text


def test_a_story_with_no_beats_still_gets_a_chapter():
    chapters = narrate(story(beats=()))

    assert len(chapters) == 1
    assert "fell out" in prose(chapters)


def test_an_unknown_genre_and_status_are_told_anyway():
    chapters = narrate(story(genre="space opera", status="paused"))

    assert chapters[-1].paragraphs[-1] in CLOSINGS["developing"]


def test_chapters_cannot_hold_zero_beats():
    with pytest.raises(ValueError, match="beats_per_chapter"):
        narrate(story(), beats_per_chapter=0)


def test_the_prompt_gives_the_model_the_beats_the_exact_lines_and_the_output_format():
    messages = narrative_prompt(story())

    assert [m["role"] for m in messages] == ["system", "user"]
    system, user = messages[0]["content"], messages[1]["content"]
    assert "## " in system
    assert "word for word" in system
    assert "You'll regret that." in user
    assert "Will I?" in user
    assert "The Garden Feud" in user
    assert "closure" in user  # resolved


def test_the_models_chapters_are_parsed_from_its_headings_and_paragraphs():
    text = (
        "Here is your story:\n\n"
        "## Chapter 1: Harsh Words\n\n"
        "Bob said it before he could stop himself.\n"
        "The words hung there.\n\n"
        "\u201cWill I?\u201d Alice asked.\n\n"
        "## Making Amends\n\n"
        "Much later, Bob came back.\n"
    )

    chapters = chapters_from_llm_text(text)

    assert chapters == (
        Chapter(
            1,
            "Harsh Words",
            (
                "Bob said it before he could stop himself. The words hung there.",
                "\u201cWill I?\u201d Alice asked.",
            ),
        ),
        Chapter(2, "Making Amends", ("Much later, Bob came back.",)),
    )


def test_a_heading_without_paragraphs_is_dropped():
    chapters = chapters_from_llm_text("## Empty\n\n## Full\n\nSomething happened.\n")

    assert chapters == (Chapter(1, "Full", ("Something happened.",)),)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   \n\n",
        "I'm sorry, I can't help with that.",
        "## Only a heading\n\n## And another\n",
        "```\n## \n```",
    ],
)
def test_unusable_model_output_gives_none(garbage):
    assert chapters_from_llm_text(garbage) is None
