"""The reads the app asks of the cache: a page of rows, counts per folder, one full record.

Pages are ``LIMIT/OFFSET`` over an index-backed order (folder + date, + reason, + logged); the
app's lazy table model reads ids and display rows through ``core.store.views``.
"""

from __future__ import annotations

import enum
import json
import sqlite3
from dataclasses import dataclass
from typing import Final, NamedTuple, Protocol

from core.rules.model import Reason
from core.store import counts
from core.store.advisory_columns import needs_action_sql
from core.store.packed import email_needle, email_prefix_sql, sender, unpack
from core.store.search_index import CANDIDATES, narrowing

# "Needs action" of a row ``m`` (rules section 7: bulk mail excepted).
NEEDS_ACTION_SQL: Final = needs_action_sql("m")

# Rules section 7: the reasons for which the app offers an action (a bulk message's
# not_a_contact and replies_only excepted: ``NEEDS_ACTION_SQL`` says it per row).
NEEDS_ACTION: Final = (
    Reason.NOT_A_CONTACT,
    Reason.REPLIES_ONLY,
    Reason.SUBJECT_CHANGED,
    Reason.NO_EMAIL_ACCESS,
)


class Show(enum.StrEnum):
    ALL = "all"
    WILL_LOG = "will_log"
    WONT_LOG = "wont_log"
    NEEDS_ACTION = "needs_action"
    REASON = "reason"  # with PageQuery.reason
    BULK = "bulk"  # rules section 7's advisory


class Sort(enum.StrEnum):
    DATE = "date"
    FROM = "from"
    SUBJECT = "subject"
    REASON = "reason"
    SIZE = "size"


_ORDER: Final = {
    Sort.DATE: "m.sort_date",
    Sort.FROM: "coalesce(m.from_name, m.from_email, m.from_raw) COLLATE NOCASE",
    Sort.SUBJECT: "m.subject_key",
    Sort.REASON: "m.reason",
    Sort.SIZE: "m.size",
}


class Filter(Protocol):
    """Which messages: what a page query and the app's table query have in common."""

    @property
    def folder_id(self) -> int | None: ...
    @property
    def account_id(self) -> int | None: ...
    @property
    def show(self) -> Show: ...
    @property
    def reason(self) -> Reason | None: ...
    @property
    def search(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PageQuery:
    """Which rows, in which order. ``folder_id`` or ``account_id`` (or neither: everything)."""

    folder_id: int | None = None
    account_id: int | None = None
    show: Show = Show.ALL
    reason: Reason | None = None
    search: str = ""
    sort: Sort = Sort.DATE
    descending: bool = True
    limit: int = 200
    offset: int = 0


class Row(NamedTuple):
    """One line of the message table."""

    id: int
    folder_id: int
    uid: int
    date: float | None
    from_name: str | None
    from_email: str | None
    subject: str | None
    flags: str
    logged: bool | None  # None while undecided
    reason: str | None
    rule: str | None
    contacts: tuple[str, ...]
    attributed_to: str | None
    attribution: str | None
    flagged_parse: str | None
    bulk: bool = False  # rules section 7's advisory
    needs_action: bool = False  # a gap the rep can fix (section 7, bulk mail excepted)


_ROW_COLUMNS: Final = (
    "m.id, m.folder_id, m.uid, m.sort_date, m.from_name, m.from_email, m.subject, m.flags,"
    " m.logged, m.reason, m.rule, m.contacts, m.attributed_to, m.attribution, m.flagged_parse,"
    f" m.bulk, ({NEEDS_ACTION_SQL})"
)


def _row(r: tuple[object, ...]) -> Row:
    contacts = tuple(json.loads(str(r[11]))) if r[11] else ()
    logged = None if r[8] is None else bool(r[8])
    values = (*r[:8], logged, *r[9:11], contacts, *r[12:15], bool(r[15]), bool(r[16]))
    return Row._make(values)


_LISTS: Final = ("to_list", "cc_list", "bcc_list")  # packed recipients (core.store.packed)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where(query: Filter, narrowed: str | None = None) -> tuple[str, list[object]]:
    """The WHERE clause (with its parameters) of a query over ``messages m``: the folder or
    account, the filter, and the search (the app's table and ``page`` share it).

    ``narrowed``: the search's ``core.store.search_index.narrowing``. The rows tested are then
    the trigram index's candidates (and the rows it does not hold yet), found by id, rather
    than the folder's index read in date order; the search's predicate still tests each, so
    the rows are the same. The scope and the filter are written so that no index serves
    them (``+``): SQLite would rather read a folder in date order than a few ids."""
    clauses: list[str] = []
    params: list[object] = []
    text = query.search.strip()
    plus = ""
    if narrowed is not None:
        clauses.append(CANDIDATES)
        params.append(narrowed)
        plus = "+"
    if query.folder_id is not None:
        # A search not narrowed reads the folder's messages_search index (every column it
        # matches, in date order): no row is read and nothing is sorted.
        clauses.append(f"{plus}m.folder_id = ?")
        params.append(query.folder_id)
    elif query.account_id is not None:
        clauses.append(f"{plus}m.folder_id IN (SELECT id FROM folders WHERE account_id = ?)")
        params.append(query.account_id)
    _filter(query, clauses, params, plus)
    if text:
        _search(text, clauses, params)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _filter(query: Filter, clauses: list[str], params: list[object], plus: str) -> None:
    if query.show is Show.WILL_LOG:
        clauses.append(f"{plus}m.logged = 1")
    elif query.show is Show.WONT_LOG:
        clauses.append(f"{plus}m.logged = 0")
    elif query.show is Show.NEEDS_ACTION:  # messages_by_reason finds the reasons
        clauses.append(NEEDS_ACTION_SQL)
    elif query.show is Show.BULK:  # the partial index messages_bulk
        clauses.append(f"{plus}m.bulk = 1")
    elif query.show is Show.REASON and query.reason is not None:
        clauses.append(f"{plus}m.reason = ?")
        params.append(query.reason.value)


def _search(text: str, clauses: list[str], params: list[object]) -> None:
    """Any recipient's email by prefix (emails are stored lower-case), the sender's by
    substring, and for a text that is no address, the subject and the sender's name."""
    like, needle = _like(text), email_needle(text.lower())
    recipients = " OR ".join(email_prefix_sql(f"m.{c}") for c in _LISTS)
    if "@" in text and " " not in text:
        clauses.append(f"(m.from_email LIKE ? ESCAPE '\\' OR {recipients})")
        params.extend((like, needle, needle, needle))
    else:
        clauses.append(
            "(m.subject LIKE ? ESCAPE '\\' OR m.from_name LIKE ? ESCAPE '\\'"
            f" OR m.from_email LIKE ? ESCAPE '\\' OR {recipients})"
        )
        params.extend((like, like, like, needle, needle, needle))


def _order(query: PageQuery) -> str:
    direction = "DESC" if query.descending else "ASC"
    return f" ORDER BY {_ORDER[query.sort]} {direction}, m.id {direction}"


def page(conn: sqlite3.Connection, query: PageQuery) -> list[Row]:
    """One page of rows, filtered, searched and sorted."""
    where_sql, params = where(query, narrowing(conn, query.search))
    sql = f"SELECT {_ROW_COLUMNS} FROM messages m{where_sql}{_order(query)} LIMIT ? OFFSET ?"
    return [_row(r) for r in conn.execute(sql, (*params, query.limit, query.offset))]


class Counts(NamedTuple):
    total: int
    will_log: int
    wont_log: int
    needs_action: int
    undecided: int


# The counts from the rows themselves, and from the counts kept of them (``core.store.counts``:
# a key's ``n`` rows, undecided under logged -1; the same tests, NEEDS_ACTION_SQL's included).
_COUNTED: Final = (
    "SELECT f.id, count(m.id), coalesce(sum(m.logged = 1), 0), coalesce(sum(m.logged = 0), 0),"
    f" coalesce(sum({NEEDS_ACTION_SQL}), 0), coalesce(sum(m.logged IS NULL AND m.id IS NOT"
    " NULL), 0) FROM folders f LEFT JOIN messages m ON m.folder_id = f.id"
    " WHERE f.account_id = ? GROUP BY f.id"
)
_KEPT: Final = (
    "SELECT f.id, coalesce(sum(c.n), 0), coalesce(sum(c.n * (c.logged = 1)), 0),"
    f" coalesce(sum(c.n * (c.logged = 0)), 0), coalesce(sum(c.n * ({needs_action_sql('c')})), 0),"
    " coalesce(sum(c.n * (c.logged = -1)), 0) FROM folders f"
    " LEFT JOIN message_counts c ON c.folder_id = f.id WHERE f.account_id = ? GROUP BY f.id"
)


def folder_counts(conn: sqlite3.Connection, account_id: int) -> dict[int, Counts]:
    """Per folder of the account: total, will log, won't log, needs action, undecided. Read
    from the counts kept of the rows (~1 ms), or from the rows during a bulk load."""
    rows = conn.execute(_KEPT if counts.kept(conn) else _COUNTED, (account_id,))
    return {int(r[0]): Counts(*(int(v) for v in r[1:])) for r in rows}


@dataclass(frozen=True, slots=True)
class AddressRecord:
    kind: str  # from / to / cc / bcc
    email: str | None
    name: str
    raw: str


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One message's full record: every cached column plus its addresses."""

    columns: dict[str, object]
    addresses: tuple[AddressRecord, ...]

    def of(self, kind: str) -> tuple[AddressRecord, ...]:
        return tuple(a for a in self.addresses if a.kind == kind)


_KINDS: Final = ("from", "to", "cc", "bcc")


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def message_record(conn: sqlite3.Connection, row_id: int) -> MessageRecord | None:
    """Everything cached about one row (by row id), or None when it is gone."""
    cursor = conn.execute(
        "SELECT m.*, f.name AS folder_name, f.role AS folder_role, f.account_id"
        " FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.id = ?",
        (row_id,),
    )
    row = cursor.fetchone()
    if row is None:
        return None
    columns = dict(zip([d[0] for d in cursor.description], row, strict=True))
    lists = [columns.pop(c) for c in _LISTS]  # the packed text is no column to show
    found = sender(*(_text(columns[c]) for c in ("from_raw", "from_email", "from_name")))
    addresses = (
        *((AddressRecord("from", found.email, found.name, found.raw),) if found else ()),
        *(
            AddressRecord(kind, a.email, a.name, a.raw)
            for kind, text in zip(_KINDS[1:], lists, strict=True)
            for a in unpack(text)
        ),
    )
    return MessageRecord(columns, addresses)


class Received(NamedTuple):
    """A row's Date header as written when it could not be read, and its arrival time."""

    date_raw: str | None
    internaldate: float | None


def received(conn: sqlite3.Connection, row_id: int) -> Received:
    """What dates a row besides its parsed Date (both None when the row is gone)."""
    row = conn.execute("SELECT date_raw, internaldate FROM messages WHERE id = ?", (row_id,))
    found = row.fetchone()
    return Received(None, None) if found is None else Received(found[0], found[1])


def drafts_folder_ids(conn: sqlite3.Connection, account_id: int) -> list[int]:
    """The account's folders with the drafts role (usually one)."""
    rows = conn.execute(
        "SELECT id FROM folders WHERE account_id = ? AND role = 'drafts' AND skipped = 0"
        " ORDER BY name",
        (account_id,),
    )
    return [int(r[0]) for r in rows]


def recent_messages(
    conn: sqlite3.Connection, account_id: int, limit: int = 200
) -> list[tuple[int, str]]:
    """Recent non-draft messages a composed email may reply to: (row id, label)."""
    rows = conn.execute(
        "SELECT m.id, coalesce(m.from_name, m.from_email, m.from_raw, ''), coalesce(m.subject, '')"
        " FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE f.account_id = ? AND f.role != 'drafts' AND m.message_id IS NOT NULL"
        " ORDER BY m.sort_date DESC, m.id DESC LIMIT ?",
        (account_id, limit),
    )
    return [(int(i), f"{subject} — {who}" if who else str(subject)) for i, who, subject in rows]


class Place(NamedTuple):
    """Where a cached row's message is: its account, folder, UID and flags as last synced."""

    account_id: int
    folder_id: int
    folder: str
    role: str
    uid: int
    uidvalidity: int
    flags: tuple[str, ...]
    message_id: str | None


def place(conn: sqlite3.Connection, row_id: int) -> Place | None:
    """Where row ``row_id`` is (None when it is gone)."""
    row = conn.execute(
        "SELECT f.account_id, f.id, f.name, f.role, m.uid, m.uidvalidity, m.flags, m.message_id"
        " FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.id = ?",
        (row_id,),
    ).fetchone()
    if row is None:
        return None
    flags = tuple(f for f in str(row[6] or "").split() if f)
    return Place(int(row[0]), int(row[1]), str(row[2]), str(row[3]), int(row[4]), int(row[5]),
                 flags, row[7])  # fmt: skip


def row_at(conn: sqlite3.Connection, folder_id: int, uid: int) -> int | None:
    """The row of a folder's UID (None when there is none)."""
    row = conn.execute(
        "SELECT id FROM messages WHERE folder_id = ? AND uid = ?", (folder_id, uid)
    ).fetchone()
    return int(row[0]) if row is not None else None
