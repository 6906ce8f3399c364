"""The one re-decision: which rows a change affects (transitively), and the badge's input."""

from __future__ import annotations

import sqlite3

import pytest

from core.rules.model import Folder, Reason
from core.store import cache, redecide, verdicts
from core.store.accounts import Account
from core.store.directory import import_directory, parse_directory
from core.store.explain import explain
from tests.store.builders import folder_info, new

MIA, LEA, BCC = "mia@globex.example", "lea@customer.example", "777@bcc.hubspot.com"
DIRECTORY = {
    "account": {"logging_rule": "replies_only", "bcc_address": BCC},
    "users": [{"id": "u-mia", "name": "Mia Rossi", "email": MIA, "connected": [MIA],
               "personal_email_access": True, "account_access": True}],
    "contacts": [{"id": "c-lea", "name": "Lea Martin", "email": LEA}],
    "mailbox_owner": "u-mia",
}  # fmt: skip
FIRST, REPLY, SECOND = "<first@globex.example>", "<reply@customer.example>", "<second@globex>"


def test_link_hash_is_signed_64_bit_and_stable() -> None:
    h = redecide.link_hash("<a@x>")
    assert -(2**63) <= h < 2**63
    assert h == redecide.link_hash("<a@x>") != redecide.link_hash("<b@x>")


def _reasons(conn: sqlite3.Connection) -> dict[str, str]:
    return {str(mid): str(reason) for mid, reason in conn.execute(
        "SELECT message_id, reason FROM messages")}  # fmt: skip


def _row(conn: sqlite3.Connection, message_id: str) -> int:
    found = conn.execute("SELECT id FROM messages WHERE message_id = ?", (message_id,))
    return int(found.fetchone()[0])


def test_a_first_message_synced_after_its_replies_re_decides_the_reply_to_the_reply(
    fresh_db: sqlite3.Connection, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R3 then R4 twice: the BCC'd first message arrives last (another folder synced later);
    its reply follows it, and the reply to that reply (In-Reply-To only, no References)
    follows the reply. The reply's reply shares no id with the first message: only a closure
    of more than one hop reaches it."""
    monkeypatch.setattr(verdicts, "WHOLE_ACCOUNT_SHARE", 1.0)  # the closure, as on a big cache
    import_directory(fresh_db, account.id, parse_directory(DIRECTORY))
    inbox = cache.ensure_folder(fresh_db, account.id, folder_info())
    sent = cache.ensure_folder(fresh_db, account.id, folder_info("Sent", Folder.SENT))
    reply = new(
        1,
        from_=LEA,
        to=MIA,
        subject="Re: Proposal",
        message_id=REPLY,
        date="Mon, 02 Feb 2026 10:00:00 +0000",
        in_reply_to=FIRST,
        references=FIRST,
    )
    second = new(
        1,
        Folder.SENT,
        from_=MIA,
        to=LEA,
        subject="Re: Proposal",
        message_id=SECOND,
        date="Mon, 02 Feb 2026 11:00:00 +0000",
        in_reply_to=REPLY,
    )
    first = new(2, Folder.SENT, from_=MIA, to=LEA, bcc=BCC, subject="Proposal",
                message_id=FIRST, date="Mon, 02 Feb 2026 09:00:00 +0000")  # fmt: skip
    cache.insert_messages(fresh_db, inbox.id, 1, [reply])
    cache.insert_messages(fresh_db, sent.id, 1, [second])
    verdicts.settle(fresh_db, account)
    assert _reasons(fresh_db) == {REPLY: "replies_only", SECOND: "replies_only"}

    cache.insert_messages(fresh_db, sent.id, 1, [first])
    settled = verdicts.settle(fresh_db, account)
    assert (settled.decided, settled.changed) == (3, 3)  # the new one, and both replies
    assert _reasons(fresh_db) == {
        FIRST: "bcc_address", REPLY: "thread_reply", SECOND: "thread_reply"
    }  # fmt: skip
    assert verdicts.settle(fresh_db, account, everything=True).changed == 0  # = the whole
    row = _row(fresh_db, FIRST)  # its links were written by the settle
    assert redecide.linked(fresh_db, account.id, [row]) == {
        _row(fresh_db, m) for m in (FIRST, REPLY, SECOND)
    }
    explained = explain(fresh_db, _row(fresh_db, SECOND))  # the badge's input, from the reply
    assert explained is not None and explained.matches_stored
    assert explained.verdict.reason is Reason.THREAD_REPLY


def test_another_accounts_copy_of_a_thread_is_left_out(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    """The same Message-ID in two accounts links their rows: the component stays in one."""
    from core.store.accounts import AccountKind, insert_account

    other = insert_account(fresh_db, "home", AccountKind.MAILDIR, path="/elsewhere")
    mine = cache.ensure_folder(fresh_db, account.id, folder_info())
    theirs = cache.ensure_folder(fresh_db, other.id, folder_info())
    cache.insert_messages(fresh_db, mine.id, 1, [new(1, from_=LEA, message_id=FIRST)])
    cache.insert_messages(fresh_db, theirs.id, 1, [new(1, from_=LEA, message_id=FIRST)])
    verdicts.settle(fresh_db, account)
    verdicts.settle(fresh_db, other)
    row = fresh_db.execute("SELECT id FROM messages WHERE folder_id = ?", (mine.id,)).fetchone()
    assert redecide.linked(fresh_db, account.id, [row[0]]) == {row[0]}
    assert redecide.decide_row(fresh_db, other, row[0]) is None  # not that account's row
