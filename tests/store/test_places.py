"""Where a cached row lives (``core.store.places``): its account, folder and UID, and the row
an email answers."""

from __future__ import annotations

from pathlib import Path

from core.store.accounts import AccountKind
from core.store.places import account_of, locate, replied_row
from tests.crm.workspace import demo_cache, row_by_subject


def test_a_row_is_located_and_its_reply_finds_it(tmp_path: Path) -> None:
    conn, account = demo_cache(tmp_path / "c.sqlite")
    row = row_by_subject(conn, "Request for a demo – Atlas Cargo", "inbox")
    where = locate(conn, row)
    assert where is not None and where.account == account == account_of(conn, row)
    assert where.account.kind is AccountKind.MAILDIR and where.folder == "INBOX"
    uid, folder_id = conn.execute(
        "SELECT uid, folder_id FROM messages WHERE id = ?", (row,)
    ).fetchone()
    assert (where.uid, where.folder_id) == (uid, folder_id)
    (message_id,) = conn.execute("SELECT message_id FROM messages WHERE id = ?", (row,)).fetchone()
    assert replied_row(conn, account.id, message_id) == row
    assert replied_row(conn, account.id + 1, message_id) is None  # another account's
    assert locate(conn, 10**9) is None and account_of(conn, 10**9) is None
    conn.close()


def test_a_draft_is_never_the_row_an_email_answers(tmp_path: Path) -> None:
    conn, account = demo_cache(tmp_path / "c.sqlite")
    drafts = conn.execute(
        "SELECT m.message_id FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE f.role = 'drafts' AND m.message_id IS NOT NULL"
    ).fetchall()
    assert drafts
    for (message_id,) in drafts:
        assert replied_row(conn, account.id, message_id) is None
    conn.close()
