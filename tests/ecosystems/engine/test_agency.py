"""Action choice, rest, scenes: who does what to whom, and with whom."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from ecosystems.engine.agency import (
    MAX_SCENE_SIZE,
    acting_chance,
    action_context,
    plan_tick,
    rest_gain,
)
from ecosystems.engine.knowledge import KnowledgeItem, secret_key
from ecosystems.engine.simulate import simulate_tick
from ecosystems.engine.world import REST_BELOW, Agent, TickPlan, World
from tests.ecosystems.engine.builders import FRIENDS, RIVALS, both, build, person, view
from tests.ecosystems.engine.synthetic import society

HOSTILE = {"insult", "threaten", "deceive", "betray", "argue", "tease", "disagree"}
FRIENDLY = {
    "small_talk",
    "joke",
    "confide",
    "help",
    "compliment",
    "gift",
    "greeting",
    "ask_for_help",
    "tease",
    "gossip",
    "share_secret",
}


def actions_of(plan: TickPlan, initiator: str):
    return [a for a in plan.actions if a.initiator_id == initiator]


def plans(world: World, seeds=range(20), tick: int = 5) -> list[TickPlan]:
    return [plan_tick(world, tick=tick, minutes=10, rng=random.Random(s)) for s in seeds]


def assert_sane(plan: TickPlan, world: World) -> None:
    seen: list[str] = []
    for scene in plan.scenes:
        assert 2 <= len(scene.participants) <= MAX_SCENE_SIZE
        seen += scene.participants
        for action in scene.actions:
            assert action.initiator_id in scene.participants
            assert action.target_id in scene.participants
            assert action.initiator_id != action.target_id
    assert len(seen) == len(set(seen)), "a character is in two scenes"
    initiators = [a.initiator_id for a in plan.actions]
    assert len(initiators) == len(set(initiators)), "a character acts twice"
    resting = {r.character_id for r in plan.resting}
    idle = {r.character_id for r in plan.idle}
    assert not resting & set(seen) and not idle & set(seen) and not resting & idle
    assert set(seen) | resting | idle == set(world.agents)


def test_a_vengeful_character_goes_after_the_one_who_betrayed_them():
    world = build(
        [person("Bob", agreeableness=0.3), person("Eve"), person("Alice"), person("Charlie")],
        [
            ("bob", "eve", view(-0.6, -0.7, 0.6)),
            ("eve", "bob", view(0.2, 0.1, 0.6)),
            *both("bob", "alice", FRIENDS),
            *both("bob", "charlie", FRIENDS),
        ],
        goals={"bob": ["Get back at Eve for the betrayal"]},
    )
    bob_acts = [a for plan in plans(world) for a in actions_of(plan, "bob")]
    at_eve = [a for a in bob_acts if a.target_id == "eve"]
    # Bob goes after Eve unless friends pulled him into a scene she is not in.
    assert len(bob_acts) >= 15 and len(at_eve) >= 0.8 * len(bob_acts)
    assert all(a.kind in HOSTILE for a in at_eve)
    assert all("Bob wants revenge on Eve" in a.reason for a in at_eve)
    assert {a.intent for a in at_eve} == {"revenge"}


def test_a_suitor_flirts_with_the_one_they_court():
    world = build(
        [person("Frank", extraversion=0.6, openness=0.6), person("Alice"), person("Bob")],
        [
            ("frank", "alice", view(0.5, 0.5, 0.5, 0.6)),
            ("alice", "frank", FRIENDS),
            *both("frank", "bob", FRIENDS),
        ],
        goals={"frank": ["Win Alice's heart"]},
    )
    frank_acts = [a for plan in plans(world) for a in actions_of(plan, "frank")]
    assert frank_acts and all(a.target_id == "alice" for a in frank_acts)
    kinds = Counter(a.kind for a in frank_acts)
    assert set(kinds) <= {"flirt", "compliment", "gift"}
    assert kinds.most_common(1)[0][0] == "flirt"
    assert all("Frank is courting Alice" in a.reason for a in frank_acts)


def test_friends_chat():
    world = build(
        [person("Alice", agreeableness=0.8), person("Bob", agreeableness=0.8)],
        both("alice", "bob", FRIENDS),
    )
    acts = [a for plan in plans(world) for a in plan.actions]
    assert acts
    assert all(a.kind in FRIENDLY for a in acts)
    assert Counter(a.kind for a in acts).keys() & {"small_talk", "joke", "confide", "help"}
    assert any("Alice and Bob are close friends" in a.reason for a in acts)


def test_someone_to_avoid_is_left_alone():
    world = build(
        [person("Diana"), person("Eve"), person("Charlie")],
        [*both("diana", "eve", view(0.1, 0.1, 0.5)), *both("diana", "charlie", FRIENDS)],
        goals={"diana": ["Avoid Eve's questions about the locket"]},
    )
    diana_acts = [a for plan in plans(world) for a in actions_of(plan, "diana")]
    assert diana_acts
    assert not [a for a in diana_acts if a.target_id == "eve"]


def test_no_endless_repetition_over_30_ticks():
    world = build(
        [
            person("Alice", agreeableness=0.8, extraversion=0.7),
            person("Bob", agreeableness=0.3),
            person("Charlie", extraversion=0.9, openness=0.8),
            person("Diana", neuroticism=0.8),
            person("Eve", agreeableness=0.2, openness=0.8),
            person("Frank", conscientiousness=0.9),
        ],
        [
            *both("alice", "bob", FRIENDS),
            *both("charlie", "diana", FRIENDS),
            *both("eve", "diana", RIVALS),
            ("frank", "alice", view(0.5, 0.5, 0.5, 0.6)),
            *both("alice", "charlie", view(0.2, 0.2, 0.3)),
            *both("bob", "eve", view(0.0, 0.0, 0.2)),
        ],
        goals={"frank": ["Win Alice's heart"], "eve": ["Get back at Diana"]},
    )
    rng = random.Random(3)
    done: list[tuple[int, str, str, str]] = []
    for tick in range(1, 31):
        world, report = simulate_tick(world, tick=tick, minutes=10, rng=rng)
        assert_sane(report.plan, world)
        done += [(tick, a.initiator_id, a.target_id, a.kind) for a in report.plan.actions]
    assert len({(i, t) for _, i, t, _ in done}) >= 8
    assert len({k for *_, k in done}) >= 8
    by_initiator: dict[str, list[tuple[int, str, str]]] = {}
    for tick, i, t, k in done:
        by_initiator.setdefault(i, []).append((tick, t, k))
    for initiator, acts in by_initiator.items():
        same = Counter((t, k) for _, t, k in acts).most_common(1)[0][1]
        assert same <= max(3, 0.4 * len(acts)), f"{initiator} repeats itself: {acts}"
        runs = 1
        for (t1, *a1), (t2, *a2) in itertools.pairwise(acts):
            runs = runs + 1 if a1 == a2 and t2 == t1 + 1 else 1
            assert runs <= 2, f"{initiator} did {a2} three ticks running"


def test_tired_characters_rest_and_regain_energy():
    world = build(
        [person("Alice"), person("Bob"), person("Diana", energy=0.1)],
        [
            *both("alice", "bob", FRIENDS),
            *both("alice", "diana", FRIENDS),
            *both("bob", "diana", FRIENDS),
        ],
    )
    plan = plan_tick(world, tick=1, minutes=10, rng=random.Random(0))
    (rest,) = [r for r in plan.resting if r.character_id == "diana"]
    assert rest.reason == "resting"
    assert rest.gain == pytest.approx(rest_gain(world.agents["diana"], 10))
    assert rest.gain > 0
    assert "diana" not in plan.participants
    energy, rng, tick = [0.1], random.Random(0), 0
    while energy[-1] < REST_BELOW:
        tick += 1
        world, report = simulate_tick(world, tick=tick, minutes=10, rng=rng)
        assert "diana" in {r.character_id for r in report.plan.resting}
        energy.append(world.agents["diana"].snapshot.social_energy)
    assert energy == sorted(energy) and len(energy) == 4  # 0.04 per 10 minutes


def test_idle_characters_regain_half_as_much():
    world = build([person("Alice")])
    plan = plan_tick(world, tick=1, minutes=60, rng=random.Random(0))
    (idle,) = plan.idle
    assert idle.reason == "idle"
    assert idle.after == pytest.approx(min(1.0, 1.0 + rest_gain(world.agents["alice"], 60) / 2))


def test_autonomy_scales_how_often_a_character_acts_on_its_own():
    p = person("Alice")
    assert acting_chance(Agent(p, 0.0)) < acting_chance(Agent(p, 0.5)) < acting_chance(Agent(p, 1))


def test_several_characters_converging_on_one_make_a_scene_of_three_or_more():
    suitors = ["frank", "bob", "charlie"]
    world = build(
        [person("Alice"), *(person(n.title(), extraversion=0.7) for n in suitors), person("Eve")],
        [
            rel
            for n in suitors
            for rel in (("alice", n, FRIENDS), (n, "alice", view(0.5, 0.5, 0.5, 0.6)))
        ],
        goals={n: ["Win Alice's heart"] for n in suitors},
    )
    for plan in plans(world, seeds=range(5)):
        assert_sane(plan, world)
        (scene,) = [s for s in plan.scenes if "alice" in s.participants]
        assert len(scene.participants) >= 3
        assert sum(a.target_id == "alice" for a in scene.actions) >= 2


def test_every_character_is_in_at_most_one_scene_and_acts_at_most_once():
    world = society(300)
    for plan in plans(world, seeds=range(3), tick=10):
        assert_sane(plan, world)
        assert plan.scenes and plan.resting and plan.idle


def test_the_same_seed_gives_the_same_plan():
    world = society(200)
    first = plan_tick(world, tick=10, minutes=10, rng=random.Random(42))
    again = plan_tick(world, tick=10, minutes=10, rng=random.Random(42))
    other = plan_tick(world, tick=10, minutes=10, rng=random.Random(43))
    assert first == again
    assert first != other


def test_the_same_seed_gives_the_same_story():
    def run():
        world, rng, out = society(60, seed=1), random.Random(9), []
        for tick in range(10, 20):
            world, report = simulate_tick(world, tick=tick, minutes=10, rng=rng)
            out.append((report.plan, report.goal_events, report.gossip, report.alliance_changes))
        return out

    assert run() == run()


def _teller_world(knows: bool) -> World:
    diana = person("Diana", secrets=["I have the locket."])
    key = secret_key("diana", "I have the locket.")
    heard = KnowledgeItem(
        key, "I have the locket.", about_id="diana", source="told", source_id="frank", tick=1
    )
    return build(
        [
            person("Charlie", openness=0.9, extraversion=0.9, conscientiousness=0.1),
            diana,
            person("Bob"),
        ],
        [*both("charlie", "bob", FRIENDS), ("charlie", "diana", view(0.0, 0.0, 0.3))],
        knowledge={"charlie": [heard]} if knows else None,
        autonomy=1.0,
    )


def test_gossip_needs_something_known_about_a_third():
    assert not [a for p in plans(_teller_world(False)) for a in p.actions if a.kind == "gossip"]
    gossip = [a for p in plans(_teller_world(True)) for a in p.actions if a.kind == "gossip"]
    assert gossip
    for action in gossip:
        assert (action.initiator_id, action.target_id, action.subject_id) == (
            "charlie",
            "bob",
            "diana",
        )
        assert action.fact.content == "I have the locket."


def test_the_interaction_context_carries_subject_secret_and_rift():
    world = _teller_world(True)
    gossip = next(a for p in plans(world) for a in p.actions if a.kind == "gossip")
    context = action_context(gossip, world, tick=5)
    assert context.subject.name == "Diana"
    assert context.tick == 5
    friends = build(
        [person("Alice", secrets=["I wrote the note."]), person("Bob")],
        both("alice", "bob", view(0.8, 0.9, 0.9)),
    )
    shared = next(
        (a for p in plans(friends, seeds=range(60)) for a in p.actions if a.kind == "share_secret"),
        None,
    )
    assert shared is not None
    assert action_context(shared, friends, tick=5).secret == "I wrote the note."
