"""The layers: core never imports Qt and works without it; imports point down; sizes stay small."""

from __future__ import annotations

import pkgutil
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

import core
from tests.helpers import structure

ROOT = Path(__file__).resolve().parents[2]

BLOCK_QT = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "shiboken6", "desktop")):
            raise ImportError(f"blocked: {name}")
        return None
sys.meta_path.insert(0, Block())
import importlib, pkgutil, core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
for name in names:
    importlib.import_module(name)
loaded = [m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "desktop"))]
assert not loaded, loaded
print(len(names))
"""


def test_every_core_module_imports_with_pyside6_unavailable() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    expected = len(list(pkgutil.walk_packages(core.__path__, "core.")))
    assert int(result.stdout) == expected > 10


def test_no_core_source_mentions_qt_imports() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "core").rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(
            ("import PySide6", "from PySide6", "import desktop", "from desktop")
        )
    ]
    assert offenders == []


# -- the structure: imports point down, no cycles, short modules and functions --------------
#
# Measured over the production packages (tests/helpers/structure.py). Each case names the
# package it is about, so a failure says whose code it is.

STRICT_RULES = "core.rules"  # pure: it imports nothing of the project outside itself,
RULES_MAY_IMPORT = ("core.i18n",)  # but the words it speaks (its trace, in the rep's language)
CORE_PACKAGES = sorted({structure.package(m) for m in structure.modules()})
CODE_PACKAGES = [p for p in CORE_PACKAGES if not p.startswith("resources")]


def _in(package: str) -> list[str]:
    return [m for m in structure.modules() if structure.package(m) == package]


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_imports_point_down(package: str) -> None:
    """rules <- store <- mail <- crm/preview <- cli <- desktop; core never imports resources
    (the demo is data the desktop hands in), and the rules core imports only itself (and
    core.i18n for its sentences): no process-wide switch such as core.gcpause."""
    rank, graph = structure.ranks(), structure.imports()
    up = [
        f"{module} -> {target}"
        for module in _in(package)
        for target in sorted(graph[module])
        if rank[target] > rank[module]
        or (module.startswith("core") and target.startswith(("resources", "desktop")))
        or (
            package == STRICT_RULES
            and not target.startswith(STRICT_RULES + ".")
            and target not in RULES_MAY_IMPORT
        )
    ]
    assert up == []


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_no_import_cycles(package: str) -> None:
    cycles = [c for c in structure.cycles() if any(structure.package(m) == package for m in c)]
    assert cycles == []


@pytest.mark.parametrize("package", CODE_PACKAGES)
def test_modules_are_at_most_400_lines(package: str) -> None:
    big = [(m, n) for m in _in(package) if (n := structure.lines(m)) > 400]
    assert big == []


@pytest.mark.parametrize("package", CODE_PACKAGES)
def test_functions_are_at_most_60_lines(package: str) -> None:
    long = [f for m in _in(package) for f in structure.functions(m) if f.size > 60]
    assert long == []


def test_median_function_is_at_most_6_lines() -> None:
    """Over core and desktop (docstrings left out): Anki's pylib has 4, pymap 4."""
    sizes = [f.size for m in structure.modules() if m.startswith(("core", "desktop"))
             for f in structure.functions(m)]  # fmt: skip
    assert statistics.median(sizes) <= 6


def test_the_structure_reader_sees_the_known_layers() -> None:
    """A reader that found nothing would pass every test above."""
    graph = structure.imports()
    assert "core.rules.model" in graph["core.rules.engine"]
    assert "core.store.transaction" in graph["core.store.cache"]
    assert structure.ranks()["core.mailbox"] == 0  # it imports the rules' values only
    assert {"core.rules", "core.store", "core.mail", "desktop"} <= set(CORE_PACKAGES)
    assert len(structure.modules()) > 150
