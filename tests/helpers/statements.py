"""The SQL statements a connection runs, recorded for a test to look at, and the table scans
in their plans."""

from __future__ import annotations

import re
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


# The big tables, by name or by the aliases the queries give them.
BIG: frozenset[str] = frozenset({"messages", "m", "links", "l1", "l2", "local_keys", "k"})
_SKIP = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|PRAGMA|CREATE|DROP|SAVEPOINT|RELEASE)\b", re.I)


def scans(conn: sqlite3.Connection, statements: list[str]) -> list[tuple[str, str]]:
    """(statement, plan step) for every step that scans a big table."""
    found = []
    for sql in statements:
        if _SKIP.match(sql):
            continue
        for *_, detail in conn.execute("EXPLAIN QUERY PLAN " + sql):
            words = str(detail).split()
            if words[:1] == ["SCAN"] and words[1] in BIG:
                found.append((sql[:200], str(detail)))
    return found
