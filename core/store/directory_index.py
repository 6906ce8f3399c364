"""The directory's contacts, indexed by normalised address in the cache and looked up there.

``directory_emails`` holds one row per (N1) address of each contact, with the contact's
position: the contact of an address is the first by position (as the in-memory directory
reads a scenario file). Every writer of ``directory_contacts`` keeps it in step in the same
transaction (``index_contacts``, ``unindex``). :class:`StoredContacts` answers the engine's
questions from it (``core.rules.contact_index``), so a 100,000-contact portal costs a few
indexed lookups per decision, not seconds of loading per command.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from core.rules.addresses import normalize_email
from core.rules.model import Contact
from core.store.transaction import in_chunks

CHUNK: Final = 500  # ids per IN (...) list
TARGETED: Final = 200  # addresses a change may name before it re-decides the whole account

SCHEMA: Final = """
CREATE TABLE directory_emails (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    position INTEGER NOT NULL,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (account_id, email, position, contact_id)
) WITHOUT ROWID;
CREATE INDEX directory_emails_by_contact ON directory_emails (account_id, contact_id);
CREATE TABLE settle_state (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    stale INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE settle_addresses (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    pattern TEXT NOT NULL
);
"""


def _contact(row: Sequence[object]) -> Contact:
    extra = tuple(str(e) for e in json.loads(str(row[3])))
    return Contact(
        str(row[0]), str(row[1]), str(row[2]), extra, None if row[4] is None else str(row[4])
    )


class StoredContacts:
    """An account's contacts in the cache, as a ``core.rules.contact_index.ContactIndex``."""

    def __init__(self, conn: sqlite3.Connection, account_id: int) -> None:
        self.conn = conn
        self.account_id = account_id

    def contact_id(self, email: str) -> str | None:
        row = self.conn.execute(
            "SELECT contact_id FROM directory_emails WHERE account_id = ? AND email = ?"
            " ORDER BY position LIMIT 1",
            (self.account_id, email),
        ).fetchone()
        return None if row is None else str(row[0])

    def contact_ids(self, emails: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk, marks in in_chunks(list(emails), CHUNK):
            rows = self.conn.execute(
                "SELECT email, contact_id FROM directory_emails WHERE account_id = ? AND email"
                f" IN ({marks}) ORDER BY position DESC",
                (self.account_id, *chunk),
            )
            found.update(rows.fetchall())  # the lowest position comes last: it wins
        return found

    def contact(self, contact_id: str) -> Contact | None:
        row = self.conn.execute(
            "SELECT id, email, name, additional_emails, owner FROM directory_contacts"
            " WHERE account_id = ? AND id = ?",
            (self.account_id, contact_id),
        ).fetchone()
        return None if row is None else _contact(row)

    def count(self) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM directory_contacts WHERE account_id = ?", (self.account_id,)
        ).fetchone()
        return int(row[0])

    def contacts(self) -> Iterator[Contact]:
        rows = self.conn.execute(
            "SELECT id, email, name, additional_emails, owner FROM directory_contacts"
            " WHERE account_id = ? ORDER BY position",
            (self.account_id,),
        )
        return (_contact(row) for row in rows.fetchall())


def _rows(account_id: int, contacts: Iterable[tuple[int, Contact]]) -> Iterator[tuple[object, ...]]:
    for position, contact in contacts:
        for written in (contact.email, *contact.additional_emails):
            email = normalize_email(written)
            if email is not None:
                yield (account_id, email, position, contact.id)


def index_contacts(
    conn: sqlite3.Connection, account_id: int, contacts: Iterable[tuple[int, Contact]]
) -> None:
    """Index (position, contact) pairs written to ``directory_contacts`` (caller's transaction)."""
    conn.executemany(
        "INSERT OR IGNORE INTO directory_emails VALUES (?, ?, ?, ?)", _rows(account_id, contacts)
    )


def reindex(conn: sqlite3.Connection, account_id: int, contacts: Sequence[Contact]) -> set[str]:
    """Index contacts just upserted; returns their addresses, old and new (what changed)."""
    ids = list(dict.fromkeys(c.id for c in contacts))
    touched = addresses_of(conn, account_id, ids)  # before: their old addresses
    unindex(conn, account_id, ids)
    at = positions(conn, account_id, ids)
    last = {c.id: c for c in contacts}  # as stored: a repeated id's last values won
    index_contacts(conn, account_id, ((at[cid], last[cid]) for cid in ids))
    return touched | addresses_of(conn, account_id, ids)


def unindex(conn: sqlite3.Connection, account_id: int, ids: Sequence[str] | None = None) -> None:
    """Forget the addresses of contacts ``ids`` (all of the account's when None)."""
    if ids is None:
        conn.execute("DELETE FROM directory_emails WHERE account_id = ?", (account_id,))
        return
    for chunk, marks in in_chunks(ids, CHUNK):
        conn.execute(
            f"DELETE FROM directory_emails WHERE account_id = ? AND contact_id IN ({marks})",
            (account_id, *chunk),
        )


def positions(conn: sqlite3.Connection, account_id: int, ids: Sequence[str]) -> dict[str, int]:
    """The stored position of each contact id (after an upsert: new or kept)."""
    found: dict[str, int] = {}
    for chunk, marks in in_chunks(ids, CHUNK):
        rows = conn.execute(
            f"SELECT id, position FROM directory_contacts WHERE account_id = ? AND id IN ({marks})",
            (account_id, *chunk),
        )
        found.update((str(cid), int(pos)) for cid, pos in rows)
    return found


def build(conn: sqlite3.Connection) -> None:
    """The migration (in its transaction): the tables, and the index of the stored contacts."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    rows = conn.execute(
        "SELECT account_id, position, id, email, name, additional_emails, owner"
        " FROM directory_contacts ORDER BY account_id, position"
    )
    for account_id, position, *contact in rows.fetchall():
        index_contacts(conn, int(account_id), [(int(position), _contact(contact))])


def addresses_of(conn: sqlite3.Connection, account_id: int, ids: Sequence[str]) -> set[str]:
    """The indexed addresses of contacts ``ids`` (before they change)."""
    found: set[str] = set()
    for chunk, marks in in_chunks(ids, CHUNK):
        rows = conn.execute(
            f"SELECT email FROM directory_emails WHERE account_id = ? AND contact_id IN ({marks})",
            (account_id, *chunk),
        )
        found.update(str(email) for (email,) in rows)
    return found


def unsettle_addresses(conn: sqlite3.Connection, account_id: int, entries: Iterable[str]) -> None:
    """The messages that carry one of ``entries`` are to be decided again (caller's transaction).

    An entry is an address, or a domain (subdomains included, as Never-log reads it): what a
    change of those contacts, Never-log entries or logging addresses can affect. The mark is
    kept (``settle_addresses``) until the next settle has decided those messages and their
    threads, writing only the verdicts that changed; a process killed before leaves it for
    the next one. Past :data:`TARGETED` entries the whole account is marked stale instead.
    """
    patterns: set[str] = set()
    for entry in entries:
        text = entry.strip().lower()
        email = normalize_email(text) if "@" in text.lstrip("@") else None
        if email is not None:
            patterns.add(f"\x1f{email}\x1e")  # packed lists: an email follows \x1f, ends at \x1e
        elif domain := text.lstrip("@").strip("."):
            patterns.update((f"@{domain}\x1e", f".{domain}\x1e"))
    if len(patterns) > 2 * TARGETED:
        mark_stale(conn, account_id)
        return
    conn.executemany(
        "INSERT INTO settle_addresses (account_id, pattern) VALUES (?, ?)",
        [(account_id, p) for p in patterns],
    )


def rechecks(conn: sqlite3.Connection, account_id: int) -> tuple[list[int], list[int]]:
    """The account's address marks, and the rows of the messages that carry them.

    One pass over the account's rows with one pattern for all the marks (in SQL, each row's
    lists were joined again for every mark: 0.65 s for 10 contacts on 20,000 messages).
    """
    found = conn.execute(
        "SELECT id, pattern FROM settle_addresses WHERE account_id = ?", (account_id,)
    ).fetchall()
    if not found:
        return [], []
    wanted = re.compile("|".join(re.escape(str(pattern)) for _, pattern in found))
    rows = conn.execute(
        "SELECT id, coalesce(from_email, ''), coalesce(to_list, ''), coalesce(cc_list, ''),"
        " coalesce(bcc_list, '') FROM messages WHERE folder_id IN"
        " (SELECT id FROM folders WHERE account_id = ?)",
        (account_id,),
    )
    hits = [
        int(row[0])
        for row in rows
        if wanted.search(f"\x1f{row[1]}\x1e{row[2]}\x1e{row[3]}\x1e{row[4]}\x1e") is not None
    ]
    return [int(i) for i, _ in found], hits


def clear_rechecks(conn: sqlite3.Connection, marks: Sequence[int]) -> None:
    """The settle that read ``marks`` has decided their messages."""
    for chunk, places in in_chunks(marks, CHUNK):
        conn.execute(f"DELETE FROM settle_addresses WHERE id IN ({places})", chunk)


# -- the settle's stale mark -----------------------------------------------------------------


def mark_stale(conn: sqlite3.Connection, account_id: int) -> None:
    """Every verdict of the account may have changed (its settings or directory did).

    Called in the transaction of the change: the next ``core.store.verdicts.settle`` decides
    the whole account and writes only the rows whose verdict changed, and a process killed
    before it finishes leaves the mark for the next one. A counter, so a settle clears only
    the marks it has seen.
    """
    conn.execute(
        "INSERT INTO settle_state (account_id, stale) VALUES (?, 1)"
        " ON CONFLICT (account_id) DO UPDATE SET stale = stale + 1",
        (account_id,),
    )


def stale(conn: sqlite3.Connection, account_id: int) -> int:
    """The account's stale mark (0: its stored verdicts are up to date but for new rows)."""
    row = conn.execute("SELECT stale FROM settle_state WHERE account_id = ?", (account_id,))
    found = row.fetchone()
    return int(found[0]) if found is not None else 0


def clear_stale(conn: sqlite3.Connection, account_id: int, seen: int) -> None:
    """The settle that read ``seen`` is done: clear the mark unless a newer change came."""
    conn.execute(
        "UPDATE settle_state SET stale = 0 WHERE account_id = ? AND stale = ?", (account_id, seen)
    )
