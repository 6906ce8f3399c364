"""The demo's "done when": open a draft, "won't log: not a contact", Add BCC, "will log"."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

import resources.demo as demo
from desktop.main_window import MainWindow
from desktop.preview_views import install
from tests.desktop.conftest import OFFSCREEN_NOISE, explained

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        h.update(str(path.relative_to(root)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def test_add_bcc_on_the_demo_draft_turns_the_verdict(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    shipped = _digest(demo.MAILDIR)
    views = install(demo_window)
    assert demo_window.view("Check an email") is not None
    (row,) = demo_window.conn.execute(
        "SELECT id FROM messages WHERE subject = 'Re: Request for a demo – Atlas Cargo'"
    ).fetchone()
    assert demo_window.select_message(int(row))
    explained(qtbot, demo_window, int(row))
    assert "Won't be logged: nobody on it is a contact." in demo_window.detail.plain_text()
    assert "Won't be logged: nobody on it is a contact." in views.panel.verdict.text()
    button = demo_window.detail.findChild(QPushButton, "action_add_bcc")
    assert button is not None and button.isEnabled()
    with qtbot.waitSignal(views.add_bcc.finished, timeout=30_000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    new_row = done.args[0].row_id
    qtbot.waitUntil(lambda: demo_window.selected_message_id() == new_row)
    explained(qtbot, demo_window, new_row)
    text = demo_window.detail.plain_text()
    assert "Will be logged: it is sent to the BCC address." in text
    assert "Will be logged: it is sent to the BCC address." in views.panel.verdict.text()
    assert demo_window.statusBar().currentMessage().startswith("Added 24681357@bcc")
    assert _digest(demo.MAILDIR) == shipped  # the package's Maildir is never written


def test_the_views_follow_the_window(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    views = install(demo_window)
    assert views.activity.account == "demo" and views.whatif.account == "demo"
    assert demo_window.view("What if…") is views.whatif
    assert demo_window.view("Activity report") is views.activity
