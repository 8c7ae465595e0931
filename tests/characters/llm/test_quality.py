import pytest

from characters.llm.quality import QualityProblem, reply_clean, reply_problem

PREVIOUS = ("Lovely morning, isn't it, Alice?", "I suppose it is.")


@pytest.mark.parametrize(
    ("raw", "line", "problem"),
    [
        ("It is... rather lovely.", "It is... rather lovely.", None),
        ("Alice: It is lovely.", "It is lovely.", None),
        ("**Alice:** It is lovely.", "It is lovely.", None),
        ("Alice (softly): It is lovely.", "It is lovely.", None),
        ('"It is lovely."', "It is lovely.", None),
        ('*smiles shyly* "It is lovely."', "It is lovely.", None),
        ("It is lovely.\nBob: Shall we walk?", "It is lovely.", None),
        ("Oh.", "Oh.", None),
        ("", "", QualityProblem.TOO_SHORT),
        ("...", "...", QualityProblem.TOO_SHORT),
        (
            "As an AI language model, I don't have feelings about mornings.",
            "As an AI language model, I don't have feelings about mornings.",
            QualityProblem.BREAKS_CHARACTER,
        ),
        (
            "I\u2019m an AI, so I can\u2019t enjoy the weather.",
            "I\u2019m an AI, so I can\u2019t enjoy the weather.",
            QualityProblem.BREAKS_CHARACTER,
        ),
        (
            "Sure! Here's a line for Alice: Hi.",
            "Sure! Here's a line for Alice: Hi.",
            QualityProblem.BREAKS_CHARACTER,
        ),
        ("Bob: Shall we walk?", "Bob: Shall we walk?", QualityProblem.SPEAKS_AS_OTHER),
        (
            "Lovely morning, isn't it, Alice?",
            "Lovely morning, isn't it, Alice?",
            QualityProblem.REPEATS_LAST_LINE,
        ),
        ("I suppose it is!", "I suppose it is!", QualityProblem.REPEATS_LAST_LINE),
    ],
)
def test_replies_are_cleaned_and_judged(raw, line, problem):
    cleaned = reply_clean(text=raw, speaker="Alice", listener="Bob")

    assert cleaned == line
    assert reply_problem(text=cleaned, listener="Bob", previous_lines=PREVIOUS) == problem


def test_a_reply_cut_off_by_max_tokens_is_trimmed_to_its_last_full_sentence():
    raw = "It is lovely. The roses are out. I was thinking we might"

    cleaned = reply_clean(text=raw, speaker="Alice", listener="Bob", truncated=True)

    assert cleaned == "It is lovely. The roses are out."


def test_a_complete_reply_is_not_trimmed():
    raw = "It is lovely. I was thinking we might"

    assert reply_clean(text=raw, speaker="Alice", listener="Bob") == raw
