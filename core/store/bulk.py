"""Bulk loads: a first sync of a big folder builds some indexes once, at the end.

Maintaining an index row by row costs more than sorting its entries once: a B-tree filled in
random key order (Message-IDs, subjects) or twice (the verdict columns, written undecided and
then decided) is the slowest part of writing 100,000 new rows. While a sync adds more rows than
the cache holds, the indexes below are dropped and built again when it ends, whatever way it
ends; so are the triggers that keep the folders' counts (``core.store.counts``), counted
again once. A process killed in between leaves them missing: :func:`restore`, run by every
``core.store.db.connect``, builds them again. Queries are correct either way, only slower for
those seconds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Final

from core.store import counts
from core.store.transaction import file_of, write

# The indexes a bulk load defers, with the SQL that makes them (the migrations' own text:
# ``tests/store/test_bulk.py`` checks that they agree). Not the UNIQUE (folder, uidvalidity,
# uid) one: the writer's replay check uses it, and new UIDs append to it in order anyway. Nor
# ``messages_flags``, the same keys and the flags: its entries append as well, and building it
# at the end lengthened the settle's writer (measured on a 100k first fill: 0.08 s more there,
# the fill no shorter).
DEFERRED: Final = {
    "messages_by_reason": "CREATE INDEX messages_by_reason ON messages"
    " (folder_id, reason, sort_date)",
    "messages_by_logged": "CREATE INDEX messages_by_logged ON messages"
    " (folder_id, logged, sort_date)",
    "messages_by_message_id": "CREATE INDEX messages_by_message_id ON messages (message_id)",
    "messages_by_subject": "CREATE INDEX messages_by_subject ON messages (subject_key)",
    "links_by_message": "CREATE INDEX links_by_message ON links (message)",
    "messages_undecided": "CREATE INDEX messages_undecided ON messages (folder_id)"
    " WHERE decided_at IS NULL",
}
# Built from the verdict columns: after the verdicts are stored, or they are maintained twice.
# Besides the indexes, the folders' counts (``core.store.counts``): kept by triggers, which a
# bulk load drops with the indexes; counted again after the verdicts, as those indexes are.
NAMES: Final = (*DEFERRED, counts.NAME)
ON_VERDICTS: Final = frozenset(
    ("messages_by_reason", "messages_by_logged", "messages_undecided", counts.NAME)
)
ON_LINKS: Final = frozenset(("links_by_message",))  # built after the links are written
MIN_ROWS: Final = 20_000  # smaller loads keep their indexes: rebuilding would cost more


def missing(conn: sqlite3.Connection) -> list[str]:
    """The deferred indexes that do not exist now, then the counts when they are not kept,
    in :data:`NAMES`' order."""
    marks = ",".join("?" * len(DEFERRED))
    present = {
        name
        for (name,) in conn.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ({marks})",
            list(DEFERRED),
        )
    }
    if not counts.lapsed(conn):
        present.add(counts.NAME)
    return [name for name in NAMES if name not in present]


def restore(conn: sqlite3.Connection) -> list[str]:
    """Build the deferred indexes that are missing (none, unless a bulk load was cut short)."""
    if not missing(conn):
        return []
    with write(conn):
        built = missing(conn)  # another connection may have built them meanwhile
        build(conn, built)
    return built


def build(conn: sqlite3.Connection, names: Iterable[str]) -> None:
    """Build the named deferred indexes, count the counts (inside the caller's transaction,
    which has changed no row yet). With indexes to build too, a second connection reads the
    count meanwhile (``counts.Beside``): each is a scan of every row."""
    names = list(names)
    indexes = [name for name in names if name != counts.NAME]
    counting = counts.NAME in names
    path = file_of(conn) if counting and indexes else None
    beside = counts.Beside(path) if path is not None else None
    for name in indexes:
        conn.execute(DEFERRED[name])
    if counting:
        counts.keep(conn, beside.rows() if beside is not None else None)


class Deferral:
    """Drops the deferred indexes and the counts' triggers for a big load (:meth:`begin`),
    builds and counts them again at :meth:`end`."""

    def __init__(self, conn: sqlite3.Connection, min_rows: int | None = None) -> None:
        self.conn = conn
        self.min_rows = MIN_ROWS if min_rows is None else min_rows
        self.active = False

    def begin(self, new_rows: int) -> bool:
        """Defer the indexes when ``new_rows`` is big and more than the cache holds now."""
        if self.active or new_rows < self.min_rows:
            return self.active
        (cached,) = self.conn.execute("SELECT count(*) FROM messages").fetchone()
        if cached > new_rows:
            return False  # most rows are there already: keep their indexes for the app
        self._drop_deferred()
        self.active = True
        return True

    def _drop_deferred(self) -> None:
        with write(self.conn):
            for name in DEFERRED:
                self.conn.execute(f"DROP INDEX IF EXISTS {name}")
            counts.stop(self.conn)

    def end(self, failed: bool = False) -> None:
        """Build the deferred indexes again (a no-op when :meth:`begin` deferred nothing).

        After a ``failed`` load (a full disk, a lost connection) an error here would hide the
        first one: it is left to the next ``connect`` to build them.
        """
        if not self.active:
            return
        self.active = False
        try:
            restore(self.conn)
        except sqlite3.Error:
            if not failed:
                raise
