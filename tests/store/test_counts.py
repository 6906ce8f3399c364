"""The folders' counts kept by triggers (issue 15) are the counts of the rows, whatever happens.

The reference is the general path: ``folder_counts`` over the rows themselves (what it reads
while a bulk load has the triggers dropped), asked inside a transaction that is rolled back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resources.demo as demo
from core import workspace
from core.rules.actions import NEEDS_ACTION_REASONS
from core.rules.model import Reason
from core.store import bulk, counts, db, schema, verdicts
from core.store.queries import Counts, folder_counts

REASONS = [None, *sorted(r.value for r in Reason)]
_verdict = st.one_of(
    st.just((None, None)),  # undecided
    st.tuples(st.sampled_from([0, 1]), st.sampled_from(REASONS)),
    st.tuples(st.just(0), st.sampled_from(sorted(NEEDS_ACTION_REASONS))),  # often needs action
)
_row = st.tuples(st.sampled_from([1, 2, 3]), _verdict, st.sampled_from([0, 1]))
_step = st.one_of(
    st.tuples(st.just("insert"), st.lists(_row, min_size=1, max_size=8)),
    st.tuples(st.just("decide"), st.integers(0, 40), _verdict),
    st.tuples(st.just("move"), st.integers(0, 40), st.sampled_from([1, 2, 3])),
    st.tuples(st.just("bulk"), st.integers(0, 40), st.sampled_from([0, 1])),
    st.tuples(st.just("delete"), st.integers(0, 40)),
    st.tuples(st.just("drop folder"), st.sampled_from([2, 3])),
    st.tuples(st.just("drop account"), st.just(2)),
)


def _cache(path: Path | str = ":memory:") -> sqlite3.Connection:
    conn = db.connect(path)
    conn.executemany(
        "INSERT INTO accounts (id, name, kind, created_at) VALUES (?, ?, 'imap', 0)",
        [(1, "work"), (2, "home")],
    )
    conn.executemany(
        "INSERT INTO folders (id, account_id, name, display, role) VALUES (?, ?, ?, ?, 'inbox')",
        [(1, 1, "INBOX", "Inbox"), (2, 1, "Archive", "Archive"), (3, 2, "INBOX", "Inbox")],
    )
    return conn


def _insert(
    conn: sqlite3.Connection, rows: list[tuple[int, tuple[int | None, str | None], int]]
) -> None:
    folders = {r[0] for r in conn.execute("SELECT id FROM folders")}
    (uid,) = conn.execute("SELECT coalesce(max(uid), 0) FROM messages").fetchone()
    conn.executemany(
        "INSERT INTO messages (folder_id, uidvalidity, uid, logged, reason, bulk)"
        " VALUES (?, 1, ?, ?, ?, ?)",
        [(f, uid + n + 1, *v, b) for n, (f, v, b) in enumerate(rows) if f in folders],
    )


def _nth(conn: sqlite3.Connection, n: int) -> int | None:
    ids = [i for (i,) in conn.execute("SELECT id FROM messages ORDER BY id")]
    return ids[n % len(ids)] if ids else None


def _apply(conn: sqlite3.Connection, step: tuple[object, ...]) -> None:
    kind, *args = step
    if kind == "insert":
        _insert(conn, args[0])  # type: ignore[arg-type]
    elif kind in ("drop folder", "drop account"):  # the rows go by the foreign keys' cascade
        table = "folders" if kind == "drop folder" else "accounts"
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (args[0],))
    elif (row := _nth(conn, args[0])) is not None:  # type: ignore[arg-type]
        if kind == "decide":
            logged, reason = args[1]  # type: ignore[misc]
            conn.execute(
                "UPDATE messages SET logged = ?, reason = ? WHERE id = ?", (logged, reason, row)
            )
        elif (
            kind == "move"
            and conn.execute("SELECT 1 FROM folders WHERE id = ?", (args[1],)).fetchone()
        ):
            conn.execute("UPDATE messages SET folder_id = ? WHERE id = ?", (args[1], row))
        elif kind == "bulk":
            conn.execute("UPDATE messages SET bulk = ? WHERE id = ?", (args[1], row))
        elif kind == "delete":
            conn.execute("DELETE FROM messages WHERE id = ?", (row,))


def _both(conn: sqlite3.Connection) -> tuple[dict[int, Counts], dict[int, Counts]]:
    """Per account: the kept counts, then the rows' own (triggers dropped, then rolled back)."""
    assert counts.kept(conn)
    kept = {a: folder_counts(conn, a) for a in (1, 2)}
    conn.execute("BEGIN")
    counts.stop(conn)
    assert not counts.kept(conn)
    scanned = {a: folder_counts(conn, a) for a in (1, 2)}
    conn.execute("ROLLBACK")
    return kept, scanned  # type: ignore[return-value]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_step, max_size=25))
def test_the_kept_counts_are_the_rows_counts_after_any_changes(
    steps: list[tuple[object, ...]],
) -> None:
    conn = _cache()
    for step in steps:
        _apply(conn, step)
        kept, scanned = _both(conn)
        assert kept == scanned


def test_what_the_counts_say_on_a_small_example() -> None:
    conn = _cache()
    rows = [(1, (None, None), 0), (1, (1, Reason.THREAD_REPLY.value), 0),
            (1, (0, Reason.NOT_A_CONTACT.value), 0), (1, (0, Reason.NEVER_LOG.value), 0),
            (2, (0, Reason.NOT_A_CONTACT.value), 1)]  # fmt: skip
    _insert(conn, rows)
    assert folder_counts(conn, 1) == {1: Counts(4, 1, 2, 1, 1), 2: Counts(1, 0, 1, 0, 0)}
    assert folder_counts(conn, 2) == {3: Counts(0, 0, 0, 0, 0)}
    conn.execute("UPDATE messages SET bulk = 1 WHERE folder_id = 1")  # a bulk mark alone
    assert folder_counts(conn, 1)[1] == Counts(4, 1, 2, 0, 1)  # quiets not_a_contact (section 7)
    conn.execute("UPDATE messages SET folder_id = 3 WHERE folder_id = 2")  # a folder alone
    assert folder_counts(conn, 1)[2] == Counts(0, 0, 0, 0, 0)
    assert folder_counts(conn, 2) == {3: Counts(1, 0, 1, 0, 0)}
    assert _both(conn)[0] == _both(conn)[1]


def test_a_bulk_load_drops_the_triggers_and_counts_once_at_its_end() -> None:
    conn = _cache()
    deferral = bulk.Deferral(conn, min_rows=10)
    assert deferral.begin(20)
    assert not counts.kept(conn) and counts.NAME in bulk.missing(conn)
    _insert(conn, [(1, (None, None), 0)] * 20)
    assert folder_counts(conn, 1)[1].undecided == 20  # counted from the rows meanwhile
    conn.execute("UPDATE messages SET logged = 0, reason = ? WHERE id <= 5", (Reason.NEVER_LOG,))
    size = conn.execute("PRAGMA cache_size").fetchone()
    deferral.end()
    assert counts.kept(conn) and bulk.missing(conn) == []
    assert conn.execute("PRAGMA cache_size").fetchone() == size  # the scan's small one is gone
    assert folder_counts(conn, 1)[1] == Counts(20, 0, 5, 0, 15)
    assert _both(conn)[0] == _both(conn)[1]


def test_a_load_killed_before_its_end_is_counted_by_the_next_connect(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    conn = db.connect(path)
    conn.execute("INSERT INTO accounts (id, name, kind, created_at) VALUES (1, 'w', 'imap', 0)")
    conn.execute(
        "INSERT INTO folders (id, account_id, name, display, role) VALUES (1, 1, 'I', 'I', 'inbox')"
    )
    assert bulk.Deferral(conn, min_rows=1).begin(5)
    _insert(conn, [(1, (1, Reason.THREAD_REPLY.value), 0)] * 5)
    conn.close()  # as a SIGKILL: end() never ran
    again = db.connect(path)
    assert counts.kept(again)
    assert folder_counts(again, 1) == {1: Counts(5, 5, 0, 0, 0)}


def test_migration_0550_counts_an_existing_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.sqlite"
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", [m for m in schema.MIGRATIONS if m[0] < "0550"])
        old = db.connect(path)
    assert not counts.kept(old) and not counts.lapsed(old)  # nothing to build before 0550
    assert bulk.missing(old) == []
    old.execute("INSERT INTO accounts (id, name, kind, created_at) VALUES (1, 'w', 'imap', 0)")
    old.execute(
        "INSERT INTO folders (id, account_id, name, display, role) VALUES (1, 1, 'I', 'I', 'inbox')"
    )
    _insert(old, [(1, (0, Reason.NOT_A_CONTACT.value), 0), (1, (None, None), 1)])
    before = folder_counts(old, 1)  # from the rows
    old.close()
    conn = db.connect(path)
    assert "0550_message_counts" in schema.applied(conn) and counts.kept(conn)
    assert folder_counts(conn, 1) == before == {1: Counts(2, 0, 1, 1, 1)}


def test_a_whole_account_decided_in_the_background_is_counted_once_at_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, account = workspace.open_demo(demo, tmp_path / "clean.sqlite")
    workspace.sync_demo(clean, account)
    monkeypatch.setattr(verdicts, "BACKGROUND_ROWS", 1)  # the writer's path, on the demo
    conn, account = workspace.open_demo(demo, tmp_path / "cache.sqlite")
    workspace.sync_demo(conn, account)
    conn.execute("UPDATE messages SET logged = 0, reason = 'never_log' WHERE id % 3 = 0")
    assert folder_counts(conn, account.id) != folder_counts(clean, account.id)
    stops: list[int] = []
    real_stop = counts.stop
    monkeypatch.setattr(counts, "stop", lambda c: stops.append(1) or real_stop(c))
    assert verdicts.settle(conn, account, everything=True).changed > 0
    assert stops and counts.kept(conn)  # dropped while the verdicts were written, then counted
    assert folder_counts(conn, account.id) == folder_counts(clean, account.id)
    assert _both(conn)[0] == _both(conn)[1]


_VERDICTS = [(None, None), (1, None), (0, Reason.NOT_A_CONTACT.value), (0, Reason.NEVER_LOG.value)]


def test_a_bulk_loads_count_is_read_beside_its_index_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count a bulk load ends with is read by a second connection while the indexes are
    built, and is the transaction's own: no other writer commits while it holds the lock."""
    conn = _cache(tmp_path / "cache.sqlite")
    deferral = bulk.Deferral(conn, min_rows=1)
    assert deferral.begin(1)
    _insert(conn, [(f, v, b) for f in (1, 2, 3) for v in _VERDICTS for b in (0, 1)] * 3)
    read: list[object] = []
    real = counts.Beside

    class Spy(real):  # type: ignore[misc, valid-type]
        def rows(self) -> list[tuple[object, ...]] | None:
            found = super().rows()
            read.append(found)
            return found

    monkeypatch.setattr(counts, "Beside", Spy)
    deferral.end()
    assert read and read[0] is not None  # read beside, not by the transaction
    kept, scanned = _both(conn)
    assert kept == scanned
    assert sum(c.total for c in kept[1].values()) == 2 * 2 * 3 * len(_VERDICTS)  # two folders


def test_a_count_that_cannot_be_read_beside_is_read_by_the_transaction(tmp_path: Path) -> None:
    assert counts.Beside(str(tmp_path / "nowhere" / "cache.sqlite")).rows() is None
    assert counts.Beside("").rows() is None
    conn = _cache()  # in memory: no second connection, the indexes and the count as before
    assert bulk.Deferral(conn, min_rows=1).begin(1)
    _insert(conn, [(1, (1, None), 0), (3, (0, Reason.NOT_A_CONTACT.value), 1)])
    bulk.restore(conn)
    kept, scanned = _both(conn)
    assert kept == scanned and bulk.missing(conn) == []
