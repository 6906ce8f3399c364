"""Writing the cache during a sync: folders and their sync state, message rows, flags, removals.

Every function that writes runs one short ``BEGIN IMMEDIATE`` transaction, so a batch of rows
and the state that goes with it land together or not at all (SIGKILL-safe). New rows are
written undecided (``decided_at`` NULL); ``core.store.verdicts`` decides them afterwards, and a
restart after a kill finds them still undecided.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.mailbox import FolderInfo, NewMessage
from core.rules.advisories import bulk_of
from core.rules.model import Folder, Message
from core.store.redecide import mark_linked_to
from core.store.transaction import values, write


@dataclass(frozen=True, slots=True)
class FolderState:
    """A cached folder with the sync state of its last complete sync."""

    id: int
    account_id: int
    name: str
    display: str
    role: Folder
    skipped: bool
    uidvalidity: int | None
    uidnext: int | None
    highestmodseq: int | None
    resets: int
    synced_at: float | None
    error: str | None


_FOLDER_COLUMNS = (
    "id, account_id, name, display, role, skipped, uidvalidity, uidnext, highestmodseq,"
    " resets, synced_at, error"
)


def _folder(row: Sequence[object]) -> FolderState:
    def opt_int(value: object) -> int | None:
        return None if value is None else int(str(value))

    return FolderState(
        id=int(str(row[0])),
        account_id=int(str(row[1])),
        name=str(row[2]),
        display=str(row[3]),
        role=Folder(str(row[4])),
        skipped=bool(row[5]),
        uidvalidity=opt_int(row[6]),
        uidnext=opt_int(row[7]),
        highestmodseq=opt_int(row[8]),
        resets=int(str(row[9])),
        synced_at=None if row[10] is None else float(str(row[10])),
        error=None if row[11] is None else str(row[11]),
    )


def folders(conn: sqlite3.Connection, account_id: int) -> list[FolderState]:
    """The account's cached folders, by name."""
    rows = conn.execute(
        f"SELECT {_FOLDER_COLUMNS} FROM folders WHERE account_id = ? ORDER BY name", (account_id,)
    ).fetchall()
    return [_folder(row) for row in rows]


def folder(conn: sqlite3.Connection, folder_id: int) -> FolderState:
    row = conn.execute(f"SELECT {_FOLDER_COLUMNS} FROM folders WHERE id = ?", (folder_id,))
    return _folder(row.fetchone())


def ensure_folder(conn: sqlite3.Connection, account_id: int, info: FolderInfo) -> FolderState:
    """The cached folder for a listed one, created or its name/role refreshed (only if needed)."""
    row = conn.execute(
        f"SELECT {_FOLDER_COLUMNS}, special_use FROM folders WHERE account_id = ? AND name = ?",
        (account_id, info.name),
    ).fetchone()
    if row is not None and _listed_as(row, info):
        return _folder(row)
    with write(conn):
        conn.execute(
            "INSERT INTO folders (account_id, name, display, role, skipped, special_use)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, name) DO UPDATE SET"
            " display = excluded.display, role = excluded.role, skipped = excluded.skipped,"
            " special_use = excluded.special_use"
            " WHERE (display, role, skipped, special_use) IS NOT"
            " (excluded.display, excluded.role, excluded.skipped, excluded.special_use)",
            (account_id, info.name, info.display, info.role.value, info.skipped, info.special_use),
        )
        row = conn.execute(
            f"SELECT {_FOLDER_COLUMNS} FROM folders WHERE account_id = ? AND name = ?",
            (account_id, info.name),
        ).fetchone()
    return _folder(row)


def _listed_as(row: Sequence[object], info: FolderInfo) -> bool:
    """Whether a cached folder row has the listed folder's name, role and flags already."""
    cached = (row[3], row[4], bool(row[5]), row[12])
    return cached == (info.display, info.role.value, info.skipped, info.special_use)


def remove_folders_except(conn: sqlite3.Connection, account_id: int, names: Iterable[str]) -> int:
    """Drop cached folders the source no longer lists (their rows go with them)."""
    keep = set(names)
    gone = [f.id for f in folders(conn, account_id) if f.name not in keep]
    if not gone:
        return 0
    with write(conn):
        marks = ",".join("?" * len(gone))
        mark_linked_to(conn, f"folder_id IN ({marks})", gone)
        conn.executemany("DELETE FROM folders WHERE id = ?", [(i,) for i in gone])
    return len(gone)


def flag_text(flags: Iterable[str]) -> str:
    """The stored form of a flag set: sorted, space-separated (so equal sets compare equal)."""
    return " ".join(sorted(set(flags)))


@functools.lru_cache(maxsize=1024)
def flag_text_of(flags: tuple[str, ...]) -> str:
    """``flag_text``, memoised: a mailbox has a handful of distinct flag sets."""
    return flag_text(flags)


_INSERT = (
    "INSERT INTO messages (folder_id, uidvalidity, uid, flags, internaldate, size, date,"
    " sort_date, from_raw, from_email, from_name, subject, subject_key, message_id,"
    " in_reply_to, refs, flagged_parse, gm_msgid, gm_thrid, date_raw, list_id,"
    " list_unsubscribe, precedence, auto_submitted, to_list, cc_list, bcc_list, bulk)"
    " VALUES {values}"
    " ON CONFLICT (folder_id, uidvalidity, uid) DO NOTHING"
)


def row(folder_id: int, uidvalidity: int, new: NewMessage) -> tuple[object, ...]:
    """Every column of a new message's row, in ``_INSERT``'s order: the one place a parsed
    message becomes a cache row (``tests/helpers/reference_headers.columns`` is its general
    form, from the header fields, and a test holds the two equal)."""
    uid, flags, internaldate, size, m, flagged, gm_msgid, gm_thrid = new[:8]
    date, sender, references = m.date, m.sender, m.references
    return (
        folder_id,
        uidvalidity,
        uid,
        flag_text_of(flags),
        internaldate,
        size,
        date,
        internaldate if date is None else date,  # the sort date: arrival when undated
        m.from_raw,
        None if sender is None else sender.email,
        None if sender is None else sender.name or None,
        m.subject,
        m.subject_key,
        m.message_id,
        m.in_reply_to,
        ("\n".join(references) or None) if references else None,  # ids hold no line break
        (",".join(flagged) or None) if flagged else None,
        gm_msgid,
        gm_thrid,
        *new[8:],  # date_raw, the List-* fields, the packed To, Cc and Bcc
        bulk_of(*new[9:13], None if sender is None else sender.email),  # section 7
    )


def insert_messages(
    conn: sqlite3.Connection, folder_id: int, uidvalidity: int, batch: Sequence[NewMessage]
) -> dict[int, Message]:
    """Cache a batch of new messages (undecided) in one transaction.

    Returns the engine messages of the rows added, by row id. A UID already cached for that
    UIDVALIDITY is left alone, so a batch replayed after a crash adds nothing twice. Their
    links are written when they are decided (``core.store.verdicts.settle``).
    """
    if not batch:
        return {}
    low, high = min(n.uid for n in batch), max(n.uid for n in batch)
    span = "folder_id = ? AND uidvalidity = ? AND uid BETWEEN ? AND ?"
    args = (folder_id, uidvalidity, low, high)
    with write(conn):
        present = {uid for (uid,) in conn.execute(f"SELECT uid FROM messages WHERE {span}", args)}
        fresh = _not_cached(batch, present)
        values(conn, _INSERT, [row(folder_id, uidvalidity, n) for n in fresh.values()])
        ids = dict(conn.execute(f"SELECT uid, id FROM messages WHERE {span}", args).fetchall())
        return {int(ids[uid]): n.message for uid, n in fresh.items()}


def _not_cached(batch: Sequence[NewMessage], present: set[int]) -> dict[int, NewMessage]:
    """The batch's messages whose UID is not cached yet, by UID (the first of a repeated UID)."""
    fresh: dict[int, NewMessage] = {}
    for n in batch:
        if n.uid not in present:
            fresh.setdefault(n.uid, n)
    return fresh


def cached_flags(conn: sqlite3.Connection, folder_id: int, uidvalidity: int) -> dict[int, str]:
    """UID -> stored flags (``flag_text``) of the folder's rows: one pass over its index range."""
    return dict(conn.execute(_CACHED_FLAGS, (folder_id, uidvalidity)))


def has_undecided(conn: sqlite3.Connection, account_id: int) -> bool:
    """Whether a row of the account waits for its verdict (the partial index answers)."""
    row = conn.execute(
        "SELECT 1 FROM messages WHERE decided_at IS NULL AND folder_id IN"
        " (SELECT id FROM folders WHERE account_id = ?) LIMIT 1",
        (account_id,),
    ).fetchone()
    return row is not None


def max_uid(conn: sqlite3.Connection, folder_id: int, uidvalidity: int) -> int:
    row = conn.execute(
        "SELECT max(uid) FROM messages WHERE folder_id = ? AND uidvalidity = ?",
        (folder_id, uidvalidity),
    ).fetchone()
    return int(row[0]) if row[0] is not None else 0


def count_messages(conn: sqlite3.Connection, folder_id: int) -> int:
    row = conn.execute("SELECT count(*) FROM messages WHERE folder_id = ?", (folder_id,))
    return int(row.fetchone()[0])


# Each row found through the unique index (folder_id, uidvalidity, uid): without uidvalidity
# SQLite scans the folder for every row (500 flag updates took 26 s on a 50,000-row folder,
# 1.2 ms with it). tests/store/test_query_plans.py checks the plans.
_CACHED_FLAGS = "SELECT uid, flags FROM messages WHERE folder_id = ? AND uidvalidity = ?"
_SET_FLAGS = (
    "UPDATE messages SET flags = ? WHERE folder_id = ? AND uidvalidity = ? AND uid = ?"
    " AND flags IS NOT ?"
)
_GONE = "folder_id = ? AND uidvalidity = ? AND uid IN (SELECT uid FROM temp.gone_uids)"


def set_flags(
    conn: sqlite3.Connection,
    folder_id: int,
    uidvalidity: int,
    changes: Iterable[tuple[int, str]],
) -> int:
    """Store (uid, ``flag_text``) pairs; returns the rows that really changed (only those are
    written)."""
    params = [(text, folder_id, uidvalidity, uid, text) for uid, text in changes]
    if not params:
        return 0
    with write(conn):
        before = conn.total_changes
        conn.executemany(_SET_FLAGS, params)
        return conn.total_changes - before


def remove_uids(
    conn: sqlite3.Connection, folder_id: int, uidvalidity: int, uids: Iterable[int]
) -> int:
    """Drop expunged messages; the messages linked to them are re-decided later."""
    chunk = list(uids)
    if not chunk:
        return 0
    with write(conn):
        _fill_gone(conn, chunk)
        mark_linked_to(conn, _GONE, [folder_id, uidvalidity])
        removed = conn.execute(f"DELETE FROM messages WHERE {_GONE}", (folder_id, uidvalidity))
        conn.execute("DELETE FROM temp.gone_uids")
    return removed.rowcount


def _fill_gone(conn: sqlite3.Connection, uids: list[int]) -> None:
    """Temp table ``gone_uids`` holds exactly ``uids`` (a temp table: no write to the file)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS gone_uids (uid INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.gone_uids")
    conn.executemany("INSERT OR IGNORE INTO temp.gone_uids VALUES (?)", [(u,) for u in uids])


def reset_folder(conn: sqlite3.Connection, folder_id: int, uidvalidity: int, resets: int) -> None:
    """A UIDVALIDITY change: drop the folder's rows and start over with the new value.

    What is keyed by Message-ID (the logged ledger) lives elsewhere and survives.
    """
    with write(conn):
        mark_linked_to(conn, "folder_id = ?", [folder_id])
        conn.execute("DELETE FROM messages WHERE folder_id = ?", (folder_id,))
        conn.execute("DELETE FROM local_keys WHERE folder_id = ?", (folder_id,))
        conn.execute("DELETE FROM local_listings WHERE folder_id = ?", (folder_id,))  # its UIDs
        conn.execute(
            "UPDATE folders SET uidvalidity = ?, uidnext = NULL, highestmodseq = NULL,"
            " resets = ? WHERE id = ?",
            (uidvalidity, resets, folder_id),
        )


def save_folder_state(
    conn: sqlite3.Connection,
    folder_id: int,
    *,
    uidvalidity: int,
    uidnext: int,
    highestmodseq: int | None,
    error: str | None = None,
    resets: int = 0,
) -> bool:
    """Record a completed sync of a folder; returns False when nothing changed (no write)."""
    current = conn.execute(
        "SELECT uidvalidity, uidnext, highestmodseq, error, resets FROM folders WHERE id = ?",
        (folder_id,),
    ).fetchone()
    if tuple(current) == (uidvalidity, uidnext, highestmodseq, error, resets):
        return False
    with write(conn):
        conn.execute(
            "UPDATE folders SET uidvalidity = ?, uidnext = ?, highestmodseq = ?, error = ?,"
            " resets = ?, synced_at = ? WHERE id = ?",
            (uidvalidity, uidnext, highestmodseq, error, resets, time.time(), folder_id),
        )
    return True


def set_folder_error(conn: sqlite3.Connection, folder_id: int, error: str | None) -> None:
    current = conn.execute("SELECT error FROM folders WHERE id = ?", (folder_id,)).fetchone()
    if current is not None and current[0] == error:
        return
    with write(conn):
        conn.execute("UPDATE folders SET error = ? WHERE id = ?", (error, folder_id))
