"""Issue 15: the window brings the search's trigram index up to date off the GUI thread: when it
opens on a cache a sync filled without it, and after each sync; a search then finds the new
mail through the index."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from core.mail import accounts, sync
from core.store import db, search_index, views
from core.store.accounts import AccountKind
from desktop.main_window import MainWindow
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _write(root: Path, n: int, subject: str) -> None:
    message = (
        f"From: Lea Martin <lea{n}@initech.example>\r\nTo: Mia Rossi <mia@globex.example>\r\n"
        f"Subject: {subject}\r\nDate: Mon, 01 Sep 2025 09:{n % 60:02d}:00 +0000\r\n"
        f"Message-ID: <m{n}@initech.example>\r\n\r\nHello.\r\n"
    )
    (root / "cur" / f"{1_700_000_000 + n}.M{n}.host:2,S").write_bytes(message.encode())


def _synced_without_the_window(home: Path, root: Path) -> Path:
    """A Maildir of 40 messages synced as ``mailscope sync`` does: the index is left empty."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    for n in range(1, 41):
        _write(root, n, f"Quote {n}")
    cache = home / "mailscope.sqlite"
    with closing(db.connect(cache)) as conn:
        account = accounts.add_local(conn, "work", AccountKind.MAILDIR, str(root))
        sync.sync_account(conn, account, lambda: accounts.open_source(conn, account, None))
        assert search_index.lag(conn) > 0
    return cache


def test_the_window_indexes_what_a_sync_wrote_and_a_search_finds_it(
    qtbot, home: Path, secrets, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "Maildir"
    cache = _synced_without_the_window(home, root)
    window = MainWindow(cache, secrets=secrets, settings=settings, sync_on_start=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.search_upkeep.caught_up, timeout=20_000):
        window.show()  # it started with the window, behind the first page's read
    conn = window.conn
    assert search_index.lag(conn) == 0
    _write(root, 41, "Invoice for the globex deal")
    with qtbot.waitSignal(window.search_upkeep.caught_up, timeout=30_000):
        window.sync_all()  # the watcher's first sync brings the new mail, then the upkeep
    assert search_index.lag(conn) == 0
    assert search_index.narrowing(conn, "invoice for") is not None  # through the index
    with qtbot.waitSignal(window.model.query_changed, timeout=5_000):
        window.filter_bar.search.setText("invoice for")
    qtbot.waitUntil(lambda: not window.reader.busy, timeout=5_000)
    assert window.model.rowCount() == 1
    (row,) = views.display_rows(conn, [window.model.row_id(0) or 0]).values()
    assert row.subject == "Invoice for the globex deal"
    window.close()
