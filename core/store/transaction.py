"""Writing to the cache: one short ``BEGIN IMMEDIATE`` transaction, and rows in few statements.

Every module that writes uses these two, ``core.store.db`` (which opens the cache) and
``core.store.bulk`` (which it calls to restore deferred indexes) included: they live here so
neither of those imports the other for them.

Writers always start with ``BEGIN IMMEDIATE``: a deferred read transaction that is later
upgraded to a write fails at once with "database is locked" when another connection committed
in between (field-notes), whatever the busy timeout.

Reads and writes by a list of ids go through :func:`in_chunks`: an ``IN (...)`` list of a
bounded length each. A second connection to the same cache finds its file by :func:`file_of`.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

_T = TypeVar("_T")


def file_of(conn: sqlite3.Connection) -> str | None:
    """The file behind a connection's main database (None in memory: no second connection)."""
    for _, name, path in conn.execute("PRAGMA database_list"):
        if name == "main":
            return str(path) or None
    return None


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


def values(
    conn: sqlite3.Connection,
    sql: str,
    rows: Sequence[Sequence[object]],
    params: Sequence[object] = (),
    most: int = 1000,
) -> None:
    """Run ``sql`` once per chunk of ``rows``, its ``{values}`` replaced by ``(?, ...), ...``.

    One statement per chunk of rows instead of one per row (``executemany``): a first sync
    writes 100,000 rows and their verdicts, and the per-statement cost is a fifth of it.
    ``params`` are bound before the rows' values (the ``?`` that precede ``{values}``);
    ``most`` caps the rows per statement.
    """
    if not rows:
        return
    width = len(rows[0])
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - len(params)
    per = max(1, min(most, limit // width))
    full = _with_rows(sql, width, per)
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        text = full if len(chunk) == per else _with_rows(sql, width, len(chunk))
        conn.execute(text, [*params, *itertools.chain.from_iterable(chunk)])


def in_chunks(values: Sequence[_T], size: int) -> Iterator[tuple[list[_T], str]]:
    """``values`` in chunks of ``size``, each with its ``?,?,...`` for an ``IN (...)`` list."""
    for start in range(0, len(values), size):
        chunk = list(values[start : start + size])
        yield chunk, ",".join("?" * len(chunk))


def _with_rows(sql: str, width: int, count: int) -> str:
    """``sql`` with its ``{values}`` as ``count`` rows of ``width`` placeholders."""
    one = "(" + ", ".join("?" * width) + ")"
    return sql.format(values=", ".join([one] * count))
