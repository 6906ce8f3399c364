"""The durable outbox of manual CRM actions: one row per idempotency key, states, retry, cancel.

The ``crm_outbox`` table of the cache; ``core.crm`` fills it (``actions``) and empties it
(``outbox_worker``, ``delivery``). A payload is the JSON of what the click fixed
(``core.crm.log_request.LogRequest`` for a log or a forward).

A click writes its row in one ``BEGIN IMMEDIATE`` transaction (``enqueue``); a second click on
the same email finds the row and adds nothing. The worker ``claim``s a due row (pending ->
sending, owned by its process), delivers it and finishes it in the transaction that records
the result, so "done" and the ledger entry commit together. A row left in "sending" by a
process that died is ``recover``ed: its outcome is unknown, so the next attempt looks for the
email in the CRM before creating it again (a forward cannot be looked for: it waits for the
user to retry).
"""

from __future__ import annotations

import enum
import json
import os
import sqlite3
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Final

from core.i18n import _
from core.store.transaction import write


class Kind(enum.StrEnum):
    LOG = "log"
    CREATE_CONTACT = "create_contact"
    FORWARD = "forward"


class State(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxError(Exception):
    """A retry or cancel that does not apply to the row's state (one line for the user)."""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One queued action (its raw bytes, for a forward, are read only when delivering)."""

    id: int
    account_id: int
    kind: Kind
    key: str
    row_id: int | None  # the cached message it acts on (the column ``message``)
    label: str
    payload: dict[str, Any]
    state: State
    attempts: int
    unknown: bool
    error: str | None
    result: str | None
    next_at: float
    created_at: float
    updated_at: float
    path: str | None = None  # HubSpot: how exactly-once was kept ("key" or "search")
    sent_at: float | None = None  # when the create last left (the index-lag wait counts from it)


_COLUMNS: Final = (
    "id, account_id, kind, key, message, label, payload, state, attempts, unknown, error,"
    " result, next_at, created_at, updated_at, path, sent_at"
)


def _item(row: tuple[Any, ...]) -> OutboxItem:
    values = list(row)
    values[2] = Kind(values[2])
    values[6] = json.loads(values[6])
    values[7] = State(values[7])
    values[9] = bool(values[9])
    return OutboxItem(*values)


def owner_token() -> str:
    """Who holds a "sending" row: this process's id (a dead holder's rows are recovered)."""
    return str(os.getpid())


@dataclass(frozen=True, slots=True)
class Enqueued:
    item: OutboxItem
    created: bool  # False: the same action was queued or done already (a double click)


def enqueue(
    conn: sqlite3.Connection,
    account_id: int,
    kind: Kind,
    key: str,
    payload: dict[str, Any],
    *,
    row_id: int | None = None,
    label: str = "",
    raw: bytes | None = None,
    hold: float = 0.0,
) -> Enqueued:
    """Queue an action, or find it queued: a failed or cancelled one is queued again.

    ``hold``: seconds before it is due (the window's Undo cancels it meanwhile: issue 15).
    """
    now = time.time()
    due = now + hold
    with write(conn):
        row = conn.execute(
            "SELECT id, state FROM crm_outbox WHERE account_id = ? AND kind = ? AND key = ?",
            (account_id, kind.value, key),
        ).fetchone()
        if row is not None and State(row[1]) in (State.PENDING, State.SENDING, State.DONE):
            return Enqueued(_get(conn, int(row[0])), False)
        if row is not None:
            conn.execute(
                "UPDATE crm_outbox SET state = 'pending', error = NULL, next_at = ?,"
                " updated_at = ? WHERE id = ?",
                (due, now, row[0]),
            )
            return Enqueued(_get(conn, int(row[0])), True)
        cursor = conn.execute(
            "INSERT INTO crm_outbox (account_id, kind, key, message, label, payload, raw, state,"
            " next_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
            (account_id, kind.value, key, row_id, label, json.dumps(payload), raw, due, now, now),
        )
        assert cursor.lastrowid is not None
        return Enqueued(_get(conn, cursor.lastrowid), True)


def _get(conn: sqlite3.Connection, item_id: int) -> OutboxItem:
    row = conn.execute(f"SELECT {_COLUMNS} FROM crm_outbox WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise OutboxError(
            _("No outbox entry %(item_id)s (see: mailscope outbox list).") % {"item_id": item_id}
        )
    return _item(row)


def get(conn: sqlite3.Connection, item_id: int) -> OutboxItem:
    """One row by id; ``OutboxError`` when there is none."""
    return _get(conn, item_id)


def raw_of(conn: sqlite3.Connection, item_id: int) -> bytes | None:
    row = conn.execute("SELECT raw FROM crm_outbox WHERE id = ?", (item_id,)).fetchone()
    return bytes(row[0]) if row is not None and row[0] is not None else None


def items(
    conn: sqlite3.Connection, account_id: int | None = None, limit: int = 1000
) -> list[OutboxItem]:
    """The queue, newest first (optionally one account's)."""
    where = "WHERE account_id = ?" if account_id is not None else ""
    params: tuple[object, ...] = (account_id,) if account_id is not None else ()
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM crm_outbox {where} ORDER BY id DESC LIMIT ?", (*params, limit)
    )
    return [_item(r) for r in rows]


def retry(conn: sqlite3.Connection, item_id: int) -> OutboxItem:
    """Queue a failed, cancelled or waiting row again, due now."""
    now = time.time()
    with write(conn):
        item = _get(conn, item_id)
        if item.state in (State.DONE, State.SENDING):
            raise OutboxError(
                _("Outbox entry %(item_id)s is %(state)s: nothing to retry.")
                % {"item_id": item_id, "state": item.state.value}
            )
        conn.execute(
            "UPDATE crm_outbox SET state = 'pending', error = NULL, next_at = ?, updated_at = ?"
            " WHERE id = ?",
            (now, now, item_id),
        )
    return _get(conn, item_id)


def cancel(conn: sqlite3.Connection, item_id: int) -> OutboxItem:
    """Cancel a pending or failed row (one being sent or done cannot be taken back)."""
    with write(conn):
        item = _get(conn, item_id)
        if item.state not in (State.PENDING, State.FAILED):
            raise OutboxError(
                _(
                    "Outbox entry %(item_id)s is %(state)s: only a pending or "
                    "failed entry can be cancelled."
                )
                % {"item_id": item_id, "state": item.state.value}
            )
        conn.execute(
            "UPDATE crm_outbox SET state = 'cancelled', updated_at = ? WHERE id = ?",
            (time.time(), item_id),
        )
    return _get(conn, item_id)


def claim(
    conn: sqlite3.Connection, owner: str, now: float | None = None, skip: Collection[int] = ()
) -> OutboxItem | None:
    """Take the next due pending row (not in ``skip``): it becomes "sending", held by ``owner``."""
    now = time.time() if now is None else now
    with write(conn):
        row = conn.execute(
            "SELECT id FROM crm_outbox WHERE state = 'pending' AND next_at <= ?"
            f" AND id NOT IN ({','.join('?' * len(skip))}) ORDER BY next_at, id LIMIT 1",
            (now, *skip),
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE crm_outbox SET state = 'sending', attempts = attempts + 1, owner = ?,"
            " updated_at = ? WHERE id = ?",
            (owner, now, row[0]),
        )
    return _get(conn, int(row[0]))


def next_due(conn: sqlite3.Connection) -> float | None:
    """When the earliest pending row is due (None: nothing pending)."""
    row = conn.execute("SELECT min(next_at) FROM crm_outbox WHERE state = 'pending'").fetchone()
    return float(row[0]) if row[0] is not None else None


def finish_in_transaction(conn: sqlite3.Connection, item_id: int, result: str) -> None:
    """Mark done inside the caller's transaction (with the ledger entry it produced)."""
    conn.execute(
        "UPDATE crm_outbox SET state = 'done', result = ?, error = NULL, owner = NULL,"
        " unknown = 0, updated_at = ? WHERE id = ?",
        (result, time.time(), item_id),
    )


def mark_sent(conn: sqlite3.Connection, item_id: int, when: float, path: str) -> None:
    """Record, before a create leaves, when it left and which exactly-once path it is on."""
    with write(conn):
        conn.execute(
            "UPDATE crm_outbox SET sent_at = ?, path = ?, updated_at = ? WHERE id = ?",
            (when, path, time.time(), item_id),
        )


def set_path(conn: sqlite3.Connection, item_id: int, path: str) -> None:
    with write(conn):
        conn.execute("UPDATE crm_outbox SET path = ? WHERE id = ?", (path, item_id))


def postpone(
    conn: sqlite3.Connection, item_id: int, error: str, delay: float, *, unknown: bool = False
) -> None:
    """Back to pending, due after ``delay`` seconds, the error kept visible."""
    now = time.time()
    with write(conn):
        conn.execute(
            "UPDATE crm_outbox SET state = 'pending', error = ?, next_at = ?, owner = NULL,"
            " unknown = max(unknown, ?), updated_at = ? WHERE id = ?",
            (error, now + delay, int(unknown), now, item_id),
        )


def fail(conn: sqlite3.Connection, item_id: int, error: str, *, unknown: bool = False) -> None:
    """Stop retrying: the user has to act (fix the token, the address...) and retry."""
    with write(conn):
        conn.execute(
            "UPDATE crm_outbox SET state = 'failed', error = ?, owner = NULL,"
            " unknown = max(unknown, ?), updated_at = ? WHERE id = ?",
            (error, int(unknown), time.time(), item_id),
        )


def _alive(owner: str | None) -> bool:
    if owner is None or not owner.isdigit():
        return False
    if int(owner) == os.getpid():
        return True
    try:
        os.kill(int(owner), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_FORWARD_UNKNOWN: Final = (
    "Mailscope stopped while forwarding this email, so it may have been sent: check the CRM,"
    " then retry or cancel."
)


def recover(conn: sqlite3.Connection, *, including_own: bool = False) -> int:
    """Rows left "sending" by a dead process: outcome unknown; returns how many."""
    rows = conn.execute("SELECT id, kind, owner FROM crm_outbox WHERE state = 'sending'")
    stale = [
        (int(i), Kind(k)) for i, k, owner in rows.fetchall() if including_own or not _alive(owner)
    ]
    for item_id, kind in stale:
        if kind is Kind.FORWARD:
            fail(conn, item_id, _FORWARD_UNKNOWN, unknown=True)
        else:
            postpone(
                conn,
                item_id,
                _("Interrupted while sending; will check the CRM first."),
                0.0,
                unknown=True,
            )
    return len(stale)


def counts(conn: sqlite3.Connection, account_id: int | None = None) -> dict[State, int]:
    """How many rows per state (for a status line)."""
    where = "WHERE account_id = ?" if account_id is not None else ""
    params: tuple[object, ...] = (account_id,) if account_id is not None else ()
    found = {
        State(s): int(n)
        for s, n in conn.execute(
            f"SELECT state, count(*) FROM crm_outbox {where} GROUP BY state", params
        )
    }
    return {state: found.get(state, 0) for state in State}
