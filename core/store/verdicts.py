"""Verdicts beside the cached rows: decided by the rules core, re-decided only where needed.

New and unsettled rows have ``decided_at`` NULL. ``settle`` finds them, widens the set to every
message that shares an id with them (a new message can change later replies' verdicts through
R0/R4, and only through a shared Message-ID, In-Reply-To, References entry or thread key), and
decides that set in the engine's order from the logged ledger. Messages outside it cannot
influence it nor be influenced, so the result equals deciding the whole account. When most of
the account is unsettled, it simply decides the whole account.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Final, NamedTuple

from core.rules.addresses import Address
from core.rules.directory import Directory
from core.rules.engine import LoggedState, chronological, decide
from core.rules.model import Folder, Message, Verdict
from core.rules.threads import thread_key
from core.store.accounts import Account
from core.store.db import write
from core.store.directory import load_directory

# Above this share of unsettled rows, deciding everything is cheaper than finding the closure.
WHOLE_ACCOUNT_SHARE: Final = 0.2


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


def _count(conn: sqlite3.Connection, account_id: int) -> int:
    row = conn.execute(f"SELECT count(*) FROM messages WHERE {_account_filter()}", (account_id,))
    return int(row.fetchone()[0])


def _closure(conn: sqlite3.Connection, account_id: int, seeds: Sequence[int]) -> None:
    """Fill temp table ``affected`` with the seeds and every message linked to them.

    A breadth-first walk over ``links`` by index (message -> refs -> messages), in chunks.
    """
    seen = set(seeds)
    refs_seen: set[int] = set()
    frontier = list(seen)
    while frontier:
        refs = set(_chunked(conn, "SELECT ref FROM links WHERE message IN ({})", frontier))
        refs -= refs_seen
        refs_seen |= refs
        found = set(_chunked(conn, "SELECT message FROM links WHERE ref IN ({})", list(refs)))
        frontier = list(found - seen)
        seen |= found
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS affected (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM affected")
    conn.executemany("INSERT INTO affected VALUES (?)", [(i,) for i in sorted(seen)])
    # Hash collisions may reach other accounts' rows: keep this account's only.
    conn.execute(
        f"DELETE FROM affected WHERE id NOT IN (SELECT id FROM messages WHERE {_account_filter()})",
        (account_id,),
    )


def _chunked(conn: sqlite3.Connection, sql: str, values: list[int]) -> Iterator[int]:
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        for (value,) in conn.execute(sql.format(",".join("?" * len(chunk))), chunk):
            yield int(value)


_COLUMNS: Final = (
    "m.id, f.role, m.date, m.subject, m.subject_key, m.message_id, m.in_reply_to, m.refs,"
    " m.from_raw"
)

# The engine breaks date ties by input order: make that order independent of the order in
# which folders happened to be synced (Maildir and mbox copies of a mailbox agree).
_INPUT_ORDER: Final = (
    "CASE f.role WHEN 'inbox' THEN 0 WHEN 'sent' THEN 1 WHEN 'archive' THEN 2"
    " WHEN 'other' THEN 3 ELSE 4 END, f.name, m.uid, m.id"
)


class _Stored(NamedTuple):
    verdict: tuple[object, ...]
    decided: bool


def _address(email: str | None, name: str, raw: str | None) -> Address:
    if raw is None:
        raw = f"{name} <{email}>" if name else (email or "")
    return Address(email, name, raw)


def _order(
    conn: sqlite3.Connection, account_id: int, only_affected: bool
) -> list[tuple[int, _Stored]]:
    """The target rows in the engine's input order, with their stored verdicts."""
    where = "m.id IN (SELECT id FROM affected)" if only_affected else "f.account_id = ?"
    params: tuple[object, ...] = () if only_affected else (account_id,)
    rows = conn.execute(
        "SELECT m.id, m.logged, m.reason, m.rule, m.contacts, m.attributed_to, m.attribution,"
        " m.decided_at FROM messages m JOIN folders f ON f.id = m.folder_id"
        f" WHERE {where} ORDER BY {_INPUT_ORDER}",
        params,
    )
    return [(int(r[0]), _Stored(tuple(r[1:7]), r[7] is not None)) for r in rows]


def load_messages(conn: sqlite3.Connection, rowids: Sequence[int]) -> dict[int, Message]:
    """Engine messages rebuilt from the cached columns and addresses (no parsing).

    Both queries walk their primary keys in order and are merged in one pass; equal
    addresses become one shared object (a mailbox repeats them), which keeps a whole
    account's messages small in memory.
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS to_load (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM to_load")
    conn.executemany("INSERT INTO to_load VALUES (?)", [(i,) for i in rowids])
    shared: dict[tuple[str | None, str, str | None], Address] = {}
    addresses = conn.execute(
        "SELECT a.message, a.kind, a.email, a.name, a.raw FROM addresses a"
        " WHERE a.message IN (SELECT id FROM to_load) ORDER BY a.message, a.kind, a.position"
    )
    pending = next(addresses, None)
    loaded: dict[int, Message] = {}
    for row in conn.execute(
        f"SELECT {_COLUMNS} FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE m.id IN (SELECT id FROM to_load) ORDER BY m.id"
    ):
        rowid = int(row[0])
        slots: list[list[Address]] = [[], [], [], []]
        while pending is not None and pending[0] <= rowid:
            if pending[0] == rowid:
                key = (pending[2], pending[3], pending[4])
                address = shared.get(key)
                if address is None:
                    address = shared[key] = _address(*key)
                slots[pending[1]].append(address)
            pending = next(addresses, None)
        refs = tuple(row[7].split("\n")) if row[7] else ()
        loaded[rowid] = Message(
            id=str(rowid),
            folder=Folder(row[1]),
            date=row[2],
            sender=slots[0][0] if slots[0] else None,
            to=tuple(slots[1]),
            cc=tuple(slots[2]),
            bcc=tuple(slots[3]),
            subject=row[3],
            subject_key=row[4] or "",
            message_id=row[5],
            in_reply_to=row[6],
            references=refs,
            thread_key=thread_key(row[5], row[6], refs),
            from_raw=row[8],
        )
    conn.execute("DELETE FROM to_load")
    return loaded


@lru_cache(maxsize=4096)
def _contacts_json(contacts: tuple[str, ...]) -> str:
    return json.dumps(list(contacts), ensure_ascii=False)  # a mailbox repeats the same sets


def verdict_columns(verdict: Verdict) -> tuple[object, ...]:
    """The stored form: logged, reason, rule, contacts (JSON), attributed_to, attribution."""
    return (
        int(verdict.logged),
        verdict.reason.value,
        verdict.rule.value,
        _contacts_json(verdict.contacts),
        verdict.attributed_to,
        verdict.attribution.value if verdict.attribution is not None else None,
    )


def settle(
    conn: sqlite3.Connection,
    account: Account,
    everything: bool = False,
    known: Mapping[int, Message] | None = None,
) -> Settled:
    """Decide the unsettled messages of an account and those they can affect; store changes.

    ``known`` are engine messages the caller already has (just synced), by row id: they are
    not rebuilt from the cache.
    """
    pending = _unsettled(conn, account.id) if not everything else []
    if not everything and not pending:
        return Settled(0, 0)
    whole = everything or len(pending) > WHOLE_ACCOUNT_SHARE * _count(conn, account.id)
    if not whole:
        _closure(conn, account.id, pending)
    order = _order(conn, account.id, only_affected=not whole)
    known = known or {}
    loaded = load_messages(conn, [rowid for rowid, _ in order if rowid not in known])
    messages = [known.get(rowid) or loaded[rowid] for rowid, _ in order]
    directory, state = load_directory(conn, account)
    return Settled(len(messages), _store(conn, order, _decide(messages, directory, state)))


def _decide(
    messages: Sequence[Message], directory: Directory, state: LoggedState
) -> list[tuple[object, ...]]:
    """``decide_all``, keeping only each verdict's stored columns (not its facts: memory)."""
    columns: list[tuple[object, ...]] = [()] * len(messages)
    for i in chronological(messages):
        verdict = decide(messages[i], directory, state)
        state.record(messages[i], verdict)
        columns[i] = verdict_columns(verdict)
    return columns


def _store(
    conn: sqlite3.Connection,
    order: Sequence[tuple[int, _Stored]],
    decided: Sequence[tuple[object, ...]],
) -> int:
    now = time.time()
    updates: list[tuple[object, ...]] = []
    changed = 0
    for (rowid, before), columns in zip(order, decided, strict=True):
        if before.decided and before.verdict == columns:
            continue
        changed += before.verdict != columns
        updates.append((*columns, now, rowid))
    if updates:
        with write(conn):
            conn.executemany(
                "UPDATE messages SET logged = ?, reason = ?, rule = ?, contacts = ?,"
                " attributed_to = ?, attribution = ?, decided_at = ? WHERE id = ?",
                updates,
            )
    return changed
