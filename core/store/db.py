"""Opening the cache: one SQLite file, WAL, one connection per thread, short write transactions.

Writers always start with ``BEGIN IMMEDIATE``: a deferred read transaction that is later
upgraded to a write fails at once with "database is locked" when another connection committed
in between (field-notes), whatever the busy timeout.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import platformdirs
import sqlite_utils

from core.store.schema import migrate

FILE_NAME: Final = "mailscope.sqlite"
BUSY_TIMEOUT_MS: Final = 30_000


def home() -> Path:
    """Where the app keeps its data: ``$MAILSCOPE_HOME``, else the platform's user data folder."""
    configured = os.environ.get("MAILSCOPE_HOME")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("mailscope"))


def default_path() -> Path:
    return home() / FILE_NAME


def connect(path: Path | str | None = None) -> sqlite3.Connection:
    """A new connection (autocommit mode; transactions are explicit) with the schema migrated.

    ``":memory:"`` gives a private in-memory cache (tests).
    """
    target = str(path) if path is not None else str(default_path())
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    # WAL + NORMAL is durable against process death (SIGKILL); only an OS crash may lose the
    # last commits, never corrupt the file.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32000")
    # Checkpoint the WAL every ~40 MB instead of 4 MB: a first sync writes in big batches.
    conn.execute("PRAGMA wal_autocheckpoint = 10000")
    migrate(conn)
    return conn


def database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """The sqlite-utils view of a connection (introspection, simple reads)."""
    return sqlite_utils.Database(conn)


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A short ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


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
