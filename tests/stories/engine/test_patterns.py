"""Each pattern of the library: a scripted sequence that must match, and near misses that
must not (wrong order, wrong people, outside the window, killed by an unless)."""

from __future__ import annotations

import random

from stories.engine.patterns import PATTERNS, PATTERNS_BY_KEY
from stories.engine.script import Script
from stories.engine.sifting import COMPLETE, KILLED, MatchUpdate, Sifter


def sift(log: Script) -> list[MatchUpdate]:
    return Sifter(PATTERNS).feed(log.events)


def completed(log: Script, pattern: str) -> list[MatchUpdate]:
    return [u for u in sift(log) if u.pattern == pattern and u.status == COMPLETE]


def shown(log: Script, pattern: str) -> list[MatchUpdate]:
    return [u for u in sift(log) if u.pattern == pattern]


# -- escalating conflict ---------------------------------------------------------------------


def quarrel(log: Script, a: str = "Alice", b: str = "Bob") -> None:
    log.act(a, "argue", b)
    log.wait(2)
    log.act(b, "insult", a)
    log.wait(2)


def test_arguing_insulting_and_threatening_between_one_pair_is_an_escalating_conflict():
    log = Script()
    quarrel(log)
    log.act("Alice", "threaten", "Bob")

    [done] = completed(log, "escalating_conflict")

    assert [b.label for b in done.beats] == ["friction", "insult", "threat"]
    assert {r.name for r in done.roles} == {"Alice", "Bob"}
    assert "Alice" in done.title and "Bob" in done.title


def test_a_conflict_is_shown_while_it_brews_with_the_threat_predicted():
    log = Script()
    quarrel(log)

    [brewing] = shown(log, "escalating_conflict")

    assert brewing.step == 2
    assert brewing.prediction == "Threats may follow between Alice and Bob"


def test_a_reconciliation_between_insult_and_threat_kills_the_conflict():
    log = Script()
    quarrel(log)
    log.act("Bob", "apologise", "Alice")
    log.act("Alice", "threaten", "Bob")

    updates = shown(log, "escalating_conflict")

    assert [u.status for u in updates] == ["progress", KILLED]
    assert updates[-1].ended_by is not None
    assert updates[-1].ended_by.text == "Bob apologised to Alice"


def test_hostility_climbing_the_ladder_in_the_wrong_order_is_no_escalation():
    log = Script()
    log.act("Alice", "threaten", "Bob")
    log.act("Bob", "insult", "Alice")
    log.act("Alice", "argue", "Bob")

    assert shown(log, "escalating_conflict") == []


def test_an_insult_to_someone_else_does_not_escalate_the_quarrel():
    log = Script()
    log.act("Alice", "argue", "Bob")
    log.act("Alice", "insult", "Carol")

    assert shown(log, "escalating_conflict") == []


def test_an_insult_long_after_the_argument_is_outside_the_window():
    log = Script()
    log.act("Alice", "argue", "Bob")
    log.wait(30)
    log.act("Bob", "insult", "Alice")

    assert shown(log, "escalating_conflict") == []


def test_a_threat_seen_as_a_conflict_escalation_is_the_climax_too():
    log = Script()
    quarrel(log)
    log.escalate("Bob", "Alice", 2, 3)

    assert completed(log, "escalating_conflict")


# -- rivalry ---------------------------------------------------------------------------------


def test_a_new_rival_who_keeps_clashing_is_a_rivalry():
    log = Script()
    log.rel("Alice", "Bob", "rival")
    log.wait(3)
    log.act("Bob", "disagree", "Alice")
    log.wait(3)
    log.act("Alice", "insult", "Bob")

    [done] = completed(log, "rivalry")

    assert done.genre == "rivalry"


def test_competing_goals_count_as_hostility_in_a_rivalry():
    log = Script()
    log.rel("Alice", "Bob", "rival")
    log.goal("Bob", "scheme", target="Alice")

    [update] = shown(log, "rivalry")

    assert update.step == 2
    assert update.plans == ("Bob means to scheme",)


def test_a_rival_who_clashes_with_someone_else_is_no_rivalry():
    log = Script()
    log.rel("Alice", "Bob", "rival")
    log.act("Alice", "argue", "Carol")
    log.act("Alice", "insult", "Carol")

    assert shown(log, "rivalry") == []


def test_a_relationship_that_was_already_rivalry_starts_nothing():
    log = Script()
    log.rel("Alice", "Bob", "rival", previous="rival")
    log.act("Bob", "argue", "Alice")

    assert shown(log, "rivalry") == []


# -- courtship -------------------------------------------------------------------------------


def court(log: Script, a: str = "Alice", b: str = "Bob") -> None:
    log.act(a, "flirt", b)
    log.wait(5)
    log.rel(b, a, "romantic_interest", previous="friend")
    log.wait(20)


def test_flirting_then_falling_for_each_other_then_pairing_up_is_a_courtship():
    log = Script()
    court(log)
    log.rel("Alice", "Bob", "partner", previous="romantic_interest")

    [done] = completed(log, "courtship")

    assert done.resolves
    assert [b.text for b in done.beats][1:] == [
        "Sparks flew between Alice and Bob",
        "Alice and Bob became a couple",
    ]


def test_falling_for_someone_never_flirted_with_is_no_courtship():
    log = Script()
    log.rel("Bob", "Alice", "romantic_interest", previous="friend")
    log.rel("Alice", "Bob", "partner", previous="romantic_interest")

    assert shown(log, "courtship") == []


def test_an_insult_between_flirt_and_spark_kills_the_courtship():
    log = Script()
    log.act("Alice", "flirt", "Bob")
    log.act("Bob", "insult", "Alice")
    log.rel("Bob", "Alice", "romantic_interest", previous="friend")

    assert shown(log, "courtship") == []


# -- love triangle ---------------------------------------------------------------------------


def test_a_second_suitor_and_a_clash_between_the_suitors_is_a_love_triangle():
    log = Script()
    log.rel("Alice", "Bob", "partner", previous="romantic_interest")
    log.wait(4)
    log.act("Carol", "flirt", "Bob")
    log.wait(4)
    log.act("Alice", "argue", "Carol")

    [done] = completed(log, "love_triangle")

    assert [r.id for r in done.roles] == ["id-alice", "id-bob", "id-carol"]
    assert done.beats[-1].text == "Alice and Carol clashed over Bob"


def test_a_flirt_with_someone_else_makes_no_triangle():
    log = Script()
    log.rel("Alice", "Bob", "partner", previous="romantic_interest")
    log.act("Carol", "flirt", "Dave")
    log.act("Alice", "argue", "Carol")

    assert shown(log, "love_triangle") == []


def test_a_triangle_waits_for_the_suitor_it_involves():
    log = Script()
    log.rel("Alice", "Bob", "partner", previous="romantic_interest")
    log.act("Carol", "flirt", "Bob")
    log.act("Dave", "flirt", "Bob")
    log.act("Alice", "insult", "Dave")

    [done] = completed(log, "love_triangle")

    assert done.roles[2].name == "Dave"


# -- betrayal --------------------------------------------------------------------------------


def test_a_betrayal_by_a_confidant_is_shown_at_once_and_completes_when_the_victim_turns():
    log = Script()
    log.act("Diana", "confide", "Eve")
    log.wait(10)
    log.act("Eve", "betray", "Diana")
    log.wait(2)
    log.rel("Diana", "Eve", "enemy", previous="friend")

    updates = shown(log, "betrayal")

    assert [u.status for u in updates] == ["progress", COMPLETE]
    assert updates[0].reached_climax
    titles = {"The Betrayal of Diana", "Eve's Treachery", "A Knife in Diana's Back"}
    assert updates[0].title in titles


def test_a_big_trust_drop_after_friendship_counts_as_betrayal():
    log = Script()
    log.rel("Diana", "Eve", "friend")
    log.rel("Diana", "Eve", "acquaintance", previous="friend", trust_delta=-0.4)

    assert [u.step for u in shown(log, "betrayal")] == [2]


def test_a_betrayal_without_trust_built_first_is_no_story():
    log = Script()
    log.act("Eve", "betray", "Diana")

    assert shown(log, "betrayal") == []


def test_a_betrayal_by_someone_else_than_the_trusted_one_is_no_betrayal_story():
    log = Script()
    log.act("Diana", "confide", "Eve")
    log.act("Frank", "betray", "Diana")

    assert shown(log, "betrayal") == []


# -- alliance --------------------------------------------------------------------------------


def test_an_alliance_is_news_when_formed_and_ends_when_broken():
    log = Script()
    log.alliance("formed", "The Oak Circle", "Alice", "Bob", "Carol")
    log.wait(10)
    log.alliance("broken", "The Oak Circle", "Alice", "Bob")

    updates = shown(log, "alliance")

    assert [u.status for u in updates] == ["progress", COMPLETE]
    assert updates[0].beats[0].text == "Alice and Bob formed The Oak Circle"
    assert updates[1].beats[1].text == "The Oak Circle fell apart"


def test_another_alliance_breaking_does_not_end_this_one():
    log = Script()
    log.alliance("formed", "The Oak Circle", "Alice", "Bob")
    log.alliance("broken", "The Ash Club", "Carol", "Dave")

    assert [u.status for u in shown(log, "alliance")] == ["progress"]


# -- reconciliation --------------------------------------------------------------------------


def test_an_apology_after_a_rift_then_warmth_is_a_reconciliation():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.wait(5)
    log.act("Alice", "apologise", "Bob")
    log.wait(5)
    log.act("Bob", "help", "Alice")

    [done] = completed(log, "reconciliation")

    assert done.resolves and done.genre == "reconciliation"


def test_an_apology_to_someone_else_reconciles_nobody():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Alice", "apologise", "Carol")
    log.act("Bob", "help", "Alice")

    assert shown(log, "reconciliation") == []


def test_warmth_before_the_apology_is_not_a_reconciliation():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.act("Bob", "help", "Alice")

    assert shown(log, "reconciliation") == []


# -- secret ----------------------------------------------------------------------------------


def test_a_secret_passed_on_hop_by_hop_is_a_mystery():
    log = Script()
    log.act("Alice", "share_secret", "Bob")
    log.wait(3)
    log.gossip("Bob", "Carol", about="Alice", fact="Alice forged the will")
    log.wait(3)
    log.gossip("Carol", "Dave", about="Alice", fact="Alice forged the will")

    [done] = completed(log, "secret")

    assert done.genre == "mystery"
    assert done.topics == {"f": "Alice forged the will"}
    assert [r.name for r in done.roles] == ["Alice", "Bob", "Carol", "Dave"]


def test_a_rumour_the_director_planted_and_passed_on_is_a_mystery():
    log = Script()
    log.director("rumour", "Bob", "Alice", "Carol")
    log.wait(2)
    log.gossip("Bob", "Carol", about="Alice", fact="People say Alice is hiding something.")
    log.gossip("Carol", "Dave", about="Alice", fact="People say Alice is hiding something.")

    [done] = completed(log, "secret")

    assert [r.name for r in done.roles][:2] == ["Alice", "Bob"]


def test_a_rumour_about_someone_else_does_not_start_this_mystery():
    log = Script()
    log.director("rumour", "Bob", "Erin")
    log.gossip("Bob", "Carol", about="Alice", fact="Alice forged the will")

    assert shown(log, "secret") == []


def test_other_gossip_from_the_listener_does_not_spread_the_secret():
    log = Script()
    log.act("Alice", "share_secret", "Bob")
    log.gossip("Bob", "Carol", about="Alice", fact="Alice forged the will")
    log.gossip("Carol", "Dave", about="Erin", fact="Erin sings badly")

    assert [u.step for u in shown(log, "secret")] == [2]


def test_gossip_about_someone_else_does_not_leak_the_secret():
    log = Script()
    log.act("Alice", "share_secret", "Bob")
    log.gossip("Bob", "Carol", about="Erin", fact="Erin sings badly")

    assert shown(log, "secret") == []


# -- redemption ------------------------------------------------------------------------------


def test_a_wrongdoer_who_makes_amends_and_regains_trust_is_redeemed():
    log = Script()
    log.act("Eve", "betray", "Diana")
    log.wait(10)
    log.act("Eve", "apologise", "Diana")
    log.wait(2)
    log.rel("Diana", "Eve", "acquaintance", previous="enemy", trust_delta=0.1)

    [done] = completed(log, "redemption")

    assert done.beats[-1].text == "Diana began to trust Eve again"


def test_wronging_again_before_forgiveness_undoes_the_amends():
    log = Script()
    log.act("Eve", "betray", "Diana")
    log.act("Eve", "apologise", "Diana")
    log.act("Eve", "insult", "Diana")
    log.rel("Diana", "Eve", "acquaintance", previous="enemy", trust_delta=0.1)

    statuses = [u.status for u in shown(log, "redemption") if u.match_id.count("/") == 0]
    assert KILLED in statuses
    assert COMPLETE not in statuses[: statuses.index(KILLED) + 1]


def test_amends_made_by_someone_else_redeem_nobody():
    log = Script()
    log.act("Eve", "betray", "Diana")
    log.act("Frank", "apologise", "Diana")

    assert shown(log, "redemption") == []


# -- power struggle --------------------------------------------------------------------------


def test_two_characters_courting_the_same_favour_and_clashing_is_a_power_struggle():
    log = Script()
    log.act("Mayor", "greeting", "Alice")  # names come from earlier events
    log.goal("Alice", "impress", target="Mayor")
    log.wait(3)
    log.goal("Bob", "scheme", target="Mayor")
    log.wait(3)
    log.act("Alice", "argue", "Bob")

    [done] = completed(log, "power_struggle")

    assert done.genre == "power"
    assert done.title in {"The Contest for Mayor", "Alice and Bob Vie for Mayor"}


def test_ambitions_aimed_at_different_people_are_no_power_struggle():
    log = Script()
    log.goal("Alice", "impress", target="Mayor")
    log.goal("Bob", "scheme", target="Judge")
    log.act("Alice", "argue", "Bob")

    assert shown(log, "power_struggle") == []


def test_a_feud_that_splits_into_rival_alliances_is_a_power_struggle():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.alliance("formed", "The Oak Circle", "Alice", "Carol")
    log.alliance("formed", "The Ash Club", "Bob", "Dave")

    [done] = completed(log, "rival_factions")

    assert done.topics == {"g": "The Oak Circle", "h": "The Ash Club"}


def test_an_alliance_joined_by_both_feuding_sides_is_no_rival_faction():
    log = Script()
    log.act("Alice", "insult", "Bob")
    log.alliance("formed", "The Oak Circle", "Alice", "Bob")

    assert shown(log, "rival_factions") == []


# -- revenge ---------------------------------------------------------------------------------


def test_a_vow_of_revenge_carried_out_is_a_revenge_story():
    log = Script()
    log.act("Bob", "insult", "Alice")
    log.goal("Alice", "revenge", target="Bob", text="Alice plans to humiliate Bob")
    log.wait(5)
    log.act("Alice", "deceive", "Bob")

    [done] = completed(log, "revenge")

    assert done.beats[1].text == "Alice swore revenge on Bob"


def test_revenge_sworn_on_someone_else_is_not_this_revenge():
    log = Script()
    log.act("Bob", "insult", "Alice")
    log.goal("Alice", "revenge", target="Carol")

    assert shown(log, "revenge") == []


# -- the library as a whole ------------------------------------------------------------------


def test_neutral_chatter_among_many_characters_yields_no_story():
    rng = random.Random(7)
    names = [f"C{i}" for i in range(200)]
    log = Script()
    for _ in range(5000):
        a, b = rng.sample(names, 2)
        log.act(a, rng.choice(("small_talk", "greeting", "joke")), b)
        if rng.random() < 0.1:
            log.rel(b, a, "acquaintance", previous="stranger", trust_delta=0.02)
        if rng.random() < 0.05:
            log.wait(1)

    assert sift(log) == []


def test_pattern_keys_are_unique_and_every_pattern_has_titles():
    assert len(PATTERNS_BY_KEY) == len(PATTERNS)
    assert all(p.titles and p.genre for p in PATTERNS)
