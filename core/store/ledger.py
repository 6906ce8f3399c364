"""The logged-email ledger: what was logged, in which thread, for whom, when, how.

It is the ``logged`` table of the cache (keyed by account and Message-ID, so a folder's
UIDVALIDITY reset does not lose it); ``record`` runs inside the caller's transaction so a
delivery and its ledger entry commit together. A recorded Message-ID un-settles the messages
linked to it (``core.store.redecide.mark_linked``), and ``core.store.verdicts.settle`` then
re-decides exactly that thread.
"""

from __future__ import annotations

import enum
import json
import sqlite3
from dataclasses import dataclass

from core.rules.threads import thread_key
from core.store.redecide import mark_linked


class How(enum.StrEnum):
    """How an email came to be logged."""

    IMPORT = "import"  # from a directory or scenario file
    MANUAL = "manual"  # "log now" into the local CRM
    HUBSPOT = "hubspot"  # "log now" through the HubSpot API
    FORWARD = "forward"  # forwarded to the CRM's logging address
    EXTENSION = "extension"
    BCC = "bcc"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One logged email."""

    message_id: str
    thread_key: str | None
    subject: str | None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    attributed_to: str | None = None
    how: How = How.MANUAL
    logged_at: float | None = None
    crm_id: str | None = None


def _j(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def record(conn: sqlite3.Connection, account_id: int, entry: LedgerEntry) -> bool:
    """Add an entry (inside the caller's transaction); False when the Message-ID was there."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO logged (account_id, message_id, subject, in_reply_to, refs,"
        " contacts, source, logged_at, thread_key, attributed_to, crm_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            account_id,
            entry.message_id,
            entry.subject,
            entry.in_reply_to,
            _j(entry.references),
            _j(entry.contacts),
            entry.how.value,
            entry.logged_at,
            entry.thread_key,
            entry.attributed_to,
            entry.crm_id,
        ),
    )
    if cursor.rowcount > 0:
        _mark_thread(conn, account_id, entry)
    return cursor.rowcount > 0


def _mark_thread(conn: sqlite3.Connection, account_id: int, entry: LedgerEntry) -> None:
    """The cached rows of the entry's thread are to be decided again."""
    # The thread keys too: a cached reply may share only the thread key (R4) with a
    # logged email that is not in the cache itself.
    key = thread_key(entry.message_id, entry.in_reply_to, entry.references)
    mark_linked(conn, account_id, (entry.message_id, entry.thread_key or "", key or ""))


def _how(value: object) -> How:
    try:
        return How(str(value))
    except ValueError:
        return How.IMPORT


def entries(conn: sqlite3.Connection, account_id: int) -> list[LedgerEntry]:
    """The account's ledger, oldest first."""
    rows = conn.execute(
        "SELECT message_id, thread_key, subject, in_reply_to, refs, contacts, attributed_to,"
        " source, logged_at, crm_id FROM logged WHERE account_id = ? ORDER BY rowid",
        (account_id,),
    )
    return [
        LedgerEntry(
            message_id=str(mid),
            thread_key=thread,
            subject=subject,
            in_reply_to=reply,
            references=tuple(json.loads(refs or "[]")),
            contacts=tuple(json.loads(contacts or "[]")),
            attributed_to=user,
            how=_how(source),
            logged_at=when,
            crm_id=crm_id,
        )
        for mid, thread, subject, reply, refs, contacts, user, source, when, crm_id in rows
    ]
