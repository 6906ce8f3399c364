"""The directory tables: import, load, defaults, and the ledger's dates."""

from __future__ import annotations

import sqlite3

import pytest

from core.rules.model import LoggingRule
from core.rules.scenario import ScenarioError
from core.store import cache, verdicts
from core.store.accounts import Account
from core.store.directory import has_directory, import_directory, load_directory, parse_directory
from core.store.ledger import How, LedgerEntry, entries, record
from tests.store.builders import folder_info, new

DOC = {
    "account": {"logging_rule": "replies_only", "never_log": ["rival.example"]},
    "users": [
        {"id": "u-mia", "email": "mia@globex.example", "aliases": ["m@globex.example"],
         "never_log": ["ex@old.example"], "personal_email_access": False},
    ],
    "contacts": [{"id": "c-lea", "email": "lea@initech.example", "owner": "u-mia",
                  "additional_emails": ["l@initech.example"]}],
    "mailbox_owner": "u-mia",
    "logged": [{"message_id": "<x@y>", "subject": "Hi", "references": ["<r@y>"]}],
}  # fmt: skip


def test_import_then_load_round_trip(fresh_db: sqlite3.Connection, account: Account) -> None:
    assert not has_directory(fresh_db, account.id)
    import_directory(fresh_db, account.id, parse_directory(DOC))
    directory, state = load_directory(fresh_db, account)
    assert directory.account.logging_rule is LoggingRule.REPLIES_ONLY
    assert directory.account.never_log == ("rival.example",)
    user = directory.users["u-mia"]
    assert (user.aliases, user.never_log, user.personal_email_access) == (
        ("m@globex.example",),
        ("ex@old.example",),
        False,
    )
    assert directory.contact_of["l@initech.example"] == "c-lea"
    entry = state.by_id["<x@y>"]
    assert (entry.subject, entry.references, entry.date) == ("Hi", ("<r@y>",), None)
    assert has_directory(fresh_db, account.id)


def test_default_directory_is_the_account_user(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    directory, state = load_directory(fresh_db, account)
    assert directory.user_of == {"mia@globex.example": "owner"}
    # Rules v1.3: a new account defaults to "all", HubSpot's default since April 2026.
    assert directory.account.logging_rule is LoggingRule.ALL and not state.by_id


def test_bad_directory_files_name_the_field() -> None:
    with pytest.raises(ScenarioError, match=r"^users\[0\]\.email: required field is missing$"):
        parse_directory({**DOC, "users": [{"id": "u"}]})
    with pytest.raises(ScenarioError, match="messages: a directory file holds no messages"):
        parse_directory({**DOC, "messages": [{"id": "m"}]})
    with pytest.raises(ScenarioError, match="mailbox_owner"):
        parse_directory({**DOC, "mailbox_owner": "nobody"})


@pytest.mark.parametrize(
    ("source", "root_reason"), [("import", "thread_reply"), ("manual", "replies_only")]
)
def test_an_app_logged_reply_is_dated_by_its_cached_copy(
    source: str, root_reason: str, fresh_db: sqlite3.Connection, account: Account
) -> None:
    """A reply logged by hand does not turn its thread's earlier messages into replies (R4)."""
    import_directory(fresh_db, account.id, parse_directory({**DOC, "logged": []}))
    inbox = cache.ensure_folder(fresh_db, account.id, folder_info())
    cache.insert_messages(
        fresh_db,
        inbox.id,
        1,
        [
            new(1, from_="lea@initech.example", subject="Deal", message_id="<root@i>",
                date="Mon, 1 Sep 2025 09:00:00 +0000"),
            new(2, from_="lea@initech.example", subject="Re: Deal", message_id="<reply@i>",
                in_reply_to="<root@i>", references="<root@i>",
                date="Tue, 2 Sep 2025 09:00:00 +0000"),
        ],
    )  # fmt: skip
    fresh_db.execute(
        "INSERT INTO logged (account_id, message_id, subject, in_reply_to, refs, source)"
        " VALUES (?, '<reply@i>', 'Re: Deal', '<root@i>', '[\"<root@i>\"]', ?)",
        (account.id, source),
    )
    verdicts.settle(fresh_db, account)
    reasons = dict(fresh_db.execute("SELECT message_id, reason FROM messages"))
    assert reasons == {"<root@i>": root_reason, "<reply@i>": "already_logged"}


def test_reimport_keeps_ledger_rows_logged_another_way(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    import_directory(fresh_db, account.id, parse_directory(DOC))
    fresh_db.execute("BEGIN IMMEDIATE")
    record(fresh_db, account.id, LedgerEntry("<manual@y>", None, "Manual", how=How.MANUAL))
    record(fresh_db, account.id, LedgerEntry("<hub@y>", None, "Hub", how=How.HUBSPOT))
    fresh_db.execute("COMMIT")
    again = {**DOC, "logged": [{"message_id": "<new@y>", "subject": "New"}]}
    import_directory(fresh_db, account.id, parse_directory(again))
    kept = {(e.message_id, e.how) for e in entries(fresh_db, account.id)}
    # The old import is replaced by the new one; the app's and HubSpot's logs survive.
    assert kept == {("<manual@y>", How.MANUAL), ("<hub@y>", How.HUBSPOT), ("<new@y>", How.IMPORT)}
    _, state = load_directory(fresh_db, account)
    assert set(state.by_id) == {"<manual@y>", "<hub@y>", "<new@y>"}
