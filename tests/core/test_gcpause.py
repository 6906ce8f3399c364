"""core.gcpause: counted pauses of the cyclic collector, nested and across threads."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
import weakref
from pathlib import Path

from core import gcpause


def test_nested_pauses_resume_the_collector_after_the_last() -> None:
    assert gc.isenabled()
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_pause_spanning_threads_ends_with_the_last_one() -> None:
    started, release = threading.Event(), threading.Event()

    def other() -> None:
        with gcpause.paused():
            started.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    started.wait(10)
    with gcpause.paused():
        pass
    assert not gc.isenabled()  # the other thread's pause is still on
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled() -> None:
    gc.disable()
    try:
        with gcpause.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_no_pause_when_not_asked_and_a_stray_leave_is_harmless() -> None:
    with gcpause.paused(when=False):
        assert gc.isenabled()
    gcpause.leave()
    assert gc.isenabled()


# ``ending`` is for the rest of a process's life: its tests run in a process of their own.
_ENDING = """
import gc, sys, weakref
from core import gcpause

class Item:
    pass

gcpause.ending()
assert not gc.isenabled()
with gcpause.paused():
    pass
assert not gc.isenabled()  # the end of a pause does not turn the collector back on
items = {n: Item() for n in range(5000)}
some = [Item() for _ in range(5000)]
watched = [weakref.ref(items[0]), weakref.ref(some[-1])]  # only the containers hold them
gcpause.release(items)
gcpause.release(some)
assert items == {} and some == []
assert all(ref() is not None for ref in watched), "freed: the exit would have dropped them"
with gcpause.paused():  # a pause for a line printed after the batch: nothing freed
    assert all(ref() is not None for ref in watched)
with gcpause.batch():  # the next batch: what the last one kept is freed first
    assert all(ref() is None for ref in watched)
    assert not gc.isenabled()
print("ok")
"""


def test_an_ending_process_has_no_collector_and_keeps_what_it_releases_for_a_batch() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _ENDING],
        capture_output=True, text=True, timeout=60, check=False, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_release_frees_what_it_empties_in_a_process_that_goes_on() -> None:
    class Item:
        pass

    items = {n: Item() for n in range(5000)}
    watched = weakref.ref(items[4999])
    gcpause.release(items)
    assert items == {} and watched() is None
