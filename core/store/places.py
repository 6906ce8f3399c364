"""Where a cached row lives: its account, its folder and its UID.

Reading a message's original (its body, a forward), logging it or rewriting a draft starts
from a row id of the ``messages`` table; these lookups say where that row's mail is, so no
caller above the store writes the join.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core.store.accounts import Account, get_account


@dataclass(frozen=True, slots=True)
class Location:
    """Where a cached row's message lives: its account, folder name and UID."""

    account: Account
    folder: str
    uid: int
    folder_id: int


def account_of(conn: sqlite3.Connection, row_id: int) -> Account | None:
    """The account a cached row belongs to (with how it signs in); None when it is gone."""
    row = conn.execute(
        "SELECT a.name FROM messages m JOIN folders f ON f.id = m.folder_id"
        " JOIN accounts a ON a.id = f.account_id WHERE m.id = ?",
        (row_id,),
    ).fetchone()
    return None if row is None else get_account(conn, str(row[0]))


def locate(conn: sqlite3.Connection, row_id: int) -> Location | None:
    """The account, folder and UID of a cached row; None when it is gone."""
    account = account_of(conn, row_id)
    row = conn.execute(
        "SELECT f.name, m.uid, f.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE m.id = ?",
        (row_id,),
    ).fetchone()
    if account is None or row is None:
        return None
    return Location(account, str(row[0]), int(row[1]), int(row[2]))


def replied_row(conn: sqlite3.Connection, account_id: int, message_id: str) -> int | None:
    """The cached row (not a draft) of the account whose Message-ID is ``message_id``: the
    message an email answers."""
    row = conn.execute(
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE f.account_id = ? AND m.message_id = ? AND f.role != 'drafts' LIMIT 1",
        (account_id, message_id),
    ).fetchone()
    return int(row[0]) if row is not None else None


def accounts_shown(
    conn: sqlite3.Connection, folder_id: int | None, account_id: int | None
) -> frozenset[int] | None:
    """The accounts whose rows a view of ``folder_id`` (else ``account_id``) shows: None for
    every account, empty for a folder that is gone."""
    if folder_id is None:
        return None if account_id is None else frozenset((account_id,))
    row = conn.execute("SELECT account_id FROM folders WHERE id = ?", (folder_id,)).fetchone()
    return frozenset() if row is None else frozenset((int(row[0]),))
