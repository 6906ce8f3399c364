"""The SQL statements a connection runs, recorded for a test to look at."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def recorded(conn: sqlite3.Connection) -> Iterator[list[str]]:
    """The statements run on ``conn`` inside the block, with their values."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)
