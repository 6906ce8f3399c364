"""Migrations on fresh databases: applied once, recorded, transactional, idempotent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.mailbox import NewMessage
from core.rules.model import Message
from core.store import cache, db, queries, schema, transaction
from core.store.engine_input import read_messages
from core.store.message_json import message_objects
from tests.store.builders import folder_info, new, stored


def test_fresh_memory_db_has_every_table_and_records_the_migration() -> None:
    conn = db.connect(":memory:")
    tables = set(db.database(conn).table_names())
    assert {
        "accounts",
        "folders",
        "messages",
        "links",
        "directory",
        "logged",
    } <= tables
    assert "addresses" not in tables  # packed into the message rows since 0300
    assert schema.applied(conn) == [name for name, _ in schema.MIGRATIONS]
    assert schema.applied(conn)[0] == "0001_initial"


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    db.connect(path).close()
    conn = db.connect(path)
    assert schema.migrate(conn) == []
    assert schema.applied(conn) == [name for name, _ in schema.MIGRATIONS]


def test_file_db_is_in_wal_mode(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "c.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_new_cache_has_big_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    """A new cache is made with ``PAGE_BYTES`` pages; a cache made with SQLite's default
    (4 KiB) keeps them, migrated all the same. Either checkpoints its WAL by the same bytes."""
    new_cache = db.connect(tmp_path / "new.sqlite")
    old_path = tmp_path / "old.sqlite"
    made = sqlite3.connect(old_path)
    made.execute("CREATE TABLE before_mailscope (x)")  # a file exists with SQLite's default
    made.close()
    old_cache = db.connect(old_path)
    for conn, page in ((new_cache, db.PAGE_BYTES), (old_cache, 4096)):
        assert conn.execute("PRAGMA page_size").fetchone()[0] == page
        checkpoint = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        assert checkpoint == db.CHECKPOINT_BYTES // page == db.pages(conn, db.CHECKPOINT_BYTES)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert schema.applied(old_cache) == schema.applied(new_cache)
    new_cache.close()
    old_cache.close()
    reopened = db.connect(tmp_path / "new.sqlite")
    assert reopened.execute("PRAGMA page_size").fetchone()[0] == db.PAGE_BYTES
    reopened.close()


def test_a_failing_migration_leaves_no_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, ("0002_broken", broken)))
    conn = sqlite3.connect(":memory:", isolation_level=None)
    with pytest.raises(RuntimeError):
        schema.migrate(conn)
    assert schema.applied(conn) == [name for name, _ in schema.MIGRATIONS[:-1]]
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names


def test_home_follows_mailscope_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MAILSCOPE_HOME", str(tmp_path))
    assert db.default_path() == tmp_path / "mailscope.sqlite"
    monkeypatch.delenv("MAILSCOPE_HOME")
    assert db.default_path().name == "mailscope.sqlite"
    assert db.default_path().parent != tmp_path


def test_write_rolls_back_on_error() -> None:
    conn = db.connect(":memory:")
    with pytest.raises(ValueError), transaction.write(conn):
        conn.execute("INSERT INTO accounts (name, kind, created_at) VALUES ('a', 'mbox', 0)")
        raise ValueError
    assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0
    assert not conn.in_transaction


# The message columns and the address rows as the writer stored them before 0300.
_OLD_COLUMNS = (  # in the order of cache.row, which writes them
    "folder_id, uidvalidity, uid, flags, internaldate, size, date, sort_date, from_raw,"
    " from_email, from_name, subject, subject_key, message_id, in_reply_to, refs, flagged_parse,"
    " gm_msgid, gm_thrid, date_raw, list_id, list_unsubscribe, precedence, auto_submitted"
)


def _old_address_rows(rowid: int, message: Message) -> list[tuple[object, ...]]:
    groups = ((message.sender,) if message.sender else (), message.to, message.cc, message.bcc)
    return [
        (rowid, kind, position, a.email, a.name, a.raw if a.email is None else None)
        for kind, addresses in enumerate(groups)
        for position, a in enumerate(addresses)
    ]


def _old_records(conn: sqlite3.Connection, rowid: int) -> list[queries.AddressRecord]:
    kinds = ("from", "to", "cc", "bcc")
    return [
        queries.AddressRecord(kinds[k], e, n, r or (f"{n} <{e}>" if n else e))
        for k, e, n, r in conn.execute(
            "SELECT kind, email, name, raw FROM addresses WHERE message = ?"
            " ORDER BY kind, position",
            (rowid,),
        )
    ]


def _old_cache(path: Path, monkeypatch: pytest.MonkeyPatch, rows: list[NewMessage]) -> list[int]:
    """A cache built by the migrations before 0300 and the writer of then; its row ids."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])
        conn = db.connect(path)
    assert "0300_packed_addresses" not in schema.applied(conn)
    # The accounts table of then (before 0400 added email and auth).
    account_id = conn.execute(
        "INSERT INTO accounts (name, kind, path, created_at) VALUES ('old', 'maildir',"
        " '/nowhere', 0)"
    ).lastrowid
    assert account_id is not None
    f = cache.ensure_folder(conn, account_id, folder_info())
    marks = ",".join("?" * len(_OLD_COLUMNS.split(",")))
    ids: list[int] = []
    for n in rows:
        values = cache.row(f.id, 1, n)[:-4]  # without the packed columns and bulk, at the end
        cursor = conn.execute(f"INSERT INTO messages ({_OLD_COLUMNS}) VALUES ({marks})", values)
        assert cursor.lastrowid is not None
        ids.append(cursor.lastrowid)
        conn.executemany(
            "INSERT INTO addresses VALUES (?, ?, ?, ?, ?, ?)",
            _old_address_rows(cursor.lastrowid, n.message),
        )
    conn.close()
    return ids


def test_0300_packs_the_addresses_of_an_existing_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite"
    rows = [
        new(1, from_="Léa Martin <LEA@initech.example>", to="mia@globex.example, bad address",
            cc='Sam <sam@x.example>, "Q, R" <q@r.example>, <>', bcc="b@y.example",
            subject="Quote", message_id="<1@x>", date="Mon, 7 Oct 2024 09:00:00 +0000"),
        new(2, from_="Bob <not an address", subject="no recipients"),
        new(3, from_="x@y.example", to="undisclosed-recipients:;",
            bcc="=?utf-8?q?L=C3=A9a?= <l@x>"),
    ]  # fmt: skip
    ids = _old_cache(path, monkeypatch, rows)
    conn = db.connect(path)  # applies 0300
    assert "0300_packed_addresses" in schema.applied(conn)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "addresses" not in names and "addresses_by_email" not in names
    # The engine reads back what the sync built, the unparseable addresses' raw text kept.
    loaded = read_messages(conn, "1")
    for rowid, n in zip(ids, rows, strict=True):
        assert loaded[rowid] == stored(n.message, rowid)
    assert loaded[ids[0]].to[1].raw == "bad address" and loaded[ids[0]].cc[2].raw == "<>"
    packed = conn.execute("SELECT to_list, cc_list, bcc_list FROM messages ORDER BY id")
    assert [tuple(v is None for v in r) for r in packed] == [
        (False, False, False),
        (True, True, True),
        (True, True, False),
    ]
    objects = list(message_objects(conn, None, None))
    assert objects[0]["to"] == ["mia@globex.example", "bad address"]
    assert objects[0]["cc"] == ["Sam <sam@x.example>", "Q, R <q@r.example>", "<>"]
    assert objects[1]["to"] == objects[1]["cc"] == objects[2]["to"] == []


def test_0300_keeps_every_address_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``message_record`` gives the same addresses after the migration as the table did."""
    path = tmp_path / "old.sqlite"
    rows = [
        new(1, from_="Léa <lea@x.example>", to="a@x.example, bad, B <b@x.example>",
            cc="c@x.example", bcc="Dee <d@x.example>, also bad"),
        new(2, from_="no address here", to="<>"),
        new(3, to="t@x.example"),  # no From at all
    ]  # fmt: skip
    ids = _old_cache(path, monkeypatch, rows)
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])
        old = db.connect(path)
    before = {i: _old_records(old, i) for i in ids}
    old.close()
    conn = db.connect(path)
    for i in ids:
        record = queries.message_record(conn, i)
        assert record is not None
        assert list(record.addresses) == before[i]
        assert "to_list" not in record.columns
    assert [len(before[i]) for i in ids] == [7, 2, 1]
