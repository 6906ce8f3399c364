"""Cached rows back into engine messages, in the engine's input order: one reader for all.

The settle (``core.store.verdicts``), the GUI's re-decisions (``core.store.views``,
``core.desktop_state``) and the what-if simulations (``core.preview.loading``) must feed the
engine the same messages in the same order, or a date tie would give different verdicts. They
all use :func:`input_order` and :func:`read_messages`; the reader only SELECTs, so a
simulation that must not write can use it as well.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Final

from core.rules.model import Folder, Message
from core.rules.threads import thread_key
from core.store.packed import Reader

# Folder roles in the engine's input order; the engine breaks date ties by input order, which
# must not depend on the order folders happened to be synced (Maildir and mbox copies agree).
_ROLE_RANK: Final = (
    "CASE {f}.role WHEN 'inbox' THEN 0 WHEN 'sent' THEN 1 WHEN 'archive' THEN 2"
    " WHEN 'other' THEN 3 ELSE 4 END"
)
_COLUMNS: Final = (
    "m.id, f.role, m.date, m.subject, m.subject_key, m.message_id, m.in_reply_to, m.refs,"
    " m.from_raw, m.from_email, m.from_name, m.to_list, m.cc_list, m.bcc_list"
)


def input_order(messages: str = "m", folders: str = "f") -> str:
    """The SQL ``ORDER BY`` terms of the engine's input order: folder role, name, UID, row id.

    ``messages`` and ``folders`` are the aliases of the ``messages`` and ``folders`` tables
    in the caller's query.
    """
    m, f = messages, folders
    return f"{_ROLE_RANK.format(f=f)}, {f}.name, {m}.uid, {m}.id"


def read_messages(
    conn: sqlite3.Connection, where: str, params: Sequence[object] = ()
) -> dict[int, Message]:
    """Engine messages rebuilt from the cached columns (no parsing), by row id.

    ``where`` selects rows of ``messages m JOIN folders f``, e.g. ``"f.account_id = ?"``.
    Equal addresses and equal address lists become one shared object (a mailbox repeats
    them), which keeps a whole account's messages small in memory. Only SELECTs: nothing is
    written.
    """
    read = Reader()
    sender = read.sender
    loaded: dict[int, Message] = {}
    for row in conn.execute(
        f"SELECT {_COLUMNS} FROM messages m JOIN folders f ON f.id = m.folder_id"
        f" WHERE {where} ORDER BY m.id",
        params,
    ):
        rowid = row[0]
        refs = tuple(row[7].split("\n")) if row[7] else ()
        loaded[rowid] = Message(
            id=str(rowid),
            folder=Folder(row[1]),
            date=row[2],
            sender=sender(row[8], row[9], row[10]),
            to=read(row[11]),
            cc=read(row[12]),
            bcc=read(row[13]),
            subject=row[3],
            subject_key=row[4] or "",
            message_id=row[5],
            in_reply_to=row[6],
            references=refs,
            thread_key=thread_key(row[5], row[6], refs),
            from_raw=row[8],
        )
    return loaded


def account_messages(conn: sqlite3.Connection, account_id: int) -> list[Message]:
    """Every cached message of an account, in the engine's input order (SELECTs only)."""
    loaded = read_messages(conn, "f.account_id = ?", (account_id,))
    order = conn.execute(
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        f" WHERE f.account_id = ? ORDER BY {input_order()}",
        (account_id,),
    )
    return [loaded[int(rowid)] for (rowid,) in order]
