"""Finding cached mail from outside the app: the mailbox addresses of each account, and the
cached copies of a Message-ID with their stored verdicts (the Thunderbird host's reads).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any, NamedTuple


class StoredVerdict(NamedTuple):
    """One cached copy of a message and the verdict stored beside it (None: not decided)."""

    row: int
    folder_role: str
    logged: bool | None
    reason: str | None
    rule: str | None
    contacts: tuple[str, ...]
    attributed_to: str | None
    attribution: str | None
    bulk: bool = False  # rules section 7's advisory, stored with the row


def mailbox_addresses(conn: sqlite3.Connection) -> dict[int, set[str]]:
    """Per account id, the addresses its mailbox receives at: the mailbox owner's account
    address, connected addresses and aliases, and the IMAP login when it is an address."""
    found: dict[int, set[str]] = {}
    for account_id, user in conn.execute("SELECT id, user FROM accounts"):
        found[int(account_id)] = _login_address(user)
    rows = conn.execute(
        "SELECT d.account_id, u.email, u.connected, u.aliases FROM directory d"
        " JOIN directory_users u ON u.account_id = d.account_id AND u.id = d.mailbox_owner"
    )
    for account_id, email, connected, aliases in rows:
        found.setdefault(int(account_id), set()).update(_owner_addresses(email, connected, aliases))
    return found


def _login_address(user: object) -> set[str]:
    """The IMAP login, when it is an address."""
    return {str(user).lower()} if user and "@" in str(user) else set()


def _owner_addresses(email: object, connected: str | None, aliases: str | None) -> set[str]:
    """The mailbox owner's account address, connected addresses and aliases."""
    addresses = {str(email).lower()}
    for text in (connected, aliases):
        addresses.update(str(a).lower() for a in json.loads(text or "[]"))
    return addresses


_VERDICT_COLUMNS = (
    "m.id, f.role, m.logged, m.reason, m.rule, m.contacts, m.attributed_to, m.attribution, m.bulk"
)


def _stored(rows: Iterable[tuple[Any, ...]]) -> list[StoredVerdict]:
    return [
        StoredVerdict(
            int(row),
            str(role),
            None if logged is None else bool(logged),
            reason,
            rule,
            tuple(json.loads(contacts)) if contacts else (),
            attributed_to,
            attribution,
            bool(bulk),
        )
        for row, role, logged, reason, rule, contacts, attributed_to, attribution, bulk in rows
    ]


def stored_verdicts(
    conn: sqlite3.Connection, account_id: int, message_id: str
) -> list[StoredVerdict]:
    """The account's cached copies of a Message-ID (angle brackets included), oldest row first."""
    rows = conn.execute(
        f"SELECT {_VERDICT_COLUMNS} FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE m.message_id = ? AND f.account_id = ? ORDER BY m.id",
        (message_id, account_id),
    )
    return _stored(rows)


def stored_by_fields(
    conn: sqlite3.Connection,
    account_id: int,
    subject: tuple[str, str | None],
    sender: tuple[str | None, str],
    date: float | None,
) -> list[StoredVerdict]:
    """Cached copies of a message known without its Message-ID (a mail client makes one up
    for mail that has none): same subject (N4 key, then as written), same sender (address,
    else the From as written), and the same date to the second when both have one."""
    key, written = subject
    email, raw = sender
    found = []
    rows = conn.execute(
        f"SELECT {_VERDICT_COLUMNS}, m.subject, m.from_email, m.from_raw, m.date"
        " FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE m.subject_key = ? AND f.account_id = ? AND m.message_id IS NULL ORDER BY m.id",
        (key, account_id),
    )
    for row in rows:
        if (row[9] or "") != (written or ""):
            continue
        if not _same_sender(row[10], row[11], email, raw):
            continue
        if _seconds_apart(row[12], date):
            continue
        found.append(row[:9])
    return _stored(found)


def _seconds_apart(stored: float | None, date: float | None) -> bool:
    """Both dates known, and a second or more apart."""
    return date is not None and stored is not None and abs(float(stored) - date) >= 1.0


def _same_sender(from_email: str | None, from_raw: str | None, email: str | None, raw: str) -> bool:
    """The same sender address; for a sender without one, the same From as written."""
    if email is not None:
        return from_email == email
    return from_email is None and (from_raw or "") == raw


def row_of_message_id(conn: sqlite3.Connection, account_id: int, message_id: str) -> int | None:
    """The account's row of a Message-ID: a copy outside Drafts first, then the oldest."""
    row = conn.execute(
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.message_id = ?"
        " AND f.account_id = ? ORDER BY f.role = 'drafts', m.id LIMIT 1",
        (message_id, account_id),
    ).fetchone()
    return None if row is None else int(row[0])
