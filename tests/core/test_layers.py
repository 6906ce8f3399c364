"""The layers: core never imports Qt, and works with PySide6 unavailable."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import core

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
