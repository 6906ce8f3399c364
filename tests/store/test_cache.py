"""Writing rows: batches, duplicates, flags, expunges, UIDVALIDITY resets."""

from __future__ import annotations

import sqlite3

from core.rules.addresses import Address
from core.rules.model import Folder
from core.store import cache, verdicts
from core.store.accounts import Account
from core.store.packed import unpack
from tests.store.builders import folder_info, new


def _uids(conn: sqlite3.Connection, folder_id: int) -> list[int]:
    return sorted(cache.cached_flags(conn, folder_id, 1))


def test_insert_stores_parsed_fields_and_packed_recipients(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    f = cache.ensure_folder(fresh_db, account.id, folder_info())
    row = new(
        7,
        flags=("\\Seen",),
        from_="Léa Martin <LEA@Initech.example>",
        to="mia@globex.example, bad address",
        subject="=?utf-8?q?Devis_=C3=A9t=C3=A9?=",
        message_id="<a@x>",
        date="Tue, 1 Oct 2024 10:00:00 +0000",
    )
    assert len(cache.insert_messages(fresh_db, f.id, 1, [row])) == 1
    r = fresh_db.execute(
        "SELECT uid, flags, from_email, from_name, subject, message_id, date, flagged_parse"
        " FROM messages"
    ).fetchone()
    assert r == (
        7,
        "\\Seen",
        "lea@initech.example",
        "Léa Martin",
        "Devis été",
        "<a@x>",
        1727776800.0,
        "to",
    )
    lists = fresh_db.execute("SELECT to_list, cc_list, bcc_list FROM messages").fetchone()
    assert lists == ("\x1fmia@globex.example\x1e\x1f\x1dbad address", None, None)
    assert unpack(lists[0]) == (
        Address("mia@globex.example", "", "mia@globex.example"),
        Address(None, "", "bad address"),
    )


def test_replayed_batch_adds_nothing(fresh_db: sqlite3.Connection, account: Account) -> None:
    f = cache.ensure_folder(fresh_db, account.id, folder_info())
    batch = [new(u, from_="a@x.example", message_id=f"<{u}@x>") for u in (1, 2, 3)]
    assert len(cache.insert_messages(fresh_db, f.id, 5, batch)) == 3
    assert cache.insert_messages(fresh_db, f.id, 5, batch) == {}
    assert fresh_db.execute("SELECT count(*) FROM messages").fetchone()[0] == 3
    assert cache.max_uid(fresh_db, f.id, 5) == 3


def test_flags_change_only_what_differs(fresh_db: sqlite3.Connection, account: Account) -> None:
    f = cache.ensure_folder(fresh_db, account.id, folder_info())
    cache.insert_messages(fresh_db, f.id, 1, [new(1, flags=("\\Seen",)), new(2)])
    assert cache.set_flags(fresh_db, f.id, 1, [(1, "\\Seen"), (2, "\\Flagged")]) == 1
    assert cache.cached_flags(fresh_db, f.id, 1) == {1: "\\Seen", 2: "\\Flagged"}
    assert cache.set_flags(fresh_db, f.id, 2, [(1, "")]) == 0  # another UIDVALIDITY: not ours


def test_remove_uids_unsettles_linked_messages(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    f = cache.ensure_folder(fresh_db, account.id, folder_info())
    cache.insert_messages(
        fresh_db,
        f.id,
        1,
        [
            new(1, from_="a@x.example", message_id="<root@x>"),
            new(2, from_="b@x.example", message_id="<r@x>", in_reply_to="<root@x>"),
            new(3, from_="c@x.example", message_id="<other@x>"),
        ],
    )
    assert fresh_db.execute("SELECT count(*) FROM links").fetchone() == (0,)  # not yet
    verdicts.settle(fresh_db, account)  # deciding writes the links first
    assert fresh_db.execute("SELECT count(*) FROM links").fetchone() == (4,)  # root, r, other
    assert cache.remove_uids(fresh_db, f.id, 2, [1]) == 0  # another UIDVALIDITY
    assert cache.remove_uids(fresh_db, f.id, 1, [1, 99]) == 1
    undecided = fresh_db.execute("SELECT uid FROM messages WHERE decided_at IS NULL").fetchall()
    assert undecided == [(2,)]
    assert _uids(fresh_db, f.id) == [2, 3]


def test_reset_folder_drops_rows_keeps_ledger(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    f = cache.ensure_folder(fresh_db, account.id, folder_info("Sent", Folder.SENT))
    cache.insert_messages(fresh_db, f.id, 1, [new(1, message_id="<m@x>")])
    fresh_db.execute(
        "INSERT INTO logged (account_id, message_id) VALUES (?, '<m@x>')", (account.id,)
    )
    cache.reset_folder(fresh_db, f.id, 2, resets=1)
    assert cache.count_messages(fresh_db, f.id) == 0
    assert fresh_db.execute("SELECT count(*) FROM logged").fetchone()[0] == 1
    state = cache.folder(fresh_db, f.id)
    assert (state.uidvalidity, state.resets, state.role) == (2, 1, Folder.SENT)


def test_save_folder_state_writes_only_on_change(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    f = cache.ensure_folder(fresh_db, account.id, folder_info())
    assert cache.save_folder_state(fresh_db, f.id, uidvalidity=1, uidnext=5, highestmodseq=9)
    before = fresh_db.total_changes
    assert not cache.save_folder_state(fresh_db, f.id, uidvalidity=1, uidnext=5, highestmodseq=9)
    cache.ensure_folder(fresh_db, account.id, folder_info())
    assert fresh_db.total_changes == before


def test_removed_folder_goes_with_its_rows(fresh_db: sqlite3.Connection, account: Account) -> None:
    a = cache.ensure_folder(fresh_db, account.id, folder_info("A"))
    cache.ensure_folder(fresh_db, account.id, folder_info("B"))
    cache.insert_messages(fresh_db, a.id, 1, [new(1)])
    assert cache.remove_folders_except(fresh_db, account.id, ["B"]) == 1
    assert [f.name for f in cache.folders(fresh_db, account.id)] == ["B"]
    assert fresh_db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
