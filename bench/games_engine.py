"""The games learning engine on its own (no database, no HTTP): how long one decision and one
outcome take with 8 and 16 actions, and how well it learns against the seeded simulated player
of the tests.

Timings are per call in microseconds, after the NPC has learned from 500 rounds (its matrices
are dense by then). ``decide+learn`` is one round trip of the engine; ``+ JSON state`` adds
what the product does around it when the state is not cached (``to_dict`` + ``json.dumps`` and
back). Target: decide+learn p95 <= 1,000 us, a tenth of issue 18's 10 ms WebSocket budget.
Learning: best-action share in the last 100 of 400 rounds (mean over the 4 styles, 3 seeds
each), target >= 0.8 (issue 18).
"""

from __future__ import annotations

import json
import random
import statistics
import time

from bench.common import Figure

ACTION_COUNTS = (8, 16)
WARMUP_ROUNDS = 500
MEASURED = 2_000
ENGINE_TARGET_US = 1_000.0


def _vocabulary(count: int):
    from ecosystems.engine.games import Vocabulary
    from tests.ecosystems.engine.games.players import VOCABULARY

    extra = [{"name": f"move_{i}", "type": ("attack", "defend", "evade", "spell")[i % 4]}
             for i in range(count - len(VOCABULARY.actions))]  # fmt: skip
    return Vocabulary.from_dict({"actions": VOCABULARY.as_dict()["actions"] + extra})


def _percentiles_us(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles([s * 1e6 for s in samples], n=100, method="inclusive")
    return cuts[49], cuts[94]


def _timings(count: int, *, discount: float = 1.0) -> dict[str, tuple[float, float]]:
    from ecosystems.engine.games import (
        BanditConfig,
        BanditState,
        EngineConfig,
        decide,
        decision_rng,
        initial_state,
        learn,
    )
    from tests.ecosystems.engine.games.players import STYLES, Player

    vocabulary = _vocabulary(count)
    config = EngineConfig(bandit=BanditConfig(discount=discount))
    players = [Player(style, random.Random(i)) for i, style in enumerate(STYLES)]
    chooser = random.Random(1)
    state = initial_state(vocabulary, personality={"extraversion": 0.8}, config=config)
    spans: dict[str, list[float]] = {"decide": [], "learn": [], "round": [], "json": []}
    for n in range(WARMUP_ROUNDS + MEASURED):
        player = players[chooser.randrange(len(players))]
        context = player.context()
        rng = decision_rng("bench", n)
        t0 = time.perf_counter()
        decision = decide(state, context, vocabulary=vocabulary, config=config, rng=rng)
        t1 = time.perf_counter()
        outcome, effect = player.outcome(decision.action)
        t2 = time.perf_counter()
        state, _ = learn(state, decision, outcome, effect, config=config)
        t3 = time.perf_counter()
        if n % 4 == 0:  # the JSON path is slower; a quarter of the rounds is plenty
            t4 = time.perf_counter()
            state = BanditState.from_dict(json.loads(json.dumps(state.to_dict())))
            spans["json"].append(time.perf_counter() - t4) if n >= WARMUP_ROUNDS else None
        if n >= WARMUP_ROUNDS:
            spans["decide"].append(t1 - t0)
            spans["learn"].append(t3 - t2)
            spans["round"].append((t1 - t0) + (t3 - t2))
    result = {name: _percentiles_us(values) for name, values in spans.items()}
    result["size"] = (len(json.dumps(state.to_dict())) / 1024, 0.0)
    return result


def _learning() -> tuple[float, float, float]:
    from tests.ecosystems.engine.games.players import STYLES, Player, best_share, play, windows

    shares, first, last = [], [], []
    for style in STYLES:
        for seed in (0, 1, 2):
            rounds = [r for r, _ in play(Player(style, random.Random(seed)), 400, seed=seed)]
            shares.append(best_share(rounds[-100:]))
            curve = windows(rounds, 100)
            first.append(curve[0])
            last.append(curve[-1])
    return statistics.mean(shares), statistics.mean(first), statistics.mean(last)


def run() -> list[Figure]:
    figures: list[Figure] = []
    for count in ACTION_COUNTS:
        t = _timings(count)
        figures += [
            Figure(f"decide p50, {count} actions", t["decide"][0], "us"),
            Figure(f"decide p95, {count} actions", t["decide"][1], "us"),
            Figure(f"learn p50, {count} actions", t["learn"][0], "us"),
            Figure(f"learn p95, {count} actions", t["learn"][1], "us"),
            Figure(f"decide+learn p50, {count} actions", t["round"][0], "us"),
            Figure(f"decide+learn p95, {count} actions", t["round"][1], "us", ENGINE_TARGET_US),
            Figure(f"state JSON round trip p50, {count} actions", t["json"][0], "us"),
            Figure(f"state JSON round trip p95, {count} actions", t["json"][1], "us"),
            Figure(f"state JSON size, {count} actions", t["size"][0], "KiB"),
        ]
    forgetting = _timings(16, discount=0.98)
    figures.append(Figure("decide+learn p95, 16 actions, discount 0.98", forgetting["round"][1],
                          "us", ENGINE_TARGET_US))  # fmt: skip
    share, first, last = _learning()
    figures += [
        Figure("best-action share, last 100 of 400", share, "share", 0.8, higher_is_better=True),
        Figure("effectiveness, rounds 1-100", first, "mean"),
        Figure("effectiveness, rounds 301-400", last, "mean"),
    ]
    for f in figures:
        print(f"{f.name:<48} {f.value:>10.2f} {f.unit}")
    return figures
