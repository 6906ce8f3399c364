"""A ledger entry re-decides the cached messages it can affect, even when it is not cached."""

from __future__ import annotations

import sqlite3

from core.store import cache, verdicts
from core.store.accounts import Account
from core.store.ledger import How, LedgerEntry, record
from core.store.transaction import write
from tests.store.builders import folder_info, new


def _decided(conn: sqlite3.Connection) -> dict[str, bool]:
    rows = conn.execute("SELECT message_id, decided_at IS NOT NULL FROM messages")
    return {str(mid): bool(done) for mid, done in rows}


def test_entry_sharing_only_the_thread_key_unsettles_the_reply(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    state = cache.ensure_folder(fresh_db, account.id, folder_info())
    reply = new(
        1,
        from_="Lea <lea@initech.example>",
        to="mia@globex.example",
        subject="Re: Quote",
        date="Mon, 02 Feb 2026 10:00:00 +0000",
        message_id="<reply@initech.example>",
        in_reply_to="<parent@initech.example>",
        references="<root@globex.example> <parent@initech.example>",
    )
    other = new(2, from_="x@elsewhere.example", subject="Hello", message_id="<o@elsewhere>")
    cache.insert_messages(fresh_db, state.id, 1, [reply, other])
    verdicts.settle(fresh_db, account)
    assert fresh_db.execute("SELECT rule FROM messages WHERE uid = 1").fetchone()[0] != "R4"
    # The logged email is the thread's root's sibling: not cached, only its thread key shared.
    entry = LedgerEntry(
        "<sibling@globex.example>",
        None,
        "Quote",
        in_reply_to="<root@globex.example>",
        references=("<root@globex.example>",),
        how=How.MANUAL,
    )
    with write(fresh_db):
        assert record(fresh_db, account.id, entry)
    assert _decided(fresh_db) == {"<reply@initech.example>": False, "<o@elsewhere>": True}
    verdicts.settle(fresh_db, account)
    assert fresh_db.execute("SELECT rule FROM messages WHERE uid = 1").fetchone()[0] == "R4"
