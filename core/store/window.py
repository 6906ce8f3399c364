"""An account's stored verdicts over a window of days: the reads of the stored what-if.

``core.preview.whatif_cache`` simulates a settings change from what the cache already holds;
these are its questions to the cache. Only SELECTs, and no temp table: a simulation writes
nothing, checkable on the connection itself.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from typing import Final, NamedTuple

from core.rules.model import Message
from core.store.engine_input import account_messages, input_order, read_messages
from core.store.redecide import SELECTED_VERDICTS

# A row's stored verdict: its ``redecide.VERDICT_COLUMNS``, as ``SELECTED_VERDICTS`` reads them.
Columns = tuple[object, ...]

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


def messages(
    conn: sqlite3.Connection, account_id: int, rowids: Collection[int] | None
) -> list[Message]:
    """The engine messages of the account's rows among ``rowids`` (None: all its rows), in the
    engine's input order: one statement (the ids as one JSON array), read and ordered by
    SQLite (``rowids`` may hold other accounts' rows: ``core.store.redecide.reached``)."""
    if rowids is None:
        return account_messages(conn, account_id)
    # "+": by each id, not the account's rows by folder, tested against the list.
    where = "+f.account_id = ? AND m.id IN (SELECT value FROM json_each(?))"
    params = (account_id, json.dumps(list(rowids)))
    return list(read_messages(conn, where, params, order=input_order()).values())


def verdicts(conn: sqlite3.Connection, window: Window) -> dict[int, Columns]:
    """The stored verdict columns of every row of the window, by row id: one read, the
    "before" of a what-if and its counts."""
    found = conn.execute(
        f"SELECT m.id, {SELECTED_VERDICTS} FROM messages m WHERE {window.where}",
        window.params,
    )
    return {row[0]: row[1:] for row in found}
