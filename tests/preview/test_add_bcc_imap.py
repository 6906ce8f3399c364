"""Add BCC to a draft on the Dovecot test server: byte-exact, and never resurrecting a draft."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from core.mail.imap import ImapSource
from core.mail.sync import sync_account
from core.preview.add_bcc import DraftGone, DraftServer, Outcome, add_bcc_to_draft
from core.preview.draft import drafts
from core.rules.model import Scenario
from core.store import db
from core.store.accounts import list_accounts
from core.store.directory import import_directory
from core.store.queries import message_record
from tests.helpers.dovecot import Admin, Dovecot, MailUser, imap_settings
from tests.mail.sync_helpers import imap_account
from tests.preview.people import BCC, CONTACTS, USERS, directory


def _draft_bytes() -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = "Mia Rossi <mia@globex.example>"
    message["To"] = "Søren Berg <soren@fjord.example>"
    message["Subject"] = "Démonstration – tarifs 2027, Øresund & Zürich"
    message["Date"] = "Wed, 25 Nov 2026 16:00:00 +0100"
    message["Message-ID"] = "<draft.bcc@globex.example>"
    message["X-Mailer"] = "Thunderbird"
    message.set_content("Bonjour Søren,\n\nci-joint nos tarifs.\n")
    message.add_attachment(
        bytes(range(256)) * 40, maintype="application", subtype="pdf", filename="tarifs-2027.pdf"
    )
    message.add_attachment(
        "naïve,zählung\n1,2\n".encode(), maintype="text", subtype="csv", filename="zählung.csv"
    )
    return message.as_bytes()


@pytest.fixture
def server_cache(mail_user: MailUser) -> Iterator[tuple[sqlite3.Connection, MailUser]]:
    conn = db.connect(":memory:")
    account = imap_account(conn, mail_user)
    d = directory()
    import_directory(conn, account.id, Scenario(d.account, USERS, CONTACTS, "u-mia"))
    yield conn, mail_user
    conn.close()


def _open(user: MailUser) -> DraftServer:
    return ImapSource(imap_settings(user), user.password)


def _sync(conn: sqlite3.Connection, user: MailUser) -> int:
    (account,) = list_accounts(conn)
    sync_account(conn, account, lambda: _open(user))
    (row,) = drafts(conn, account.id)
    return row.id


def test_the_new_draft_differs_by_the_one_bcc_line(
    dovecot: Dovecot, server_cache: tuple[sqlite3.Connection, MailUser]
) -> None:
    conn, user = server_cache
    original = _draft_bytes()
    with Admin(user) as admin:
        old_uid = admin.append("Drafts", original, flags=["\\Draft", "\\Seen"])
    row = _sync(conn, user)
    record = message_record(conn, row)
    assert record is not None and record.columns["reason"] == "not_a_contact"

    result = add_bcc_to_draft(conn, row, lambda: _open(user))

    assert result.outcome is Outcome.ADDED
    with Admin(user) as admin:
        assert admin.uids("Drafts") == [old_uid + 1]
        fetched = admin.client.fetch([old_uid + 1], ["BODY.PEEK[]", "FLAGS"])[old_uid + 1]
    after = fetched[b"BODY[]"]
    assert set(fetched[b"FLAGS"]) == {b"\\Draft", b"\\Seen"}
    header_end = original.index(b"\r\n\r\n") + 2
    assert after == original[:header_end] + f"Bcc: {BCC}\r\n".encode() + original[header_end:]
    assert after[header_end + len(BCC) + 7 :] == original[header_end:]  # body and attachments
    assert result.row_id is not None
    new = message_record(conn, result.row_id)
    assert new is not None
    assert (new.columns["logged"], new.columns["reason"], new.columns["uid"]) == (
        1,
        "bcc_address",
        old_uid + 1,
    )
    (only,) = drafts(conn, new.columns["account_id"])  # type: ignore[arg-type]
    assert only.uid == old_uid + 1  # the old row is gone (SQLite may reuse its id)


def test_a_draft_deleted_on_the_server_is_reported_not_resurrected(
    dovecot: Dovecot, server_cache: tuple[sqlite3.Connection, MailUser]
) -> None:
    conn, user = server_cache
    with Admin(user) as admin:
        uid = admin.append("Drafts", _draft_bytes(), flags=["\\Draft"])
    row = _sync(conn, user)
    with Admin(user) as admin:
        admin.expunge("Drafts", [uid])
    with pytest.raises(DraftGone, match="changed on the server since the last sync"):
        add_bcc_to_draft(conn, row, lambda: _open(user))
    with Admin(user) as admin:
        assert admin.uids("Drafts") == []


def test_a_draft_already_with_the_address_is_not_rewritten(
    dovecot: Dovecot, server_cache: tuple[sqlite3.Connection, MailUser]
) -> None:
    conn, user = server_cache
    raw = _draft_bytes().replace(b"X-Mailer:", f"Bcc: {BCC}\r\nX-Mailer:".encode(), 1)
    with Admin(user) as admin:
        uid = admin.append("Drafts", raw, flags=["\\Draft"])
    row = _sync(conn, user)
    result = add_bcc_to_draft(conn, row, lambda: _open(user))
    assert (result.outcome, result.row_id) == (Outcome.ALREADY_THERE, row)
    with Admin(user) as admin:
        assert admin.uids("Drafts") == [uid]


def test_without_uidplus_the_old_draft_is_only_flagged_deleted(
    dovecot: Dovecot, server_cache: tuple[sqlite3.Connection, MailUser]
) -> None:
    conn, user = server_cache
    with Admin(user) as admin:
        other = admin.append("Drafts", b"Subject: left alone\r\n\r\nx", flags=["\\Deleted"])
        uid = admin.append("Drafts", _draft_bytes(), flags=["\\Draft"])
    row = _sync(conn, user)

    def without_uidplus() -> DraftServer:
        source = ImapSource(imap_settings(user), user.password)
        source.capabilities = replace(source.capabilities, uidplus=False)
        return source

    result = add_bcc_to_draft(conn, row, without_uidplus)
    assert result.outcome is Outcome.ADDED
    with Admin(user) as admin:
        assert admin.uids("Drafts") == [other, uid, uid + 1]  # nothing expunged
        flags = admin.client.get_flags([other, uid])
    assert b"\\Deleted" in flags[uid] and b"\\Deleted" in flags[other]
    (account,) = list_accounts(conn)
    assert [r.uid for r in drafts(conn, account.id)] == [uid + 1]
