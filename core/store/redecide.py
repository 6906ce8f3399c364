"""Re-deciding cached messages: which ones a change affects, marking them, reading them back.

A message's verdict depends on the directory, the ledger, and the messages it shares an id
with, and on nothing else: R0 and R4 link two messages only through a Message-ID,
In-Reply-To, References entry or thread key. The ``links`` table holds one row per (hash of
such an id, message), so the messages a change can affect are the component of the links
graph around it (:func:`linked`), and deciding that component in engine order from the
ledger gives the verdicts deciding the whole account gives.

Every re-decision goes through here: the settle (``core.store.verdicts``), explain
(``core.store.explain``), "Log now" (``core.crm.actions``), the ledger and the settings
service (``core.crm``) mark what to decide again (:func:`mark_linked`,
:func:`mark_addresses`, :func:`mark_account`) in the change's own transaction, and every
one of them reads the rows back as engine messages with :func:`load_messages` (one reader,
``core.store.engine_input.read_messages``). :func:`decide_row` is what the badge of one row
rests on: the row decided again with its component, as the settle decided it.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from core.rules.model import Message
from core.rules.verdict import Verdict
from core.store import directory_index
from core.store.accounts import Account
from core.store.engine_input import folder_order, input_order, read_messages
from core.store.transaction import in_chunks

if TYPE_CHECKING:
    from core.rules.directory import Directory

CHUNK: Final = 500  # ids per IN (...) list
# The account's rows among rows found by id: "+" keeps SQLite from reading the whole account
# through a folder_id index (28 ms for 500 ids on 100k) instead of each row by id (2 ms).
_OF_ACCOUNT: Final = "+folder_id IN (SELECT id FROM folders WHERE account_id = ?)"
_first = itemgetter(0)  # a row's first column, read in C (the walk reads ~4 rows per message)


# -- links ------------------------------------------------------------------------------------


def link_hash(message_id: str) -> int:
    """A signed 64-bit key for a Message-ID (collisions only widen a re-decision)."""
    data = message_id.encode("utf-8", "surrogatepass")
    return (zlib.crc32(data) << 32 | zlib.adler32(data)) - (1 << 63)


def message_links(message: Message, memo: dict[str, int] | None = None) -> set[int]:
    """Every id through which a message can affect or be affected by another (R0, R4).

    ``memo`` keeps the hashes of a run: replies repeat their parents' and roots' ids.
    """
    ids = {message.message_id, message.in_reply_to, message.thread_key, *message.references}
    if memo is None:
        return {link_hash(i) for i in ids if i}
    found: set[int] = set()
    for i in ids:
        if i:
            key = memo.get(i)
            if key is None:
                key = memo[i] = link_hash(i)
            found.add(key)
    return found


# -- which messages a change affects ----------------------------------------------------------


def linked(
    conn: sqlite3.Connection, account_id: int, seeds: Iterable[int], most: int | None = None
) -> set[int] | None:
    """The rows ``seeds`` and every row of the account linked to them, transitively
    (:func:`reached`, this account's rows only). None: more than ``most`` reached."""
    found = reached(conn, seeds, most)
    if found is None:
        return None
    # Hash collisions and a Message-ID another account also holds reach other accounts' rows:
    # keep this account's (each row looked up by id: the cost of the component, not the account).
    return _column(conn, f"SELECT id FROM messages WHERE {_OF_ACCOUNT} AND id IN ({{}})",
                   list(found), (account_id,))  # fmt: skip


def reached(
    conn: sqlite3.Connection, seeds: Iterable[int], most: int | None = None
) -> set[int] | None:
    """The rows ``seeds`` and every row linked to them, transitively, whatever their account.

    A breadth-first walk over ``links`` by its two indexes (message -> refs -> messages), in
    chunks: a change reaches a reply's replies (a BCC'd first message synced after its reply
    re-decides the reply, and the reply's reply through it). None as soon as more than
    ``most`` rows are reached (the caller then takes the whole account). Only SELECTs.
    A caller that reads the rows with their folders keeps its account's there, for free.
    """
    seen = set(seeds)
    refs_seen: set[int] = set()
    frontier = list(seen)
    while frontier and (most is None or len(seen) <= most):
        refs = _column(conn, "SELECT ref FROM links WHERE message IN ({})", frontier) - refs_seen
        refs_seen |= refs
        found = _column(conn, "SELECT message FROM links WHERE ref IN ({})", list(refs))
        frontier = list(found - seen)
        seen |= found
    if most is not None and len(seen) > most:
        return None
    return seen


def _column(
    conn: sqlite3.Connection, sql: str, values: list[int], params: Sequence[object] = ()
) -> set[int]:
    """The first column of ``sql`` (``{}`` its ``IN`` list) over ``values``, in chunks."""
    found: set[int] = set()
    for chunk, marks in in_chunks(values, CHUNK):
        found.update(map(_first, conn.execute(sql.format(marks), (*params, *chunk))))
    return found


# -- marking rows to decide again (in the caller's transaction) -------------------------------


def mark_linked(conn: sqlite3.Connection, account_id: int, ids: Iterable[str]) -> None:
    """Mark undecided the account's rows linked to these Message-IDs or thread keys.

    The ledger's new entry: a cached reply may share only a thread key (R4) with a logged
    email that is not in the cache itself. The settle then widens the marks (:func:`linked`).
    """
    refs = sorted({link_hash(i) for i in ids if i})
    marks = ", ".join("?" * len(refs))
    conn.execute(
        f"UPDATE messages SET decided_at = NULL WHERE id IN (SELECT message FROM links"
        f" WHERE ref IN ({marks})) AND {_OF_ACCOUNT}",
        (*refs, account_id),
    )


def mark_linked_to(conn: sqlite3.Connection, where: str, params: Sequence[object]) -> None:
    """Mark undecided the rows sharing an id with the rows ``where`` selects (about to go)."""
    conn.execute(
        "UPDATE messages SET decided_at = NULL WHERE decided_at IS NOT NULL AND id IN ("
        " SELECT l2.message FROM links l1 JOIN links l2 ON l2.ref = l1.ref"
        f" WHERE l1.message IN (SELECT id FROM messages WHERE {where}))",
        params,
    )


def mark_addresses(conn: sqlite3.Connection, account_id: int, entries: Iterable[str]) -> None:
    """The rows carrying one of these addresses or domains are to be decided again (a change
    of contacts, Never-log entries or logging addresses: ``directory_index``)."""
    directory_index.unsettle_addresses(conn, account_id, entries)


def mark_account(conn: sqlite3.Connection, account_id: int) -> None:
    """Every verdict of the account may have changed (its settings or directory did)."""
    directory_index.mark_stale(conn, account_id)


# -- rows read back, in the engine's order ----------------------------------------------------


class Stored(NamedTuple):
    """A row's stored verdict columns (the badge), and whether it was decided."""

    id: int
    columns: tuple[object, ...]  # logged, reason, rule, contacts, attributed_to, attribution
    decided: bool

    @property
    def logged(self) -> bool | None:
        """What the badge says: will log, won't log, or undecided (None)."""
        return None if self.columns[0] is None else bool(self.columns[0])


UNDECIDED: Final = (None,) * 6
_new_tuple = tuple.__new__


@lru_cache(maxsize=4096)
def _contacts_json(contacts: tuple[str, ...]) -> str:
    return json.dumps(list(contacts), ensure_ascii=False)  # a mailbox repeats the same sets


# A row's verdict columns, in ``verdict_columns``' order: what a settle writes
# (``core.store.verdicts``) and what is read back to compare with it (``Stored.columns``, a
# what-if's window), selected from ``messages m`` by ``SELECTED_VERDICTS``.
VERDICT_COLUMNS: Final = ("logged", "reason", "rule", "contacts", "attributed_to", "attribution")
SELECTED_VERDICTS: Final = ", ".join(f"m.{name}" for name in VERDICT_COLUMNS)


def verdict_columns(verdict: Verdict) -> tuple[object, ...]:
    """The stored form: logged, reason, rule, contacts (JSON), attributed_to, attribution.

    A member's ``_value_`` is its ``value`` without the property that reads it (a Python
    call per column): 0.031 s instead of 0.053 s per 100,000 verdicts, on the engine thread
    a big settle waits for.
    """
    attribution = verdict.attribution
    return (
        int(verdict.logged),
        verdict.reason._value_,
        verdict.rule._value_,
        _contacts_json(verdict.contacts),
        verdict.attributed_to,
        None if attribution is None else attribution._value_,
    )


def ordered(
    conn: sqlite3.Connection,
    account_id: int,
    rowids: Collection[int] | None = None,
    with_stored: bool = True,
) -> list[Stored]:
    """The rows ``rowids`` (None: the whole account) in the engine's input order, with their
    stored verdicts (without ``with_stored`` each is taken as undecided: a first fill)."""
    stored = f", {SELECTED_VERDICTS}, m.decided_at" if with_stored else ""
    select = f"SELECT m.id{stored} FROM messages m"
    if rowids is None:
        found: list[Stored] = []
        for rows in _folder_runs(conn, account_id, select):
            found += _as_stored(rows, with_stored)
        return found
    _fill(conn, "affected", rowids)  # the temp table is an indexed IN list of any length
    rows = conn.execute(
        f"{select} JOIN folders f ON f.id = m.folder_id WHERE m.id IN (SELECT id FROM affected)"
        f" ORDER BY {input_order()}"
    )
    return _as_stored(rows, with_stored)


def _folder_runs(
    conn: sqlite3.Connection, account_id: int, select: str
) -> Iterator[sqlite3.Cursor]:
    """A whole account's rows in the input order (:func:`input_order`), folder by folder in
    its order. A folder's rows of one UIDVALIDITY (all of them, unless a reset was cut short)
    come in UID order from the unique index (folder, UIDVALIDITY, UID): one UID per row, so
    no tie for the row id to break, and no sort (on 100,000 rows: 0.03 s against 0.07 s)."""
    folders = conn.execute(
        f"SELECT f.id FROM folders f WHERE f.account_id = ? ORDER BY {folder_order()}",
        (account_id,),
    ).fetchall()
    for (folder_id,) in folders:
        low, high = (
            conn.execute(
                f"SELECT {end}(uidvalidity) FROM messages WHERE folder_id = ?", (folder_id,)
            ).fetchone()[0]
            for end in ("min", "max")
        )  # each one index lookup (two aggregates in one query would read the whole folder)
        if low == high:
            yield conn.execute(
                f"{select} WHERE m.folder_id = ? AND m.uidvalidity = ? ORDER BY m.uid",
                (folder_id, low),
            )
        else:
            yield conn.execute(f"{select} WHERE m.folder_id = ? ORDER BY m.uid, m.id", (folder_id,))


def _as_stored(rows: Iterable[Sequence[Any]], with_stored: bool) -> list[Stored]:
    """The rows of :func:`ordered`; without stored columns each is undecided."""
    if not with_stored:  # tuple.__new__: Stored(...) without its Python frame, per row
        return [_new_tuple(Stored, (rowid, UNDECIDED, False)) for (rowid,) in rows]
    return [Stored(int(r[0]), tuple(r[1:7]), r[7] is not None) for r in rows]


def _fill(conn: sqlite3.Connection, table: str, rowids: Iterable[int]) -> None:
    """Temp table ``table`` holds exactly ``rowids`` (a temp table: no write to the file)."""
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY)")
    conn.execute(f"DELETE FROM {table}")
    conn.executemany(f"INSERT INTO {table} VALUES (?)", [(i,) for i in rowids])


def load_messages(conn: sqlite3.Connection, rowids: Sequence[int]) -> dict[int, Message]:
    """Engine messages rebuilt from the cached rows ``rowids`` (no parsing), by row id."""
    if not rowids:
        return {}
    _fill(conn, "to_load", rowids)
    loaded = read_messages(conn, "m.id IN (SELECT id FROM to_load)")
    conn.execute("DELETE FROM to_load")
    return loaded


def load_message(conn: sqlite3.Connection, row_id: int) -> Message | None:
    """One cached row as an engine message (None when the row is gone). Only SELECTs."""
    return read_messages(conn, "m.id = ?", (row_id,)).get(row_id)


def in_order(conn: sqlite3.Connection, rowids: Sequence[int]) -> Iterator[Message]:
    """The engine messages of ``rowids``, in that order."""
    loaded = load_messages(conn, rowids)
    return (loaded[rowid] for rowid in rowids)


# -- one row decided as its badge was ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decided:
    """A cached row decided again with every row linked to it: what its badge rests on."""

    row_id: int
    message: Message
    verdict: Verdict
    directory: Directory
    stored: Stored  # the verdict the cache holds (the badge)
    stored_logged: bool | None  # what the badge says: will log, won't log, undecided (None)

    @property
    def matches_stored(self) -> bool:
        """The stored verdict equals the engine's now (False: a settle is due)."""
        return self.stored.decided and self.stored.columns == verdict_columns(self.verdict)


def decide_row(conn: sqlite3.Connection, account: Account, row_id: int) -> Decided | None:
    """Row ``row_id`` of ``account`` decided in engine order with its component, from the
    ledger (the same input the settle gives it); None when the account has no such row."""
    # The engine and the directory load here, not with the module: the sync marks rows
    # through this module, and an unchanged sync imports no engine (start-up, issue 10).
    from core.rules.engine import decide_all
    from core.store.directory import load_directory

    component = linked(conn, account.id, (row_id,))
    if component is None or row_id not in component:
        return None
    order = ordered(conn, account.id, component)
    messages = list(in_order(conn, [row.id for row in order]))
    directory, state = load_directory(conn, account)
    verdicts = decide_all(messages, directory, state)
    index = next(i for i, row in enumerate(order) if row.id == row_id)
    stored = order[index]
    return Decided(row_id, messages[index], verdicts[index], directory, stored, stored.logged)
