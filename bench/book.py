"""Book import analysis (issue 17): the whole of Pride and Prejudice analysed by
``ecosystems.engine.book.analyse`` on this machine, in a fresh process so its peak memory is
the engine's own (spaCy model included). Targets: <= 60 s, <= 1.5 GB peak resident memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.common import Figure

ROOT = Path(__file__).resolve().parent.parent
# shared/ sits beside the clone (CI, /work/main) or two levels up (a worktree under wt/)
CANDIDATES = tuple(
    base / "shared" / "data" / "books" / "pride_and_prejudice.txt"
    for base in (ROOT.parent, ROOT.parent.parent)
)

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
started = time.monotonic()
from ecosystems.engine.book import analyse
text = open(sys.argv[1], encoding="utf-8").read()
result = analyse(text)
seconds = time.monotonic() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "cast": len(result.cast),
                  "quotes": len(result.quotes), "words": result.words,
                  "attributed": sum(1 for q in result.quotes if q.speaker)}))
"""


def _book() -> Path:
    for path in CANDIDATES:
        if path.exists():
            return path
    raise FileNotFoundError("shared/data/books/pride_and_prejudice.txt")


def run() -> list[Figure]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(_book()), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        Figure("whole novel analysed (load + analyse)", figures["seconds"], "s", target=60),
        Figure("peak resident memory", figures["peak_mb"], "MB", target=1536),
        Figure("words per second", figures["words"] / figures["seconds"], "words/s"),
        Figure("quotes attributed", 100 * figures["attributed"] / max(1, figures["quotes"]), "%"),
        Figure("cast proposed", figures["cast"], "people"),
    ]
