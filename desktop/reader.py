"""Re-reading the cache off the GUI thread: the table's ids and the sidebar, after sync steps.

A sync writes rows in batches; showing them means re-reading up to 100,000 ids and the folder
counts, which takes tens of milliseconds. Done in a worker (its own SQLite connection), the
event loop stays free; the GUI only swaps the results in.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.store import db, views
from core.store.views import TableQuery
from desktop.sidebar import AccountState, snapshot

READ_CACHE_KIB = 8000  # the page cache of a GUI-side reading connection


def reading(conn: sqlite3.Connection) -> sqlite3.Connection:
    """A connection that only reads for the GUI: a smaller page cache than a sync's (the
    indexes it walks are hot in the OS file cache anyway), so two of them cost ~16 MB."""
    conn.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
    return conn


class _Signals(QObject):
    done = Signal(int, object, object, object, float)  # generation, query, ids, states, read at


class _Read(QRunnable):
    def __init__(
        self, conns: db.ThreadConnections, generation: int, query: TableQuery, sidebar: bool
    ) -> None:
        super().__init__()
        self.conns, self.generation, self.query, self.sidebar = conns, generation, query, sidebar
        self.signals = _Signals()

    def run(self) -> None:
        # The reader thread's own connection, kept open: a fresh one starts with an empty page
        # cache and made a search twice as slow.
        conn = reading(self.conns.get())  # a PRAGMA costs microseconds
        read_at = time.monotonic()  # before reading: the answer is at least this fresh
        ids = views.ids(conn, self.query)
        states = snapshot(conn) if self.sidebar else None
        self.signals.done.emit(self.generation, self.query, ids, states, read_at)


class _Close(QRunnable):
    def __init__(self, conns: db.ThreadConnections) -> None:
        super().__init__()
        self.conns = conns

    def run(self) -> None:
        self.conns.close()


class CacheReader(QObject):
    """Reads in one background thread; only the latest request's answer is delivered."""

    ready = Signal(object, object, object, float)  # query, ids, sidebar states or None, read at

    def __init__(self, cache: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.conns = db.ThreadConnections(cache)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)  # one thread for good: its connection stays warm
        self._generation = 0
        self._jobs: set[_Read] = set()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def request(self, query: TableQuery, *, sidebar: bool) -> None:
        self._generation += 1
        job = _Read(self.conns, self._generation, query, sidebar)
        job.setAutoDelete(False)
        job.signals.done.connect(lambda *args, j=job: self._done(j, *args))
        self._jobs.add(job)
        self.pool.start(job)

    def _done(
        self,
        job: _Read,
        generation: int,
        query: TableQuery,
        ids: array[int],
        states: list[AccountState] | None,
        read_at: float,
    ) -> None:
        self._jobs.discard(job)
        if generation == self._generation:
            self.ready.emit(query, ids, states, read_at)

    def stop(self) -> None:
        """Drop answers in flight and close the thread's connection (in that thread)."""
        self._generation += 1
        self.pool.start(_Close(self.conns))
        self.pool.waitForDone(10_000)
