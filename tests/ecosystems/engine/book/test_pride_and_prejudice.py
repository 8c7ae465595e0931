"""The book engine on Pride and Prejudice (issue 17's quality bar)."""

from __future__ import annotations

from ecosystems.engine.book import BookAnalysis, CastMember
from ecosystems.engine.book.types import BIG_FIVE

KINDS = {
    "stranger", "acquaintance", "friend", "close_friend", "rival", "enemy",
    "romantic_interest", "partner", "ally",
}  # fmt: skip

# who the test means -> forms that name that person (canonical name or an alias)
EXPECTED_TOP_TEN = {
    "Elizabeth": {"Elizabeth", "Elizabeth Bennet"},
    "Darcy": {"Mr. Darcy", "Darcy"},
    "Jane": {"Jane", "Jane Bennet"},
    "Bingley": {"Mr. Bingley", "Bingley"},
    "Mr. Bennet": {"Mr. Bennet"},
    "Mrs. Bennet": {"Mrs. Bennet"},
    "Wickham": {"Mr. Wickham", "Wickham", "George Wickham"},
    "Lydia": {"Lydia", "Lydia Bennet"},
    "Collins": {"Mr. Collins", "Collins"},
    "Lady Catherine": {"Lady Catherine", "Lady Catherine de Bourgh"},
}
PLACES = ("Longbourn", "Netherfield", "Pemberley", "Meryton", "Rosings", "Hertfordshire", "London")


def member(analysis: BookAnalysis, forms: set[str]) -> CastMember:
    found = [c for c in analysis.cast if c.name in forms or forms & set(c.aliases)]
    assert len(found) == 1, (forms, [c.name for c in found])
    return found[0]


def test_title_and_author_come_from_the_gutenberg_header(novel: BookAnalysis) -> None:
    assert novel.title == "Pride and Prejudice"
    assert novel.author == "Jane Austen"
    assert 115_000 < novel.words < 125_000  # the licence (about 3,000 words) is not counted


def test_no_licence_text_reaches_the_analysis(novel: BookAnalysis) -> None:
    assert not any("Gutenberg" in q.text for q in novel.quotes)
    assert not any("Gutenberg" in c.name for c in novel.cast)


def test_the_top_ten_by_mentions_are_the_main_characters_with_aliases_merged(
    novel: BookAnalysis,
) -> None:
    by_mentions = sorted(novel.cast, key=lambda c: -c.mentions)[:10]
    names = {c.name for c in by_mentions}
    for who, forms in EXPECTED_TOP_TEN.items():
        assert member(novel, forms).name in names, (who, names)


def test_aliases_are_merged_and_the_bennet_parents_are_two_people(novel: BookAnalysis) -> None:
    elizabeth = member(novel, {"Elizabeth Bennet"})
    assert {"Elizabeth", "Lizzy", "Eliza"} <= set(elizabeth.aliases)
    assert elizabeth.gender == "female"
    mr, mrs = member(novel, {"Mr. Bennet"}), member(novel, {"Mrs. Bennet"})
    assert mr.name != mrs.name and (mr.gender, mrs.gender) == ("male", "female")
    # "Miss Bennet" is the eldest daughter, Jane; Kitty is never Lady Catherine
    assert "Miss Bennet" in member(novel, {"Jane"}).aliases
    assert "Kitty" not in member(novel, {"Lady Catherine"}).aliases
    assert "Miss Bingley" in member(novel, {"Caroline", "Caroline Bingley"}).aliases


def test_places_and_groups_are_not_people(novel: BookAnalysis) -> None:
    for c in novel.cast:
        for place in PLACES:
            assert place not in c.name and place not in c.aliases, (place, c.name)
        assert not c.name.endswith(("Bennets", "Lucases", "Bingleys"))


def test_main_pairs_are_among_the_strongest(novel: BookAnalysis) -> None:
    names = {who: member(novel, forms).name for who, forms in EXPECTED_TOP_TEN.items()}
    undirected: list[frozenset[str]] = []
    for pair in novel.relationships:
        key = frozenset((pair.source, pair.target))
        if key not in undirected:
            undirected.append(key)
    top = undirected[:12]
    assert frozenset((names["Elizabeth"], names["Darcy"])) in top[:3]
    assert frozenset((names["Jane"], names["Bingley"])) in top
    assert all(0 <= p.weight <= 1 for p in novel.relationships)
    kinds = {(p.source, p.target): p.kind for p in novel.relationships}
    assert kinds[(names["Elizabeth"], names["Darcy"])] == "romantic_interest"
    assert kinds[(names["Darcy"], names["Elizabeth"])] == "romantic_interest"
    assert kinds[(names["Jane"], names["Bingley"])] == "romantic_interest"
    assert kinds[(names["Mrs. Bennet"], names["Mr. Bennet"])] == "partner"
    assert {p.kind for p in novel.relationships} <= KINDS


def test_traits_and_voices_are_filled_for_the_speakers(novel: BookAnalysis) -> None:
    for c in novel.cast[:10]:
        assert set(c.big_five) == set(BIG_FIVE)
        assert all(0 <= v <= 1 for v in c.big_five.values())
        assert c.speech_count > 10 and c.sample_quotes and c.speaking_style
        assert all(g.source == "rules" for g in c.goals + c.secrets)
    collins = member(novel, {"Mr. Collins"})
    lydia = member(novel, {"Lydia"})
    assert "long" in collins.speaking_style or "formal" in collins.speaking_style
    assert lydia.big_five["conscientiousness"] < collins.big_five["conscientiousness"]
    assert lydia.big_five["extraversion"] > collins.big_five["extraversion"]


def test_ranking_puts_elizabeth_first(novel: BookAnalysis) -> None:
    assert novel.cast[0].name == member(novel, EXPECTED_TOP_TEN["Elizabeth"]).name
    assert novel.cast[0].speech_count > 200
