"""The story engine (sifter, patterns, board, narrator, exports) imports no Django and nothing
of the project beyond the engines below it, so it runs, and is tested, without a database."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import stories.engine
from tests.ecosystems.engine.test_engine_is_pure import BLOCKER, FORBIDDEN_ROOTS

ROOT = Path(__file__).resolve().parents[3]
MODULES = sorted(
    m.name for m in pkgutil.walk_packages(stories.engine.__path__, prefix="stories.engine.")
)
# The engines below it and their bare packages (importing ``stories.engine`` runs
# ``stories/__init__.py``, which must stay empty of Django too).
ALLOWED = ("characters.engine", "ecosystems.engine", "stories.engine", "characters",
           "ecosystems", "stories")  # fmt: skip


def test_the_sifter_is_a_package_of_its_parts():
    assert {
        "stories.engine.sifting.types",
        "stories.engine.sifting.predicates",
        "stories.engine.sifting.pattern",
        "stories.engine.sifting.rendering",
        "stories.engine.sifting.matcher",
    } <= set(MODULES)


def test_no_story_engine_module_imports_django_or_the_rest_of_the_project():
    blocker = BLOCKER.replace("ALLOWED[:2]", "ALLOWED[:3]")
    for module in MODULES:
        code = blocker.format(forbidden=FORBIDDEN_ROOTS, allowed=ALLOWED, module=module)
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{module}: {result.stderr[-800:]}"
