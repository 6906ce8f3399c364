"""Every statement of a resync after a few changes finds its rows through an index (issue 10).

A table scan of ``messages``, ``links`` or ``local_keys`` costs in proportion to the mailbox,
not to what changed (500 flag updates took 26 s on a 50,000-row folder when one did): each
statement a sync runs is recorded and its ``EXPLAIN QUERY PLAN`` must not scan them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from core.mail import accounts, sync
from core.store import cache, db
from core.store.accounts import Account, AccountKind
from tests.helpers.statements import recorded, scans


def _message(n: int, reply_to: int | None = None) -> bytes:
    lines = [
        f"From: Person {n % 17} <p{n % 17}@x.example>",
        "To: Mia Rossi <mia@globex.example>",
        f"Subject: {'Re: ' if reply_to is not None else ''}Topic {reply_to or n}",
        f"Date: Mon, 01 Sep 2025 {n % 24:02d}:{n % 60:02d}:00 +0000",
        f"Message-ID: <m{n}@x.example>",
    ]
    if reply_to is not None:
        lines += [f"In-Reply-To: <m{reply_to}@x.example>", f"References: <m{reply_to}@x.example>"]
    return ("\r\n".join(lines) + "\r\n\r\nHello.\r\n").encode()


def _write(root: Path, n: int, flags: str = "S", reply_to: int | None = None) -> Path:
    path = root / "cur" / f"{1_700_000_000 + n}.M{n}.host:2,{flags}"
    path.write_bytes(_message(n, reply_to))
    return path


def _maildir(root: Path, count: int) -> None:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for n in range(1, count + 1):
        _write(root, n, reply_to=n - 1 if n % 3 == 0 else None)


def _synced(tmp_path: Path) -> tuple[sqlite3.Connection, Account, Callable[[], sync.SyncSummary]]:
    root = tmp_path / "Maildir"
    _maildir(root, 300)
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "m", AccountKind.MAILDIR, str(root))

    def run() -> sync.SyncSummary:
        return sync.sync_account(conn, account, lambda: accounts.open_source(conn, account, None))  # type: ignore[arg-type]

    run()
    return conn, account, run


def test_a_resync_after_each_kind_of_change_scans_no_big_table(tmp_path: Path) -> None:
    conn, _, run = _synced(tmp_path)
    cur = tmp_path / "Maildir" / "cur"
    archive = tmp_path / "Maildir" / ".Archive"

    def flag() -> None:
        for n in (10, 150, 290):
            path = next(cur.glob(f"*.M{n}.host:2,S"))
            path.rename(path.with_name(path.name + "F"))

    def expunge() -> None:
        next(cur.glob("*.M42.host:*")).unlink()

    def new_mail() -> None:
        for n in range(301, 306):
            _write(tmp_path / "Maildir", n, flags="", reply_to=n - 300)

    def move() -> None:
        for sub in ("cur", "new", "tmp"):
            (archive / sub).mkdir(parents=True, exist_ok=True)
        path = next(cur.glob("*.M77.host:*"))
        path.rename(archive / "cur" / path.name)

    expected = {flag: (0, 3, 0), expunge: (0, 0, 1), new_mail: (5, 0, 0), move: (1, 0, 1)}
    for change, counts in expected.items():
        change()
        with recorded(conn) as statements:
            summary = run()
        assert (summary.new, summary.changed, summary.removed) == counts, change.__name__
        assert statements, change.__name__
        assert scans(conn, statements) == [], change.__name__


def test_the_change_statements_use_the_unique_index_with_uidvalidity(tmp_path: Path) -> None:
    conn, account, _ = _synced(tmp_path)
    (folder,) = [f for f in cache.folders(conn, account.id) if f.name == "INBOX"]
    with recorded(conn) as statements:
        assert cache.set_flags(conn, folder.id, 1, [(5, "\\Flagged")]) == 1
        assert cache.remove_uids(conn, folder.id, 1, [6, 7]) == 2
        assert len(cache.cached_flags(conn, folder.id, 1)) == 298
    plans = {
        sql.split()[0]: " ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
        for sql in statements
        if sql.startswith(
            ("UPDATE messages SET flags", "DELETE FROM messages", "SELECT uid, flags")
        )
    }
    assert "(folder_id=? AND uidvalidity=? AND uid=?)" in plans["UPDATE"]
    assert "(folder_id=? AND uidvalidity=? AND uid=?)" in plans["DELETE"]
    assert "COVERING INDEX messages_flags" in plans["SELECT"]
    assert scans(conn, statements) == []


def test_the_component_keeps_the_accounts_rows_by_id(tmp_path: Path) -> None:
    """``redecide.linked`` keeps the account's rows among those it reached, each looked up by
    its id: through the folder_id index SQLite read the whole account for each chunk of 500
    (1.2 s of a 2-second What-if on 100,000 messages)."""
    from core.store import redecide

    conn = db.connect(tmp_path / "cache.sqlite")
    with recorded(conn) as statements:
        redecide.linked(conn, 1, range(1, 501))
    final = [s for s in statements if s.startswith("SELECT id FROM messages")]
    plans = [str(p[-1]) for s in final for p in conn.execute("EXPLAIN QUERY PLAN " + s)]
    assert final and any("INTEGER PRIMARY KEY" in p for p in plans), plans
    assert not any("(folder_id=?)" in p for p in plans), plans


def test_an_mbox_resync_by_delta_scans_no_big_table(tmp_path: Path) -> None:
    """The listing's statements (core.mail.local_listing) too: the listing read and saved by
    folder, the changed messages' keys looked up by key."""
    path = tmp_path / "Inbox"
    entries = [b"From x\n" + _message(n).replace(b"\r\n", b"\n") + b"\n" for n in range(1, 301)]
    path.write_bytes(b"".join(entries))
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "box", AccountKind.MBOX, str(path))

    def run() -> sync.SyncSummary:
        return sync.sync_account(conn, account, lambda: accounts.open_source(conn, account, None))  # type: ignore[arg-type]

    run()
    changes = {
        "flag": lambda: entries.__setitem__(5, entries[5].replace(b"\n\n", b"\nStatus: RO\n\n", 1)),
        "expunge": lambda: entries.pop(40),
        "new": lambda: entries.append(b"From y\n" + _message(400).replace(b"\r\n", b"\n")),
    }
    for name, change in changes.items():
        change()
        path.write_bytes(b"".join(entries))
        with recorded(conn) as statements:
            summary = run()
        assert summary.new + summary.changed + summary.removed == 1, name
        assert any("local_listings" in s for s in statements), name
        assert any("local_keys" in s and " IN (" in s for s in statements) or name == "expunge"
        assert scans(conn, statements) == [], name


def test_the_stored_what_if_reads_its_threads_rows_by_id(tmp_path: Path) -> None:
    """A What-if reads the messages of its window's threads in one statement, each row by its
    id (the ids a JSON array): with the account's condition usable, SQLite read the whole
    account through a folder index and tested each row against the list instead."""
    from core.preview.whatif import WhatIf
    from core.preview.whatif_cache import simulate
    from core.rules.model import LoggingRule
    from core.store.window import all_decided

    conn, account, _ = _synced(tmp_path)
    assert all_decided(conn, account.id)  # the stored path
    # The last day from 20:00: a sixth of the messages (dated 1 Sep 2025, at n % 24 hours).
    now = datetime(2025, 9, 2, 20, tzinfo=UTC).timestamp()
    with recorded(conn) as statements:
        simulate(conn, account, WhatIf(rule=LoggingRule.REPLIES_ONLY, days=1), now)
    read = [s for s in statements if "json_each" in s]
    plans = [str(p[-1]) for s in read for p in conn.execute("EXPLAIN QUERY PLAN " + s)]
    assert read and "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)" in plans, plans
    assert not any("(folder_id=?)" in p for p in plans), plans
    assert scans(conn, statements) == []
