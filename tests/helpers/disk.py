"""A disk that is nearly full: the rest of a small tmpfs taken by a ballast file."""

from __future__ import annotations

import os
from pathlib import Path

# What a full disk leaves free: room for a sync to start writing (its WAL and shared-memory
# files, its first transactions), not for the demo's 300 messages (~1 MB).
ROOM = 512 * 1024


def fill_up(mount: Path, leave: int = ROOM) -> None:
    """Write a ballast file on ``mount`` (a tmpfs: written bytes are taken at once) until
    about ``leave`` bytes are free."""
    stats = os.statvfs(mount)
    free = stats.f_bavail * stats.f_frsize
    assert free > leave, f"{mount} has only {free} bytes free"
    with open(mount / "ballast", "wb") as ballast:
        for start in range(0, free - leave, 1 << 16):
            ballast.write(bytes(min(1 << 16, free - leave - start)))
