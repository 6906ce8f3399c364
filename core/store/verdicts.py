"""Verdicts beside the cached rows: decided by the rules core, re-decided only where needed.

New and unsettled rows have ``decided_at`` NULL. ``settle`` finds them, widens the set to every
message linked to them (``core.store.redecide.linked``: a new message can change later
replies' verdicts through R0/R4, and only through a shared Message-ID, In-Reply-To, References
entry or thread key), and decides that set in the engine's order from the logged ledger.
Messages outside it cannot influence it nor be influenced, so the result equals deciding the
whole account. When most of the account is unsettled, it simply decides the whole account.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, NamedTuple

from core import gcpause
from core.rules.directory import Directory
from core.rules.engine import LoggedState, chronological, decide
from core.rules.model import Message
from core.store import bulk, counts, directory_index, redecide, settle_writer
from core.store.accounts import Account
from core.store.directory import load_directory
from core.store.redecide import (
    VERDICT_COLUMNS,
    Stored,
    load_messages,
    message_links,
    verdict_columns,
)
from core.store.settle_writer import Job, Writer
from core.store.transaction import file_of, in_chunks, values, write

# Above this share of unsettled rows, deciding everything is cheaper than finding the closure.
WHOLE_ACCOUNT_SHARE: Final = 0.2
# From this many rows to decide, verdicts are stored by a second connection as they come
# (core.store.settle_writer): the decision and the writing overlap.
BACKGROUND_ROWS: Final = 20_000


class Settled(NamedTuple):
    """What a settle did."""

    decided: int  # messages run through the engine
    changed: int  # rows whose stored verdict changed


def _account_filter() -> str:
    return "folder_id IN (SELECT id FROM folders WHERE account_id = ?)"


def _unsettled(conn: sqlite3.Connection, account_id: int) -> list[int]:
    rows = conn.execute(
        f"SELECT id FROM messages WHERE decided_at IS NULL AND {_account_filter()}",
        (account_id,),
    )
    return [int(r[0]) for r in rows]


def _any_stored(conn: sqlite3.Connection, account_id: int) -> bool:
    row = conn.execute(
        f"SELECT 1 FROM messages WHERE reason IS NOT NULL AND {_account_filter()} LIMIT 1",
        (account_id,),
    )
    return row.fetchone() is not None


def _count(conn: sqlite3.Connection, account_id: int) -> int:
    row = conn.execute(f"SELECT count(*) FROM messages WHERE {_account_filter()}", (account_id,))
    return int(row.fetchone()[0])


def settle(
    conn: sqlite3.Connection,
    account: Account,
    everything: bool = False,
    known: Mapping[int, Message] | None = None,
) -> Settled:
    """Decide the unsettled messages of an account and those they can affect; store changes.

    ``known`` are engine messages the caller already has (just synced), by row id: they are
    not rebuilt from the cache. The unsettled rows' links are written first: a decided row
    always has its links, so the closure of later new mail finds it. An account marked stale
    (``directory_index.mark_stale``: its settings or directory changed) is decided whole;
    only the rows whose verdict changed are written and counted.
    """
    stale = directory_index.stale(conn, account.id)
    marks, recheck = directory_index.rechecks(conn, account.id)  # decided rows to look at again
    settled = _settle(conn, account, everything or stale > 0, known, recheck)
    _clear_marks(conn, account.id, stale, marks)
    return settled


def _clear_marks(conn: sqlite3.Connection, account_id: int, stale: int, marks: list[int]) -> None:
    """The stale mark and the address marks this settle read are done with."""
    if stale or marks:
        with write(conn):
            directory_index.clear_stale(conn, account_id, stale)
            directory_index.clear_rechecks(conn, marks)


def _settle(
    conn: sqlite3.Connection,
    account: Account,
    everything: bool,
    known: Mapping[int, Message] | None,
    recheck: Sequence[int] = (),
) -> Settled:
    undecided = _undecided(conn, account.id, known, everything or bool(recheck))
    if undecided is None:
        return Settled(0, 0)
    # A big decision keeps every message it reads: the collector's full passes over them
    # would hold the GIL for 100-200 ms at a time (a GUI thread waiting; core.gcpause).
    messages_of = dict(known or {})
    with gcpause.batch(everything or len(undecided.rows) >= BACKGROUND_ROWS):
        settled = _decide_rows(conn, account, everything, undecided, recheck, messages_of)
        gcpause.release(messages_of)  # before the collector resumes: it would walk them all
    return settled


class _Undecided(NamedTuple):
    """An account's undecided rows, its count of rows, and whether none of them has a verdict
    stored (a first fill: none is read; rows undecided for another reason keep theirs, so
    that only real changes are written and counted)."""

    rows: list[int]
    total: int
    fresh: bool


def _undecided(
    conn: sqlite3.Connection,
    account_id: int,
    known: Mapping[int, Message] | None,
    anyway: bool,
) -> _Undecided | None:
    """The account's undecided rows (their links are written even when deciding it all);
    None when there are none and nothing else asks for a decision (``anyway``: the whole
    account, or rows to check again). When the sync added every row of the account
    (``known``, rows it wrote undecided and without a verdict: a first fill), they are those,
    and the two scans below are skipped: a bulk load dropped the index on undecided rows
    (``core.store.bulk``), so each read all of a 100,000-message table (0.04-0.11 s)."""
    total = _count(conn, account_id) if known else None
    if known and len(known) == total:
        return _Undecided(list(known), len(known), True)
    rows = _unsettled(conn, account_id)
    if not rows and not anyway:
        return None  # nothing counted: the common case after a CRM change or a small sync
    if total is None:
        total = _count(conn, account_id)
    return _Undecided(rows, total, len(rows) == total and not _any_stored(conn, account_id))


def _decide_rows(
    conn: sqlite3.Connection,
    account: Account,
    everything: bool,
    undecided: _Undecided,
    recheck: Sequence[int],
    messages_of: dict[int, Message],
) -> Settled:
    pending, total, fresh = undecided
    missing = [rowid for rowid in pending if rowid not in messages_of]
    messages_of.update(load_messages(conn, missing))
    whole = everything or len(pending) + len(recheck) > WHOLE_ACCOUNT_SHARE * total
    path = _writer_path(conn, whole, total)
    if path is None:
        _write_links(conn, pending, messages_of)
        component = None if whole else redecide.linked(conn, account.id, [*pending, *recheck])
        return _decide_and_store(conn, account, component, messages_of, fresh)
    writer = Writer(path)
    try:
        settled = _decide_in_background(conn, account, writer, pending, messages_of, fresh)
    except BaseException:
        writer.abandon()
        raise
    writer.finish(checkpoint=conn)
    return settled


def _writer_path(conn: sqlite3.Connection, whole: bool, total: int) -> str | None:
    # A big whole-account decision writes through a second connection, beside the engine
    # (core.store.settle_writer); it cannot while this connection holds a transaction.
    if whole and total >= BACKGROUND_ROWS and not conn.in_transaction:
        return file_of(conn)
    return None


def _targets(
    conn: sqlite3.Connection,
    account: Account,
    component: set[int] | None,
    messages_of: Mapping[int, Message],
    fresh: bool,
) -> tuple[list[Stored], list[Message]]:
    """The rows to decide (``component``, None: the whole account) in the engine's order, and
    their engine messages. A ``fresh`` account (a first fill) has nothing stored: no verdict
    columns are read.
    """
    order = redecide.ordered(conn, account.id, component, with_stored=not fresh)
    loaded = load_messages(conn, [row.id for row in order if row.id not in messages_of])
    return order, [messages_of.get(row.id) or loaded[row.id] for row in order]


def _decide_and_store(
    conn: sqlite3.Connection,
    account: Account,
    component: set[int] | None,
    messages_of: Mapping[int, Message],
    fresh: bool,
) -> Settled:
    order, messages = _targets(conn, account, component, messages_of, fresh)
    directory, state = load_directory(conn, account)
    updates: list[tuple[object, ...]] = []
    changed = _decide(messages, order, directory, state, updates.extend)
    if updates:
        with write(conn):
            _store(conn, updates, time.time())
    settled = Settled(len(messages), changed)
    _release(state, messages, order, updates)
    return settled


def _decide_in_background(
    conn: sqlite3.Connection,
    account: Account,
    writer: Writer,
    pending: Sequence[int],
    messages_of: Mapping[int, Message],
    fresh: bool,
) -> Settled:
    """Decide the whole account here while ``writer`` stores links, verdicts and indexes.

    The writer's jobs run in order: the deferred indexes that no later job touches (while
    the links are computed here), the links, the index on them, each chunk of verdicts as
    the engine gives it, and last the indexes on the verdict columns and the folders' counts
    (core.store.bulk: the counts' triggers are dropped meanwhile, as in a bulk load).
    """
    deferred = bulk.missing(conn)
    if counts.NAME not in deferred:  # counted once at the end, not by a trigger per verdict
        writer.submit(counts.stop)
        deferred.append(counts.NAME)

    def build(names: Iterable[str]) -> Job:
        return functools.partial(bulk.build, names=[n for n in deferred if n in names])

    writer.submit(build(set(deferred) - bulk.ON_VERDICTS - bulk.ON_LINKS))
    links = _links(pending, messages_of)
    writer.submit(lambda c: values(c, _INSERT_LINKS, links, most=settle_writer.LINK_CHUNK))
    writer.submit(build(bulk.ON_LINKS))
    order, messages = _targets(conn, account, None, messages_of, fresh)
    directory, state = load_directory(conn, account)
    now = time.time()

    def store(rows: list[tuple[object, ...]]) -> None:
        writer.submit(lambda c: _store(c, rows, now, settle_writer.CHUNK))

    changed = _decide(messages, order, directory, state, store, settle_writer.CHUNK)
    writer.submit(build(bulk.ON_VERDICTS))
    settled = Settled(len(messages), changed)
    _release(state, messages, order)  # not the links: the writer may not have stored them yet
    return settled


def _release(state: LoggedState, *lists: list[Any]) -> None:
    """The decision's big lists and ledger freed in steps (``core.gcpause.release``)."""
    for items in lists:
        gcpause.release(items)
    for entries in (state.by_id, state.by_thread, state.thread_of, state.subject_keys):
        gcpause.release(entries)


_INSERT_LINKS: Final = "INSERT OR IGNORE INTO links VALUES {values}"


def _links(rowids: Sequence[int], messages: Mapping[int, Message]) -> list[tuple[int, int]]:
    memo: dict[str, int] = {}  # replies repeat their parents' and roots' ids
    return [(ref, rowid) for rowid in rowids for ref in message_links(messages[rowid], memo)]


def _write_links(
    conn: sqlite3.Connection, rowids: Sequence[int], messages: Mapping[int, Message]
) -> None:
    """Store the links of rows about to be decided.

    Without the foreign-key check: it would look up each link's message (two thirds of the
    insert's cost on a first fill), and a link whose message is gone meanwhile is harmless:
    a stale link only widens a re-decision, as a hash collision does. Not sorted: measured,
    sorting costs more than it saves the B-tree.
    """
    links = _links(rowids, messages)
    if not links:
        return
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set it before
    try:
        with write(conn):
            values(conn, _INSERT_LINKS, links)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _decide(
    messages: Sequence[Message],
    order: Sequence[Stored],
    directory: Directory,
    state: LoggedState,
    store: Callable[[list[tuple[object, ...]]], None],
    chunk: int = 0,
) -> int:
    """``decide_all``, handing ``store`` the rows whose stored verdict changes (row id, then
    the stored columns, in chunks of ``chunk`` rows when it is set); returns how many of the
    decided rows had another verdict stored. Only the columns are kept, not the facts
    (memory)."""
    changed = 0
    rows: list[tuple[object, ...]] = []
    directory.prefetch(functools.partial(_addresses, messages))
    for i in chronological(messages):
        message = messages[i]
        verdict = decide(message, directory, state)
        state.record(message, verdict)
        columns = verdict_columns(verdict)
        before = order[i]
        if before.decided and before.columns == columns:
            continue
        changed += before.columns != columns
        rows.append((before.id, *columns))
        if len(rows) == chunk:
            store(rows)
            rows = []
    if rows:
        store(rows)
    return changed


def _addresses(messages: Sequence[Message]) -> set[str]:
    """The addresses the engine will ask the directory about, each once: a mailbox names the
    same correspondents again and again (~5 addresses a message), one set gathers them."""
    found = {a.email for m in messages for a in m.recipients if a.email is not None}
    found.update([s.email for m in messages if (s := m.sender) is not None and s.email is not None])
    return found


def _store(
    conn: sqlite3.Connection, rows: Sequence[tuple[object, ...]], now: float, most: int = 1000
) -> None:
    """Store decided rows (row id, then the verdict columns), ``now`` as their decision time.

    Rows that share their columns (most of a mailbox: "not a contact", with no contact) are
    written by one statement per verdict that binds only their ids (``_UPDATE_SHARED``), the
    others with their columns (``_UPDATE``). Measured on a 100k first fill's verdicts, in
    chunks of 4,000 on the settle's writer: 0.23-0.26 s instead of 0.36-0.37 s.
    """
    ids_of: dict[tuple[object, ...], list[object]] = {}
    for row in rows:
        ids_of.setdefault(row[1:], []).append(row[0])
    alone: list[tuple[object, ...]] = []
    for columns, ids in ids_of.items():
        if len(ids) < SHARED:
            alone += [(rowid, *columns) for rowid in ids]
            continue
        for chunk, marks in in_chunks(ids, SHARED_IDS):
            conn.execute(_UPDATE_SHARED.format(ids=marks), [now, *columns, *chunk])
    values(conn, _UPDATE, alone, (now,), most=most)


# From this many rows of one verdict in a batch, they are written by their ids alone; at
# most this many ids a statement (under SQLite's 32,766 variables).
SHARED: Final = 8
SHARED_IDS: Final = 10_000
# Both statements below set the verdict columns (``redecide.VERDICT_COLUMNS``) and the time.
_UPDATE_SHARED: Final = (
    "UPDATE messages SET decided_at = ?, "
    + ", ".join(f"{name} = ?" for name in VERDICT_COLUMNS)
    + " WHERE id IN ({ids})"
)
# One statement per chunk of rows (core.store.transaction.values); v.column1 is the row id.
_UPDATE: Final = (
    "UPDATE messages SET decided_at = ?, "
    + ", ".join(f"{name} = v.column{n}" for n, name in enumerate(VERDICT_COLUMNS, 2))
    + " FROM (VALUES {values}) AS v WHERE messages.id = v.column1"
)
