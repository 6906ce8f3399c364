"""Migrations on fresh databases: applied once, recorded, transactional, idempotent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.store import db, schema


def test_fresh_memory_db_has_every_table_and_records_the_migration() -> None:
    conn = db.connect(":memory:")
    tables = set(db.database(conn).table_names())
    assert {
        "accounts",
        "folders",
        "messages",
        "addresses",
        "links",
        "directory",
        "logged",
    } <= tables
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
    with pytest.raises(ValueError), db.write(conn):
        conn.execute("INSERT INTO accounts (name, kind, created_at) VALUES ('a', 'mbox', 0)")
        raise ValueError
    assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0
    assert not conn.in_transaction
