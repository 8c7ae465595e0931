"""Goals: parsing, progress from what was done, new short-term goals, expiry."""

from __future__ import annotations

import pytest

from ecosystems.engine.goals import (
    SHORT,
    Goal,
    goal_from_dict,
    goals_from_character,
    goals_to_json,
    parse_goal,
)
from ecosystems.engine.goals.progress import (
    COMPLETED,
    CREATED,
    EXPIRED,
    PROGRESS,
    PROGRESS_STEP,
    SETBACK,
    goals_after_tick,
    progress_delta,
)
from ecosystems.engine.knowledge import KnowledgeItem, secret_key
from ecosystems.engine.names import NameIndex
from ecosystems.engine.world import Agent
from tests.ecosystems.engine.builders import (
    FRIENDS,
    RIVALS,
    act,
    both,
    build,
    person,
    play,
    view,
)

NAMES = NameIndex(
    {
        "alice": "Alice",
        "bob": "Bob",
        "eve": "Eve",
        "diana": "Diana",
        "frank": "Frank",
        "ash": "Lady Ashworth",
    }
)


@pytest.mark.parametrize(
    ("description", "intent", "target"),
    [
        ("Win Alice's heart", "court", "alice"),
        ("Marry Bob before the autumn", "court", "bob"),
        ("Find the courage to court Alice", "court", "alice"),
        ("Ask Alice to walk with him to the gazebo", "court", "alice"),
        ("Marry into the Ashworth family", "court", "ash"),
        ("Become friends with Eve", "befriend", "eve"),
        ("Get to know Diana", "befriend", "diana"),
        ("Make sure nobody stands alone at tea", "befriend", None),
        ("Take revenge on Eve", "revenge", "eve"),
        ("Get back at Bob for the insult", "revenge", "bob"),
        ("Make Eve pay for what she did", "revenge", "eve"),
        ("Find out who took Lady Ashworth's locket", "investigate", "ash"),
        ("Discover Diana's secret", "investigate", "diana"),
        ("Learn the truth about Frank", "investigate", "frank"),
        ("Find out what Diana is hiding", "investigate", "diana"),
        ("Find the locket", "investigate", None),
        ("Impress Diana", "impress", "diana"),
        ("Be admired by the whole county", "impress", None),
        ("Earn Bob's respect", "impress", "bob"),
        ("Become the most talked-about wit in the county", "impress", None),
        ("Win the county rose-growing prize", "impress", None),
        ("Protect Diana from Eve", "protect", "diana"),
        ("Help Bob with the roses", "protect", "bob"),
        ("Look after Frank", "protect", "frank"),
        ("Make amends with Bob", "reconcile", "bob"),
        ("Reconcile with Eve", "reconcile", "eve"),
        ("Bring the feuding guests together", "reconcile", None),
        ("Hide the letters", "keep_secret", None),
        ("Keep my debts secret from Eve", "keep_secret", "eve"),
        ("Return the locket without anyone learning she took it", "keep_secret", None),
        ("Become the lady of the house", "scheme", None),
        ("Control the garden committee", "scheme", None),
        ("Rule the county", "scheme", None),
        ("Inherit the estate", "scheme", None),
        ("Avoid Eve's questions about the locket", "avoid", "eve"),
        ("Leave the party early without offending the hostess", "avoid", None),
        ("Stage a prank at the lily pond", "mischief", None),
        ("Paint the gazebo", "other", None),
    ],
)
def test_goal_descriptions_parse_to_an_intent_and_a_named_target(description, intent, target):
    parsed = parse_goal(description, NAMES)
    assert (parsed.intent, parsed.target_id) == (intent, target)


def test_the_character_itself_is_never_its_own_goals_target():
    assert parse_goal("Make Alice proud of Bob", NAMES, self_id="alice").target_id == "bob"


def test_the_topic_keeps_what_a_goal_is_about_without_names_or_goal_words():
    parsed = parse_goal("Find out who took Lady Ashworth's locket", NAMES)
    assert "locket" in parsed.topic
    assert "lady" not in parsed.topic
    assert "find" not in parsed.topic


def test_goals_round_trip_through_the_models_json_shape():
    goals = goals_from_character(
        "frank",
        NAMES,
        long_term=[{"description": "Find the courage to court Alice", "progress": 0.1}],
        short_term=["Ask Alice to walk with him"],
        core_motivations=["to be dependable"],
    )
    assert [g.horizon for g in goals] == ["core", "long", "short"]
    long_term, short_term = goals_to_json(goals)
    assert long_term[0]["description"] == "Find the courage to court Alice"
    assert long_term[0]["progress"] == 0.1
    again = goal_from_dict(long_term[0], "long", NAMES, self_id="frank")
    assert (again.key, again.intent, again.target_id) == (goals[1].key, "court", "alice")
    assert short_term[0]["intent"] == "court"


def _world_with(goal_by: dict[str, list[str]], *people, rels=()):
    return build(people, rels, goals=goal_by)


def test_an_act_that_serves_a_goal_moves_it_by_the_documented_step():
    frank = person("Frank", agreeableness=0.7)
    alice = person("Alice", agreeableness=0.9)
    world = _world_with(
        {"frank": ["Win Alice's heart"]}, frank, alice, rels=both("frank", "alice", FRIENDS)
    )
    result = play(world, ["frank", "alice"], [act("frank", "alice", "compliment")])
    outcome = result.executed[0].outcome
    goal = world.agents["frank"].goals[0]
    delta, milestone = progress_delta(goal, result.executed[0].action, outcome, tick=5)
    moved = outcome.target_view.after.strength - outcome.target_view.before.strength
    expected = PROGRESS_STEP[SHORT] * 0.7 * min(1.5, outcome.felt_valence + 5.0 * moved)
    assert not milestone
    assert delta == pytest.approx(expected)
    after = goals_after_tick(world, [result], tick=5)
    (event,) = [e for e in after.events if e.kind == PROGRESS]
    assert event.character_id == "frank"
    assert event.text.startswith("Frank came a step closer to the aim to win Alice's heart")
    assert after.goals["frank"][0].progress == pytest.approx(delta)


def test_an_act_toward_someone_else_does_not_serve_a_targeted_goal():
    world = _world_with(
        {"frank": ["Win Alice's heart"]},
        person("Frank"),
        person("Alice"),
        person("Bob"),
        rels=both("frank", "bob", FRIENDS),
    )
    result = play(world, ["frank", "bob"], [act("frank", "bob", "compliment")])
    after = goals_after_tick(world, [result], tick=5)
    assert not [e for e in after.events if e.kind == PROGRESS]


def test_an_unwelcome_advance_sets_the_goal_back():
    world = _world_with(
        {"eve": ["Win Diana's heart"]},
        person("Eve"),
        person("Diana", neuroticism=0.9, agreeableness=0.2),
        rels=[("eve", "diana", view(0.2, 0.1, 0.3)), ("diana", "eve", view(-0.8, -0.7, 0.5))],
    )
    result = play(world, ["eve", "diana"], [act("eve", "diana", "flirt")])
    assert result.executed[0].outcome.felt_valence < 0
    goal = world.agents["eve"].goals[0]
    delta, _ = progress_delta(goal, result.executed[0].action, result.executed[0].outcome, 5)
    assert delta < 0


def test_courting_is_won_when_the_target_becomes_fond():
    world = _world_with(
        {"frank": ["Win Alice's heart"]},
        person("Frank", openness=0.8, extraversion=0.8),
        person("Alice", openness=0.8),
        rels=[
            ("frank", "alice", view(0.6, 0.5, 0.6, 0.8)),
            ("alice", "frank", view(0.5, 0.5, 0.6, 0.44)),
        ],
    )
    result = play(world, ["frank", "alice"], [act("frank", "alice", "flirt")])
    assert result.executed[0].outcome.target_view.after.kind == "romantic_interest"
    after = goals_after_tick(world, [result], tick=5)
    assert [e.kind for e in after.events if e.character_id == "frank"] == [COMPLETED]
    assert "frank" in after.goals
    assert after.goals["frank"] == ()  # done short-term goals are dropped


def test_learning_a_matching_secret_completes_an_investigation():
    world = _world_with(
        {"eve": ["Find out who took Lady Ashworth's locket"]},
        person("Eve"),
        person("Diana"),
    )
    item = KnowledgeItem("secret:diana:1", "I took Lady Ashworth's locket.", about_id="diana")
    after = goals_after_tick(world, [], tick=5, learned={"eve": [item]})
    assert [e.kind for e in after.events] == [COMPLETED]
    assert "learned: I took Lady Ashworth's locket." in after.events[0].text


def test_a_secret_getting_out_sets_back_its_owners_keep_secret_goal():
    diana = person("Diana", secrets=["I have the locket in my parasol."])
    world = build([diana, person("Eve")])
    goal = Goal("long:1", "Keep the locket secret", 0.5, "long", "keep_secret", topic=("locket",))
    world = world.evolve(agents={**world.agents, "diana": Agent(diana, 1.0, (goal,))})
    key = secret_key("diana", diana.secrets[0])
    told = KnowledgeItem(key, diana.secrets[0], about_id="diana", source="told", source_id="x")
    after = goals_after_tick(world, [], tick=5, learned={"eve": [told]})
    (event,) = after.events
    assert event.kind == SETBACK
    assert "Eve learned the secret" in event.text
    assert after.goals["diana"][0].progress < 0.5


def test_an_insult_gives_the_victim_a_revenge_goal_against_the_offender():
    world = build(
        [person("Eve", agreeableness=0.1), person("Bob", agreeableness=0.2)],
        both("eve", "bob", RIVALS),
    )
    result = play(world, ["eve", "bob"], [act("eve", "bob", "insult")])
    after = goals_after_tick(world, [result], tick=5)
    (goal,) = after.goals["bob"]
    assert (goal.intent, goal.target_id, goal.horizon) == ("revenge", "eve", SHORT)
    assert goal.description == "Get back at Eve for the insult"
    assert goal.expires_tick is not None and goal.expires_tick > 5
    assert any(e.kind == CREATED and e.character_id == "bob" for e in after.events)


def test_a_flirt_that_landed_well_makes_its_initiator_court():
    world = build(
        [person("Frank", openness=0.8, extraversion=0.8), person("Alice", openness=0.8)],
        [
            ("frank", "alice", view(0.5, 0.4, 0.5, 0.5)),
            ("alice", "frank", view(0.5, 0.4, 0.5, 0.3)),
        ],
    )
    result = play(world, ["frank", "alice"], [act("frank", "alice", "flirt")])
    assert result.executed[0].outcome.felt_valence >= 0.3
    after = goals_after_tick(world, [result], tick=5)
    assert [(g.intent, g.target_id) for g in after.goals["frank"]] == [("court", "alice")]


def test_an_argument_between_friends_makes_both_want_to_make_amends():
    world = build(
        [person("Alice", agreeableness=0.9), person("Bob", agreeableness=0.9)],
        both("alice", "bob", FRIENDS),
    )
    result = play(world, ["alice", "bob"], [act("alice", "bob", "argue")])
    after = goals_after_tick(world, [result], tick=5)
    assert [(g.intent, g.target_id) for g in after.goals["alice"]] == [("reconcile", "bob")]
    assert [(g.intent, g.target_id) for g in after.goals["bob"]] == [("reconcile", "alice")]


def test_hearing_a_secret_that_names_someone_makes_a_curious_character_investigate_them():
    world = build(
        [
            person("Eve", openness=0.9, agreeableness=0.2),
            person("Frank"),
            person("Diana", secrets=["I have the locket."]),
        ]
    )
    heard = KnowledgeItem(
        "secret:frank:1",
        "I saw Diana near the rooms.",
        about_id="frank",
        mentions=("diana",),
        source="told",
        source_id="frank",
    )
    after = goals_after_tick(world, [], tick=5, learned={"eve": [heard]})
    (goal,) = after.goals["eve"]
    assert (goal.intent, goal.target_id) == ("investigate", "diana")
    assert goal.description == "Find out what Diana is hiding"


def test_a_friend_who_sees_someone_threatened_wants_to_protect_them():
    world = build(
        [person("Eve", agreeableness=0.1), person("Diana"), person("Charlie")],
        [*both("eve", "diana", RIVALS), ("charlie", "diana", FRIENDS)],
    )
    result = play(world, ["eve", "diana", "charlie"], [act("eve", "diana", "threaten")])
    after = goals_after_tick(world, [result], tick=5)
    (goal,) = after.goals["charlie"]
    assert (goal.intent, goal.target_id, goal.adversary_id) == ("protect", "diana", "eve")
    assert goal.description == "Protect Diana from Eve"


def test_no_duplicate_goals_and_short_goals_expire():
    world = build(
        [person("Eve", agreeableness=0.1), person("Bob", agreeableness=0.1)],
        both("eve", "bob", RIVALS),
        goals={"bob": ["Get back at Eve"]},
    )
    result = play(world, ["eve", "bob"], [act("eve", "bob", "insult")])
    after = goals_after_tick(world, [result], tick=5)
    bob = after.goals.get("bob", world.agents["bob"].goals)
    assert [(g.intent, g.target_id) for g in bob] == [("revenge", "eve")]

    fresh = build(
        [person("Eve", agreeableness=0.1), person("Bob", agreeableness=0.1)],
        both("eve", "bob", RIVALS),
    )
    made = goals_after_tick(
        fresh, [play(fresh, ["eve", "bob"], [act("eve", "bob", "insult")])], tick=5
    ).goals["bob"]
    later = fresh.evolve(
        agents={**fresh.agents, "bob": Agent(fresh.agents["bob"].snapshot, 1.0, made)}
    )
    expiry = made[0].expires_tick
    gone = goals_after_tick(later, [], tick=expiry - 1)
    assert gone.goals["bob"] == ()
    assert [e.kind for e in gone.events] == [EXPIRED]
