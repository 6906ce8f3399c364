"""A Maildir and an mbox of 20,000 messages, one change each: the right rows, nothing else.

Timing is the bench's (``bench/scale_bench.py``); here the result: after one flag change a
resync changes exactly that message's flags (same UID), removes and adds nothing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from core.mail import accounts, sync
from core.store import db
from core.store.accounts import Account, AccountKind

COUNT = 20_000
TARGET = 12_345  # the message that changes (1-based)


def _message(n: int) -> bytes:
    lines = [
        f"From: Person {n % 97} <p{n % 97}@x{n % 13}.example>",
        f"To: Mia Rossi <mia@globex.example>, Someone {n} <s{n}@y.example>",
        f"Subject: Topic {n}",
        f"Date: Mon, 01 Sep 2025 {n % 24:02d}:{n % 60:02d}:00 +0000",
        f"Message-ID: <m{n}@x.example>",
    ]
    return ("\r\n".join(lines) + "\r\n\r\nHello.\r\n").encode()


def _age(path: Path) -> None:
    """Old enough that its stamp is trusted (a stamp seconds old may miss a change)."""
    when = time.time() - 60
    os.utime(path, (when, when))


def _state(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    rows = conn.execute("SELECT message_id, uid, flags FROM messages")
    return {mid: (uid, flags) for mid, uid, flags in rows}


def _sync(conn: sqlite3.Connection, account: Account) -> sync.SyncSummary:
    return sync.sync_account(conn, account, lambda: accounts.open_source(conn, account, None))  # type: ignore[arg-type]


def _one_change(
    conn: sqlite3.Connection, account: Account, change: object, flags: str
) -> tuple[sync.SyncSummary, dict[str, tuple[int, str]]]:
    assert _sync(conn, account).new == COUNT
    before = _state(conn)
    unchanged = _sync(conn, account)
    assert (unchanged.new, unchanged.changed, unchanged.removed) == (0, 0, 0)
    change()  # type: ignore[operator]
    summary = _sync(conn, account)
    after = _state(conn)
    differ = {mid for mid in before.keys() | after.keys() if before.get(mid) != after.get(mid)}
    assert differ == {f"<m{TARGET}@x.example>"}
    assert after[f"<m{TARGET}@x.example>"] == (before[f"<m{TARGET}@x.example>"][0], flags)
    return summary, after


def test_a_maildir_of_20000_with_one_flag_change(tmp_path: Path) -> None:
    root = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    for n in range(1, COUNT + 1):
        (root / "cur" / f"{1_700_000_000 + n}.M{n}.host:2,S").write_bytes(_message(n))
    for sub in ("cur", "new"):
        _age(root / sub)
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "m", AccountKind.MAILDIR, str(root))

    def flag() -> None:
        path = root / "cur" / f"{1_700_000_000 + TARGET}.M{TARGET}.host:2,S"
        path.rename(path.with_name(path.name + "F"))

    summary, _ = _one_change(conn, account, flag, "\\Flagged \\Seen")
    assert (summary.new, summary.changed, summary.removed) == (0, 1, 0)


def test_an_mbox_of_20000_with_one_flag_change(tmp_path: Path) -> None:
    path = tmp_path / "Inbox"
    with path.open("wb") as out:
        for n in range(1, COUNT + 1):
            head, _, body = _message(n).replace(b"\r\n", b"\n").partition(b"\n\n")
            out.write(b"From MAILER-DAEMON Mon Sep  1 00:00:00 2025\n")
            out.write(head + b"\nStatus: O\n\n" + body + b"\n")
    _age(path)
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "box", AccountKind.MBOX, str(path))

    def read() -> None:  # a mail client marks one message read: the file is rewritten
        data = path.read_bytes()
        at = data.index(f"Message-ID: <m{TARGET}@x.example>\nStatus: O\n".encode())
        path.write_bytes(data[:at] + data[at:].replace(b"Status: O\n", b"Status: RO\n", 1))
        _age(path)

    summary, _ = _one_change(conn, account, read, "\\Seen")
    assert (summary.new, summary.changed, summary.removed) == (0, 1, 0)
