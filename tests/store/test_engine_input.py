"""One reader and one order for every caller that feeds cached rows to the engine."""

from __future__ import annotations

import sqlite3

from core.preview import loading
from core.rules.addresses import Address
from core.rules.model import Folder, Message
from core.store import cache, redecide
from core.store.accounts import Account
from core.store.engine_input import account_messages, input_order
from tests.helpers.statements import recorded
from tests.store.builders import folder_info, new, stored

SYNCED: dict[int, Message] = {}  # what the sync built from the headers, by row id
DATE = "Mon, 02 Feb 2026 10:00:00 +0000"  # one date for all: only the input order breaks ties


def _fill(conn: sqlite3.Connection, account: Account) -> dict[int, str]:
    """Folders synced in an order unlike the engine's; returns row id -> folder name."""
    names: dict[int, str] = {}
    SYNCED.clear()
    layout = [("Archive", Folder.ARCHIVE), ("Sent", Folder.SENT), ("INBOX", Folder.INBOX),
              ("Zeta", Folder.OTHER), ("Alpha", Folder.OTHER)]  # fmt: skip
    for n, (name, role) in enumerate(layout):
        state = cache.ensure_folder(conn, account.id, folder_info(name, role))
        rows = [
            new(uid, role, from_=f"p{uid}@x.example", to="a@y.example, B <b@y.example>",
                cc="bad address", subject=f"s{n}", date=DATE, message_id=f"<{n}.{uid}@x>")
            for uid in (3, 1, 2)
        ]  # fmt: skip
        if role is Folder.INBOX:  # an unparseable sender, written addresses, no From at all
            rows += [
                new(4, role, from_="Bob <not an address", to='"Lea, M" <LEA@Y.example>',
                    bcc="=?utf-8?q?J=C3=A9r=C3=B4me?= <j@y.example>, <>", date=DATE),
                new(5, role, cc="c@y.example", date=DATE),
            ]  # fmt: skip
        for rowid, message in cache.insert_messages(conn, state.id, 7, rows).items():
            names[rowid] = name
            SYNCED[rowid] = message
    return names


def test_input_order_is_role_name_uid(fresh_db: sqlite3.Connection, account: Account) -> None:
    names = _fill(fresh_db, account)
    ordered = [
        (names[int(r[0])], int(r[1]))
        for r in fresh_db.execute(
            "SELECT x.id, x.uid FROM messages x JOIN folders y ON y.id = x.folder_id"
            f" ORDER BY {input_order('x', 'y')}"
        )
    ]
    folders = ["INBOX", "Sent", "Archive", "Alpha", "Zeta"]
    uids = {"INBOX": (1, 2, 3, 4, 5)}
    assert ordered == [(name, uid) for name in folders for uid in uids.get(name, (1, 2, 3))]


def test_every_reader_gives_the_same_messages_in_the_same_order(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    _fill(fresh_db, account)
    simulated = account_messages(fresh_db, account.id)
    assert loading.account_messages is account_messages  # the simulation reads the same way
    # The settle's order and its rebuilt messages.
    settle_order = [row.id for row in redecide.ordered(fresh_db, account.id)]
    loaded = redecide.load_messages(fresh_db, settle_order)
    assert [m.id for m in simulated] == [str(i) for i in settle_order]
    assert simulated == [loaded[i] for i in settle_order]
    # The re-decision of an affected set (explain, Log now): same order; one row read alone
    # (Log now, a draft) is the same message.
    affected = redecide.ordered(fresh_db, account.id, set(settle_order))
    assert [row.id for row in affected] == settle_order
    assert [redecide.load_message(fresh_db, i) for i in settle_order] == simulated
    # What the sync built from the headers equals what is read back (unparseable addresses
    # with their raw text), a valid address's raw text rebuilt from its name and email.
    assert sum(1 for m in simulated if m.cc and m.cc[0].email is None) == 15
    assert simulated == [stored(SYNCED[i], i) for i in settle_order]
    odd = simulated[3]
    assert odd.sender == Address(None, "Bob", "Bob <not an address")
    assert odd.to == (Address("lea@y.example", "Lea, M", "Lea, M <lea@y.example>"),)
    assert odd.bcc[0].name == "Jérôme" and odd.bcc[1] == Address(None, "", "<>")
    assert simulated[4].sender is None and simulated[4].from_raw is None


def test_equal_addresses_and_lists_are_one_object(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    _fill(fresh_db, account)
    simulated = account_messages(fresh_db, account.id)
    assert len({id(m.to) for m in simulated if m.to}) == 2  # two different To lists in all
    assert len({id(m.cc[0]) for m in simulated if m.cc}) == 2  # "bad address", c@y.example


def test_a_whole_account_is_read_folder_by_folder_without_a_sort(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    """``ordered`` of a whole account reads each folder in UID order from the unique index
    (folder, UIDVALIDITY, UID): no statement on the messages sorts them (100,000 rows: 0.03 s,
    not 0.07); only the account's few folders are."""
    _fill(fresh_db, account)
    with recorded(fresh_db) as seen:
        whole = redecide.ordered(fresh_db, account.id, with_stored=False)
    assert whole == redecide.ordered(fresh_db, account.id, {r.id for r in whole}, False)
    reads = [sql for sql in seen if "FROM messages" in sql]  # not the folders' own sort
    plans = [
        str(step[-1]) for sql in reads for step in fresh_db.execute(f"EXPLAIN QUERY PLAN {sql}")
    ]
    assert len(reads) == 15 and not [p for p in plans if "TEMP B-TREE" in p], plans


def test_a_folder_holding_two_uidvalidities_keeps_the_input_order(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    """A reset cut short leaves rows of two UIDVALIDITYs in a folder: sorted by UID then,
    as ``input_order`` sorts the same rows named."""
    _fill(fresh_db, account)
    inbox = cache.ensure_folder(fresh_db, account.id, folder_info("INBOX", Folder.INBOX))
    cache.insert_messages(fresh_db, inbox.id, 6, [new(uid, Folder.INBOX) for uid in (2, 9, 0)])
    for with_stored in (True, False):
        whole = redecide.ordered(fresh_db, account.id, with_stored=with_stored)
        assert whole == redecide.ordered(fresh_db, account.id, {r.id for r in whole}, with_stored)
    uids = dict(fresh_db.execute("SELECT id, uid FROM messages WHERE folder_id = ?", (inbox.id,)))
    assert [uids[r.id] for r in whole if r.id in uids] == [0, 1, 2, 2, 3, 4, 5, 9]
