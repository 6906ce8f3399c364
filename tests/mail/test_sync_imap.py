"""Sync against the real Dovecot: first sync, new mail, flags, expunge, UIDVALIDITY, faults."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.mail import imap, sync
from core.mail.source import MailSource
from core.mail.sync import SyncProgress
from core.store import db
from core.store.directory import import_directory, parse_directory
from tests.helpers.dovecot import Admin, Dovecot, MailUser
from tests.mail.sync_helpers import cache_state, imap_account, opener, raw, server_state

FOLDERS = ("INBOX", "Sent")
DIRECTORY = {
    "account": {"logging_rule": "all"},
    "users": [{"id": "u-mia", "email": "mia@globex.example"}],
    "contacts": [{"id": "c-lea", "email": "lea@initech.example"}],
    "mailbox_owner": "u-mia",
}


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return db.connect(tmp_path / "cache.sqlite")


def _verdicts(conn: sqlite3.Connection) -> dict[str, tuple[object, ...]]:
    rows = conn.execute(
        "SELECT message_id, logged, reason FROM messages WHERE message_id IS NOT NULL"
    )
    return {mid: (logged, reason) for mid, logged, reason in rows}


def test_first_sync_new_mail_flags_expunge(conn: sqlite3.Connection, mail_user: MailUser) -> None:
    with Admin(mail_user) as admin:
        for n in range(1, 8):
            admin.append("INBOX", raw(n), flags=("\\Seen",) if n % 2 else ())
        admin.append("Sent", raw(100, sender="mia@globex.example", to="lea@initech.example"))
    account = imap_account(conn, mail_user)
    import_directory(conn, account.id, parse_directory(DIRECTORY))
    first = sync.sync_account(conn, account, opener(mail_user))
    assert (first.new, first.changed, first.removed, first.errors) == (8, 0, 0, ())
    assert first.folders == 4  # INBOX Sent Drafts Archive; Junk and Trash are skipped
    assert cache_state(conn, FOLDERS) == server_state(mail_user, FOLDERS)
    assert _verdicts(conn)["<m1@initech.example>"] == (1, "log_all_contact")
    skipped = conn.execute("SELECT name FROM folders WHERE skipped = 1 ORDER BY name").fetchall()
    assert skipped == [("Junk",), ("Trash",)]

    with Admin(mail_user) as admin:
        admin.append("INBOX", raw(8))
        admin.set_flags("INBOX", [2], ["\\Flagged"])
        admin.expunge("INBOX", [3])
    second = sync.sync_account(conn, account, opener(mail_user))
    assert (second.new, second.changed, second.removed) == (1, 1, 1)
    assert cache_state(conn, FOLDERS) == server_state(mail_user, FOLDERS)

    before = conn.total_changes
    third = sync.sync_account(conn, account, opener(mail_user))
    assert (third.new, third.changed, third.removed) == (0, 0, 0)
    assert conn.total_changes == before  # nothing changed on the server: nothing written


def test_new_reply_changes_nothing_else_and_verdicts_follow_threads(
    conn: sqlite3.Connection, mail_user: MailUser
) -> None:
    """Replies-only: a later logged message makes earlier-fetched replies thread replies."""
    directory = {**DIRECTORY, "account": {"logging_rule": "replies_only"}}
    with Admin(mail_user) as admin:
        admin.append("INBOX", raw(2, subject="Re: Deal", reply_to="<root@globex.example>", day=2))
    account = imap_account(conn, mail_user)
    import_directory(conn, account.id, parse_directory(directory))
    sync.sync_account(conn, account, opener(mail_user))
    assert _verdicts(conn)["<m2@initech.example>"] == (0, "replies_only")
    root = raw(1, sender="mia@globex.example", to="lea@initech.example", subject="Deal", day=1)
    root = root.replace(b"<m1@initech.example>", b"<root@globex.example>")
    root = root.replace(b"Subject: Deal", b"Subject: Deal\r\nBcc: 777@bcc.example")
    directory["account"] = {"logging_rule": "replies_only", "bcc_address": "777@bcc.example"}
    import_directory(conn, account.id, parse_directory(directory))
    sync.sync_account(conn, account, opener(mail_user))
    with Admin(mail_user) as admin:
        admin.append("Sent", root)
    summary = sync.sync_account(conn, account, opener(mail_user))
    assert summary.new == 1 and summary.verdicts_changed == 2
    assert _verdicts(conn) == {
        "<root@globex.example>": (1, "bcc_address"),
        "<m2@initech.example>": (1, "thread_reply"),
    }


def test_uidvalidity_change_refetches_keeps_ledger_and_stops_at_three(
    conn: sqlite3.Connection, mail_user: MailUser
) -> None:
    with Admin(mail_user) as admin:
        admin.create_folder("Projects")
        admin.append("Projects", raw(1))
    account = imap_account(conn, mail_user)
    doc = {**DIRECTORY, "logged": [{"message_id": "<m1@initech.example>"}]}
    import_directory(conn, account.id, parse_directory(doc))
    sync.sync_account(conn, account, opener(mail_user))
    for round_ in (1, 2):
        with Admin(mail_user) as admin:
            admin.recreate_folder("Projects", [raw(1), raw(10 + round_)])
        summary = sync.sync_account(conn, account, opener(mail_user))
        assert (summary.new, summary.removed, summary.errors) == (2, round_, ())
        assert cache_state(conn, ("Projects",)) == server_state(mail_user, ("Projects",))
        assert _verdicts(conn)["<m1@initech.example>"] == (1, "already_logged")
    with Admin(mail_user) as admin:
        admin.recreate_folder("Projects", [raw(1)])
    summary = sync.sync_account(conn, account, opener(mail_user))
    assert len(summary.errors) == 1 and "UIDVALIDITY changed 3 times" in summary.errors[0]
    error = conn.execute("SELECT error FROM folders WHERE name = 'Projects'").fetchone()[0]
    assert "UIDVALIDITY" in error


MALFORMED = {
    "no-message-id": b"From: a@x.example\r\nSubject: no id\r\n\r\nbody\r\n",
    "dup-id-1": b"From: a@x.example\r\nMessage-ID: <dup@x>\r\nSubject: one\r\n\r\nb\r\n",
    "dup-id-2": b"From: b@x.example\r\nMessage-ID: <dup@x>\r\nSubject: two\r\n\r\nb\r\n",
    "8bit": "From: Léa <lea@x.example>\r\nSubject: Été\r\nMessage-ID: <8@x>\r\n\r\nb\r\n".encode(
        "latin-1"
    ),
    "huge": b"From: a@x.example\r\nMessage-ID: <huge@x>\r\nSubject: "
    + b"x" * 1_100_000
    + b"\r\n\r\nb\r\n",
    "nested": b"From: " + b"(" * 500 + b"a@x.example\r\nMessage-ID: <nested@x>\r\n\r\nb\r\n",
    "bad-date": b"From: a@x.example\r\nDate: the day after\r\nMessage-ID: <date@x>\r\n\r\nb\r\n",
    "crlf-word": b"From: =?utf-8?q?A=0D=0ABcc:_evil@x?= <a@x.example>\r\nMessage-ID: <w@x>\r\n"
    b"Subject: =?utf-8?b?bGluZQ0KYnJlYWs=?=\r\n\r\nb\r\n",
}


def test_malformed_messages_all_arrive_flagged(
    conn: sqlite3.Connection, mail_user: MailUser
) -> None:
    with Admin(mail_user) as admin:
        for message in MALFORMED.values():
            admin.append("INBOX", message)
    account = imap_account(conn, mail_user)
    summary = sync.sync_account(conn, account, opener(mail_user))
    assert summary.new == len(MALFORMED)
    rows = conn.execute(
        "SELECT uid, message_id, subject, flagged_parse, reason FROM messages ORDER BY uid"
    ).fetchall()
    by_name = dict(zip(MALFORMED, rows, strict=True))
    assert "no-message-id" in by_name["no-message-id"][3]
    assert by_name["dup-id-1"][1] == by_name["dup-id-2"][1] == "<dup@x>"
    assert by_name["8bit"][2] == "Été" and "8bit" in by_name["8bit"][3]
    assert len(by_name["huge"][2]) == 1_100_000
    assert "from" in by_name["nested"][3].split(",") and by_name["nested"][4] == "unparseable"
    assert "date" in by_name["bad-date"][3].split(",")
    assert by_name["crlf-word"][2] == "line  break"
    assert by_name["crlf-word"][3] is None
    assert all(r[4] is not None for r in rows)  # every one decided


def test_dropped_connection_mid_fetch_is_resumed(
    conn: sqlite3.Connection, dovecot: Dovecot, mail_user: MailUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Five UIDs per FETCH command: 40 tiny messages in one command would all be in the
    # socket's buffer before the kick, and the drop would come after the fetch.
    monkeypatch.setattr(imap, "FETCH_BATCH", 5)
    with Admin(mail_user) as admin:
        admin.append_many("INBOX", [raw(n) for n in range(1, 41)])
    account = imap_account(conn, mail_user)
    opened: list[int] = []  # rows cached when each connection was opened
    kicked: list[int] = []
    open_source = opener(mail_user)

    def counting_opener() -> MailSource:
        opened.append(conn.execute("SELECT count(*) FROM messages").fetchone()[0])
        return open_source()

    def progress(p: SyncProgress) -> None:
        if p.phase == "fetching" and p.done >= 10 and not kicked:
            kicked.append(p.done)
            dovecot.kick(mail_user.user)

    summary = sync.sync_account(conn, account, counting_opener, progress=progress, batch=5)
    assert kicked and len(opened) == 2 and 10 <= opened[1] < 40
    assert summary.new == 40 - opened[1]  # the batches cached before the drop stay
    assert cache_state(conn, FOLDERS) == server_state(mail_user, FOLDERS)
    uids = [u for (u,) in conn.execute("SELECT uid FROM messages ORDER BY uid")]
    assert uids == list(range(1, 41))


def test_folders_by_name_only(conn: sqlite3.Connection, dovecot_names_only: Dovecot) -> None:
    user = dovecot_names_only.new_user()
    with Admin(user) as admin:
        for name in ("Sent Items", "Brouillons", "Spam"):
            admin.create_folder(name)
        admin.append("Sent Items", raw(1, sender="mia@globex.example"))
    account = imap_account(conn, user)
    sync.sync_account(conn, account, opener(user))
    roles = dict(conn.execute("SELECT name, role || ':' || skipped FROM folders"))
    assert roles["Sent Items"] == "sent:0" and roles["Brouillons"] == "drafts:0"
    assert roles["Spam"] == "other:1" and roles["INBOX"] == "inbox:0"
    assert conn.execute("SELECT count(*) FROM messages").fetchone() == (1,)


def test_first_sync_of_a_folder_with_uid_gaps(
    conn: sqlite3.Connection, mail_user: MailUser
) -> None:
    # A first fill asks for every UID below UIDNEXT without listing them: the expunged ones
    # (here 2, 3 and the last, 6) are simply not returned.
    with Admin(mail_user) as admin:
        for n in range(1, 7):
            admin.append("INBOX", raw(n))
        admin.expunge("INBOX", [2, 3, 6])
    account = imap_account(conn, mail_user)
    first = sync.sync_account(conn, account, opener(mail_user))
    assert (first.new, first.removed, first.errors) == (3, 0, ())
    assert cache_state(conn, FOLDERS) == server_state(mail_user, FOLDERS)
    uids = [u for (u,) in conn.execute("SELECT uid FROM messages ORDER BY uid")]
    assert uids == [1, 4, 5]
    again = sync.sync_account(conn, account, opener(mail_user))
    assert (again.new, again.changed, again.removed) == (0, 0, 0)
