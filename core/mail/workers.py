"""How Mailscope starts a worker process of its own: this Python on a module, or the bundle's
executable with a word (``desktop.main`` dispatches the word to the same module's ``main``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def command(module: str, word: str) -> list[str]:
    """The command line of the worker ``module`` (frozen: ``mailscope WORD``). ``-P``: the
    working directory is not put first on the worker's path, where a ``core`` package of
    whatever directory the user ran Mailscope from would shadow ours (``environment``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, word]
    return [sys.executable, "-P", "-m", module]


def environment() -> dict[str, str]:
    """This environment, with the directory that holds ``core`` first on the worker's path
    (the bundle's executable carries its own)."""
    if getattr(sys, "frozen", False):
        return dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root if not path else os.pathsep.join([root, path])}
