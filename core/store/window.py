"""An account's stored verdicts over a window of days: the reads of the stored what-if.

``core.preview.whatif_cache`` simulates a settings change from what the cache already holds;
these are its questions to the cache. Only SELECTs, and no temp table: a simulation writes
nothing, checkable on the connection itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Sequence
from typing import Final, NamedTuple

from core.rules.model import Message
from core.store.engine_input import input_order, order_key, read_messages
from core.store.packed import Reader
from core.store.transaction import in_chunks

CHUNK: Final = 900  # ids per IN (...) list
_ACCOUNT: Final = "m.folder_id IN (SELECT id FROM folders WHERE account_id = ?)"
_WINDOW: Final = (  # drafts count as sent now; undated mail is in no period
    "(m.folder_id IN (SELECT id FROM folders WHERE account_id = ? AND role = 'drafts')"
    " OR m.date >= ?)"
)


class Window(NamedTuple):
    """The account's messages dated from ``since`` (None: all), its drafts included."""

    account_id: int
    since: float | None

    @property
    def where(self) -> str:
        """The SQL condition (``m`` the messages); its parameters are :attr:`params`."""
        return _ACCOUNT if self.since is None else f"{_ACCOUNT} AND {_WINDOW}"

    @property
    def params(self) -> tuple[object, ...]:
        if self.since is None:
            return (self.account_id,)
        return self.account_id, self.account_id, self.since


def all_decided(conn: sqlite3.Connection, account_id: int) -> bool:
    """Whether every row of the account has a stored verdict (the partial index answers)."""
    row = conn.execute(
        f"SELECT 1 FROM messages m WHERE m.decided_at IS NULL AND {_ACCOUNT} LIMIT 1",
        (account_id,),
    ).fetchone()
    return row is None


def size(conn: sqlite3.Connection, window: Window) -> int:
    """How many messages the window holds."""
    row = conn.execute(f"SELECT count(*) FROM messages m WHERE {window.where}", window.params)
    return int(row.fetchone()[0])


def rows(conn: sqlite3.Connection, window: Window) -> set[int]:
    return _ids(conn, f"SELECT m.id FROM messages m WHERE {window.where}", window.params)


def _ids(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> set[int]:
    return {int(row[0]) for row in conn.execute(sql, params)}


def rows_ending_at(
    conn: sqlite3.Connection, account_id: int, rules: Collection[str], most: int
) -> set[int] | None:
    """The account's rows whose stored verdict came from one of ``rules`` (None: more than
    ``most``, no need to list them)."""
    listed = ",".join("?" * len(rules))
    where = f"FROM messages m WHERE {_ACCOUNT} AND m.rule IN ({listed})"
    (count,) = conn.execute(f"SELECT count(*) {where}", (account_id, *rules)).fetchone()
    if count > most:
        return None
    return _ids(conn, f"SELECT m.id {where}", (account_id, *rules))


def rows_mentioning(conn: sqlite3.Connection, account_id: int, text: str) -> set[int]:
    """A superset of the rows taking part through ``text`` (an address or a domain): every
    row whose sender's or recipients' stored text holds it."""
    holds = " OR ".join(
        f"instr(lower(coalesce({column}, '')), ?)"
        for column in ("m.from_email", "m.to_list", "m.cc_list", "m.bcc_list")
    )
    sql = f"SELECT m.id FROM messages m WHERE {_ACCOUNT} AND ({holds})"
    return _ids(conn, sql, (account_id, *[text] * 4))


def ids_in_order(conn: sqlite3.Connection, account_id: int) -> list[int]:
    """Every row of the account, in the engine's input order."""
    found = conn.execute(
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        f" WHERE f.account_id = ? ORDER BY {input_order()}",
        (account_id,),
    )
    return [int(row[0]) for row in found]


def in_order(conn: sqlite3.Connection, rowids: Iterable[int]) -> list[int]:
    """``rowids`` in the engine's input order."""
    keys = []
    for chunk, marks in in_chunks(list(rowids), CHUNK):
        keys += [
            order_key(*row)
            for row in conn.execute(
                "SELECT f.role, f.name, m.uid, m.id FROM messages m JOIN folders f"
                f" ON f.id = m.folder_id WHERE m.id IN ({marks})",
                chunk,
            )
        ]
    return [key[3] for key in sorted(keys)]


def messages(conn: sqlite3.Connection, ordered: list[int]) -> list[Message]:
    """The engine messages of ``ordered`` rows, in that order (one reader: lists shared)."""
    loaded: dict[int, Message] = {}
    reader = Reader()
    for chunk, marks in in_chunks(ordered, CHUNK):
        loaded.update(read_messages(conn, f"m.id IN ({marks})", chunk, reader))
    return [loaded[rowid] for rowid in ordered]


def stored(
    conn: sqlite3.Connection, rowids: list[int], window: Window
) -> dict[int, tuple[object, ...]]:
    """The stored verdict columns of those of ``rowids`` in the window."""
    found: dict[int, tuple[object, ...]] = {}
    for chunk, marks in in_chunks(rowids, CHUNK):
        for rowid, *columns in conn.execute(
            "SELECT m.id, m.logged, m.reason, m.rule, m.contacts, m.attributed_to, m.attribution"
            f" FROM messages m WHERE {window.where} AND m.id IN ({marks})",
            [*window.params, *chunk],
        ):
            found[int(rowid)] = tuple(columns)
    return found


def reasons(conn: sqlite3.Connection, window: Window) -> dict[str, int]:
    """How many messages of the window per stored reason."""
    found = conn.execute(
        f"SELECT m.reason, count(*) FROM messages m WHERE {window.where} GROUP BY m.reason",
        window.params,
    )
    return {str(reason): int(count) for reason, count in found}


def logged_per_user(conn: sqlite3.Connection, window: Window) -> dict[str | None, int]:
    """How many logged messages of the window per attributed user (None: nobody)."""
    found = conn.execute(
        f"SELECT m.attributed_to, count(*) FROM messages m WHERE {window.where} AND m.logged = 1"
        " GROUP BY m.attributed_to",
        window.params,
    )
    return {user: int(count) for user, count in found}
