"""The novel and the analysis shared by the book-engine tests (analysed once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecosystems.engine.book import BookAnalysis, analyse

ROOT = Path(__file__).resolve().parents[4]
HERE = Path(__file__).resolve().parent


def novel_path() -> Path:
    """shared/ sits beside the clone (CI, main) or two levels up (a helper's worktree)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        path = base / "shared" / "data" / "books" / "pride_and_prejudice.txt"
        if path.exists():
            return path
    raise FileNotFoundError("shared/data/books/pride_and_prejudice.txt not found beside the repo")


@pytest.fixture(scope="session")
def novel_text() -> str:
    return novel_path().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def novel(novel_text: str) -> BookAnalysis:
    return analyse(novel_text)


@pytest.fixture(scope="session")
def story() -> BookAnalysis:
    return analyse((HERE / "story.txt").read_text(encoding="utf-8"))
