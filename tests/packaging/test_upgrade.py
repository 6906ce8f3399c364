"""An upgrade never loses a cache or settings: the 0.1.0 release's files open in this version.

``tests/data/release-0.1.0/`` holds what 0.1.0 wrote (``make_cache.py`` says how): a rep's
IMAP cache with changed settings, a logged email and a queued one, the demo workspace's cache,
and the window's saved state. Each test loads them into a fresh ``MAILSCOPE_HOME`` and opens
them with the current code, which applies its migrations.

A migration that moves data on purpose (as 0300_packed_addresses moved To/Cc/Bcc into the
message row) must say here where each old row went: ``test_every_row_survives`` compares
every 0.1.0 row, column by column, with what the migrated cache holds.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

import pytest

from core import cli, workspace
from core.mail.local import split_name
from core.store import db, schema
from core.store.accounts import move_account
from resources import demo

RELEASE = Path(__file__).parents[1] / "data" / "release-0.1.0"
MIGRATIONS_0_1_0 = [
    "0001_initial",
    "0100_crm_outbox",
    "0200_local_stamps",
    "0300_packed_addresses",
]

Rows = dict[str, tuple[list[str], set[tuple[object, ...]]]]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A MAILSCOPE_HOME holding 0.1.0's two caches and its settings file."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("mailscope", "demo"):
        conn = sqlite3.connect(home / f"{name}.sqlite")
        conn.executescript((RELEASE / f"{name}.sql").read_text("utf-8"))
        conn.close()
    shutil.copyfile(RELEASE / "mailscope.ini", home / "mailscope.ini")
    monkeypatch.setenv("MAILSCOPE_HOME", str(home))
    return home


def _snapshot(path: Path) -> Rows:
    """Every table's columns and rows, read without the current code."""
    conn = sqlite3.connect(path)
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    found: Rows = {}
    for table in tables:
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        listed = ", ".join(f'"{c}"' for c in columns)
        found[table] = (columns, set(conn.execute(f'SELECT {listed} FROM "{table}"')))
    conn.close()
    return found


def test_the_release_files_are_what_0_1_0_wrote() -> None:
    # Guards the fixture itself: 0.1.0's migrations, and the rep's changes in the caches.
    for name in ("mailscope", "demo"):
        text = (RELEASE / f"{name}.sql").read_text("utf-8")
        for migration in MIGRATIONS_0_1_0:
            assert f"INSERT INTO \"migrations\" VALUES('{migration}'" in text
    rep = (RELEASE / "mailscope.sql").read_text("utf-8")
    assert "'replies_only'" in rep and "rival-corp.example" in rep
    assert (RELEASE / "mailscope.ini").read_text("utf-8").startswith("[table]")


@pytest.mark.parametrize("name", ["mailscope", "demo"])
def test_every_row_survives(home: Path, name: str) -> None:
    path = home / f"{name}.sqlite"
    before = _snapshot(path)
    assert sum(len(rows) for _, rows in before.values()) > 900  # messages, links, directory
    conn = db.connect(path)
    assert schema.applied(conn) == [migration for migration, _ in schema.MIGRATIONS]
    conn.close()
    after = _snapshot(path)
    for table, (columns, rows) in before.items():
        assert table in after, f"{table} is gone"
        kept_columns, kept_rows = after[table]
        assert set(columns) <= set(kept_columns), f"{table} lost columns"
        if table == "migrations":
            assert rows <= kept_rows
            continue
        where = [kept_columns.index(c) for c in columns]
        projected = {tuple(row[i] for i in where) for row in kept_rows}
        assert rows == projected, f"{table}: rows changed or lost"


def test_the_reps_settings_and_queue_read_the_same(home: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["settings", "show", "--account", "mia"], out, err) == 0, err.getvalue()
    shown = out.getvalue()
    assert "replies_only" in shown or "replies only" in shown.lower()
    for entry in ("rival-corp.example", "mum@family.example", "1234567@bcc.hubspot.example"):
        assert entry in shown
    out = io.StringIO()
    assert cli.main(["outbox", "list", "--account", "mia"], out, err) == 0, err.getvalue()
    assert "pending" in out.getvalue()
    assert "Helios Energy" in out.getvalue()  # the email queued under 0.1.0


def _message_ids(conn: sqlite3.Connection) -> dict[tuple[int, int, int], int]:
    rows = conn.execute("SELECT folder_id, uidvalidity, uid, id FROM messages")
    return {(folder, validity, uid): row_id for folder, validity, uid, row_id in rows}


def test_the_demo_follows_its_new_install_and_keeps_every_message(home: Path) -> None:
    old = sqlite3.connect(home / "demo.sqlite")
    (stale,) = old.execute("SELECT path FROM accounts WHERE name = 'demo'").fetchone()
    keys = dict(old.execute("SELECT key, uid FROM local_keys"))
    ids = _message_ids(old)
    old.close()
    assert Path(stale) != demo.MAILDIR  # 0.1.0 ran from another tree
    conn, account = workspace.open_demo(demo)
    assert account.path == str(demo.MAILDIR)
    summary = workspace.sync_demo(conn, account)
    assert not summary.errors
    shipped = {
        split_name(p.name)[0] for p in demo.MAILDIR.rglob("*") if p.parent.name in ("cur", "new")
    }
    kept = dict(conn.execute("SELECT key, uid FROM local_keys"))
    for key, uid in keys.items():
        if key in shipped:  # a message still in the shipped demo keeps its UID
            assert kept[key] == uid, key
    now = _message_ids(conn)
    still = {k: v for k, v in ids.items() if k in now}
    assert len(still) >= len(shipped & keys.keys())  # and its row
    assert all(now[k] == v for k, v in still.items())
    undecided = conn.execute("SELECT count(*) FROM messages WHERE decided_at IS NULL")
    assert undecided.fetchone() == (0,)
    conn.close()


def test_the_window_opens_the_upgraded_demo_where_0_1_0_left_it(home: Path, qtbot: object) -> None:
    from desktop.main_window import MainWindow, app_settings

    conn, account = workspace.open_demo(demo)
    workspace.sync_demo(conn, account)
    conn.close()
    window = MainWindow(workspace.demo_path(), settings=app_settings(), sync_on_start=False)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    saved = app_settings()
    # The state 0.1.0 saved is the state restored (the offscreen screen only narrows the width).
    assert window.height() == 760
    assert bytes(window.splitter.saveState()) == bytes(saved.value("window/splitter"))
    header = window.table.horizontalHeader()
    assert bytes(header.saveState()) == bytes(saved.value("table/header"))
    qtbot.waitUntil(lambda: not window.reader.busy)  # type: ignore[attr-defined]
    assert window.model.rowCount() > 0
    window.close()


def test_the_demo_keeps_its_writable_copy(home: Path) -> None:
    # "Add the BCC address" on the demo made a copy under MAILSCOPE_HOME: not a stale install.
    conn, account = workspace.open_demo(demo)
    copy = home / "maildirs" / "demo"
    shutil.copytree(demo.MAILDIR, copy)
    move_account(conn, account, str(copy))
    conn.close()
    conn, account = workspace.open_demo(demo)
    assert account.path == str(copy)
    conn.close()
