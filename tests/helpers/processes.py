"""The test process's own children, as ``/proc`` lists them (Linux)."""

from __future__ import annotations

import os
from pathlib import Path


def children(module: bytes) -> list[int]:
    """This process's children whose command line names ``module``, still alive (not yet
    reaped included)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and module in command:
            found.append(int(entry.name))
    return found
