"""One version: core/version.py, read by the package metadata, ``--version`` and Help › About."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from core.version import __version__

ROOT = Path(__file__).parents[2]


def test_pyproject_reads_the_version_from_core() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "core.version.__version__"}
    assert metadata.version("mailscope") == __version__  # the installed metadata agrees


def test_mailscope_version_prints_it_without_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desktop.main", "--version"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, f"mailscope {__version__}\n")
    assert "PySide6" not in done.stderr  # the import log: Qt is not loaded for this
