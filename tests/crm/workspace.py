"""The demo workspace as a cache for the CRM tests: the demo Maildir synced, its directory in."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from core.mail.accounts import add_local, open_source
from core.mail.secrets import SecretStore
from core.mail.sync import sync_account
from core.rules.model import Reason
from core.store import db
from core.store.accounts import Account, AccountKind
from core.store.directory import import_directory, parse_directory
from core.store.verdicts import settle
from resources.demo import DIRECTORY, MAILDIR


class NoSecrets:
    """A local account needs no password: any use of it is a bug in the test."""

    def get(self, key: str) -> str | None:
        raise AssertionError(f"a local account asked for {key}")

    def set(self, key: str, secret: str) -> None:
        raise AssertionError(f"a local account stored {key}")

    def delete(self, key: str) -> None:
        raise AssertionError(f"a local account deleted {key}")


def demo_directory(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DIRECTORY.read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


def replies_only() -> dict[str, Any]:
    """The demo account's settings under "log replies only" (emails not logged yet)."""
    return {**demo_directory()["account"], "logging_rule": "replies_only"}


def demo_cache(
    path: Path, name: str = "demo", **changes: Any
) -> tuple[sqlite3.Connection, Account]:
    """A cache file at ``path`` with the demo mailbox synced and its directory imported."""
    conn = db.connect(path)
    account = add_local(conn, name, AccountKind.MAILDIR, str(MAILDIR))
    secrets: SecretStore = NoSecrets()
    import_directory(conn, account.id, parse_directory(demo_directory(**changes)))
    sync_account(conn, account, lambda: open_source(conn, account, secrets))
    settle(conn, account)
    return conn, account


def row_by_subject(conn: sqlite3.Connection, subject: str, role: str | None = None) -> int:
    """The earliest thread-starting message whose subject starts with ``subject``."""
    sql = (
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE m.subject LIKE ? || '%' AND m.in_reply_to IS NULL AND m.refs IS NULL"
    )
    params: list[object] = [subject]
    if role is not None:
        sql += " AND f.role = ?"
        params.append(role)
    rows = conn.execute(sql + " ORDER BY m.sort_date, m.id", params).fetchall()
    assert rows, (subject, role)
    return int(rows[0][0])


def reason_of(conn: sqlite3.Connection, row: int) -> Reason:
    value = conn.execute("SELECT reason FROM messages WHERE id = ?", (row,)).fetchone()[0]
    return Reason(value)


def demo_template(folder: Path, **kwargs: Any) -> Path:
    """A synced demo cache, checkpointed into one file, to copy for each test."""
    path = folder / "template.sqlite"
    conn, _ = demo_cache(path, **kwargs)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def open_copy(template: Path, folder: Path) -> tuple[sqlite3.Connection, Account]:
    """A fresh copy of a template cache, opened, with its demo account."""
    from core.store.accounts import get_account

    path = folder / "mailscope.sqlite"
    path.write_bytes(template.read_bytes())
    conn = db.connect(path)
    account = get_account(conn, "demo")
    assert account is not None
    return conn, account
