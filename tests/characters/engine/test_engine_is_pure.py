"""The engine never imports Django or the rest of the project."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import characters.engine

ROOT = Path(__file__).resolve().parents[3]
ENGINE_MODULES = sorted(
    f"characters.engine.{m.name}" for m in pkgutil.iter_modules(characters.engine.__path__)
)
FORBIDDEN = ("django", "rest_framework", "channels", "celery", "config", "billing", "ecosystems",
             "stories", "marketplace", "characters.models", "characters.services")  # fmt: skip

BLOCKER = """
import importlib.abc, sys
FORBIDDEN = {forbidden!r}

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
            raise ImportError(f"engine imported {{name}}")
        return None

sys.meta_path.insert(0, Block())
import {module}
leaked = [m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]
assert not leaked, leaked
"""


def test_the_engine_has_the_expected_modules():
    names = {m.rsplit(".", 1)[1] for m in ENGINE_MODULES}
    assert {
        "types",
        "personality",
        "emotions",
        "interactions",
        "relationships",
        "dialogue",
        "interaction",
    } <= names


def test_no_engine_module_imports_django_or_another_app():
    for module in ENGINE_MODULES:
        code = BLOCKER.format(forbidden=FORBIDDEN, module=module)
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{module}: {result.stderr[-800:]}"
