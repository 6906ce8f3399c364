"""Opening the cache: one SQLite file, WAL, one connection per thread.

Writing is ``core.store.transaction``'s: one short ``BEGIN IMMEDIATE`` transaction per write.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Final

from core.store import bulk
from core.store.schema import migrate

if TYPE_CHECKING:
    import sqlite_utils

FILE_NAME: Final = "mailscope.sqlite"
BUSY_TIMEOUT_MS: Final = 30_000
# The page size of a new cache (SQLite's default: 4 KiB; a cache made before keeps its own).
# A first fill writes every page to the WAL and then into the file, and the settle rewrites the
# table's: with 16 KiB pages, a quarter as many frames, system calls and page splits for the
# same bytes. Measured on 100,000 realistic messages, a first `mailscope sync` as a whole process
# (bench/process_bench.py, 10 alternated rounds): 5.12 s against 5.30 s with 4 KiB, 7.60
# CPU-seconds against 7.95, faster in 9 rounds of 10; 8, 32 and 64 KiB were no faster. The
# price: an empty cache takes 0.8 MB instead of 0.2 MB.
PAGE_BYTES: Final = 16_384
# The WAL is copied into the file once it holds this much (SQLite's default: 1,000 pages);
# a first sync writes in big batches.
CHECKPOINT_BYTES: Final = 40_000_000

# sqlite3 binds int, float, str and bytes directly, but looks for an adapter (two failed
# attribute lookups) for every None: half the cost of binding a row of mostly NULL columns
# (measured: 0.58 -> 0.28 s for 100,000 rows of 21 NULLs). The adapter returns None, which is
# then bound as NULL: the same value, found in one dict lookup.
sqlite3.register_adapter(type(None), lambda _: None)


class _Connection(sqlite3.Connection):
    """A cache connection that ``close_all`` can find (``sqlite3.Connection`` itself takes no
    weak reference)."""


_opened: weakref.WeakSet[_Connection] = weakref.WeakSet()


def close_all() -> None:
    """Close every cache connection of this process still open: the end of a command, which
    then needs no collection to find them (the last one to close checkpoints the WAL and
    removes it). Another thread's connection is left open (``sqlite3`` refuses)."""
    for conn in list(_opened):
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def home() -> Path:
    """Where the app keeps its data: ``$MAILSCOPE_HOME``, else the platform's user data folder."""
    configured = os.environ.get("MAILSCOPE_HOME")
    if configured:
        return Path(configured)
    import platformdirs  # imported when used: the native host starts in a few milliseconds

    return Path(platformdirs.user_data_dir("mailscope"))


_workspace: Path | None = None  # ``use_workspace``: the cache this process opens instead


def use_workspace(path: Path | None) -> None:
    """Make ``path`` the cache every ``connect()`` of this process opens (``mailscope --demo
    COMMAND`` runs a command on the demo workspace); None puts the default back."""
    global _workspace
    _workspace = path


def default_path() -> Path:
    return _workspace if _workspace is not None else home() / FILE_NAME


def connect(path: Path | str | None = None, *, restore: bool = True) -> sqlite3.Connection:
    """A new connection (autocommit mode; transactions are explicit) with the schema migrated.

    ``":memory:"`` gives a private in-memory cache (tests). ``restore=False`` leaves the
    indexes a bulk load deferred alone (for that load's own writer, ``core.store.bulk``).
    """
    target = str(path) if path is not None else str(default_path())
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        target, isolation_level=None, check_same_thread=True, factory=_Connection
    )
    _opened.add(conn)
    conn.execute(f"PRAGMA page_size = {PAGE_BYTES}")  # before WAL: an existing file ignores it
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    # WAL + NORMAL is durable against process death (SIGKILL); only an OS crash may lose the
    # last commits, never corrupt the file.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32000")
    conn.execute(f"PRAGMA wal_autocheckpoint = {pages(conn, CHECKPOINT_BYTES)}")
    migrate(conn)
    if restore:  # indexes a bulk load dropped, if it was killed before building them
        bulk.restore(conn)
    return conn


def pages(conn: sqlite3.Connection, size: int) -> int:
    """How many of the cache's pages hold ``size`` bytes (at least one): its page size is
    :data:`PAGE_BYTES` or, for a cache made before, SQLite's default."""
    (page,) = conn.execute("PRAGMA page_size").fetchone()
    return max(1, size // int(page))


READ_CACHE_KIB: Final = 8000  # the page cache of a GUI thread's reading connection


def reading(conn: sqlite3.Connection) -> sqlite3.Connection:
    """A connection that only reads for a GUI thread: a smaller page cache than a sync's (the
    indexes it walks are hot in the OS file cache anyway)."""
    conn.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
    return conn


def database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """The sqlite-utils view of a connection (introspection, simple reads)."""
    import sqlite_utils  # about 0.12 s to import: only the callers that use it pay

    return sqlite_utils.Database(conn)


class ThreadConnections:
    """One connection per thread to the same file (sqlite3 connections are not shared)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = path if path is not None else default_path()
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
