"""The reads the desktop table needs beyond ``core.store.queries``: id lists, display rows, labels.

The table model holds a compact ``array('q')`` of row ids in display order (8 bytes a row, no
Python object per message) and asks ``display_rows`` for the few rows on screen. Filters use the
(folder, logged/reason, date) indexes; a search reads the folder's rows (``queries.where``).
"""

from __future__ import annotations

import enum
import json
import sqlite3
import sys
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Final, NamedTuple

from core.rules.model import Reason
from core.store.packed import count_sql, first_display
from core.store.queries import NEEDS_ACTION_SQL, Show, where
from core.store.search_index import narrowing


class Column(enum.IntEnum):
    """The table's columns, in display order."""

    VERDICT = 0
    DATE = 1
    CORRESPONDENT = 2
    SUBJECT = 3
    CONTACTS = 4
    ATTRIBUTED = 5


_OUTBOUND_FOLDERS: Final = "(SELECT id FROM folders WHERE role IN ('sent', 'drafts'))"
_FIRST_TO: Final = first_display("m.to_list")
_ACCOUNT_OF_ROW: Final = "(SELECT account_id FROM folders WHERE id = m.folder_id)"
_SENDER: Final = "coalesce(nullif(m.from_name, ''), m.from_email, m.from_raw)"
_ORDER: Final = {
    Column.VERDICT: "m.logged, m.reason",
    Column.DATE: "m.sort_date",
    Column.CORRESPONDENT: (
        f"CASE WHEN m.folder_id IN {_OUTBOUND_FOLDERS} THEN {_FIRST_TO} ELSE {_SENDER} END"
        " COLLATE NOCASE"
    ),
    Column.SUBJECT: "m.subject_key",
    # By the names shown (the first contact's, the user's), not by their ids.
    Column.CONTACTS: (
        "(SELECT coalesce(nullif(c.name, ''), c.email) FROM directory_contacts c"
        f" WHERE c.account_id = {_ACCOUNT_OF_ROW} AND c.id = json_extract(m.contacts, '$[0]'))"
        " COLLATE NOCASE"
    ),
    Column.ATTRIBUTED: (
        "(SELECT coalesce(nullif(u.name, ''), u.email) FROM directory_users u"
        f" WHERE u.account_id = {_ACCOUNT_OF_ROW} AND u.id = m.attributed_to) COLLATE NOCASE"
    ),
}


@dataclass(frozen=True, slots=True)
class TableQuery:
    """Which rows the table shows and in which order (``folder_id`` wins over ``account_id``)."""

    account_id: int | None = None
    folder_id: int | None = None
    show: Show = Show.ALL
    reason: Reason | None = None
    search: str = ""
    sort: Column = Column.DATE
    descending: bool = True


def _ids_sql(query: TableQuery, narrowed: str | None, key: str = "") -> tuple[str, list[object]]:
    clause, params = where(query, narrowed)
    direction = "DESC" if query.descending else "ASC"
    sql = (
        f"SELECT {key}m.id AS id FROM messages m{clause}"
        f" ORDER BY {_ORDER[query.sort]} {direction}, m.id {direction}"
    )
    return sql, params


def ids(conn: sqlite3.Connection, query: TableQuery) -> array[int]:
    """Every matching row id in display order, as a compact array."""
    sql, params = _ids_sql(query, narrowing(conn, query.search))
    return _joined(conn, sql, params)


def ids_in_parts(
    conn: sqlite3.Connection, query: TableQuery, head: int
) -> Iterator[tuple[array[int], bool]]:
    """``ids(conn, query)`` in parts read in one snapshot, each with whether more follow: the
    first ``head`` ids, then the rest (issue 15: the table shows its first screens while the
    rest are read). One part when the first read found them all, or when the order has no
    index to follow (the head would cost a whole sort of its own); joined, they are ``ids``."""
    conn.execute("BEGIN")  # deferred: the first SELECT takes the snapshot both parts read
    try:
        narrowed = narrowing(conn, query.search)  # one plan for both parts
        sql, params = _ids_sql(query, narrowed)
        first = _head(conn, query, narrowed, head)
        if first is None:
            yield _joined(conn, sql, params), False
            return
        more = len(first) == head
        yield first, more
        if more:
            yield _joined(conn, f"{sql} LIMIT -1 OFFSET ?", [*params, head]), False
    finally:
        conn.execute("COMMIT")


def _head(
    conn: sqlite3.Connection, query: TableQuery, narrowed: str | None, head: int
) -> array[int] | None:
    """The first ``head`` ids, when an index gives each folder's in order (else None). An
    account's: the first ``head`` of each of its folders, merged (by date only)."""
    if query.sort is not Column.DATE:
        return None
    if query.folder_id is not None:
        scopes = [query]
    elif query.account_id is not None:
        found = conn.execute("SELECT id FROM folders WHERE account_id = ?", (query.account_id,))
        scopes = [replace(query, folder_id=int(row[0])) for row in found]
    else:
        return None
    parts = [_ids_sql(scope, narrowed, "m.sort_date AS k, ") for scope in scopes]
    if not parts or _sorts_in_memory(conn, *parts[0]):  # the same plan for every folder
        return None
    direction = "DESC" if query.descending else "ASC"
    union = " UNION ALL ".join(f"SELECT * FROM ({sql} LIMIT {head:d})" for sql, _ in parts)
    merged = f"SELECT id FROM ({union}) ORDER BY k {direction}, id {direction} LIMIT {head:d}"
    found = conn.execute(merged, [p for _, params in parts for p in params])
    return array("q", (row[0] for row in found))


def _sorts_in_memory(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> bool:
    """Whether SQLite sorts the rows itself (no index gives them in order)."""
    plan = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return any("TEMP B-TREE FOR" in str(row[-1]) and "ORDER BY" in str(row[-1]) for row in plan)


def _joined(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> array[int]:
    """The ids ``sql`` selects, as one string of 16 hex digits an id from SQLite (built while
    SQLite holds no GIL), made an array by two C calls: the reader thread holds the GIL ~1 ms
    on 100,000 ids, where ``int`` over a split list held it ~35 ms in slices, and each time
    the GUI thread waited for it to paint (issue 15)."""
    row = conn.execute(f"SELECT group_concat(printf('%016x', id), '') FROM ({sql})", params)
    joined = row.fetchone()[0]
    found: array[int] = array("q", bytes.fromhex(joined) if joined else b"")
    if sys.byteorder == "little":
        found.byteswap()  # the hex digits are big-endian
    return found


class DisplayRow(NamedTuple):
    """What one line of the table shows."""

    id: int
    account_id: int
    role: str
    date: float | None
    sender: str
    first_to: str | None
    recipients: int
    subject: str
    logged: bool | None
    reason: str | None
    contacts: tuple[str, ...]
    attributed_to: str | None
    unread: bool
    bulk: bool = False  # rules section 7's advisory
    needs_action: bool = False  # a gap the rep can fix (section 7: bulk mail excepted)

    @property
    def outbound(self) -> bool:
        return self.role in ("sent", "drafts")


_DISPLAY: Final = (
    f"SELECT m.id, f.account_id, f.role, m.sort_date, {_SENDER}, {_FIRST_TO},"
    f" {count_sql('m.to_list')} + {count_sql('m.cc_list')},"
    " m.subject, m.logged, m.reason, m.contacts, m.attributed_to, m.flags, m.bulk,"
    f" ({NEEDS_ACTION_SQL})"
    " FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.id IN "
)


def display_rows(conn: sqlite3.Connection, row_ids: Sequence[int]) -> dict[int, DisplayRow]:
    """The display rows of the given ids (missing ids are left out), by id."""
    found: dict[int, DisplayRow] = {}
    for start in range(0, len(row_ids), 500):
        chunk = list(row_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"{_DISPLAY}({marks})", chunk):
            found[int(r[0])] = DisplayRow(
                id=int(r[0]),
                account_id=int(r[1]),
                role=str(r[2]),
                date=r[3],
                sender=str(r[4] or ""),
                first_to=r[5],
                recipients=int(r[6]),
                subject=str(r[7] or ""),
                logged=None if r[8] is None else bool(r[8]),
                reason=r[9],
                contacts=tuple(json.loads(r[10])) if r[10] else (),
                attributed_to=r[11],
                unread="\\Seen" not in str(r[12] or ""),
                bulk=bool(r[13]),
                needs_action=bool(r[14]),
            )
    return found


class Labels(NamedTuple):
    """Display names of an account's directory: contact id and user id to a name."""

    contacts: dict[str, str]
    users: dict[str, str]


def labels(conn: sqlite3.Connection, account_id: int) -> Labels:
    """The names to show for contact and user ids (the id itself when nothing better)."""
    contacts = {
        str(cid): str(name or email)
        for cid, name, email in conn.execute(
            "SELECT id, name, email FROM directory_contacts WHERE account_id = ?", (account_id,)
        )
    }
    users = {
        str(uid): str(name or email)
        for uid, name, email in conn.execute(
            "SELECT id, name, email FROM directory_users WHERE account_id = ?", (account_id,)
        )
    }
    return Labels(contacts, users)


class FolderRow(NamedTuple):
    id: int
    name: str
    display: str
    role: str
    skipped: bool
    synced_at: float | None
    error: str | None


_ROLE_ORDER: Final = (
    "CASE role WHEN 'inbox' THEN 0 WHEN 'sent' THEN 1 WHEN 'drafts' THEN 2"
    " WHEN 'archive' THEN 3 ELSE 4 END"
)


def folders(conn: sqlite3.Connection, account_id: int) -> list[FolderRow]:
    """An account's folders for the sidebar: Inbox, Sent, Drafts, Archive, then others by name."""
    rows = conn.execute(
        "SELECT id, name, display, role, skipped, synced_at, error FROM folders"
        f" WHERE account_id = ? AND skipped = 0 ORDER BY {_ROLE_ORDER}, display COLLATE NOCASE",
        (account_id,),
    )
    return [FolderRow(int(r[0]), r[1], r[2], r[3], bool(r[4]), r[5], r[6]) for r in rows]


def last_synced(conn: sqlite3.Connection, account_id: int) -> float | None:
    """When the account's folders were last brought up to date (the latest folder sync)."""
    row = conn.execute(
        "SELECT max(synced_at) FROM folders WHERE account_id = ?", (account_id,)
    ).fetchone()
    return None if row is None or row[0] is None else float(row[0])


def next_needing_action(conn: sqlite3.Connection, row_ids: Sequence[int], start: int) -> int | None:
    """The position after ``start`` (wrapping) of the next row that needs action (rules
    section 7: bulk mail excepted)."""
    total = len(row_ids)
    if not total:
        return None
    order = [(start + k) % total for k in range(1, total + 1)]
    for begin in range(0, total, 500):
        positions = order[begin : begin + 500]
        chunk = [row_ids[p] for p in positions]
        marks = ",".join("?" * len(chunk))
        hits = {
            int(i)
            for i, needed in conn.execute(
                f"SELECT m.id, {NEEDS_ACTION_SQL} FROM messages m WHERE m.id IN ({marks})", chunk
            )
            if needed
        }
        for p in positions:
            if row_ids[p] in hits:
                return p
    return None
