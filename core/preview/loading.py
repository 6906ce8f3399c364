"""Reading a whole account's messages for a simulation, with SELECTs only.

``core.store.verdicts.load_messages`` fills a temp table; a simulation must not write at all
(not even to temp tables), so that "nothing written" is checkable on the connection itself.
The order is the engine's input order of ``core.store.verdicts`` (folder role, name, UID).
"""

from __future__ import annotations

import sqlite3
from typing import Final

from core.rules.addresses import Address
from core.rules.model import Folder, Message
from core.rules.threads import thread_key

_INPUT_ORDER: Final = (
    "CASE f.role WHEN 'inbox' THEN 0 WHEN 'sent' THEN 1 WHEN 'archive' THEN 2"
    " WHEN 'other' THEN 3 ELSE 4 END, f.name, m.uid, m.id"
)


def _address(email: str | None, name: str, raw: str | None) -> Address:
    if raw is None:
        raw = f"{name} <{email}>" if name else (email or "")
    return Address(email, name, raw)


def account_messages(conn: sqlite3.Connection, account_id: int) -> list[Message]:
    """Every cached message of the account as an engine message, in the engine's input order."""
    groups: dict[int, list[list[Address]]] = {}
    for message, kind, email, name, raw in conn.execute(
        "SELECT a.message, a.kind, a.email, a.name, a.raw FROM addresses a"
        " JOIN messages m ON m.id = a.message JOIN folders f ON f.id = m.folder_id"
        " WHERE f.account_id = ? ORDER BY a.message, a.kind, a.position",
        (account_id,),
    ):
        slots = groups.get(message)
        if slots is None:
            slots = groups[message] = [[], [], [], []]
        slots[kind].append(_address(email, name, raw))
    empty: list[list[Address]] = [[], [], [], []]
    found: list[Message] = []
    for row in conn.execute(
        "SELECT m.id, f.role, m.date, m.subject, m.subject_key, m.message_id, m.in_reply_to,"
        " m.refs, m.from_raw FROM messages m JOIN folders f ON f.id = m.folder_id"
        f" WHERE f.account_id = ? ORDER BY {_INPUT_ORDER}",
        (account_id,),
    ):
        a = groups.get(int(row[0]), empty)
        refs = tuple(row[7].split("\n")) if row[7] else ()
        found.append(
            Message(
                id=str(row[0]),
                folder=Folder(row[1]),
                date=row[2],
                sender=a[0][0] if a[0] else None,
                to=tuple(a[1]),
                cc=tuple(a[2]),
                bcc=tuple(a[3]),
                subject=row[3],
                subject_key=row[4] or "",
                message_id=row[5],
                in_reply_to=row[6],
                references=refs,
                thread_key=thread_key(row[5], row[6], refs),
                from_raw=row[8],
            )
        )
    return found
