"""Packaging fixtures: offscreen Qt for in-process windows, the wheel and sdist built once."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

ROOT = Path(__file__).parents[2]


def packaging_tool(name: str) -> ModuleType:
    """``packaging/<name>.py``, a script rather than a module of a package, loaded by its path."""
    path = ROOT / "packaging" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{name}_tool", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def build(source: Path, out: Path, *options: str) -> list[Path]:
    """``python -m build`` into ``out``: by default the sdist, then the wheel from the unpacked
    sdist, as make dist does; returns the files made."""
    done = subprocess.run(
        [sys.executable, "-m", "build", *options, "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return sorted(out.glob("mailscope-*"))


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel and sdist of this tree."""
    wheel, sdist = build(ROOT, tmp_path_factory.mktemp("dist"))  # .whl sorts before .tar.gz
    assert (wheel.suffix, sdist.suffix) == (".whl", ".gz")
    return wheel, sdist
