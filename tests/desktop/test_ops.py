"""The one background pattern (``desktop.ops``): where each op runs, in what order, what comes
back to the GUI thread and what is dropped."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.store import db
from desktop.ops import CollectionOp, NetworkOp, QueryOp, Tasks


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "c.sqlite"
    conn = db.connect(path)
    conn.execute("CREATE TABLE t (n INTEGER)")
    conn.close()
    return path


@pytest.fixture
def tasks(qtbot, cache: Path) -> Iterator[Tasks]:  # type: ignore[no-untyped-def]
    made = Tasks(cache)
    yield made
    made.stop()


def _here(conn: sqlite3.Connection) -> tuple[int, int]:
    return threading.get_ident(), id(conn)


def test_cache_ops_run_in_order_on_one_thread_with_one_connection(qtbot, tasks: Tasks) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []
    order: list[int] = []
    for n in range(5):
        QueryOp(
            tasks, _here, lambda found, n=n: (seen.append(found), order.append(n))
        ).run_in_background()
    qtbot.waitUntil(lambda: len(seen) == 5)
    assert order == [0, 1, 2, 3, 4]
    assert len(set(seen)) == 1  # one thread, one connection
    assert seen[0][0] != threading.get_ident()  # not the GUI thread
    assert not tasks.busy()


def test_a_collection_op_changes_the_cache_and_says_so(qtbot, tasks: Tasks, cache: Path) -> None:  # type: ignore[no-untyped-def]
    def insert(conn: sqlite3.Connection) -> int:
        conn.execute("INSERT INTO t VALUES (7)")
        return 1

    done: list[int] = []
    op = CollectionOp(tasks, insert).success(done.append)
    with qtbot.waitSignal(tasks.changed) as changed:
        op.run_in_background()
    assert done == [1] and changed.args == [1]
    conn = db.connect(cache)
    assert conn.execute("SELECT n FROM t").fetchall() == [(7,)]
    conn.close()


def test_a_failure_reaches_its_callback_and_a_bug_reaches_qt(qtbot, tasks: Tasks) -> None:  # type: ignore[no-untyped-def]
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("SELECT nothing FROM nowhere")

    errors: list[Exception] = []
    CollectionOp(tasks, broken).failure(errors.append).run_in_background()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], sqlite3.OperationalError)
    with qtbot.captureExceptions() as raised:
        QueryOp(tasks, broken, lambda _: None).run_in_background()
        qtbot.waitUntil(lambda: bool(raised))
    assert isinstance(raised[0][1], sqlite3.OperationalError)


def test_the_latest_op_of_a_key_supersedes_the_older_ones(qtbot, tasks: Tasks) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    started: list[str] = []
    answers: list[str] = []

    def op(name: str):  # type: ignore[no-untyped-def]
        def read(conn: sqlite3.Connection) -> str:
            started.append(name)
            if name == "first":
                release.wait(10)
            return name

        return read

    QueryOp(tasks, op("first"), answers.append).latest("k").run_in_background()
    qtbot.waitUntil(lambda: started == ["first"])
    for name in ("second", "third"):
        QueryOp(tasks, op(name), answers.append).latest("k").run_in_background()
    QueryOp(tasks, op("other key"), answers.append).latest("j").run_in_background()
    assert tasks.busy("k")
    release.set()
    qtbot.waitUntil(lambda: not tasks.busy())
    assert started == ["first", "third", "other key"]  # "second" never started
    assert answers == ["third", "other key"]  # "first" answered too late: dropped


def test_network_work_runs_beside_the_database_reports_and_cancels(qtbot, tasks: Tasks) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    QueryOp(tasks, lambda conn: release.wait(10), lambda _: None).run_in_background()
    reports: list[object] = []
    threads: list[int] = []

    def watch(report, cancel: threading.Event) -> str:  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        report("watching")
        cancel.wait(10)
        return "cancelled" if cancel.is_set() else "timed out"

    results: list[str] = []
    running = NetworkOp(tasks, watch).progress(reports.append).success(results.append)
    handle = running.run_in_background()
    qtbot.waitUntil(lambda: reports == ["watching"])  # while the database thread is held
    handle.cancel()
    assert handle.wait(5)
    qtbot.waitUntil(lambda: results == ["cancelled"])
    assert threads[0] != threading.get_ident()
    release.set()


def test_stop_cancels_drops_and_closes(qtbot, cache: Path) -> None:  # type: ignore[no-untyped-def]
    tasks = Tasks(cache)
    conns: list[sqlite3.Connection] = []
    QueryOp(tasks, conns.append, lambda _: None).run_in_background()
    qtbot.waitUntil(lambda: not tasks.busy())
    answers: list[object] = []
    handle = NetworkOp(tasks, lambda report, cancel: cancel.wait(30)).success(answers.append)
    handle.run_in_background()
    tasks.stop()
    with pytest.raises(sqlite3.ProgrammingError):  # closed, on its own thread
        conns[0].execute("SELECT 1")
    qtbot.wait(50)
    assert answers == [] and not tasks.busy()
    late = QueryOp(tasks, conns.append, answers.append).run_in_background()
    assert late.dropped and len(conns) == 1  # a stopped Tasks starts nothing


def test_another_cache_from_now_on(qtbot, tasks: Tasks, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.sqlite"
    db.connect(other).close()
    tasks.use(other)
    names: list[list[str]] = []

    def tables(conn: sqlite3.Connection) -> list[str]:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name = 't'")]

    QueryOp(tasks, tables, names.append).run_in_background()
    qtbot.waitUntil(lambda: bool(names))
    assert names == [[]] and tasks.cache == other


def test_starting_an_op_connects_no_signal(qtbot, tasks: Tasks) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: a connect gives up the GIL, and taking it back while a sync's threads work
    cost the GUI thread up to ~60 ms; every op started (a live re-read every 300 ms during a
    sync) connected three. Answers still reach each op, in order."""
    connects = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal connects
        connects += event == "c_call" and getattr(arg, "__name__", "") == "connect"

    answers: list[int] = []
    sys.setprofile(count)
    try:
        for n in range(20):
            QueryOp(tasks, lambda conn, n=n: n, answers.append).run_in_background()
    finally:
        sys.setprofile(None)
    qtbot.waitUntil(lambda: len(answers) == 20)
    assert connects == 0 and answers == list(range(20))
