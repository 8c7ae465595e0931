"""The review applied to an analysis: untick, merge, rename, describe (pure)."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from ecosystems.imports.review import CastChoice, cast_review_apply
from tests.ecosystems.imports.analyses import result


def test_only_the_chosen_people_and_the_ties_among_them_are_kept():
    people, ties = cast_review_apply(
        result=result(), choices=[CastChoice("Tobias Quill"), CastChoice("Mara Ellison")]
    )

    assert [p.name for p in people] == ["Mara Ellison", "Tobias Quill"]  # the book's ranking
    assert {(t.source, t.target) for t in ties} == {
        ("Mara Ellison", "Tobias Quill"),
        ("Tobias Quill", "Mara Ellison"),
    }


def test_a_renamed_person_keeps_their_ties_under_the_new_name():
    people, ties = cast_review_apply(
        result=result(),
        choices=[CastChoice("Mara Ellison", rename="Mara"), CastChoice("Hester Bryce")],
    )

    assert [p.name for p in people] == ["Mara", "Hester Bryce"]
    assert "Mara Ellison" in people[0].member["aliases"]
    assert "Mara" not in people[0].member["aliases"]
    assert {(t.source, t.target) for t in ties} == {("Hester Bryce", "Mara"),
                                                    ("Mara", "Hester Bryce")}  # fmt: skip


def test_a_merged_person_becomes_one_with_pooled_evidence_and_ties():
    people, ties = cast_review_apply(
        result=result(),
        choices=[
            CastChoice("Mara Ellison", merge=("Mara E.",)),
            CastChoice("Tobias Quill"),
            CastChoice("Hester Bryce"),
        ],
    )
    mara = people[0]

    assert mara.merged == ["Mara E."]
    assert mara.member["mentions"] == 43 and mara.member["speech_count"] == 12
    assert "Mara E." in mara.member["aliases"]
    assert "Another thing Mara E. said." not in mara.member["sample_quotes"][:2]
    assert "I am Mara E., and this is line 7." in mara.member["sample_quotes"]
    # Mara→Tobias and Mara E.→Tobias are one tie: the stronger weight, the counts added
    to_tobias = next(t for t in ties if (t.source, t.target) == ("Mara Ellison", "Tobias Quill"))
    assert to_tobias.pair["weight"] == 1.0
    assert to_tobias.pair["cooccurrences"] == 24
    # the tie between the two halves of one person is gone
    assert not [t for t in ties if t.source == t.target]
    # Hester→Mara E. joined Hester→Mara Ellison
    hester = next(t for t in ties if (t.source, t.target) == ("Hester Bryce", "Mara Ellison"))
    assert hester.pair["cooccurrences"] == 11


def test_a_merge_averages_the_big_five_by_mentions():
    people, _ = cast_review_apply(
        result=result(), choices=[CastChoice("Mara Ellison", merge=("Mara E.",))]
    )

    openness = people[0].member["big_five"]["openness"]
    assert openness == pytest.approx((40 * 0.8 + 3 * (0.8 - 7 * 0.05)) / 43, abs=1e-3)


def test_an_edited_description_replaces_the_books_sentences():
    default, _ = cast_review_apply(result=result(), choices=[CastChoice("Hester Bryce")])
    edited, _ = cast_review_apply(
        result=result(), choices=[CastChoice("Hester Bryce", description="The kind neighbour.")]
    )

    assert default[0].description.startswith("A character of The Lighthouse Keeper's Niece.")
    assert "Hester Bryce was brave and curious." in default[0].description
    assert edited[0].description == "The kind neighbour."


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([], "Choose at least one character"),
        ([CastChoice("Nobody")], "No one called 'Nobody'"),
        ([CastChoice("Mara Ellison"), CastChoice("Mara Ellison")], "chosen twice"),
        ([CastChoice("Mara Ellison", merge=("Mara E.",)), CastChoice("Mara E.")], "chosen twice"),
        ([CastChoice("Mara Ellison"), CastChoice("Hester Bryce", rename="mara ellison")],
         "Two characters would be called"),
        ([CastChoice("Mara Ellison", rename="x" * 101)], "too long"),
    ],
)  # fmt: skip
def test_impossible_choices_are_refused_naming_the_problem(choices, message):
    with pytest.raises(InvalidInput) as caught:
        cast_review_apply(result=result(), choices=choices)

    assert message in caught.value.message
    assert caught.value.details["characters"]
