"""Cached rows back into engine messages, in the engine's input order: one reader for all.

The settle (``core.store.verdicts``), every other re-decision (``core.store.redecide``: explain,
"Log now") and the what-if simulations (``core.preview.loading``) must feed the engine the same
messages in the same order, or a date tie would give different verdicts. They all use
:func:`input_order` and :func:`read_messages`; the reader only SELECTs, so a simulation that
must not write can use it as well.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Final

from core.rules.model import Folder, Message, build_message
from core.rules.threads import thread_key
from core.store.packed import Reader

# Folder roles in the engine's input order; the engine breaks date ties by input order, which
# must not depend on the order folders happened to be synced (Maildir and mbox copies agree).
ROLE_RANK: Final = {"inbox": 0, "sent": 1, "archive": 2, "other": 3}  # then the others: 4
_ROLE_RANK: Final = (
    "CASE {f}.role "
    + " ".join(f"WHEN '{role}' THEN {rank}" for role, rank in ROLE_RANK.items())
    + f" ELSE {len(ROLE_RANK)} END"
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
    return f"{folder_order(folders)}, {messages}.uid, {messages}.id"


def folder_order(folders: str = "f") -> str:
    """The SQL ``ORDER BY`` terms of the folders in :func:`input_order`: role, then name."""
    return f"{_ROLE_RANK.format(f=folders)}, {folders}.name"


def read_messages(
    conn: sqlite3.Connection,
    where: str,
    params: Sequence[object] = (),
    reader: Reader | None = None,
    order: str = "m.id",
) -> dict[int, Message]:
    """Engine messages rebuilt from the cached columns (no parsing), by row id.

    ``where`` selects rows of ``messages m JOIN folders f``, e.g. ``"f.account_id = ?"``;
    the dict holds them in ``order`` (:func:`input_order`: the engine's, with no second read).
    Equal addresses and equal address lists become one shared object (a mailbox repeats
    them), which keeps a whole account's messages small in memory. Only SELECTs: nothing is
    written.
    """
    read = reader if reader is not None else Reader()  # one shared over chunks of a read
    sender = read.sender  # the bound method once, not once per row
    folders = {f.value: f for f in Folder}  # Folder(text) costs an enum lookup per row
    loaded: dict[int, Message] = {}
    for (
        rowid,
        role,
        date,
        subject,
        subject_key,
        message_id,
        in_reply_to,
        refs,
        from_raw,
        from_email,
        from_name,
        to,
        cc,
        bcc,
    ) in conn.execute(
        f"SELECT {_COLUMNS} FROM messages m JOIN folders f ON f.id = m.folder_id"
        f" WHERE {where} ORDER BY {order}",
        params,
    ):
        references = tuple(refs.split("\n")) if refs else ()
        # build_message is Message(...) of these fields without its per-field setters.
        loaded[rowid] = build_message(
            str(rowid),
            folders[role],
            date,
            sender(from_raw, from_email, from_name),
            read(to),
            read(cc),
            read(bcc),
            subject,
            subject_key or "",
            message_id,
            in_reply_to,
            references,
            thread_key(message_id, in_reply_to, references),
            from_raw,
        )
    return loaded


def account_messages(conn: sqlite3.Connection, account_id: int) -> list[Message]:
    """Every cached message of an account, in the engine's input order (SELECTs only)."""
    loaded = read_messages(conn, "f.account_id = ?", (account_id,), order=input_order())
    return list(loaded.values())
