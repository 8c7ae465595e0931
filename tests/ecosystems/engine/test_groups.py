"""Group dynamics: alliances, escalation, gossip along the graph, contagion."""

from __future__ import annotations

import itertools
import random
from collections import Counter

from characters.engine.types import EmotionState
from ecosystems.engine.agency import plan_tick
from ecosystems.engine.groups import (
    BROKEN,
    DEESCALATED,
    ESCALATED,
    FORMED,
    alliance_changes,
    alliance_key,
    alliance_name,
    alliance_relationship_kinds,
    contagion_pass,
    escalation_bonus,
    escalation_changes,
    escalations,
    hops_as_learned,
    spread_gossip,
)
from ecosystems.engine.knowledge import KnowledgeItem
from ecosystems.engine.world import Alliance, PastInteraction
from tests.ecosystems.engine.builders import FRIENDS, RIVALS, act, both, build, person, play, view

DECENT = ("kindness", "honesty", "loyalty")
ALLIES = view(0.6, 0.7, 0.7)


def _decent_folk(trust_view=ALLIES, values=DECENT, alliances=()):
    return build(
        [
            person("Alice", values=values),
            person("Frank", values=values),
            person("Bob", values=values),
            person("Eve", values=("ambition",)),
        ],
        [
            *both("alice", "frank", trust_view),
            *both("alice", "bob", trust_view),
            *both("frank", "bob", trust_view),
            *both("eve", "alice", view(0.1, 0.1, 0.3)),
        ],
        alliances=alliances,
    )


def test_an_alliance_forms_between_people_who_trust_each_other_and_share_values():
    world = _decent_folk()
    scene = play(world, ["alice", "frank"], [act("alice", "frank", "help")])
    (change,) = alliance_changes(world, [scene], tick=5)
    assert change.change == FORMED
    assert change.members == ("alice", "frank")
    assert change.name.startswith("The ") and change.name in change.reason
    assert "trust each other" in change.reason and "share" in change.reason
    assert change.key == alliance_key(["frank", "alice"])
    assert set(alliance_relationship_kinds(change, world).values()) == {"ally"}


def test_a_small_group_forms_when_everyone_qualifies_with_everyone():
    world = _decent_folk()
    scene = play(world, ["alice", "frank", "bob", "eve"], [act("alice", "frank", "help")])
    (change,) = alliance_changes(world, [scene], tick=5)
    assert change.members == ("alice", "bob", "frank")


def test_no_alliance_without_trust_or_anything_in_common():
    lukewarm = _decent_folk(trust_view=view(0.4, 0.2, 0.5))
    scene = play(lukewarm, ["alice", "frank"], [act("alice", "frank", "help")])
    assert alliance_changes(lukewarm, [scene], tick=5) == ()
    strangers_at_heart = build(
        [person("Alice", values=("kindness",)), person("Frank", values=("duty",))],
        both("alice", "frank", ALLIES),
    )
    scene = play(strangers_at_heart, ["alice", "frank"], [act("alice", "frank", "help")])
    assert alliance_changes(strangers_at_heart, [scene], tick=5) == ()


def test_a_common_enemy_makes_allies_of_those_who_share_less():
    world = build(
        [
            person("Alice", values=("kindness", "honesty", "fun")),
            person("Frank", values=("kindness", "duty", "family")),
            person("Eve"),
        ],
        [
            *both("alice", "frank", view(0.5, 0.5, 0.6)),
            ("alice", "eve", RIVALS),
            ("frank", "eve", RIVALS),
        ],
    )
    scene = play(world, ["alice", "frank"], [act("alice", "frank", "small_talk")])
    (change,) = alliance_changes(world, [scene], tick=5)
    assert "both are at odds with Eve" in change.reason


def test_an_alliance_breaks_after_a_betrayal():
    pact = Alliance(alliance_key(["alice", "frank"]), "The Rose Garden Pact", ("alice", "frank"))
    world = _decent_folk(alliances=[pact])
    scene = play(world, ["frank", "alice"], [act("frank", "alice", "betray")])
    changes = alliance_changes(world, [scene], tick=9)
    assert [(c.change, c.name) for c in changes] == [(BROKEN, "The Rose Garden Pact")]
    assert changes[0].reason.endswith("Frank betrayed Alice")


def test_an_alliance_breaks_when_trust_collapses():
    pact = Alliance(alliance_key(["alice", "frank"]), "The Rose Garden Pact", ("alice", "frank"))
    world = _decent_folk(alliances=[pact])
    world = world.evolve(
        out={**world.out, "alice": {**world.out["alice"], "frank": view(0.3, 0.0)}}
    )
    (change,) = alliance_changes(world, [], tick=9)
    assert change.change == BROKEN
    assert "Alice no longer trusts Frank" in change.reason


def test_alliance_names_are_stable_and_distinct():
    world = _decent_folk()
    first = alliance_name(["alice", "frank"], world)
    assert first == alliance_name(["frank", "alice"], world)
    assert alliance_name(["alice", "frank"], world, taken=[first]) != first
    assert "Honest" in first  # the first shared value, alphabetically


def _quarrel(*kinds: str) -> list[PastInteraction]:
    return [PastInteraction(i + 1, "eve", "diana", kind) for i, kind in enumerate(kinds)]


def test_a_quarrel_climbs_the_ladder_and_the_aggrieved_is_pushed_to_the_next_rung():
    (esc,) = escalations(_quarrel("disagree", "argue", "insult")).values()
    assert (esc.rung, esc.hostile_acts, esc.aggrieved_id, esc.aggressor_id) == (
        2,
        3,
        "diana",
        "eve",
    )
    assert esc.trending and esc.next_kind == "threaten"
    diana = person("Diana", agreeableness=0.2, neuroticism=0.8).personality
    bonus = escalation_bonus(esc, "diana", diana)
    assert bonus["threaten"] > 0.5
    eve = person("Eve", agreeableness=0.9, conscientiousness=0.9).personality
    assert escalation_bonus(esc, "eve", eve).keys() == {"apologise", "reconcile"}


def test_the_aggrieved_party_escalates_more_when_the_quarrel_is_trending():
    people = [person("Diana", agreeableness=0.2, neuroticism=0.8), person("Eve")]
    calm = build(people, both("diana", "eve", RIVALS))
    heated = build(
        people, both("diana", "eve", RIVALS), history=_quarrel("disagree", "argue", "insult")
    )

    def threats(world):
        return Counter(
            a.kind
            for s in range(40)
            for a in plan_tick(world, tick=4, minutes=10, rng=random.Random(s)).actions
            if a.initiator_id == "diana"
        )["threaten"]

    assert threats(heated) > threats(calm)


def test_an_apology_or_kindness_cools_the_quarrel():
    assert escalations(_quarrel("disagree", "argue", "insult", "apologise")) == {}
    (esc,) = escalations(_quarrel("disagree", "argue", "insult", "compliment")).values()
    assert esc.rung == 1


def test_escalation_events_say_what_happened():
    world = build(
        [person("Eve", agreeableness=0.1), person("Diana")],
        both("eve", "diana", RIVALS),
        history=_quarrel("disagree", "argue"),
    )
    scene = play(world, ["eve", "diana"], [act("eve", "diana", "insult")], tick=3)
    (event,) = escalation_changes(world, [scene], tick=3)
    assert event.kind == ESCALATED
    assert event.text == (
        "The quarrel between Diana and Eve escalates: Eve insulted Diana, from words to insults"
    )
    sorry = play(world, ["eve", "diana"], [act("eve", "diana", "apologise")], tick=3)
    (event,) = escalation_changes(world, [sorry], tick=3)
    assert event.kind == DEESCALATED and "cools" in event.text


def test_a_secret_spreads_along_the_graph_one_hop_per_tick():
    chain = ["anna", "beth", "cora", "dora", "edna"]
    talkers = [
        person(n.title(), openness=1.0, extraversion=1.0, conscientiousness=0.0, agreeableness=0.0)
        for n in chain
    ]
    rels = [r for a, b in itertools.pairwise(chain) for r in both(a, b, FRIENDS)]
    secret = KnowledgeItem(
        "secret:zed:1", "Zed cheats at cards.", about_id="zed", source="told", source_id="zed"
    )
    world = build([*talkers, person("Zed")], rels, knowledge={"anna": [secret]})
    rng = random.Random(4)
    reached = {"anna": 0}
    for tick in range(1, 60):
        hops = spread_gossip(world, tick=tick, rng=rng)
        for hop in hops:
            assert hop.subject_id == "zed"
            assert hop.listener_id not in reached
            assert hop.teller_id in reached and reached[hop.teller_id] < tick
            assert abs(chain.index(hop.listener_id) - chain.index(hop.teller_id)) == 1
            assert "about Zed" in hop.text
        assert len({h.teller_id for h in hops}) == len(hops)  # one hop per teller per tick
        for hop in hops:
            reached[hop.listener_id] = tick
        world = world.evolve(knowledge=world.knowledge.merged(hops_as_learned(hops)))
        if len(reached) == len(chain):
            break
    assert list(reached) == chain  # in order along the chain
    assert "zed" not in reached
    assert spread_gossip(world, tick=99, rng=random.Random(0), exclude=chain) == ()


def test_feelings_spread_between_close_characters_only():
    world = build(
        [person("Alice", emotions={"joy": 0.9, "anger": 0.6}), person("Bob"), person("Carol")],
        [
            ("bob", "alice", view(0.8, 0.8, 0.9)),
            ("carol", "alice", view(0.1, 0.0, 0.2)),
            ("alice", "bob", view(0.8, 0.8, 0.9)),
        ],
    )
    changed = contagion_pass(world)
    assert set(changed) == {"bob"}
    assert changed["bob"].joy > 0.0 and changed["bob"].anger > 0.0
    assert contagion_pass(world, skip_pairs=[("bob", "alice")]) == {}
    calmer = contagion_pass(world, emotions={"alice": EmotionState(joy=0.1)})
    assert calmer["bob"].joy < changed["bob"].joy
