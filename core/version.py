"""Mailscope's version: written here and nowhere else.

``pyproject.toml`` reads it (``[tool.setuptools.dynamic]``), so the wheel, the sdist, the
PyInstaller bundle, ``mailscope --version`` and Help › About all show this one value. A frozen
bundle carries no package metadata, which is why the value lives in code and is not read back
with ``importlib.metadata``.
"""

from __future__ import annotations

__version__ = "0.2.0"
