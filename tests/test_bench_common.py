"""The benchmark figures carry their floor: ratio, verdicts and the interleaved order."""

from bench.common import Figure, floor_figures, interleave


def test_a_figure_with_a_floor_is_judged_by_its_ratio_and_its_target() -> None:
    fast = Figure("publish p95", 3.0, "ms", target=5.0, floor=2.0, ratio_target=1.5)
    slow = Figure("publish p95", 4.0, "ms", target=5.0, floor=2.0, ratio_target=1.5)
    assert fast.ratio == 1.5 and fast.ok is True
    assert slow.ratio == 2.0 and slow.ok is False  # within the target, not within the ratio
    assert Figure("x", 1.0, "ms", floor=0.0, ratio_target=2.0).ok is False  # no usable floor
    assert Figure("x", 1.0, "ms").ok is None
    assert slow.as_dict()["ratio"] == 2.0 and slow.as_dict()["ok"] is False


def test_interleave_alternates_the_order_so_neither_side_always_runs_first() -> None:
    calls: list[str] = []

    def product() -> float:
        calls.append("A")
        return 0.002

    def floor() -> float:
        calls.append("B")
        return 0.001

    mine, raw = interleave(product, floor, 4, warmup=1)
    assert calls == ["A", "B", "A", "B", "B", "A", "A", "B", "B", "A"]
    assert mine == [0.002] * 4 and raw == [0.001] * 4


def test_floor_figures_put_each_percentile_beside_the_floors_and_judge_the_last() -> None:
    p50, p95 = floor_figures(
        "fan-out",
        [0.001 * i for i in range(1, 101)],
        [0.0005 * i for i in range(1, 101)],
        floor_name="raw pub/sub",
        ratio_target=2.0,
        target_ms=200.0,
    )
    assert p50.name == "fan-out p50" and p50.ratio_target is None and p50.ok is None
    assert p95.name == "fan-out p95" and round(p95.ratio, 6) == 2.0 and p95.ok is True
    assert p95.floor_name == "raw pub/sub" and p95.target == 200.0
