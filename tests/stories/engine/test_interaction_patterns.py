"""The patterns a reader recognises in the interactions themselves (no relationship kind a
tick derives): repeated mutual courting, rival suitors, a confidence then gossip about its
keeper, allies against a common foe. Each with the near misses that must not match."""

from __future__ import annotations

from stories.engine.board import StoryBoard
from stories.engine.patterns import PATTERNS
from stories.engine.script import Script
from stories.engine.sifting import COMPLETE, MatchUpdate, Sifter


def sift(log: Script) -> list[MatchUpdate]:
    return Sifter(PATTERNS).feed(log.events)


def shown(log: Script, pattern: str) -> list[MatchUpdate]:
    return [u for u in sift(log) if u.pattern == pattern]


def completed(log: Script, pattern: str) -> list[MatchUpdate]:
    return [u for u in shown(log, pattern) if u.status == COMPLETE]


def stories(log: Script) -> list:
    board = StoryBoard()
    board.apply(Sifter(PATTERNS).feed(log.events), tick=log.tick)
    return board.stories(tick=log.tick)


# -- romance ---------------------------------------------------------------------------------


def woo(log: Script, a: str = "Alice", b: str = "Bob") -> None:
    log.act(a, "flirt", b)
    log.act(b, "compliment", a)
    log.wait(2)
    log.act(a, "gift", b)
    log.act(b, "flirt", a)


def test_flirts_compliments_and_gifts_both_ways_are_a_romance():
    log = Script()
    woo(log)

    [done] = completed(log, "romance")

    assert done.genre == "romance"
    assert {r.name for r in done.roles} == {"Alice", "Bob"}
    assert "Romance" in done.title or "Sweethearts" in done.title
    assert [b.label for b in done.beats] == ["advance", "returned", "courting", "in love"]


def test_the_romance_is_the_story_told_with_a_romantic_title():
    log = Script()
    woo(log)

    [story] = stories(log)

    assert story.genre == "romance"
    assert "Alice" in story.title and "Bob" in story.title


def test_one_sided_flirting_is_no_romance():
    log = Script()
    for _ in range(4):
        log.act("Alice", "flirt", "Bob")
        log.act("Bob", "small_talk", "Alice")
        log.wait(1)

    assert shown(log, "romance") == []


def test_a_single_compliment_returned_is_no_romance():
    log = Script()
    log.act("Alice", "compliment", "Bob")
    log.act("Bob", "compliment", "Alice")

    assert shown(log, "romance") == []


def test_friends_trading_compliments_and_gifts_without_a_flirt_are_no_romance():
    log = Script()
    for _ in range(3):
        log.act("Alice", "compliment", "Bob")
        log.act("Bob", "gift", "Alice")

    assert shown(log, "romance") == []


def test_an_insult_between_the_flirts_ends_the_romance():
    log = Script()
    log.act("Alice", "flirt", "Bob")
    log.act("Bob", "insult", "Alice")
    log.act("Bob", "compliment", "Alice")
    log.act("Alice", "gift", "Bob")
    log.act("Bob", "flirt", "Alice")

    assert completed(log, "romance") == []


# -- rival suitors ---------------------------------------------------------------------------


def rivals(log: Script) -> None:
    log.act("Alice", "flirt", "Bob")
    log.act("Carol", "gift", "Bob")
    log.wait(2)
    log.act("Alice", "argue", "Carol")
    log.act("Carol", "insult", "Alice")


def test_two_suitors_quarrelling_over_one_beloved_are_rival_suitors():
    log = Script()
    rivals(log)

    [done] = completed(log, "rival_suitors")

    assert done.genre == "triangle"
    assert [(r.role, r.name) for r in done.roles] == [
        ("suitor", "Alice"), ("beloved", "Bob"), ("rival suitor", "Carol")
    ]  # fmt: skip
    assert "Bob" in done.title
    assert done.beats[2].text == "Alice and Carol clashed over Bob"


def test_the_suitors_quarrel_is_told_as_a_triangle_never_as_making_peace():
    log = Script()
    rivals(log)

    titles = [(s.genre, s.title) for s in stories(log)]

    assert [g for g, _ in titles] == ["triangle"]
    assert not any("Peace" in t for _, t in titles)


def test_two_already_at_odds_who_then_court_one_person_are_rival_suitors_too():
    log = Script()
    log.act("Alice", "argue", "Carol")
    log.act("Carol", "insult", "Alice")
    log.wait(3)
    log.act("Alice", "flirt", "Bob")
    log.act("Carol", "compliment", "Bob")

    [done] = completed(log, "feuding_suitors")
    [story] = stories(log)

    assert {(r.role, r.name) for r in done.roles} == {
        ("suitor", "Alice"), ("beloved", "Bob"), ("rival suitor", "Carol")
    }  # fmt: skip
    assert story.genre == "triangle" and "Bob" in story.title


def test_a_quarrel_without_a_shared_beloved_is_no_rivalry_of_suitors():
    log = Script()
    log.act("Alice", "flirt", "Bob")
    log.act("Carol", "flirt", "Dave")
    log.act("Alice", "argue", "Carol")
    log.act("Carol", "insult", "Alice")

    assert shown(log, "rival_suitors") == shown(log, "feuding_suitors") == []


def test_two_admirers_who_never_clash_are_no_rivals_yet():
    log = Script()
    log.act("Alice", "flirt", "Bob")
    log.act("Carol", "flirt", "Bob")
    log.act("Alice", "small_talk", "Carol")

    assert shown(log, "rival_suitors") == []


# -- a confidence, then gossip ---------------------------------------------------------------


def test_a_secret_confided_then_gossiped_to_a_third_is_a_mystery():
    log = Script()
    log.act("Alice", "share_secret", "Bob")
    log.gossip("Alice", "Bob", about=None, fact="Alice forged the will")
    log.wait(2)
    log.act("Bob", "gossip", "Carol")
    log.gossip("Bob", "Carol", about="Alice", fact="Alice forged the will")

    [story] = stories(log)

    assert story.genre == "mystery"
    assert "Alice" in story.title or "Bob" in story.title
    assert {p.name for p in story.participants} == {"Alice", "Bob", "Carol"}


def test_gossip_about_someone_who_never_confided_is_no_mystery():
    log = Script()
    log.act("Dave", "share_secret", "Bob")
    log.gossip("Bob", "Carol", about="Alice", fact="Alice was seen at the mill")

    assert shown(log, "secret") == []


# -- common cause ----------------------------------------------------------------------------


def common_cause(log: Script) -> None:
    log.act("Carol", "insult", "Alice")
    log.act("Bob", "argue", "Carol")
    log.wait(2)
    log.act("Alice", "help", "Bob")
    log.act("Bob", "help", "Alice")


def test_friends_helping_each_other_against_one_foe_make_common_cause():
    log = Script()
    common_cause(log)

    [done] = completed(log, "common_cause")

    assert done.genre == "alliance"
    assert {(r.role, r.name) for r in done.roles} == {
        ("ally", "Alice"), ("ally", "Bob"), ("common foe", "Carol")
    }  # fmt: skip
    assert done.beats[-1].text == "Alice and Bob made common cause against Carol"


def test_common_cause_is_told_as_an_alliance_not_a_redemption():
    log = Script()
    common_cause(log)

    genres = {s.genre for s in stories(log)}

    assert "alliance" in genres and "redemption" not in genres
    [story] = [s for s in stories(log) if s.genre == "alliance"]
    assert "Carol" in story.title or "Common Cause" in story.title


def test_helping_each_other_without_a_common_foe_is_no_common_cause():
    log = Script()
    log.act("Alice", "help", "Bob")
    log.act("Bob", "help", "Alice")
    log.act("Alice", "help", "Bob")

    assert shown(log, "common_cause") == []


def test_foes_of_different_people_helping_each_other_make_no_common_cause():
    log = Script()
    log.act("Carol", "insult", "Alice")
    log.act("Bob", "argue", "Dave")
    log.act("Alice", "help", "Bob")
    log.act("Bob", "help", "Alice")

    assert shown(log, "common_cause") == []


def test_allies_who_turn_on_each_other_make_no_common_cause():
    log = Script()
    log.act("Carol", "insult", "Alice")
    log.act("Bob", "argue", "Carol")
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "help", "Bob")
    log.act("Bob", "help", "Alice")

    assert completed(log, "common_cause") == []
