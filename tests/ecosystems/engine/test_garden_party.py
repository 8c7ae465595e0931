"""The demo world runs on its own and something happens: a courtship, a feud, a secret out."""

from __future__ import annotations

import random
from collections import Counter

from ecosystems.demo import DEMO_CHARACTERS
from ecosystems.engine.knowledge import secret_key
from ecosystems.engine.simulate import simulate_tick
from tests.ecosystems.engine.garden import garden_party

HOSTILE = {"disagree", "argue", "insult", "threaten", "deceive", "betray", "tease"}
DIANAS_SECRET = next(c for c in DEMO_CHARACTERS if c["name"] == "Diana")["secrets"][0]


def test_forty_ticks_of_the_garden_party():
    world, rng = garden_party(), random.Random(1887)
    acts, goal_events, escalations = [], [], []
    for tick in range(1, 41):
        world, report = simulate_tick(world, tick=tick, minutes=10, rng=rng)
        acts += [d.action for r in report.results for d in r.executed if d.outcome.ok]
        goal_events += report.goal_events
        escalations += report.escalation_events

    # Frank courts Alice, shyly: compliments and gifts as much as flirting.
    frank = [a for a in acts if a.initiator_id == "frank"]
    assert Counter(a.target_id for a in frank).most_common(1)[0][0] == "alice"
    assert {a.kind for a in frank if a.target_id == "alice"} >= {"flirt", "compliment"}
    # Eve and Diana, rivals, clash, and the quarrel escalates.
    feud = [a for a in acts if {a.initiator_id, a.target_id} == {"eve", "diana"}]
    assert sum(a.kind in HOSTILE for a in feud) >= 3
    assert any({e.initiator_id, e.target_id} == {"eve", "diana"} for e in escalations)
    # Eve finds out about the locket, and Diana's secret gets out.
    assert any(
        e.character_id == "eve" and e.kind == "completed" and "locket" in e.description
        for e in goal_events
    )
    key = secret_key("diana", DIANAS_SECRET)
    assert len([c for c in world.agents if world.knowledge.knows(c, key)]) >= 2
    # A varied afternoon, with readable reasons.
    assert len({a.kind for a in acts}) >= 10
    assert all(a.reason for a in acts)
