"""The folders' counts kept as rows change (issue 15): the sidebar's figures without a scan.

``message_counts`` holds, per folder, how many rows have each verdict (logged, reason) and
``bulk``: every column the sidebar's counts read (``core.store.queries.folder_counts``:
total, will log, won't log, needs action, undecided). Counting them from the rows read the
whole table, 200-400 ms for 100,000 messages on this machine, before the table's first read
after the window opened, a sync or a logged email (a first click waited behind it). Triggers
on ``messages`` keep it instead:

- a row inserted adds one; a row deleted takes one away, a folder's or an account's cascade
  included (foreign-key actions fire triggers);
- a row whose verdict or folder changes moves from its old key to its new one.

The key's columns are NOT NULL (a UNIQUE key holds NULLs apart): an undecided row counts
under ``logged`` -1 and ``reason`` '', which the counts' tests read as they read NULL
(neither is 0, 1 or a listed reason). Keys whose count fell to 0 stay: they count nothing.

A bulk load (``core.store.bulk``) drops the triggers with its deferred indexes and
:func:`keep` counts the table again once at its end (one scan) instead of running them
200,000 times (the rows' insert, then their verdict). While they are dropped, :func:`kept`
is False and ``folder_counts`` counts the rows themselves, as before.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Final

NAME: Final = "message_counts"  # the name ``core.store.bulk`` defers it by
SCAN_CACHE: Final = -2000  # the page cache of the counting scan (KiB, SQLite's negative form)

_KEY: Final = "folder_id, logged, reason, bulk"
_NEW: Final = "new.folder_id, coalesce(new.logged, -1), coalesce(new.reason, ''), new.bulk"
_ADD: Final = (
    f"INSERT INTO message_counts ({_KEY}, n) VALUES ({_NEW}, 1)"
    f" ON CONFLICT ({_KEY}) DO UPDATE SET n = n + 1;"
)
_TAKE: Final = (
    "UPDATE message_counts SET n = n - 1 WHERE folder_id = old.folder_id"
    " AND logged = coalesce(old.logged, -1) AND reason = coalesce(old.reason, '')"
    " AND bulk = old.bulk;"
)

TABLE: Final = (
    "CREATE TABLE message_counts (folder_id INTEGER NOT NULL, logged INTEGER NOT NULL,"
    " reason TEXT NOT NULL, bulk INTEGER NOT NULL, n INTEGER NOT NULL,"
    f" PRIMARY KEY ({_KEY})) WITHOUT ROWID"
)
TRIGGERS: Final = {
    "message_counts_added": f"CREATE TRIGGER message_counts_added AFTER INSERT ON messages"
    f" BEGIN {_ADD} END",
    "message_counts_gone": f"CREATE TRIGGER message_counts_gone AFTER DELETE ON messages"
    f" BEGIN {_TAKE} END",
    "message_counts_moved": "CREATE TRIGGER message_counts_moved"
    " AFTER UPDATE OF folder_id, logged, reason, bulk ON messages"
    " WHEN old.folder_id IS NOT new.folder_id OR old.logged IS NOT new.logged"
    " OR old.reason IS NOT new.reason OR old.bulk IS NOT new.bulk"
    f" BEGIN {_TAKE} {_ADD} END",
}


_EVERY: Final = frozenset((NAME, *TRIGGERS))  # the table and its triggers, when kept


def kept(conn: sqlite3.Connection) -> bool:
    """Whether the triggers keep ``message_counts`` now (not during a bulk load)."""
    return _present(conn) == _EVERY


def lapsed(conn: sqlite3.Connection) -> bool:
    """Whether ``message_counts`` is there but not kept (a bulk load dropped its triggers);
    False for a cache older than migration 0550."""
    present = _present(conn)
    return NAME in present and present != _EVERY


def _present(conn: sqlite3.Connection) -> set[str]:
    marks = ",".join("?" * len(_EVERY))
    rows = conn.execute(f"SELECT name FROM sqlite_master WHERE name IN ({marks})", list(_EVERY))
    return {str(name) for (name,) in rows}


_COUNT: Final = (
    "SELECT folder_id, coalesce(logged, -1), coalesce(reason, ''), bulk, count(*)"
    " FROM messages GROUP BY 1, 2, 3, 4"
)


def keep(conn: sqlite3.Connection, counted: list[tuple[object, ...]] | None = None) -> None:
    """Count every row once and keep the counts from now on (inside the caller's
    transaction: no row changes between the count and the triggers). ``counted``: the count,
    already read by a :class:`Beside` of this transaction."""
    stop(conn)
    conn.execute("DELETE FROM message_counts")
    if counted is not None:
        conn.executemany(f"INSERT INTO message_counts ({_KEY}, n) VALUES (?, ?, ?, ?, ?)", counted)
    else:
        # The scan reads every page once: through a small page cache. With the connection's
        # own (32 MB) it grew the process by 40 MB for 100k rows, which malloc kept after.
        (size,) = conn.execute("PRAGMA cache_size").fetchone()
        conn.execute(f"PRAGMA cache_size = {SCAN_CACHE}")
        try:
            conn.execute(f"INSERT INTO message_counts ({_KEY}, n) {_COUNT}")
        finally:
            conn.execute(f"PRAGMA cache_size = {int(size)}")
    for sql in TRIGGERS.values():
        conn.execute(sql)


class Beside:
    """The count :func:`keep` reads, read by a second connection to ``path`` in a thread of
    its own, while the caller's write transaction builds indexes (each one a scan of the rows
    too): the bulk load's last step, after the verdicts (0.11 s on 100,000 rows).

    Started inside a write transaction that has changed no row: its writer holds the write
    lock, so the last commit, which the reader sees, is what that transaction's rows are.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._rows: list[tuple[object, ...]] | None = None
        self._thread = threading.Thread(target=self._read, name="counts-beside", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            uri = f"{Path(self._path).resolve().as_uri()}?mode=ro"  # read-only, any path
            with closing(sqlite3.connect(uri, uri=True)) as reader:
                reader.execute(f"PRAGMA cache_size = {SCAN_CACHE}")
                self._rows = reader.execute(_COUNT).fetchall()
        except (sqlite3.Error, ValueError, OSError):
            pass  # counted by keep() itself

    def rows(self) -> list[tuple[object, ...]] | None:
        """The count, once read (None if it could not be: count in the transaction)."""
        self._thread.join()
        return self._rows


def stop(conn: sqlite3.Connection) -> None:
    """Stop keeping the counts (a bulk load: :func:`keep` counts them again at its end)."""
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def migrate(conn: sqlite3.Connection) -> None:
    """Migration 0550: the table, counted, and its triggers."""
    conn.execute(TABLE)
    keep(conn)
