"""Pause Python's cyclic garbage collector over big batches, counted across threads.

Deciding, syncing and parsing make no reference cycles worth collecting early, but they keep
tens of thousands of new objects alive: the collector's full passes over that growing heap
cost a third of a 100k-message decision and ~1.8 s of a 100k sync, and froze the app's event
loop for 40-70 ms at a time (bench/rules_bench.py, bench/sync_bench.py, bench/gui_bench.py).
Reference counting still frees everything acyclic; the collector resumes when the last pause
ends. Pauses nest and may span threads: a counter, not a flag.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


def enter() -> None:
    """Start a pause (the first one disables the collector if it was enabled)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def leave() -> None:
    """End a pause (the last one re-enables the collector if it was enabled before)."""
    global _depth
    with _lock:
        if _depth == 0:
            return
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()


@contextmanager
def paused(when: bool = True) -> Iterator[None]:
    """A pause for the duration of a ``with`` block (none when ``when`` is false)."""
    if not when:
        yield
        return
    enter()
    try:
        yield
    finally:
        leave()
