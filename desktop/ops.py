"""One way to work in the background, as Anki's ``QueryOp`` and ``CollectionOp`` (issue 12).

- ``QueryOp(tasks, op, success)`` reads the cache and ``CollectionOp(tasks, op)`` changes it:
  ``op(conn)`` runs on the ONE database thread, on that thread's own SQLite connection, kept
  open for good (a fresh one starts with a cold page cache: a search took twice as long).
  Operations on the cache run one at a time, in the order they were asked; a sync's writer
  and the GUI's own quick reads go on beside them (WAL). A ``CollectionOp`` that succeeded
  emits ``Tasks.changed`` (the views showing the cache read it again); a ``QueryOp`` never.
- ``NetworkOp(tasks, op)`` runs ``op(report, cancel)`` in the network pool: work that waits on
  a server or a browser (a sync, a body, a sign-in, the CRM). It opens what it needs itself
  (a mail client is not thread-safe: one per op), says how it is going with
  ``report(value)`` (``progress(callback)`` receives it) and stops at its next look at
  ``cancel``.

Each op calls ``success(result)`` or ``failure(error)`` on the GUI thread; no worker touches
a widget. An op without ``failure`` lets its exception reach Qt as what it is: a bug. An op
run ``latest(key)`` supersedes the older ones of its key: not started yet, they never start;
running, their answers are dropped (the table's re-reads, the detail pane's explanations).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final, Generic, Self, TypeVar

from PySide6.QtCore import QObject, Signal

from core.store import db

T = TypeVar("T")
Report = Callable[[object], None]
# Network work waits on servers, not on the CPU; each running sync (and the outbox) holds
# one thread for as long as it watches, so the pool is wider than the machine.
NETWORK_THREADS: Final = 32
STOP_WAIT: Final = 10.0  # seconds a closing window waits for its workers


class _Signals(QObject):
    """What the workers say, each as (the ``Running`` it is about, a value). One for all the
    ops of a ``Tasks``, connected once: connecting is a call that gives up the GIL, and taking
    it back while a worker thread runs Python cost the GUI thread 3-57 ms each time (issue 15:
    measured while a sync ran in the window's process; every op started connected three)."""

    progress = Signal(object)
    done = Signal(object)
    failed = Signal(object)  # the exception


class Running:
    """An op queued or running in a worker; ``cancel()`` asks it to stop at its next look."""

    def __init__(self, op: _Op[Any], signals: _Signals) -> None:
        self.op = op
        self.key = op.key
        self.dropped = False  # superseded or stopped: its answer is not delivered
        self.cancel_event = threading.Event()
        self.finished = threading.Event()
        self.future: Future[None] | None = None
        self._signals = signals  # made on the GUI thread: what it emits is queued there

    def cancel(self) -> None:
        self.cancel_event.set()

    def wait(self, seconds: float | None = None) -> bool:
        """Block until the work returned (its answer is then on its way to the GUI thread)."""
        return self.finished.wait(seconds)

    def run(self) -> None:
        signals = self._signals
        try:
            result = self.op.work(
                lambda value: signals.progress.emit((self, value)), self.cancel_event
            )
        except Exception as error:
            signals.failed.emit((self, error))
        else:
            signals.done.emit((self, result))
        finally:
            self.finished.set()


class Tasks(QObject):
    """The workers of one cache: ONE thread for the database and a pool for the network.

    Python threads, not Qt's pool: Python keeps a thread's state (its ``threading.local``,
    so the database thread's connection) only on threads it started; on a ``QThreadPool``
    thread each run got a fresh state, so a "kept" connection was opened again every time.
    """

    changed = Signal(object)  # a CollectionOp's result: the cache changed
    stopping = Signal()  # long network work that waits on its own events stops on this

    def __init__(self, cache: Path | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = Path(cache)
        self._conns = db.ThreadConnections(self.cache)
        self._database = ThreadPoolExecutor(1, thread_name_prefix="mailscope-cache")
        self._network = ThreadPoolExecutor(NETWORK_THREADS, thread_name_prefix="mailscope-net")
        self._running: set[Running] = set()
        self._stopped = False
        self._signals = _Signals()  # no parent: a worker still running can emit after a stop
        self._signals.progress.connect(self._reported)
        self._signals.done.connect(self._succeeded)
        self._signals.failed.connect(self._failed)

    def connection(self) -> sqlite3.Connection:
        """The database thread's connection (asked only by ops, on that thread)."""
        return self._conns.get()

    def busy(self, key: str | None = None) -> bool:
        """Whether an op (of ``key``) is queued or running and its answer still to come."""
        return any(not r.dropped and (key is None or r.key == key) for r in self._running)

    def start(self, op: _Op[Any]) -> Running:
        running = Running(op, self._signals)
        if self._stopped:
            running.dropped = True
            return running
        if op.key is not None:
            self._supersede(op.key)
        self._running.add(running)
        running.future = (self._network if op.network else self._database).submit(running.run)
        return running

    # On the GUI thread, what a worker said about ``running``: delivered to its op unless it
    # was dropped (superseded or stopped); an answer or an error is its last word.
    def _reported(self, said: tuple[Running, Any]) -> None:
        running, value = said
        if not running.dropped:
            running.op.report(value)

    def _succeeded(self, said: tuple[Running, Any]) -> None:
        running, result = said
        self._running.discard(running)
        if not running.dropped:
            running.op.succeeded(result)

    def _failed(self, said: tuple[Running, Exception]) -> None:
        running, error = said
        self._running.discard(running)
        if not running.dropped:
            running.op.failed(error)

    def _supersede(self, key: str) -> None:
        self._drop([r for r in self._running if r.key == key])

    def _drop(self, runnings: list[Running]) -> None:
        for running in runnings:
            running.dropped = True
            if running.future is not None and running.future.cancel():
                self._running.discard(running)  # never started: no answer will come

    def _drop_all(self) -> None:
        for running in self._running:
            running.cancel()
        self._drop(list(self._running))

    def use(self, cache: Path | str) -> None:
        """Work on another cache file from now on; answers about the old one are dropped."""
        self._drop_all()
        self._database.submit(self._conns.close)  # on the thread that opened it
        self.cache = Path(cache)
        self._conns = db.ThreadConnections(self.cache)

    def stop(self) -> None:
        """Cancel every op, drop the answers still to come, close the database thread's
        connection (on that thread) and wait a while for the workers to end."""
        if self._stopped:
            return
        self._stopped = True
        self.stopping.emit()
        self._drop_all()
        closed = self._database.submit(self._conns.close)
        deadline = time.monotonic() + STOP_WAIT
        for running in list(self._running):
            running.wait(max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(TimeoutError):  # a long re-decision: the process ends it
            closed.result(max(0.0, deadline - time.monotonic()))
        self._database.shutdown(wait=False)
        self._network.shutdown(wait=False)


class _Op(Generic[T]):
    network = False

    def __init__(self, tasks: Tasks) -> None:
        self.tasks = tasks
        self.key: str | None = None
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[Exception], None] | None = None
        self._progress: Callable[[Any], None] | None = None

    def success(self, callback: Callable[[T], None]) -> Self:
        self._success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> Self:
        self._failure = callback
        return self

    def latest(self, key: str) -> Self:
        """Supersede the older ops of ``key`` (their answers are dropped)."""
        self.key = key
        return self

    def run_in_background(self) -> Running:
        return self.tasks.start(self)

    def work(self, report: Report, cancel: threading.Event) -> T:
        raise NotImplementedError

    def report(self, value: Any) -> None:
        if self._progress is not None:
            self._progress(value)

    def succeeded(self, result: T) -> None:
        if self._success is not None:
            self._success(result)

    def failed(self, error: Exception) -> None:
        if self._failure is None:
            raise error  # a bug: Qt prints it (and a test fails on it)
        self._failure(error)


class QueryOp(_Op[T]):
    """Read the cache on the database thread: ``op(conn)``, then ``success(result)``."""

    def __init__(
        self, tasks: Tasks, op: Callable[[sqlite3.Connection], T], success: Callable[[T], None]
    ) -> None:
        super().__init__(tasks)
        self._op = op
        self._success = success

    def work(self, report: Report, cancel: threading.Event) -> T:
        return self._op(self.tasks.connection())


class CollectionOp(_Op[T]):
    """Change the cache on the database thread: ``op(conn)``; on success ``Tasks.changed``."""

    def __init__(self, tasks: Tasks, op: Callable[[sqlite3.Connection], T]) -> None:
        super().__init__(tasks)
        self._op = op

    def work(self, report: Report, cancel: threading.Event) -> T:
        return self._op(self.tasks.connection())

    def succeeded(self, result: T) -> None:
        super().succeeded(result)
        self.tasks.changed.emit(result)


class NetworkOp(_Op[T]):
    """Wait on a server in the network pool: ``op(report, cancel)``; ``progress(callback)``
    receives what it reports."""

    network = True

    def __init__(self, tasks: Tasks, op: Callable[[Report, threading.Event], T]) -> None:
        super().__init__(tasks)
        self._op = op

    def progress(self, callback: Callable[[Any], None]) -> Self:
        self._progress = callback
        return self

    def work(self, report: Report, cancel: threading.Event) -> T:
        return self._op(report, cancel)
