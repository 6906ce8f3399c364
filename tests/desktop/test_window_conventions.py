"""Issue 15: the window reads like a mail app (the real window on the demo, offscreen).

Menus in a mail app's order with mnemonics, CRM entries enabled only when they apply, account
settings under Settings, a Help menu, right-click menus, "Ask an account admin" as a prefilled
email, the reading pane's folds, long values that wrap, docks that fit, the welcome page's
text never cut, and "Last sync" after a sync that found nothing new.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings, QUrl, QUrlQuery, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDockWidget, QLabel, QTextBrowser

from desktop.main_window import MainWindow
from tests.desktop.conftest import OFFSCREEN_NOISE, explained

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

PROSPECT = "Request for a demo – Atlas Cargo"


def _row(window: MainWindow, reason: str) -> int:
    found = window.conn.execute(
        "SELECT min(id) FROM messages WHERE reason = ?", (reason,)
    ).fetchone()
    return int(found[0])


def _menus(window: MainWindow) -> dict[str, Any]:
    return {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions() if a.menu()}


def _texts(menu: Any) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


@pytest.fixture
def full(demo_window: MainWindow) -> Any:
    """The demo window with the views the app installs (desktop.app.install_views)."""
    from desktop.app import install_views

    install_views(demo_window)
    yield demo_window
    demo_window.crm.timer.stop()


def test_menus_mnemonics_and_settings_not_under_view(qtbot: Any, full: MainWindow) -> None:
    menus = _menus(full)
    assert list(menus) == ["Mailbox", "View", "CRM", "Settings", "Help"]
    for name in ("CRM", "Settings", "Help"):
        for text in _texts(menus[name]):
            assert "&" in text, f"{name} › {text} has no mnemonic"
    settings = [t.replace("&", "") for t in _texts(menus["Settings"])]
    assert {"Account settings", "Accounts…", "Language"} <= set(settings)
    assert "Account settings" not in [t.replace("&", "") for t in _texts(menus["View"])]


def test_crm_items_are_enabled_only_when_they_apply(qtbot: Any, full: MainWindow) -> None:
    crm = {a.text().replace("&", ""): a for a in _menus(full)["CRM"].actions()}
    log, create = crm["Log the email now"], crm["Create the contact…"]
    assert not log.isEnabled() and not create.isEnabled()  # nothing selected
    gap = _row(full, "not_a_contact")
    full.select_message(gap)
    explained(qtbot, full, gap)
    assert log.isEnabled() and create.isEnabled()  # a gap (bulk mail asks first)
    logged = _row(full, "log_all_contact")
    full.select_message(logged)
    explained(qtbot, full, logged)
    assert not log.isEnabled() and not create.isEnabled()


def test_help_pages(qtbot: Any, full: MainWindow) -> None:
    from desktop import help_pages

    entries = {a.text().replace("&", ""): a for a in _menus(full)["Help"].actions()}
    assert {"How logging works", "Keyboard shortcuts", "About Mailscope"} <= set(entries)
    entries["How logging works"].trigger()
    browser = qtbot.waitUntil(lambda: full.findChild(QTextBrowser, "helpText") is not None)
    page = full.findChild(QTextBrowser, "helpText")
    assert browser is None and page is not None
    assert "How logging works" in page.toPlainText()
    assert "R4" not in help_pages.builtin_rules()  # in a rep's words
    shortcuts = help_pages.shortcuts_markdown(full)
    assert "Log the email now | Ctrl+L" in shortcuts and "Find" in shortcuts


def test_the_message_right_click_menu(qtbot: Any, full: MainWindow) -> None:
    from desktop.context_menus import message_menu

    row = _row(full, "not_a_contact")
    full.select_message(row)
    explained(qtbot, full, row)
    menu = message_menu(full, row)
    names = [t.replace("&", "") for t in _texts(menu)]
    assert names == [
        "Log now",
        "Create the contact…",
        "Add the sender to the Never-log list",
        "Copy the sender's address",
        "Show in its folder",
    ]
    sender = full.conn.execute("SELECT from_email FROM messages WHERE id = ?", (row,)).fetchone()
    next(a for a in menu.actions() if "Copy" in a.text()).trigger()
    assert QGuiApplication.clipboard().text() == sender[0]
    with qtbot.waitSignal(full.refreshed, timeout=20_000):
        next(a for a in menu.actions() if "Never-log" in a.text()).trigger()
    reason = full.conn.execute("SELECT reason FROM messages WHERE id = ?", (row,)).fetchone()
    assert reason[0] == "never_log"
    assert "Never-log list" in full.statusBar().currentMessage()


class _MailApp(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


def test_ask_an_account_admin_is_a_prefilled_email(qtbot: Any, demo_window: MainWindow) -> None:
    from core.store.accounts import get_account
    from core.store.directory import load_directory
    from desktop.ask_admin import admins, ask

    account = get_account(demo_window.conn, "demo")
    assert account is not None
    directory = load_directory(demo_window.conn, account)[0]
    mail = _MailApp()
    QDesktopServices.setUrlHandler("mailto", mail, "open")
    try:
        assert ask(demo_window, directory, "Pilot", "Won't be logged: no email access.")
    finally:
        QDesktopServices.unsetUrlHandler("mailto")
    (url,) = mail.opened
    assert admins(directory) and url.path() == ",".join(admins(directory))
    body = QUrlQuery(url).queryItemValue("body", QUrl.ComponentFormattingOption.FullyDecoded)
    assert "personal email access" in body and "Pilot" in body
    assert "is ready in your mail app" in demo_window.statusBar().currentMessage()


def test_the_why_fold_is_remembered_and_long_values_wrap(
    qtbot: Any, demo_window: MainWindow, settings: QSettings
) -> None:
    from desktop.detail_pane import DetailPane

    pane = demo_window.detail
    row = _row(demo_window, "not_a_contact")
    demo_window.select_message(row)
    explained(qtbot, demo_window, row)
    assert pane.why_fold.isVisible() and not pane.why_box.isVisible()  # folded by default
    pane.why_fold.click()
    assert pane.why_box.isVisible()
    again = DetailPane(demo_window.conn, demo_window.tasks, settings=settings)
    qtbot.addWidget(again)
    assert again.why_fold.isChecked()  # remembered
    pane.tech_fold.click()
    demo_window.resize(900, 600)
    qtbot.wait(50)
    for label in pane.findChildren(QLabel):
        if label.isVisible():
            assert label.geometry().right() <= pane.widget().width(), label.text()[:60]
    assert pane.widget().width() <= pane.viewport().width()  # nothing runs off the edge
    assert "&#8203;" in pane.technical.text()  # the Message-ID breaks where it must


def test_an_open_dock_folds_the_reading_pane_on_a_small_screen(
    qtbot: Any, full: MainWindow
) -> None:
    docks = full.findChildren(QDockWidget)
    full.resize(1366, 768)
    for dock in docks:
        dock.show()
    assert len(docks) >= 2 and full.tabifiedDockWidgets(docks[0])  # one column of tabs
    qtbot.waitUntil(lambda: full.dock_fit.folded)  # offscreen's screen is 800 px wide
    assert not full.detail.isVisible()
    for dock in docks:
        dock.hide()
    qtbot.waitUntil(lambda: not full.dock_fit.folded)
    assert full.detail.isVisible()


def test_the_welcome_text_is_never_cut(qtbot: Any, empty_window: MainWindow) -> None:
    empty_window.resize(1366, 768)
    qtbot.wait(50)
    text = empty_window.welcome.text
    assert text.isVisible()
    assert text.height() >= text.heightForWidth(text.width())


def test_last_sync_follows_a_sync_that_found_nothing_new(
    qtbot: Any, demo_window: MainWindow
) -> None:
    demo_window.conn.execute("UPDATE folders SET synced_at = synced_at - 3 * 86400")
    demo_window.reload_sidebar()
    before = demo_window.last_sync.text()
    with qtbot.waitSignal(demo_window.syncs.synced, timeout=30_000):
        demo_window.sync_all()
    qtbot.waitUntil(lambda: demo_window.last_sync.text() != before, timeout=10_000)
    from desktop.message_model import format_date  # the list's own format, in the locale

    shown = demo_window.last_sync.text()  # today: the time only (a minute may have turned)
    assert any(format_date(time.time() - late) in shown for late in (0, 60)), shown
    demo_window.syncs.cancel(wait=True)


def test_the_check_panels_create_the_contact_works(qtbot: Any, full: MainWindow) -> None:
    """Issue 15 finding 4: "Create the contact" in the check panel, confirmed and undoable."""
    from PySide6.QtWidgets import QPushButton

    from core.store import outbox
    from core.store.outbox import State

    panel = full.view("Check an email").widget()  # type: ignore[union-attr]
    panel.to.setText("stranger@nowhere.example")  # type: ignore[union-attr]
    panel.evaluate()  # type: ignore[union-attr]
    fix = panel.findChild(QPushButton, "fix_create_contact")  # type: ignore[union-attr]
    assert fix is not None and fix.isEnabled()
    safe = full.safe_actions  # type: ignore[attr-defined]
    fix.click()
    assert safe.dialog is not None
    assert (
        "stranger@nowhere.example" in safe.dialog.text()
        and "Owner: Mia Rossi" in safe.dialog.text()
    )
    with qtbot.waitSignal(safe.actions.queued, timeout=5000):
        safe.dialog.buttons()[0].click()
    (item,) = outbox.items(full.conn)
    assert item.label == "Create contact stranger@nowhere.example" and item.state is State.PENDING
    safe.undo_button.click()
    qtbot.waitUntil(lambda: outbox.items(full.conn)[0].state is State.CANCELLED, timeout=5000)
