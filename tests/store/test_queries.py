"""The app's reads: pages with filters, search and sort; counts; one full record."""

from __future__ import annotations

import sqlite3

import pytest

from core.rules.model import Folder, Reason
from core.store import cache, queries, verdicts, views
from core.store.accounts import Account
from core.store.directory import import_directory, parse_directory
from core.store.queries import PageQuery, Show, Sort
from tests.store.builders import folder_info, new

DIRECTORY = {
    "account": {"logging_rule": "all", "never_log": ["rival.example"]},
    "users": [{"id": "u-mia", "email": "mia@globex.example", "name": "Mia Rossi"}],
    "contacts": [{"id": "c-lea", "email": "lea@initech.example", "name": "Lea Martin"}],
    "mailbox_owner": "u-mia",
}


@pytest.fixture
def filled(fresh_db: sqlite3.Connection, account: Account) -> tuple[int, int]:
    import_directory(fresh_db, account.id, parse_directory(DIRECTORY))
    inbox = cache.ensure_folder(fresh_db, account.id, folder_info())
    sent = cache.ensure_folder(fresh_db, account.id, folder_info("Sent", Folder.SENT))
    cache.insert_messages(
        fresh_db,
        inbox.id,
        1,
        [
            new(
                1,
                from_="Léa Martin <lea@initech.example>",
                to="mia@globex.example",
                subject="Quote",
                date="Mon, 7 Oct 2024 09:00:00 +0000",
                message_id="<1@i>",
            ),
            new(
                2,
                from_="Sam <sam@nowhere.example>",
                to="mia@globex.example",
                subject="Hello there",
                date="Tue, 8 Oct 2024 09:00:00 +0000",
                message_id="<2@n>",
            ),
            new(
                3,
                from_="boss@rival.example",
                to="mia@globex.example",
                subject="Offer",
                date="Wed, 9 Oct 2024 09:00:00 +0000",
                message_id="<3@r>",
            ),
        ],
    )
    cache.insert_messages(
        fresh_db,
        sent.id,
        1,
        [
            new(
                1,
                Folder.SENT,
                from_="mia@globex.example",
                to="Lea <lea@initech.example>",
                subject="Re: Quote",
                date="Mon, 7 Oct 2024 10:00:00 +0000",
                message_id="<4@g>",
            )
        ],
    )
    verdicts.settle(fresh_db, account)
    return inbox.id, sent.id


def _uids(rows: list[queries.Row]) -> list[int]:
    return [r.uid for r in rows]


def test_page_by_date_desc_and_filters(
    fresh_db: sqlite3.Connection, filled: tuple[int, int]
) -> None:
    inbox, _ = filled
    assert _uids(queries.page(fresh_db, PageQuery(folder_id=inbox))) == [3, 2, 1]
    assert _uids(queries.page(fresh_db, PageQuery(folder_id=inbox, show=Show.WILL_LOG))) == [1]
    wont = PageQuery(folder_id=inbox, show=Show.WONT_LOG, descending=False)
    assert _uids(queries.page(fresh_db, wont)) == [2, 3]
    action = PageQuery(folder_id=inbox, show=Show.NEEDS_ACTION)
    assert _uids(queries.page(fresh_db, action)) == [2]
    never = PageQuery(folder_id=inbox, show=Show.REASON, reason=Reason.NEVER_LOG)
    assert _uids(queries.page(fresh_db, never)) == [3]
    assert len(queries.page(fresh_db, PageQuery(folder_id=inbox))) == 3


def test_search_by_subject_name_and_address(
    fresh_db: sqlite3.Connection, filled: tuple[int, int], account: Account
) -> None:
    everywhere = PageQuery(account_id=account.id, sort=Sort.SUBJECT, descending=False)
    for text, expected in [("quote", 2), ("léa", 1), ("lea@initech", 2), ("%", 0), ("zzz", 0)]:
        q = PageQuery(account_id=account.id, search=text)
        assert len(queries.page(fresh_db, q)) == expected, text
    rows = queries.page(fresh_db, everywhere)
    assert [r.subject for r in rows] == ["Hello there", "Offer", "Quote", "Re: Quote"]


def test_paging(fresh_db: sqlite3.Connection, filled: tuple[int, int]) -> None:
    inbox, _ = filled
    rows = queries.page(fresh_db, PageQuery(folder_id=inbox, limit=2, offset=1))
    assert [r.uid for r in rows] == [2, 1]
    assert rows[1].logged is True and rows[1].reason == "log_all_contact"
    assert rows[1].contacts == ("c-lea",)


def test_folder_counts(
    fresh_db: sqlite3.Connection, filled: tuple[int, int], account: Account
) -> None:
    inbox, sent = filled
    counts = queries.folder_counts(fresh_db, account.id)
    assert counts[inbox] == queries.Counts(3, 1, 2, 1, 0)
    assert counts[sent] == queries.Counts(1, 1, 0, 0, 0)


def test_message_record(fresh_db: sqlite3.Connection, filled: tuple[int, int]) -> None:
    inbox, _ = filled
    (row,) = queries.page(fresh_db, PageQuery(folder_id=inbox, search="Quote"))
    rowid = row.id
    record = queries.message_record(fresh_db, rowid)
    assert record is not None
    assert record.columns["subject"] == "Quote"
    assert record.columns["folder_role"] == "inbox"
    assert [a.raw for a in record.of("from")] == ["Léa Martin <lea@initech.example>"]
    assert queries.message_record(fresh_db, 12345) is None


@pytest.fixture
def sent(fresh_db: sqlite3.Connection, account: Account) -> dict[int, int]:
    """A Sent folder whose recipients are all kinds of address; uid -> row id."""
    f = cache.ensure_folder(fresh_db, account.id, folder_info("Sent", Folder.SENT))
    rows = [
        new(1, Folder.SENT, from_="mia@globex.example", to="Zoe Adams <zoe@initech.example>",
            cc="raj@globex.example, not an address", subject="one"),
        new(2, Folder.SENT, from_="mia@globex.example", to="ann@initech.example, Bo <bo@x.example>",
            bcc="Hidden Person <hidden@y.example>", subject="two"),
        new(3, Folder.SENT, from_="mia@globex.example", to="Broken <nope", subject="three"),
        new(4, Folder.SENT, from_="mia@globex.example", cc="carl@initech.example", subject="four"),
        new(5, Folder.SENT, from_="mia@globex.example", to="undisclosed-recipients:;",
            subject="five"),
    ]  # fmt: skip
    added = cache.insert_messages(fresh_db, f.id, 1, rows)
    return {int(m.id): rowid for rowid, m in added.items()}


def test_search_matches_recipient_emails_by_prefix_only(
    fresh_db: sqlite3.Connection, account: Account, sent: dict[int, int]
) -> None:
    def found(text: str) -> list[int]:
        return sorted(r.uid for r in queries.page(fresh_db, PageQuery(search=text)))

    assert found("zoe@initech") == [1]  # To
    assert found("RAJ@") == [1]  # Cc, any case
    assert found("hidden") == [2]  # Bcc, a plain word is an email prefix too
    assert found("carl@initech.example") == [4]
    assert found("initech.example") == []  # a prefix, not a substring (as the index did)
    assert found("Adams") == [] and found("Person") == []  # recipients' names: no
    assert found("not an") == [] and found("nope") == []  # unparseable ones match nothing
    assert found("mia@") == [1, 2, 3, 4, 5]  # the sender, by substring


def test_display_rows_first_to_and_recipient_count(
    fresh_db: sqlite3.Connection, account: Account, sent: dict[int, int]
) -> None:
    shown = views.display_rows(fresh_db, list(sent.values()))
    by_uid = {uid: shown[rowid] for uid, rowid in sent.items()}
    assert [(by_uid[u].first_to, by_uid[u].recipients) for u in sorted(by_uid)] == [
        ("Zoe Adams", 3),  # the name; the Cc count, unparseable or not
        ("ann@initech.example", 2),  # no name: the email; a Bcc does not count
        ("Broken", 1),  # an unparseable one's name
        (None, 1),  # Cc only
        (None, 0),  # a group with no address
    ]
    query = views.TableQuery(account_id=account.id, sort=views.Column.CORRESPONDENT)
    order = [r for r in views.ids(fresh_db, query)]
    uid_of = {rowid: uid for uid, rowid in sent.items()}
    assert [uid_of[r] for r in order] == [1, 3, 2, 5, 4]  # NULLs last when descending


def test_message_record_lists_every_address_in_order(
    fresh_db: sqlite3.Connection, account: Account, sent: dict[int, int]
) -> None:
    record = queries.message_record(fresh_db, sent[1])
    assert record is not None
    assert [(a.kind, a.email, a.name, a.raw) for a in record.addresses] == [
        ("from", "mia@globex.example", "", "mia@globex.example"),
        ("to", "zoe@initech.example", "Zoe Adams", "Zoe Adams <zoe@initech.example>"),
        ("cc", "raj@globex.example", "", "raj@globex.example"),
        ("cc", None, "", "not an address"),
    ]
    assert not {"to_list", "cc_list", "bcc_list"} & set(record.columns)
    three = queries.message_record(fresh_db, sent[3])
    assert three is not None and three.of("to") == (
        queries.AddressRecord("to", None, "Broken", "Broken <nope"),
    )
