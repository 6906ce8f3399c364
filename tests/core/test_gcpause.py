"""core.gcpause: counted pauses of the cyclic collector, nested and across threads."""

from __future__ import annotations

import gc
import threading

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
