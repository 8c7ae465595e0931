"""The stories of a person talking with a character through a persona: won over, falling-out
and change of heart, read from the turns of a conversation (``talk``), its sharp swings
(``arc_swing``) and its goals reached (``talk_goal``). Each with the near misses that must not
match, and one story per pair on the board however the log is fed."""

from __future__ import annotations

from stories.engine.board import StoryBoard
from stories.engine.patterns import PATTERNS
from stories.engine.script import Script, character_id
from stories.engine.sifting import COMPLETE, MatchUpdate, Sifter, arc_swing, talk, talk_goal

COLD = (-0.3, -0.2)


def sift(log: Script) -> list[MatchUpdate]:
    return Sifter(PATTERNS).feed(log.events)


def completed(log: Script, pattern: str) -> list[MatchUpdate]:
    return [u for u in sift(log) if u.pattern == pattern and u.status == COMPLETE]


def board_of(log: Script, *, turn_by_turn: bool = False) -> StoryBoard:
    """The board after the log, fed at once or one event per apply (a sift after each turn,
    all in the same tick, as a conversation in a paused world is)."""
    sifter, board = Sifter(PATTERNS), StoryBoard()
    batches = [[e] for e in log.events] if turn_by_turn else [log.events]
    for batch in batches:
        board.apply(sifter.feed(batch), tick=batch[-1].tick)
    return board


def compliments(log: Script, start: tuple[float, float], end: float, step: float = 0.1) -> None:
    """Tom compliments Bob turn after turn, Bob's strength toward Tom rising ``step`` a turn
    from ``start`` up to ``end`` (trust alike, a tenth as fast)."""
    strength, trust = start
    while strength < end - 1e-9:
        after = (round(strength + step, 4), round(trust + step / 10, 4))
        log.talk("Tom", "compliment", "Bob", before=(strength, trust), after=after)
        strength, trust = after


def insults(log: Script, start: tuple[float, float], end: float, step: float = 0.1) -> None:
    """Tom insults Bob turn after turn, Bob's strength and trust falling ``step`` a turn."""
    strength, trust = start
    while strength > end + 1e-9:
        after = (round(strength - step, 4), round(trust - step, 4))
        log.talk("Tom", "insult", "Bob", before=(strength, trust), after=after)
        strength, trust = after


# -- won over --------------------------------------------------------------------------------


def test_compliments_that_warm_a_cold_character_past_friendship_win_it_over():
    log = Script()
    log.talk("Tom", "greeting", "Bob", before=(-0.31, -0.2), after=COLD)
    compliments(log, COLD, 0.4)

    [done] = completed(log, "won_over")

    assert {(r.role, r.name) for r in done.roles} == {("won over", "Bob"), ("persona", "Tom")}
    assert "Bob" in done.title
    assert [b.label for b in done.beats] == ["wary", "won over"]
    assert [b.text for b in done.beats] == ["Bob was wary of Tom", "Tom won Bob over"]


def test_a_win_his_trust_goal_reached_wins_a_cold_character_over():
    log = Script()
    log.talk("Tom", "small_talk", "Bob", before=COLD, after=COLD)
    log.reached("Tom", "win Bob's trust", "Bob", goal_kind="relationship", axis="trust")

    [done] = completed(log, "won_over")

    assert done.beats[-1].kind == "conversation_goal_completed"
    assert {r.id for r in done.roles} == {character_id("Bob"), character_id("Tom")}


def test_a_goal_logged_without_its_reading_is_read_again_from_its_words():
    log = Script()
    log.talk("Tom", "small_talk", "Bob", before=COLD, after=COLD)
    log.reached("Tom", "win Bob's trust", "Bob")

    assert len(completed(log, "won_over")) == 1


def test_a_goal_that_is_not_about_winning_someone_over_wins_no_one():
    log = Script()
    log.talk("Tom", "small_talk", "Bob", before=COLD, after=COLD)
    log.reached("Tom", "find out who has the locket", "Bob", goal_kind="knowledge")
    log.reached("Tom", "make Bob laugh", "Bob", goal_kind="emotion")

    assert completed(log, "won_over") == []


def test_warming_a_character_who_was_never_cold_is_no_winning_over():
    log = Script()
    compliments(log, (0.0, 0.0), 0.5)

    assert completed(log, "won_over") == []


def test_the_turn_that_wins_the_character_over_is_not_a_new_wary_start():
    # Bob still distrusts Tom a little after the winning turn, and the goal is reached next:
    # one winning over, not a second one started by the turn that won him.
    log = Script()
    compliments(log, COLD, 0.4)
    log.reached("Tom", "make Bob like me", "Bob", goal_kind="relationship", axis="strength")

    assert len(completed(log, "won_over")) == 1


def test_the_same_warming_between_two_characters_is_no_conversation_story():
    log = Script()
    for _ in range(6):
        log.act("Alice", "compliment", "Bob", response_trust_delta=0.1)
        log.rel("Bob", "Alice", "friend", previous="rival")

    names = {u.pattern for u in sift(log)}
    assert not names & {"won_over", "falling_out", "change_of_heart"}


# -- falling-out -----------------------------------------------------------------------------


def test_insults_that_turn_a_friend_cold_are_a_falling_out():
    log = Script()
    insults(log, (0.5, 0.5), -0.1)

    [done] = completed(log, "falling_out")

    assert done.genre == "conflict"
    assert {(r.role, r.name) for r in done.roles} == {("estranged", "Bob"), ("persona", "Tom")}
    assert done.beats[-1].text == "Bob turned cold toward Tom"
    assert done.prediction == "Tom may try to win Bob back, or lose Bob for good"


def test_a_friend_who_comes_to_see_the_persona_as_an_enemy_has_fallen_out():
    log = Script()
    log.talk("Tom", "threaten", "Bob", before=(0.4, 0.4), after=(0.2, 0.1))
    log.rel("Bob", "Tom", "enemy", previous="friend")

    assert len(completed(log, "falling_out")) == 1


def test_insulting_someone_already_cold_is_no_falling_out():
    log = Script()
    insults(log, (0.2, 0.2), -0.4)

    assert completed(log, "falling_out") == []


def test_an_apology_before_the_friendship_is_lost_keeps_it():
    log = Script()
    log.talk("Tom", "insult", "Bob", before=(0.5, 0.5), after=(0.35, 0.3))
    log.talk("Tom", "apologise", "Bob", before=(0.35, 0.3), after=(0.3, 0.3))
    log.talk("Tom", "small_talk", "Bob", before=(0.3, 0.3), after=(-0.05, 0.25))

    assert completed(log, "falling_out") == []


def test_a_friend_cooling_without_a_harsh_word_is_no_falling_out():
    log = Script()
    log.talk("Tom", "small_talk", "Bob", before=(0.5, 0.5), after=(0.2, 0.2))
    log.talk("Tom", "small_talk", "Bob", before=(0.2, 0.2), after=(-0.1, -0.1))

    assert completed(log, "falling_out") == []


# -- change of heart -------------------------------------------------------------------------


def test_a_sharp_swing_then_a_new_kind_of_relationship_is_a_change_of_heart():
    log = Script()
    log.swing("Tom", "Bob", sentiment=(0.4, -0.6))
    log.rel("Bob", "Tom", "acquaintance", previous="friend")

    [done] = completed(log, "change_of_heart")

    assert {(r.role, r.name) for r in done.roles} == {("changed heart", "Bob"), ("persona", "Tom")}
    assert done.beats[0].text == "Talking with Tom, Bob swung from calm to anger."
    assert done.beats[-1].text == "Bob saw Tom in a new light"
    assert "Bob" in done.title


def test_a_sharp_swing_then_liking_turned_to_dislike_is_a_change_of_heart():
    log = Script()
    log.swing("Tom", "Bob", sentiment=(-0.5, 0.5), moods=("anger", "joy"))
    log.talk("Tom", "compliment", "Bob", before=(-0.05, -0.1), after=(0.02, -0.08))

    assert len(completed(log, "change_of_heart")) == 1


def test_a_swing_with_nothing_after_it_or_a_change_toward_someone_else_is_no_change_of_heart():
    log = Script()
    log.swing("Tom", "Bob", sentiment=(0.4, -0.6))
    log.rel("Bob", "Alice", "rival", previous="friend")
    log.talk("Tom", "insult", "Bob", before=(0.5, 0.5), after=(0.4, 0.4))

    assert completed(log, "change_of_heart") == []


def test_a_new_kind_of_relationship_without_a_swing_is_no_change_of_heart():
    log = Script()
    log.rel("Bob", "Tom", "acquaintance", previous="friend")
    log.talk("Tom", "compliment", "Bob", before=(-0.05, -0.1), after=(0.02, -0.08))

    assert completed(log, "change_of_heart") == []


# -- on the board ----------------------------------------------------------------------------


def quarrel_in_a_conversation(log: Script) -> None:
    """Tom insults his friend Bob: a sharp swing at the first insult, Bob sees him as a mere
    acquaintance after the second (change of heart), cold after the fourth (falling-out)."""
    log.talk("Tom", "insult", "Bob", before=(0.5, 0.5), after=(0.4, 0.4))
    log.swing("Tom", "Bob", sentiment=(0.2, -0.6))
    log.talk("Tom", "insult", "Bob", before=(0.4, 0.4), after=(0.3, 0.3))
    log.talk("Tom", "insult", "Bob", before=(0.3, 0.3), after=(0.2, 0.2))
    log.rel("Bob", "Tom", "acquaintance", previous="friend")
    log.talk("Tom", "threaten", "Bob", before=(0.2, 0.2), after=(0.05, -0.05))


def test_a_change_of_heart_and_a_falling_out_of_one_pair_are_one_story():
    log = Script()
    quarrel_in_a_conversation(log)

    [story] = board_of(log).stories()

    assert {p.name for p in story.participants} == {"Bob", "Tom"}
    assert {m.split(":")[0] for m in story.matches} == {"change_of_heart", "falling_out"}
    assert "Bob turned cold toward Tom" in story.summary


def test_sifting_turn_by_turn_tells_the_same_one_story():
    log = Script()
    quarrel_in_a_conversation(log)

    at_once = board_of(log).stories()
    by_turn = board_of(log, turn_by_turn=True).stories()

    assert [(s.key, s.title, s.matches) for s in by_turn] == [
        (s.key, s.title, s.matches) for s in at_once
    ]


def test_a_story_a_turn_resolved_takes_the_next_turns_match_of_its_people():
    # Won over (it resolves), then at once a swing and a new kind: the change of heart that
    # follows is part of the same story, even sifted turn by turn.
    log = Script()
    compliments(log, COLD, 0.4)
    log.swing("Tom", "Bob", sentiment=(-0.2, 0.7), moods=("anger", "joy"))
    log.rel("Bob", "Tom", "friend", previous="acquaintance")

    [story] = board_of(log, turn_by_turn=True).stories()

    assert {m.split(":")[0] for m in story.matches} == {"won_over", "change_of_heart"}


def test_a_new_quarrel_long_after_a_resolved_story_is_a_new_story():
    log = Script()
    compliments(log, COLD, 0.4)
    log.wait(100)  # the winning over is closed, still on the board
    insults(log, (0.5, 0.5), -0.1)

    stories = board_of(log, turn_by_turn=True).stories()

    assert [s.pattern for s in stories] == ["won_over", "falling_out"]


# -- the predicates --------------------------------------------------------------------------


def binds(predicate, event) -> list[dict[str, str]]:
    return [{k: v for k, (v, _) in p.items()} for p in predicate.bind(event.data, {})]


def test_a_confidence_binds_the_persona_and_the_character_who_confided():
    log = Script()
    told = log.talk("Tom", "share_secret", "Bob", before=(0.6, 0.6), after=(0.65, 0.7))

    assert binds(talk(persona="p", character="a"), told) == [
        {"p": character_id("Tom"), "a": character_id("Bob")}
    ]


def test_an_interaction_between_characters_is_no_talk():
    log = Script()
    said = log.act("Alice", "compliment", "Bob")

    assert binds(talk(persona="p", character="a"), said) == []


def test_an_arc_swing_reads_its_direction_size_and_reversal():
    log = Script()
    colder = log.swing("Tom", "Bob", sentiment=(0.3, -0.5), size=0.8)
    milder = log.swing("Tom", "Bob", sentiment=(0.1, 0.7), size=0.6)

    assert binds(arc_swing(persona="p", character="a", direction="colder"), colder)
    assert not binds(arc_swing(persona="p", character="a", direction="warmer"), colder)
    assert binds(arc_swing(persona="p", character="a", reversal=True), colder)
    assert not binds(arc_swing(persona="p", character="a", reversal=True), milder)
    assert not binds(arc_swing(persona="p", character="a", min_swing=0.7), milder)


def test_a_goal_reached_with_several_characters_binds_each_of_them():
    log = Script()
    reached = log.reached("Tom", "be friends", "Bob", "Eve", goal_kind="relationship",
                          axis="strength")  # fmt: skip

    assert binds(talk_goal(persona="p", character="a"), reached) == [
        {"p": character_id("Tom"), "a": character_id("Bob")},
        {"p": character_id("Tom"), "a": character_id("Eve")},
    ]
    assert binds(talk_goal(persona="p", character="a", axes=("trust",)), reached) == []
