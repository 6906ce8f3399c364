"""What the cache says is logged: the cached messages whose stored verdict is "will log".

The preview features read them without deciding anything again: the activity report counts
them per attributed user, and a draft is decided against the ledger plus these (the state
``decide_all`` reaches before the drafts, ``core.preview.draft``). Only SELECTs.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from core.rules.model import LoggedEntry
from core.store.packed import first_display

_LOGGED = (
    "SELECT m.message_id, m.subject, m.in_reply_to, m.refs, m.contacts FROM messages m"
    " JOIN folders f ON f.id = m.folder_id"
)


def _strings(text: object) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(str(text))) if text else ()


def _entries(rows: Iterator[tuple[object, ...]]) -> Iterator[LoggedEntry]:
    for message_id, subject, in_reply_to, refs, contacts in rows:
        references = tuple(str(refs).split("\n")) if refs else ()
        yield LoggedEntry(
            str(message_id),
            None if subject is None else str(subject),
            None if in_reply_to is None else str(in_reply_to),
            references,
            _strings(contacts),
        )


def logged_entries(conn: sqlite3.Connection, account_id: int) -> Iterator[LoggedEntry]:
    """The account's logged cached mail outside Drafts, as ledger entries, in date order."""
    rows = conn.execute(
        f"{_LOGGED} WHERE f.account_id = ? AND f.role != 'drafts' AND m.logged = 1"
        " AND m.message_id IS NOT NULL ORDER BY m.sort_date, m.id",
        (account_id,),
    )
    return _entries(rows)


def logged_linked(
    conn: sqlite3.Connection, account_id: int, hashes: Sequence[int], before: float | None
) -> Iterator[LoggedEntry]:
    """Those of them that share a link (``core.store.redecide.link_hash``) with ``hashes``,
    dated before ``before`` when it is given. From the links index outwards: a thread is a
    handful of rows, the mailbox is not."""
    marks = ",".join("?" * len(hashes))
    dated = "" if before is None else " AND m.sort_date < ?"
    rows = conn.execute(
        "SELECT DISTINCT m.message_id, m.subject, m.in_reply_to, m.refs, m.contacts,"
        " m.sort_date, m.id FROM links l CROSS JOIN messages m ON m.id = l.message"
        " JOIN folders f ON f.id = m.folder_id"
        f" WHERE l.ref IN ({marks}) AND f.account_id = ? AND f.role != 'drafts'"
        f" AND m.logged = 1 AND m.message_id IS NOT NULL{dated} ORDER BY m.sort_date, m.id",
        (*hashes, account_id, *(() if before is None else (before,))),
    )
    return _entries(row[:5] for row in rows)


def logged_per_user(
    conn: sqlite3.Connection, account_id: int, start: float, end: float
) -> dict[str | None, int]:
    """Logged emails outside Drafts dated in ``[start, end)``, per attributed user (None:
    nobody); copies of one Message-ID count once."""
    rows = conn.execute(
        "SELECT m.attributed_to, count(DISTINCT coalesce(m.message_id, 'row:' || m.id))"
        " FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE f.account_id = ? AND f.role != 'drafts' AND m.logged = 1"
        " AND m.sort_date >= ? AND m.sort_date < ? GROUP BY m.attributed_to",
        (account_id, start, end),
    )
    return {(str(who) if who is not None else None): int(n) for who, n in rows}


class CountedEmail(NamedTuple):
    """One logged email of a user's activity total (its first cached copy)."""

    row: int
    sort_date: float | None
    subject: str
    correspondent: str  # the sender's name or address; on sent mail, the first recipient's
    folder_role: str
    folder: str  # its decoded name


def counted_emails(
    conn: sqlite3.Connection,
    account_id: int,
    user_id: str | None,
    start: float,
    end: float,
    limit: int = 1000,
) -> list[CountedEmail]:
    """The emails :func:`logged_per_user` counts for ``user_id`` (None: nobody) in
    ``[start, end)``, newest first, one per Message-ID (the copy first cached), at most
    ``limit``."""
    rows = conn.execute(
        # One aggregate, min(): SQLite takes the other (bare) columns from that same row.
        "SELECT min(m.id), m.sort_date, coalesce(m.subject, ''),"
        f" coalesce(CASE WHEN f.role = 'sent' THEN {first_display('m.to_list')}"
        " ELSE coalesce(nullif(m.from_name, ''), m.from_email, m.from_raw) END, ''),"
        " f.role, f.display"
        " FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE f.account_id = ? AND f.role != 'drafts' AND m.logged = 1"
        " AND m.sort_date >= ? AND m.sort_date < ? AND m.attributed_to IS ?"
        " GROUP BY coalesce(m.message_id, 'row:' || m.id) ORDER BY 2 DESC, 1 LIMIT ?",
        (account_id, start, end, user_id, limit),
    )
    return [CountedEmail(int(r[0]), r[1], str(r[2]), str(r[3]), str(r[4]), str(r[5])) for r in rows]
