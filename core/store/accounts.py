"""Accounts in the cache: where a mailbox is, never its password (that is in the keyring)."""

from __future__ import annotations

import enum
import sqlite3
import time
from dataclasses import dataclass, replace

from core.store.transaction import write


class AccountKind(enum.StrEnum):
    IMAP = "imap"
    MAILDIR = "maildir"
    MBOX = "mbox"


@dataclass(frozen=True, slots=True)
class Account:
    """One configured mailbox. ``path`` is set for Maildir/mbox, host..ca_file for IMAP."""

    id: int
    name: str
    kind: AccountKind
    host: str | None = None
    port: int | None = None
    security: str | None = None
    user: str | None = None
    ca_file: str | None = None
    path: str | None = None
    email: str | None = None  # the address the user typed, when the account started from it
    auth: str | None = None  # None: a password; else the sign-in's JSON (core.auth.providers)


_COLUMNS = "id, name, kind, host, port, security, user, ca_file, path, email, auth"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _account(row: tuple[object, ...]) -> Account:
    id_, name, kind, host, port, security, user, ca_file, path, email, auth = row
    return Account(
        id=int(str(id_)),
        name=str(name),
        kind=AccountKind(str(kind)),
        host=None if host is None else str(host),
        port=None if port is None else int(str(port)),
        security=None if security is None else str(security),
        user=None if user is None else str(user),
        ca_file=None if ca_file is None else str(ca_file),
        path=None if path is None else str(path),
        email=_text(email),
        auth=_text(auth),
    )


class DuplicateAccount(ValueError):
    """An account with that name exists already."""


def insert_account(
    conn: sqlite3.Connection,
    name: str,
    kind: AccountKind,
    *,
    host: str | None = None,
    port: int | None = None,
    security: str | None = None,
    user: str | None = None,
    ca_file: str | None = None,
    path: str | None = None,
    email: str | None = None,
    auth: str | None = None,
) -> Account:
    """Add an account; raises ``DuplicateAccount`` when the name is taken."""
    with write(conn):
        if conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
            raise DuplicateAccount(f"an account named {name!r} exists already")
        cursor = conn.execute(
            "INSERT INTO accounts (name, kind, host, port, security, user, ca_file, path,"
            " email, auth, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, kind.value, host, port, security, user, ca_file, path, email, auth, time.time()),
        )
        account_id = cursor.lastrowid
    assert account_id is not None
    return Account(account_id, name, kind, host, port, security, user, ca_file, path, email, auth)


def set_server(
    conn: sqlite3.Connection,
    account: Account,
    *,
    host: str,
    user: str,
    port: int,
    security: str,
    ca_file: str | None,
) -> None:
    """Point an IMAP account at another server or login; another mailbox (host, user or port
    changed) drops its cached folders, synced again from the start."""
    moved = (host, user, port) != (account.host, account.user, account.port)
    with write(conn):
        conn.execute(
            "UPDATE accounts SET host = ?, user = ?, port = ?, security = ?, ca_file = ?"
            " WHERE id = ?",
            (host, user, port, security, ca_file, account.id),
        )
        if moved:
            conn.execute("DELETE FROM folders WHERE account_id = ?", (account.id,))


def set_auth(conn: sqlite3.Connection, name: str, auth: str | None) -> None:
    """Record how an account signs in (after ``account login`` with another client id)."""
    with write(conn):
        conn.execute("UPDATE accounts SET auth = ? WHERE name = ?", (auth, name))


def list_accounts(conn: sqlite3.Connection) -> list[Account]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY name").fetchall()
    return [_account(row) for row in rows]


def get_account(conn: sqlite3.Connection, name: str) -> Account | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM accounts WHERE name = ?", (name,)).fetchone()
    return _account(row) if row is not None else None


def account_by_id(conn: sqlite3.Connection, account_id: int) -> Account | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM accounts WHERE id = ?", (account_id,)).fetchone()
    return _account(row) if row is not None else None


def account_of_row(conn: sqlite3.Connection, row_id: int) -> Account | None:
    """The account a cached message row belongs to (None when the row is gone)."""
    row = conn.execute(
        f"SELECT {', '.join('a.' + c for c in _COLUMNS.split(', '))} FROM messages m"
        " JOIN folders f ON f.id = m.folder_id JOIN accounts a ON a.id = f.account_id"
        " WHERE m.id = ?",
        (row_id,),
    ).fetchone()
    return _account(row) if row is not None else None


def move_account(conn: sqlite3.Connection, account: Account, path: str) -> Account:
    """Point a local account at another folder or file (same mailbox, new place)."""
    with write(conn):
        conn.execute("UPDATE accounts SET path = ? WHERE id = ?", (path, account.id))
    return replace(account, path=path)


def delete_account(conn: sqlite3.Connection, name: str) -> bool:
    """Remove an account and everything cached for it; False when there was none."""
    with write(conn):
        cursor = conn.execute("DELETE FROM accounts WHERE name = ?", (name,))
    return cursor.rowcount > 0
