"""The ``mailscope messages --json`` objects: every cached message with its verdict.

Names are decoded (the From's display name as RFC 2047 decodes it, the folder's name from
IMAP's modified UTF-7), and each object carries what a script needs to follow a thread or a
state: ``in_reply_to``, ``references``, the IMAP ``flags``, and rules section 7's
``needs_action`` and ``advisories``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Final

from core.rules.advisories import advisories
from core.rules.model import Folder
from core.store.packed import sender, unpack
from core.store.queries import NEEDS_ACTION_SQL

_OBJECT: Final = (  # NEEDS_ACTION_SQL: rules section 7 over the verdict columns and ``bulk``
    "SELECT m.id, a.name, f.display, f.role, m.uid, m.message_id, m.date, m.date_raw,"
    " m.from_raw, m.subject, m.logged, m.reason, m.rule, m.contacts, m.attributed_to,"
    " m.attribution, m.flagged_parse, m.uidvalidity, m.to_list, m.cc_list, m.from_email,"
    " m.from_name, m.in_reply_to, m.refs, m.flags, m.bulk, "
    f"({NEEDS_ACTION_SQL}), f.name"
    " FROM messages m JOIN folders f ON f.id = m.folder_id JOIN accounts a ON a.id = f.account_id"
)


def folder_clause(folder: str) -> tuple[str, list[object]]:
    """SQL over ``folders f`` for a folder given as a role (``inbox``), its name on the server
    or its decoded name, any case."""
    roles = {f.value for f in Folder}
    if folder.lower() in roles:
        return "f.role = ?", [folder.lower()]
    return "(f.name = ? COLLATE NOCASE OR f.display = ? COLLATE NOCASE)", [folder, folder]


def message_objects(
    conn: sqlite3.Connection, account_id: int | None, folder: str | None
) -> Iterator[dict[str, object]]:
    """The ``messages --json`` objects, by account, folder (a role or a name) and UID."""
    where: list[str] = []
    params: list[object] = []
    if account_id is not None:
        where.append("f.account_id = ?")
        params.append(account_id)
    if folder is not None:
        clause, values = folder_clause(folder)
        where.append(clause)
        params.extend(values)
    sql = f"{_OBJECT}{(' WHERE ' + ' AND '.join(where)) if where else ''}"
    for row in conn.execute(f"{sql} ORDER BY a.name, f.name, m.uid", params):
        yield _object(row)


def _from(row: tuple[Any, ...]) -> str | None:
    """The From as read: ``Name <email>`` with the name decoded, else its raw text."""
    found = sender(row[8], row[20], row[21])
    return found.raw if found is not None else row[8]


def _object(row: tuple[Any, ...]) -> dict[str, object]:
    to, cc = ([a.raw for a in unpack(text)] for text in (row[18], row[19]))
    return {
        "id": row[5] if row[5] is not None else f"{row[27]}/{row[17]}/{row[4]}",
        "account": row[1],
        "folder": row[2],  # decoded (modified UTF-7); the server's name is in the id only
        "role": row[3],
        "uid": row[4],
        "message_id": row[5],
        "in_reply_to": row[22],
        "references": row[23].split("\n") if row[23] else [],
        "flags": row[24].split() if row[24] else [],
        "date": _iso(row[6]) if row[6] is not None else None,  # ISO 8601 UTC
        "date_raw": row[7],  # the Date header, kept only when it could not be read
        "from": _from(row),
        "to": to,
        "cc": cc,
        "subject": row[9],
        "logged": None if row[10] is None else bool(row[10]),
        "reason": row[11],
        "rule": row[12],
        "contacts": json.loads(row[13]) if row[13] else [],
        "attributed_to": row[14],
        "attribution": row[15],
        "needs_action": bool(row[26]),
        "advisories": [a.value for a in advisories(bool(row[25]))],
        "flagged": row[16].split(",") if row[16] else [],
    }


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")
