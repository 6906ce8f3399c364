"""A second connection that writes while the engine decides: the settle's background writer.

``sqlite3`` releases the GIL while a statement runs, so a thread that writes in whole
statements (a chunk of links or verdicts, an index build) runs beside the decision instead
of after it. On a 100,000-message first fill it hides most of the verdict UPDATE and of the
deferred index builds (``core.store.bulk``). Jobs run in order, each in its own short
transaction: a process killed in between leaves the remaining rows undecided (and their
links, if any are missing, are written again by the next settle before it decides them).
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable
from typing import Final

from core.store.db import connect, pages
from core.store.transaction import write

CHUNK: Final = 4000  # rows per statement: few GIL hand-overs, under the 32,766 variables
# The links' rows have two columns: four times as many per statement, in as many variables.
# Each statement waits for the GIL the engine holds (up to a switch interval, SWITCH) before
# binding: on a 100k first fill the links job took 0.23-0.31 s instead of 0.43-0.55 s.
LINK_CHUNK: Final = 16_000

# The writer leaves the WAL to its caller's connection, which copies it into the database beside
# the writer's last jobs, once the engine is done (``finish``): a page rewritten by several
# chunks before then is copied once. On a 100k first fill, the writer's own checkpoints (every
# ~40 MB, ``core.store.db``) each held up the next chunk ~0.1 s, twice or three times. Past
# this many bytes it checkpoints all the same: the WAL of a huge settle stays bounded.
WAL_BYTES: Final = 200_000_000

# While a writer runs, the GIL changes hands every 0.5 ms instead of every 5 (Python's
# default): each statement needs it to bind its values and again after its step, and waits for
# the engine to let go of it. On a 100k first fill the settle then waited 0.39-0.42 s for the
# writer's last jobs instead of 0.49-0.61 s; the engine took ~0.05 s longer.
SWITCH: Final = 0.0005

Job = Callable[[sqlite3.Connection], None]


class _Handoffs:
    """The process's switch interval is :data:`SWITCH` while any writer runs (they may overlap,
    in threads of their own), the previous one after the last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._before = 0.0

    def start(self) -> None:
        with self._lock:
            if self._running == 0:
                self._before = sys.getswitchinterval()
                sys.setswitchinterval(min(SWITCH, self._before))
            self._running += 1

    def stop(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                sys.setswitchinterval(self._before)


_handoffs = _Handoffs()


def _checkpoint(conn: sqlite3.Connection) -> None:
    """Copy what the WAL holds into the database, as far as no reader needs it; never waits.
    One that fails (a full disk) leaves the WAL whole: closing the cache tries again."""
    with contextlib.suppress(sqlite3.Error):
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


class Writer:
    """Runs submitted jobs in order on its own connection to ``path``, each in a transaction.

    Its connection skips foreign-key checks: the settle's links point at rows it has just
    read, and a link whose message is gone meanwhile only widens a later re-decision.
    """

    def __init__(self, path: str) -> None:
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(path,), name="settle-writer", daemon=True
        )
        self._ended = False
        _handoffs.start()
        self._thread.start()

    def _run(self, path: str) -> None:
        try:
            conn = connect(path, restore=False)  # deferred indexes are this writer's job
        except BaseException as error:  # reported by submit() and finish()
            self._error = error
            return
        try:
            self._serve(conn)
        except BaseException as error:
            self._error = error
        finally:
            conn.close()

    def _serve(self, conn: sqlite3.Connection) -> None:
        """Run the queued jobs, each in its own transaction, until ``finish`` queues None."""
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(f"PRAGMA wal_autocheckpoint = {pages(conn, WAL_BYTES)}")
        while (job := self._jobs.get()) is not None:
            with write(conn):
                job(conn)

    def submit(self, job: Job) -> None:
        """Queue a job; raises at once if the writer has failed (a full disk, say)."""
        if self._error is not None:
            self.finish()
        self._jobs.put(job)

    def finish(self, checkpoint: sqlite3.Connection | None = None) -> None:
        """Wait for every queued job; raise the writer's error, if any. Meanwhile, and once
        more at the end, ``checkpoint`` (the caller's connection to the same file, idle now)
        copies the WAL into the database: passive, it never holds the writer up."""
        self._end(checkpoint)
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def abandon(self) -> None:
        """Stop after what is queued (the caller failed); the writer's own error is dropped."""
        self._end()
        self._error = None

    def _end(self, checkpoint: sqlite3.Connection | None = None) -> None:
        """The queued jobs done and the thread gone; the switch interval given back, once
        (a failed ``submit`` finishes, and its caller then abandons)."""
        self._jobs.put(None)
        if checkpoint is not None:
            while self._thread.is_alive():
                _checkpoint(checkpoint)
                self._thread.join(0.01)
            _checkpoint(checkpoint)  # the last jobs' pages
        self._thread.join()
        if not self._ended:
            self._ended = True
            _handoffs.stop()
