"""Pause Python's cyclic garbage collector over big batches, counted across threads.

Deciding, syncing and parsing make no reference cycles worth collecting early, but they keep
tens of thousands of new objects alive: the collector's full passes over that growing heap
cost a third of a 100k-message decision and ~1.8 s of a 100k sync, and froze the app's event
loop for 40-70 ms at a time (bench/rules_bench.py, bench/sync_bench.py, bench/gui_bench.py).
Reference counting still frees everything acyclic; the collector resumes when the last pause
ends. Pauses nest and may span threads: a counter, not a flag.

Pausing is the decision of whoever runs the big batch and knows the process it runs in (the
sync, the settle, the CLI's explain, a what-if), never of the
rules engine: it is pure, and a process-wide switch is not.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_depth = 0
_was_enabled = False
_ending = False  # see ending()
_kept: list[dict[Any, Any] | list[Any]] = []  # what release() was given, for the exit to drop


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
        if _depth == 0 and _was_enabled and not _ending:
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


@contextmanager
def batch(when: bool = True) -> Iterator[None]:
    """A pause around a big batch of work (an account's sync, a decision) that releases what
    it kept (:func:`release`): in a process that is :func:`ending`, what the batch before it
    kept is freed first, so a command holds one batch's objects at most. A pause for anything
    else (printing a line after a batch) frees nothing: that would cost as much as the exit
    saves (~0.1 s after a first sync of 100,000 messages)."""
    with _lock:
        kept = _kept[:]
        _kept.clear()
    for objects in kept:
        _free(objects)
    del kept
    with paused(when):
        yield


def ending() -> None:
    """This process ends with the work it runs now, by ``os._exit`` (a command of the
    executable: ``desktop.main.entry``). The collector stays off, and :func:`release` keeps
    what it is given instead of freeing it: the exit drops it all at no cost. On a first sync
    of 100,000 messages, the collection when the sync's pause ended took ~0.08 s and freeing
    its messages ~0.1 s, both in a process about to end. What a batch kept is freed when the
    next :func:`batch` begins (the next account's sync): one batch's worth at most.
    """
    global _ending
    with _lock:
        _ending = True
        gc.disable()  # a pause under way ends with it disabled too: see leave()


def release(objects: MutableMapping[Any, Any] | list[Any], step: int = 2000) -> None:
    """Empty a big dict or list a few thousand items at a time.

    Dropping 100,000 messages at once frees them in one C call that holds the GIL for
    ~150 ms, stalling any other thread (the GUI's event loop while a worker re-decides);
    freed in steps, the interpreter can switch threads between them. In a process that is
    :func:`ending`, its items are kept for the exit instead (a copy of the container: no
    item is freed).
    """
    if _ending:
        _kept.append(list(objects) if isinstance(objects, list) else dict(objects))
        objects.clear()
        return
    _free(objects, step)


def _free(objects: MutableMapping[Any, Any] | list[Any], step: int = 2000) -> None:
    if isinstance(objects, list):
        while objects:
            del objects[-step:]
        return
    pop = objects.popitem  # the bound method once, not once per item
    while objects:
        for _ in range(min(step, len(objects))):
            pop()
