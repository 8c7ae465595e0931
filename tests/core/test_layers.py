"""Imports between apps run one way (core <- billing <- characters <- ecosystems <- stories <-
marketplace), and ``config.api`` (the API's shared plumbing) imports no app: read off the source
with ``ast``, so a function-level or ``TYPE_CHECKING`` import counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("core", "billing", "characters", "ecosystems", "stories", "marketplace")


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def modules_of(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("layer", LAYERS)
def test_an_app_imports_only_the_apps_below_it(layer: str) -> None:
    above = set(LAYERS[LAYERS.index(layer) + 1 :]) | {"config"}
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & above)
        for path in modules_of(layer)
    }
    assert {path: roots for path, roots in wrong.items() if roots} == {}


def test_the_api_plumbing_imports_no_app() -> None:
    apps = set(LAYERS) - {"core"}
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & apps)
        for path in modules_of("config/api")
    }
    assert {path: roots for path, roots in wrong.items() if roots} == {}
