"""Several accounts side by side, refresh and cancel from the keyboard, dark palettes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

import resources.demo as demo
from core.mail import accounts
from core.store.accounts import AccountKind
from desktop import style
from desktop.main_window import MainWindow
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_two_accounts_side_by_side(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    accounts.add_local(demo_window.conn, "copy", AccountKind.MAILDIR, str(demo.MAILDIR))
    demo_window.reload_sidebar()
    qtbot.keyClick(demo_window, Qt.Key.Key_F5)  # syncs every account
    model = demo_window.sidebar_model
    qtbot.waitUntil(
        lambda: model.rowCount() == 2 and model.rowCount(model.index(0, 0)) == 4, timeout=20_000
    )
    assert [model.index(r, 0).data() for r in range(2)] == ["copy", "demo"]
    qtbot.waitUntil(lambda: "300 messages" in str(model.index(0, 0).data(3)), timeout=20_000)
    demo_window.sidebar.setCurrentIndex(model.index(0, 0))
    assert demo_window.current_account().name == "copy"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: demo_window.model.rowCount() == 300, timeout=20_000)
    ids = set(demo_window.model.ids)
    demo_window.sidebar.setCurrentIndex(model.index(1, 0))
    assert demo_window.current_account().name == "demo"  # type: ignore[union-attr]
    assert demo_window.model.rowCount() == 300 and not ids & set(demo_window.model.ids)


def test_f5_starts_a_sync_and_cancel_stops_watching(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert demo_window.syncs.running == {}
    qtbot.keyClick(demo_window, Qt.Key.Key_F5)
    assert len(demo_window.syncs.running) == 1
    qtbot.waitUntil(lambda: "demo: " in demo_window.status_text.text(), timeout=20_000)
    with qtbot.waitSignal(demo_window.syncs.stopped, timeout=20_000):
        demo_window.syncs.cancel()
    qtbot.waitUntil(lambda: demo_window.syncs.running == {}, timeout=5000)
    assert demo_window.status_text.text() == "Sync cancelled; press F5 to sync again."


def test_badges_follow_a_dark_palette(qapp) -> None:  # type: ignore[no-untyped-def]
    light = QApplication.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    assert not style.is_dark(light) and style.is_dark(dark)
    for tone in style.Tone:
        light_bg, light_fg = style.colours(tone, dark=False)
        dark_bg, dark_fg = style.colours(tone, dark=True)
        assert light_bg.lightness() > 200 and dark_bg.lightness() < 100
        # Readable on either: text and background far apart in lightness.
        assert abs(light_bg.lightness() - light_fg.lightness()) > 90
        assert abs(dark_bg.lightness() - dark_fg.lightness()) > 90
    assert style.badge(True, "thread_reply").icon != style.badge(False, "not_a_contact").icon
