"""The world engine imports no Django and nothing of the project beyond the two engines."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import ecosystems.engine

ROOT = Path(__file__).resolve().parents[3]
MODULES = sorted(
    f"ecosystems.engine.{m.name}" for m in pkgutil.iter_modules(ecosystems.engine.__path__)
)
ALLOWED = ("characters.engine", "ecosystems.engine", "characters", "ecosystems")
FORBIDDEN_ROOTS = (
    "django",
    "rest_framework",
    "channels",
    "celery",
    "config",
    "billing",
    "stories",
    "marketplace",
    "characters",
    "ecosystems",
    "pgvector",
)

BLOCKER = """
import importlib.abc, sys
FORBIDDEN = {forbidden!r}
ALLOWED = {allowed!r}

def blocked(name):
    if name in ALLOWED or any(name.startswith(a + ".") for a in ALLOWED[:2]):
        return False
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if blocked(name):
            raise ImportError(f"engine imported {{name}}")
        return None

sys.meta_path.insert(0, Block())
import {module}
leaked = [m for m in sys.modules if blocked(m)]
assert not leaked, leaked
"""


def test_the_engine_has_the_expected_modules():
    names = {m.rsplit(".", 1)[1] for m in MODULES}
    assert {"names", "knowledge", "goals", "world", "groups", "agency", "simulate"} <= names


def test_no_engine_module_imports_django_or_the_rest_of_the_project():
    for module in MODULES:
        code = BLOCKER.format(forbidden=FORBIDDEN_ROOTS, allowed=ALLOWED, module=module)
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{module}: {result.stderr[-800:]}"


def test_the_package_doc_lists_every_public_entry_point():
    doc = ecosystems.engine.__doc__
    for name in (
        "plan_tick(",
        "knowledge_after_scene(",
        "goals_after_tick(",
        "alliance_changes(",
        "escalation_changes(",
        "spread_gossip(",
        "contagion_pass(",
        "World.build(",
        "goals_from_character(",
        "action_context(",
        "simulate_tick(",
    ):
        assert name in doc


# The engine's layers, bottom first (ecosystems/engine/__init__.py lists them): a module may
# import only modules of a lower rank, ``TYPE_CHECKING`` imports included, so there is no
# cycle even for the type checker. ``goals.model`` sits below ``world``, ``goals.progress``
# above it; the package ``goals`` itself re-exports only ``model``.
RANKS = {
    "events": 0, "names": 0, "knowledge": 1, "lore": 1.5, "goals.model": 2,
    "goals": 2.5, "world": 3, "learning": 4,
    "goals.progress": 5,
    "groups.alliances": 6, "groups.contagion": 6, "groups.escalation": 6, "groups.gossip": 6,
    "groups": 6.5,
    "agency.tuning": 7, "agency.types": 7, "agency.reasons": 8, "agency.choice": 9,
    "agency.scenes": 10, "agency": 11, "simulate": 12,
    # games: the NPC learning engine, independent of the world engine above
    "games.features": 0, "games.vocabulary": 1, "games.ab": 1, "games.bandit": 1,
    "games.decide": 2, "games.frames": 1, "games": 3,
    # the book analysis (issue 17) stands apart: it imports none of the world's modules
    "book.types": 0, "book.lexicon": 0, "book.clean": 0, "book.nlp": 0,
    "book.people": 1, "book.traits": 1, "book.quotes": 2, "book.relations": 3,
    "book.analyse": 4, "book": 5,
}  # fmt: skip


def _engine_imports(path: Path) -> set[str]:
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module]
            if isinstance(node, ast.ImportFrom) and node.module
            else []
        )
        found.update(
            n.removeprefix("ecosystems.engine.")
            for n in names
            if n.startswith("ecosystems.engine.")
        )
    return found


def test_each_engine_module_imports_only_the_layers_below_it():
    engine = ROOT / "ecosystems" / "engine"
    files = {
        str(p.relative_to(engine).with_suffix("")).replace("/", ".").removesuffix(".__init__"): p
        for p in engine.rglob("*.py")
        if p.name != "__init__.py" or p.parent != engine
    }
    assert set(files) == set(RANKS), "rank the new module in RANKS (and the package doc)"
    upward = {
        (module, imported)
        for module, path in files.items()
        for imported in _engine_imports(path)
        if RANKS[imported] >= RANKS[module] and not imported.startswith(module + ".")
    }
    assert upward == set()
