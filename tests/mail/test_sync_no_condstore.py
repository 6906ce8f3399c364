"""Sync against a real Dovecot that advertises neither CONDSTORE nor QRESYNC (issue 10).

Microsoft Exchange/365 and many hosted servers offer no change tracking: every sync lists
every message's flags (one ``UID FETCH 1:* (UID FLAGS)``), compares them with the cache in
one pass and writes only what changed; no UID SEARCH, no table scan.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.mail import sync
from core.mail.imap import ImapSource
from core.store import db
from core.store.accounts import get_account
from tests.helpers.dovecot import Admin, Dovecot, MailUser
from tests.helpers.statements import recorded, scans
from tests.mail.sync_helpers import cache_state, imap_account, opener, raw, server_state

FOLDERS = ("INBOX", "Sent", "Projects")


@pytest.fixture
def user(dovecot_no_condstore: Dovecot) -> MailUser:
    return dovecot_no_condstore.new_user()


def _sync(conn: sqlite3.Connection, user: MailUser) -> sync.SyncSummary:
    account = get_account(conn, "work") or imap_account(conn, user)
    return sync.sync_account(conn, account, opener(user))


def test_the_server_offers_no_change_tracking(user: MailUser) -> None:
    source = opener(user)()
    assert isinstance(source, ImapSource)
    try:
        assert not source.capabilities.condstore and not source.capabilities.qresync
        assert source.status("INBOX").highestmodseq is None
    finally:
        source.close()


def test_flags_expunge_new_mail_and_uidvalidity_without_condstore(
    tmp_path: Path, user: MailUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Admin(user) as admin:
        admin.create_folder("Projects")
        uids = [
            admin.append("INBOX", raw(n), flags=("\\Seen",) if n % 2 else ()) for n in range(1, 9)
        ]
        admin.append("Sent", raw(100, sender="mia@globex.example", to="lea@initech.example"))
        admin.append("Projects", raw(200))
    conn = db.connect(tmp_path / "cache.sqlite")
    first = _sync(conn, user)
    assert (first.new, first.changed, first.removed, first.errors) == (10, 0, 0, ())
    assert cache_state(conn, FOLDERS) == server_state(user, FOLDERS)

    def no_search(*_: object) -> list[int]:
        raise AssertionError("a complete flag listing needs no UID SEARCH")

    monkeypatch.setattr(ImapSource, "uids", no_search)
    before = conn.total_changes
    unchanged = _sync(conn, user)
    assert (unchanged.new, unchanged.changed, unchanged.removed) == (0, 0, 0)
    assert conn.total_changes == before  # every flag listed, nothing written

    with Admin(user) as admin:
        admin.add_flags("INBOX", [uids[1], uids[4]], ["\\Flagged"])
        admin.expunge("INBOX", [uids[2]])
        admin.append("INBOX", raw(9))
        admin.append("INBOX", raw(10, reply_to="<m1@initech.example>"))
    with recorded(conn) as statements:
        changed = _sync(conn, user)
    assert (changed.new, changed.changed, changed.removed) == (2, 2, 1)
    assert cache_state(conn, FOLDERS) == server_state(user, FOLDERS)
    assert scans(conn, statements) == []

    with Admin(user) as admin:
        admin.recreate_folder("Projects", [raw(201), raw(202)])
    reset = _sync(conn, user)
    assert (reset.new, reset.removed, reset.errors) == (2, 1, ())
    assert cache_state(conn, FOLDERS) == server_state(user, FOLDERS)
