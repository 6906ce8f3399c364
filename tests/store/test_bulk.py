"""Bulk loads: the deferred indexes are dropped for a big first fill and always come back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.store import bulk, db


def _indexes(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql NOT NULL")
    return dict(rows.fetchall())


def test_the_deferred_sql_is_the_migrations_own() -> None:
    conn = db.connect(":memory:")
    made = _indexes(conn)
    for name, sql in bulk.DEFERRED.items():
        assert made[name] == sql  # a migration that changes one must change it here too


def _fill(conn: sqlite3.Connection, count: int) -> None:
    conn.execute("INSERT INTO accounts (name, kind, created_at) VALUES ('a', 'imap', 0)")
    conn.execute(
        "INSERT INTO folders (account_id, name, display, role) VALUES (1, 'I', 'I', 'inbox')"
    )
    conn.executemany(
        "INSERT INTO messages (folder_id, uidvalidity, uid, message_id) VALUES (1, 1, ?, ?)",
        [(n, f"<{n}@x>") for n in range(1, count + 1)],
    )


def test_a_big_load_into_an_empty_cache_defers_then_rebuilds() -> None:
    conn = db.connect(":memory:")
    deferral = bulk.Deferral(conn, min_rows=10)
    assert deferral.begin(10)
    assert bulk.missing(conn) == list(bulk.NAMES)
    _fill(conn, 10)
    deferral.end()
    assert bulk.missing(conn) == []
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE message_id = '<3@x>'"
    ).fetchall()
    assert "messages_by_message_id" in str(plan)


def test_small_loads_and_loads_into_a_full_cache_keep_their_indexes() -> None:
    conn = db.connect(":memory:")
    assert not bulk.Deferral(conn, min_rows=10).begin(9)
    _fill(conn, 30)
    assert not bulk.Deferral(conn, min_rows=10).begin(20)  # the cache holds more already
    assert bulk.missing(conn) == []


def test_a_load_killed_with_its_indexes_dropped_gets_them_back_on_connect(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache.sqlite"
    conn = db.connect(path)
    assert bulk.Deferral(conn, min_rows=1).begin(5)
    conn.close()  # as a SIGKILL: end() never ran
    assert bulk.missing(sqlite3.connect(path)) == list(bulk.NAMES)
    assert bulk.missing(db.connect(path)) == []


def test_a_failed_load_leaves_rebuilding_to_the_next_connect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = db.connect(tmp_path / "cache.sqlite")

    def disk_full(conn: sqlite3.Connection) -> list[str]:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(bulk, "restore", disk_full)
    failed = bulk.Deferral(conn, min_rows=1)
    assert failed.begin(5)
    failed.end(failed=True)  # the load's own error stays the one reported
    assert not failed.active
    finished = bulk.Deferral(conn, min_rows=1)
    assert finished.begin(5)
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        finished.end()  # after a load that went well, the error is the news
    monkeypatch.undo()
    assert bulk.missing(db.connect(tmp_path / "cache.sqlite")) == []


def test_a_big_load_keeps_the_flags_index_whose_entries_append(tmp_path: Path) -> None:
    """``messages_flags`` is kept through a bulk load; a cache whose load an earlier version
    cut short with it dropped gets it back from a migration."""
    path = tmp_path / "cache.sqlite"
    conn = db.connect(path)
    assert bulk.Deferral(conn, min_rows=1).begin(5)
    assert "messages_flags" in _indexes(conn)
    conn.execute("DROP INDEX messages_flags")  # as an earlier version's load, killed
    conn.execute("DELETE FROM migrations WHERE name = '0560_flags_index_kept'")
    conn.close()
    assert "messages_flags" in _indexes(db.connect(path))
