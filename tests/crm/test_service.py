"""CrmService: settings behind account access, personal lists for everyone, re-decided at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.crm.permissions import PermissionDenied
from core.crm.service import CrmService, clean_entries
from core.mail.accounts import add_local
from core.rules.model import LoggingRule, Reason, User
from core.store import db
from core.store.accounts import Account, AccountKind
from resources.demo import MAILDIR
from tests.crm.workspace import demo_template, open_copy, reason_of, row_by_subject


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def cache(template: Path, tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, Account]]:
    conn, account = open_copy(template, tmp_path)
    yield conn, account
    conn.close()


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT reason, count(*) FROM messages GROUP BY reason").fetchall())


def test_an_admin_changes_the_rule_and_the_cache_is_re_decided(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    service = CrmService(conn, account)
    assert service.permission().allowed
    assert _counts(conn)["not_a_contact"] == 52
    settled = service.set_logging_rule(LoggingRule.REPLIES_ONLY)
    assert settled.decided == 300 and settled.changed > 0
    counts = _counts(conn)
    assert counts["replies_only"] == 266 and counts["subject_changed"] == 1
    assert conn.execute("SELECT count(*) FROM messages WHERE decided_at IS NULL").fetchone()[0] == 0
    assert service.settings().logging_rule is LoggingRule.REPLIES_ONLY


def test_a_rep_without_account_access_sees_why_and_cannot_change(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    conn.execute("UPDATE directory SET mailbox_owner = 'u-raj'")
    service = CrmService(conn, account)
    permission = service.permission()
    assert not permission.allowed
    assert permission.reason == (
        "Only a user with account access can change the account settings; Raj Patel "
        "<raj.patel@globex.example> has none: ask an account admin."
    )
    before = service.settings()
    for change in (
        lambda: service.set_logging_rule(LoggingRule.REPLIES_ONLY),
        lambda: service.add_account_never_log(["example.org"]),
        lambda: service.set_addresses(bcc=None, forward=None),
        lambda: service.replace_users([User("u-raj", "raj.patel@globex.example")]),
    ):
        with pytest.raises(PermissionDenied, match="Only a user with account access"):
            change()
    assert service.settings() == before


def test_everyone_edits_their_personal_never_log_with_immediate_effect(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    conn.execute("UPDATE directory SET mailbox_owner = 'u-raj'")
    service = CrmService(conn, account)
    service.settle()
    row = row_by_subject(conn, "Data export for our board meeting", "inbox")
    before = reason_of(conn, row)
    sender = conn.execute("SELECT from_email FROM messages WHERE id = ?", (row,)).fetchone()[0]
    domain = sender.rpartition("@")[2]
    service.add_personal_never_log([domain.upper()])
    assert service.current_user().never_log == ("patel-home.example", domain)
    assert reason_of(conn, row) is Reason.NEVER_LOG
    service.remove_personal_never_log([domain])
    assert reason_of(conn, row) is before
    assert service.current_user().never_log == ("patel-home.example",)


def test_a_fresh_local_account_makes_its_user_the_admin(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "fresh.sqlite")
    account = add_local(conn, "mine", AccountKind.MAILDIR, str(MAILDIR))
    service = CrmService(conn, account)
    assert service.permission().allowed
    service.add_account_never_log(["example.org", "Example.org", " a@b.example "])
    assert service.settings().never_log == ("example.org", "a@b.example")
    assert service.current_user().account_access
    assert service.directory().mailbox_owner == "owner"
    conn.close()


def test_never_log_entries_are_cleaned_or_refused() -> None:
    assert clean_entries(["  Foo.example ", "@bar.example", "x@Y.example", ""]) == (
        "foo.example",
        "@bar.example",
        "x@y.example",
    )
    with pytest.raises(ValueError, match="neither an email address nor a domain"):
        clean_entries(["a@@b"])
