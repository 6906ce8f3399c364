"""The search's SQL on a 100,000-message cache, without and with the trigram index (issue 15).

    .venv/bin/python bench/search_bench.py          # the cache of bench/gui_bench.py, built once

Reports, best of ``REPEAT`` (the two ways alternated, milliseconds, wall then CPU):
- the catch-up that builds the index for the 100,000 rows, as the desktop runs it (chunks);
- per search text and scope: the first part the table shows (``views.ids_in_parts``' head)
  and every id (``views.ids``), "before" being the scan alone (``search_index.MOST = -1``:
  ``narrowing`` never narrows, exactly the SQL of before) and "after" the app's choice;
- the same, after, on a copy without the ``messages_search`` covering index;
- what inserting the 100,000 rows costs with and without ``messages_search``
  (``core.store.cache.insert_messages`` in batches of 5,000, headers parsed beforehand).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import gui_bench  # noqa: E402
from core.store import db, search_index, views  # noqa: E402
from core.store.views import TableQuery  # noqa: E402

TERMS = ("patel", "quote for", "mia@globex.example", "zz-nothing", "Demo for Nowak", "pa")
REPEAT = 5
HEAD = 200
INSERT_ROUNDS = 4


def clock(action: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def fresh_copy(base: Path, name: str) -> Path:
    work = base.with_name(name)
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, work)
    return work


def catch_up(conn: sqlite3.Connection) -> None:
    chunks = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while search_index.catch_up(conn):
        chunks += 1
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"catch-up of 100,000 rows: {wall:.2f} s wall, {cpu:.2f} s CPU, {chunks + 1} chunks")


def head(conn: sqlite3.Connection, query: TableQuery) -> None:
    """The first part only: what the table shows first (closing ends the snapshot)."""
    parts = views.ids_in_parts(conn, query, HEAD)
    next(parts)
    parts.close()


def searches(conn: sqlite3.Connection, label: str, ways: dict[str, int]) -> None:
    """Each text in a folder and in the account: the ways alternated, the best of each."""
    for text in TERMS:
        for scope in (TableQuery(folder_id=1, search=text), TableQuery(1, search=text)):
            best: dict[tuple[str, str], tuple[float, float]] = {}
            for _ in range(REPEAT):
                for way, most in ways.items():
                    search_index.MOST = most
                    for step, run in (("head", head), ("ids", views.ids)):
                        took = clock(lambda r=run, q=scope: r(conn, q))  # type: ignore[misc]
                        key = (way, step)
                        best[key] = min(best.get(key, took), took)
            where = "folder " if scope.folder_id else "account"
            cells = "  ".join(f"{w} {s} {v[0]:6.1f} ({v[1]:5.1f})" for (w, s), v in best.items())
            print(f"{label} {text!r:22} {where}  {cells}")


def insert_cost(base: Path) -> None:
    """100,000 rows inserted into an empty cache, with and without messages_search."""
    from bench.sync_bench import generate
    from core.mail.headers import prepare
    from core.mailbox import FetchedMessage, FolderInfo
    from core.rules.model import Folder
    from core.store import cache
    from core.store.accounts import AccountKind, insert_account

    rows = []
    for uid, (raw, date) in enumerate(generate(gui_bench.BIG), start=1):
        header = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"
        rows.append(prepare(FetchedMessage(uid, ("\\Seen",), date, len(raw), header), Folder.INBOX))
    for round_ in range(INSERT_ROUNDS):
        for keep in (True, False):
            path = base.with_name(f"insert-{keep}.sqlite")
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            conn = db.connect(path)
            account = insert_account(conn, "bench", AccountKind.MAILDIR, path="/none")
            folder = cache.ensure_folder(
                conn, account.id, FolderInfo("INBOX", "INBOX", Folder.INBOX)
            )
            if not keep:
                conn.execute("DROP INDEX messages_search")

            def load(c: sqlite3.Connection = conn, f: int = folder.id) -> None:
                for start in range(0, len(rows), 5000):
                    cache.insert_messages(c, f, 1, rows[start : start + 5000])

            wall, cpu = clock(load)
            conn.close()
            with_or = "with   " if keep else "without"
            print(f"insert 100,000, round {round_ + 1}, {with_or} messages_search:"
                  f" {wall / 1000:.2f} s wall, {cpu / 1000:.2f} s CPU")  # fmt: skip


def main() -> None:
    bench_dir = gui_bench.BENCH_DIR
    bench_dir.mkdir(parents=True, exist_ok=True)
    os.environ["MAILSCOPE_HOME"] = str(bench_dir / "home")
    base = bench_dir / "base.sqlite"
    gui_bench.build_cache(base)
    print(f"load: {os.getloadavg()}")
    conn = db.reading(db.connect(fresh_copy(base, "search.sqlite")))
    catch_up(conn)
    searches(conn, "with messages_search   ", {"before": -1, "after": search_index.MOST})
    conn.execute("DROP INDEX messages_search")
    searches(conn, "without messages_search", {"after": search_index.MOST})
    conn.close()
    insert_cost(base)
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
