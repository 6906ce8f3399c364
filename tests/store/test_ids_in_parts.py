"""Issue 15: the table's ids read in two parts (the first page, then the rest) are exactly the
ids of one read, in the same order, for every scope, filter, search, sort and direction."""

from __future__ import annotations

import sqlite3
from itertools import chain

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rules.model import Folder
from core.store import cache, db, verdicts, views
from core.store.accounts import AccountKind, insert_account
from core.store.queries import Show
from core.store.views import Column, TableQuery
from tests.store.builders import folder_info, new

FOLDERS = (("INBOX", Folder.INBOX), ("Sent", Folder.SENT), ("Archive", Folder.ARCHIVE))
DAYS = ("Mon, 7 Oct 2024", "Tue, 8 Oct 2024", "Wed, 9 Oct 2024")  # few dates: many ties

mail = st.tuples(
    st.integers(0, len(FOLDERS) - 1),
    st.sampled_from(DAYS),
    st.sampled_from(("Quote", "Hello", "Re: quote for you", "")),
    st.sampled_from(("lea@initech.example", "boss@rival.example", "sam@nowhere.example")),
)


def _cache(mails: list[tuple[int, str, str, str]]) -> tuple[sqlite3.Connection, int, list[int]]:
    conn = db.connect(":memory:")
    account = insert_account(conn, "work", AccountKind.MAILDIR, path="/nowhere")
    folders = [cache.ensure_folder(conn, account.id, folder_info(n, r)) for n, r in FOLDERS]
    for uid, (where, day, subject, sender) in enumerate(mails, start=1):
        role = FOLDERS[where][1]
        message = new(uid, role, from_=sender, to="mia@globex.example", subject=subject,
                      date=f"{day} 09:00:00 +0000", message_id=f"<{uid}@x>")  # fmt: skip
        cache.insert_messages(conn, folders[where].id, 1, [message])
    verdicts.settle(conn, account)
    return conn, account.id, [f.id for f in folders]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(mail, max_size=30),
    st.sampled_from(list(Show)),
    st.sampled_from(("", "quote", "lea@")),
    st.sampled_from(list(Column)),
    st.booleans(),
    st.integers(1, 8),
)
def test_the_parts_joined_are_one_read(
    mails: list[tuple[int, str, str, str]],
    show: Show,
    search: str,
    sort: Column,
    descending: bool,
    head: int,
) -> None:
    conn, account_id, folder_ids = _cache(mails)
    for folder_id in (None, *folder_ids):
        query = TableQuery(account_id, folder_id, show, None, search, sort, descending)
        parts = [part for part, _more in views.ids_in_parts(conn, query, head)]
        mores = [more for _part, more in views.ids_in_parts(conn, query, head)]
        whole = views.ids(conn, query)
        assert list(chain.from_iterable(parts)) == list(whole)
        assert mores in ([False], [True, False])  # "more" said of every part but the last
        if len(parts) == 2:  # a rest (maybe empty) only after a full first page
            assert len(parts[0]) == head
        assert not conn.in_transaction  # the snapshot's transaction is over
    conn.close()


def test_a_large_folder_by_date_comes_in_two_parts() -> None:
    conn, account_id, _folders = _cache([(n % 3, DAYS[n % 2], "Quote", "lea@initech.example")
                                         for n in range(12)])  # fmt: skip
    parts = [p for p, _more in views.ids_in_parts(conn, TableQuery(account_id), 5)]
    assert [len(p) for p in parts] == [5, 7]
    by_subject = TableQuery(account_id, sort=Column.SUBJECT)  # sorted in memory: one read
    assert [len(p) for p, _more in views.ids_in_parts(conn, by_subject, 5)] == [12]
    conn.close()


def test_ties_across_folders_keep_the_order_of_one_read() -> None:
    """Same date in two folders: the merged first page breaks the tie by id, as one read."""
    mails = [
        (0, DAYS[0], "Quote", "lea@initech.example"),
        (1, DAYS[0], "Quote", "lea@x.example"),
        (0, DAYS[0], "Hello", "lea@initech.example"),
        (2, DAYS[1], "Quote", "sam@x.example"),
    ]
    conn, account_id, _folders = _cache(mails)
    for descending in (True, False):
        query = TableQuery(account_id, descending=descending)
        whole = list(views.ids(conn, query))
        for head in (1, 2, 3):
            parts = [p for p, _more in views.ids_in_parts(conn, query, head)]
            assert len(parts) == 2 and list(chain.from_iterable(parts)) == whole
    conn.close()
