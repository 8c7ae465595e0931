"""``make bench``: run every benchmark module in bench/, print one table, write JSON results.

A benchmark module defines ``run() -> list[Figure]``. Run one with ``make bench BENCH_ARGS=name``.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.common import Figure  # noqa: E402

RESULTS = ROOT / "bench" / "results"
NOT_BENCHMARKS = {"__init__", "run", "common"}


def discover(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if p.stem not in NOT_BENCHMARKS)
    return [n for n in names if not selected or n in selected]


def main(argv: list[str]) -> int:
    names = discover(argv)
    if not names:
        print("no benchmark matched", argv or "", "- available:", ", ".join(discover([])) or "none")
        return 0 if not argv else 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, Figure]] = []
    for name in names:
        started = time.monotonic()
        figures: list[Figure] = importlib.import_module(f"bench.{name}").run()
        (RESULTS / f"{name}.json").write_text(
            json.dumps(
                {
                    "benchmark": name,
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                    "seconds": round(time.monotonic() - started, 2),
                    "figures": [f.as_dict() for f in figures],
                },
                indent=2,
            )
        )
        rows.extend((name, f) for f in figures)
    print(
        f"\n{'benchmark':<14} {'figure':<44} {'value':>10} {'unit':<8} {'target':>9}"
        f" {'floor':>10} {'ratio':>7} {'≤ratio':>7}  ok"
    )
    for name, f in rows:
        target = "" if f.target is None else f"{'>=' if f.higher_is_better else '<='}{f.target:g}"
        floor = "" if f.floor is None else f"{f.floor:.2f}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        ratio_target = "" if f.ratio_target is None else f"{f.ratio_target:g}x"
        ok = {True: "yes", False: "NO", None: "-"}[f.ok]
        print(
            f"{name:<14} {f.name:<44} {f.value:>10.2f} {f.unit:<8} {target:>9}"
            f" {floor:>10} {ratio:>7} {ratio_target:>7}  {ok}"
        )
    floors = {(f.floor_name) for _, f in rows if f.floor is not None}
    if floors:
        print("\nfloors (raw baselines measured in the same run, interleaved):")
        for floor_name in sorted(floors):
            print(f"  - {floor_name}")
    return 1 if any(f.ok is False for _, f in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
