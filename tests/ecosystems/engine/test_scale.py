"""Scale: a tick of 10,000 characters plans in linear time (timings printed, not asserted)."""

from __future__ import annotations

import random
import time

from ecosystems.engine.agency import plan_tick
from tests.ecosystems.engine.synthetic import society
from tests.ecosystems.engine.test_agency import assert_sane


def test_plan_tick_handles_ten_thousand_characters(capsys):
    for n in (1_000, 10_000):
        world = society(n, degree=10)
        started = time.perf_counter()
        plan = plan_tick(world, tick=10, minutes=10, rng=random.Random(1))
        took = time.perf_counter() - started
        with capsys.disabled():
            print(
                f"\nplan_tick: {n:,} characters, {sum(len(t) for t in world.out.values()):,} "
                f"relationships: {took:.2f}s, {len(plan.scenes):,} scenes, "
                f"{len(plan.actions):,} actions"
            )
        assert_sane(plan, world)
        assert len(plan.actions) > n // 10
        assert max(len(s.participants) for s in plan.scenes) >= 3
