"""The settle's background writer: same verdicts as writing inline, errors reach the caller."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

import resources.demo as demo
from core import workspace
from core.store import bulk, counts, settle_writer, verdicts

_QUERY = (
    "SELECT f.name, m.uid, m.logged, m.reason, m.rule, m.contacts, m.attributed_to,"
    " m.attribution, m.decided_at IS NOT NULL FROM messages m"
    " JOIN folders f ON f.id = m.folder_id ORDER BY f.name, m.uid"
)


def _demo(path: Path) -> list[tuple[object, ...]]:
    conn, account = workspace.open_demo(demo, path)
    workspace.sync_demo(conn, account)
    assert bulk.missing(conn) == []
    return conn.execute(_QUERY).fetchall()


@pytest.mark.parametrize("deferred", [False, True])
def test_the_background_writer_stores_what_the_inline_path_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deferred: bool
) -> None:
    inline = _demo(tmp_path / "inline.sqlite")
    monkeypatch.setattr(verdicts, "BACKGROUND_ROWS", 1)
    monkeypatch.setattr(settle_writer, "CHUNK", 7)  # many chunks, and a short last one
    monkeypatch.setattr(bulk, "MIN_ROWS", 1 if deferred else 10**9)
    background = _demo(tmp_path / "background.sqlite")
    assert background == inline and len(inline) >= 300


def test_a_writer_failure_reaches_the_caller_and_the_next_settle_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verdicts, "BACKGROUND_ROWS", 1)
    monkeypatch.setattr(settle_writer, "CHUNK", 50)
    conn, account = workspace.open_demo(demo, tmp_path / "cache.sqlite")
    calls = 0
    real = verdicts.values

    def full_disk(*args: object, **kwargs: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise sqlite3.OperationalError("database or disk is full")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(verdicts, "values", full_disk)
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        workspace.sync_demo(conn, account)
    undecided = conn.execute("SELECT count(*) FROM messages WHERE decided_at IS NULL")
    assert undecided.fetchone()[0] > 0  # the chunks after the failure were not written
    # The sync built its deferred indexes anyway; the counts' triggers, dropped while the
    # verdicts were written, are not there: the counts are read from the rows meanwhile.
    assert bulk.missing(conn) == [counts.NAME] and not counts.kept(conn)
    monkeypatch.setattr(verdicts, "values", real)
    verdicts.settle(conn, account)
    assert bulk.missing(conn) == []  # the next settle counted them again
    assert conn.execute(_QUERY).fetchall() == _demo(tmp_path / "clean.sqlite")


def test_the_gil_changes_hands_faster_while_writers_run(tmp_path: Path) -> None:
    """The switch interval is SWITCH while any writer runs, overlapping ones too, and the
    process's own after the last, however each ended (a failed writer is finished by the
    ``submit`` that finds its error, then abandoned by its caller)."""
    before = sys.getswitchinterval()
    conn = sqlite3.connect(tmp_path / "cache.sqlite")
    # In WAL mode, as every cache is: two writers opening a file in rollback mode at once
    # would both turn it to WAL, and one of them may be refused at once ("locked").
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.commit()
    first = settle_writer.Writer(str(tmp_path / "cache.sqlite"))
    second = settle_writer.Writer(str(tmp_path / "cache.sqlite"))
    assert sys.getswitchinterval() == settle_writer.SWITCH
    first.submit(lambda c: c.execute("INSERT INTO t VALUES (1)"))
    first.finish()
    assert sys.getswitchinterval() == settle_writer.SWITCH  # the second still runs

    def fail(c: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    second.submit(fail)
    with pytest.raises(sqlite3.OperationalError):
        second.finish()
    second.abandon()
    assert sys.getswitchinterval() == before
    assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]


@pytest.mark.parametrize("checkpoint", ["none", "idle", "failing"])
def test_the_writer_leaves_the_wal_to_the_caller_who_copies_it_while_waiting(
    tmp_path: Path, checkpoint: str
) -> None:
    """The writer does not checkpoint (below ``WAL_BYTES``): ``finish`` copies the WAL into
    the database on the caller's idle connection, beside the last jobs and after them; a
    checkpoint that fails (here, on a closed connection) leaves the WAL to the next one."""
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x BLOB)")
    closed = sqlite3.connect(":memory:")
    closed.close()
    seen: list[int] = []
    writer = settle_writer.Writer(str(path))
    writer.submit(lambda c: seen.append(c.execute("PRAGMA wal_autocheckpoint").fetchone()[0]))
    for _ in range(4):  # ~2 MB in the WAL
        writer.submit(lambda c: c.executemany("INSERT INTO t VALUES (zeroblob(4000))", [()] * 125))
    writer.finish(checkpoint={"none": None, "idle": conn, "failing": closed}[checkpoint])
    assert seen == [settle_writer.WAL_BYTES // 4096]  # a file made with SQLite's default pages
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 500
    copied = path.stat().st_size > 2_000_000  # else the rows are still in the WAL only
    assert copied == (checkpoint == "idle")
    conn.close()
