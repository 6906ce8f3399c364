"""A second connection that stores verdicts while the engine decides the next ones.

``sqlite3`` releases the GIL while a statement runs, so a thread that writes whole chunks of
verdicts (one statement each) and builds indexes (one statement each) runs beside the
decision instead of after it: on a 100,000-message first fill that hides most of the verdict
UPDATE and of the deferred index builds (``core.store.bulk``). Each chunk is its own short
transaction: a process killed in between leaves the remaining rows undecided, and the next
settle decides them.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Sequence
from typing import Final

from core.store.db import connect, values, write

CHUNK: Final = 4000  # rows per UPDATE statement: few GIL hand-overs, under the 32,766 variables


class Writer:
    """Runs ``before`` (index builds), then each queued chunk of ``sql``, then ``after``."""

    def __init__(
        self, path: str, sql: str, params: Sequence[object], before: Sequence[str] = (),
        after: Sequence[str] = (),
    ) -> None:  # fmt: skip
        self._sql = sql
        self._params = tuple(params)
        self._jobs: queue.SimpleQueue[list[tuple[object, ...]] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(path, before, after), name="settle-writer", daemon=True
        )
        self._thread.start()

    def _run(self, path: str, before: Sequence[str], after: Sequence[str]) -> None:
        try:
            conn = connect(path, restore=False)  # restoring is this writer's job here
        except BaseException as error:  # reported by put() and finish()
            self._error = error
            return
        try:
            for sql in before:
                with write(conn):
                    conn.execute(sql)
            while (rows := self._jobs.get()) is not None:
                with write(conn):
                    values(conn, self._sql, rows, self._params, most=CHUNK)
            for sql in after:
                with write(conn):
                    conn.execute(sql)
        except BaseException as error:
            self._error = error
        finally:
            conn.close()

    def put(self, rows: list[tuple[object, ...]]) -> None:
        """Queue a chunk; raises at once if the writer has failed (a full disk, say)."""
        if self._error is not None:
            self.finish()
        self._jobs.put(rows)

    def finish(self) -> None:
        """Wait for every queued chunk and the last index builds; raise the writer's error."""
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def abandon(self) -> None:
        """Stop after what is queued (the caller failed); the writer's own error is dropped."""
        self._jobs.put(None)
        self._thread.join()
        self._error = None


def file_of(conn: sqlite3.Connection) -> str | None:
    """The file behind a connection's main database (None in memory: no second connection)."""
    for _, name, path in conn.execute("PRAGMA database_list"):
        if name == "main":
            return str(path) or None
    return None
