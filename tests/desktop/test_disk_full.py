"""A full disk during a sync in the app: one line in the status bar, the window keeps going."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import resources.demo as demo
from core.mail import accounts
from core.store import db
from core.store.accounts import AccountKind
from core.store.directory import import_directory, parse_directory
from desktop.main_window import MainWindow
from tests.desktop.conftest import OFFSCREEN_NOISE
from tests.helpers.disk import fill_up

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_a_full_disk_is_one_line_and_keeps_what_was_synced(
    qtbot, tiny_disk: Path, secrets, settings
) -> None:  # type: ignore[no-untyped-def]
    cache = tiny_disk / "mailscope.sqlite"
    conn = db.connect(cache)
    account = accounts.add_local(conn, "demo", AccountKind.MAILDIR, str(demo.MAILDIR))
    import_directory(conn, account.id, parse_directory(json.loads(demo.DIRECTORY.read_text())))
    conn.close()
    fill_up(tiny_disk)
    window = MainWindow(cache, secrets=secrets, settings=settings, sync_on_start=False)
    qtbot.addWidget(window)
    window.show()
    window.sync_all()
    qtbot.waitUntil(lambda: window.syncs.running == {}, timeout=30_000)
    text = window.status_text.text()
    assert "demo: the local cache cannot be written" in text
    assert "what was synced is kept" in text and "\n" not in text
    check = db.connect(cache)
    assert check.execute("PRAGMA quick_check").fetchone() == ("ok",)
    check.close()
    window.close()
