"""The main window through its real widgets: filters, search, sort, shortcuts, state, API."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QWidget

from core.rules.model import Reason
from core.store import views
from core.store.packed import unpack
from core.store.queries import NEEDS_ACTION, Show
from core.store.views import Column
from desktop.main_window import MainWindow
from desktop.message_model import ID_ROLE
from desktop.reader import HEAD
from desktop.window_views import ViewKind
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _reasons(window: MainWindow) -> set[str]:
    rows = window.conn.execute("SELECT id, reason, logged FROM messages").fetchall()
    by_id = {r[0]: (r[1], r[2]) for r in rows}
    model = window.model
    return {by_id[model.index(r, 0).data(ID_ROLE)][0] for r in range(model.rowCount())}


def test_the_window_shows_the_demo_with_counts(demo_window: MainWindow) -> None:
    assert demo_window.stack.currentWidget() is demo_window.splitter
    assert demo_window.model.rowCount() == 300
    account = demo_window.sidebar_model.index(0, 0)
    assert account.data() == "demo"
    assert "300 messages" in account.data(Qt.ItemDataRole.ToolTipRole)
    assert demo_window.current_account() is not None
    assert demo_window.current_account().name == "demo"  # type: ignore[union-attr]


def _answered(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Wait for the background reader's whole answer (a filter is read there, issue 15)."""
    qtbot.waitUntil(lambda: not window.reader.busy and window._pending_query is None)


def test_filter_buttons_and_reason_menu(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    bar = demo_window.filter_bar

    def click(show: Show) -> None:
        qtbot.mouseClick(bar.buttons[show], Qt.MouseButton.LeftButton)
        _answered(qtbot, demo_window)

    click(Show.WILL_LOG)
    will = demo_window.model.rowCount()
    assert 0 < will < 300
    assert (
        demo_window.conn.execute("SELECT count(*) FROM messages WHERE logged = 1").fetchone()[0]
        == will
    )
    click(Show.WONT_LOG)
    assert demo_window.model.rowCount() == 300 - will
    click(Show.NEEDS_ACTION)
    assert _reasons(demo_window) <= {r.value for r in NEEDS_ACTION}
    assert demo_window.model.rowCount() > 0
    bar.set_reason(Reason.NEVER_LOG)
    _answered(qtbot, demo_window)
    assert _reasons(demo_window) == {"never_log"}
    assert not any(b.isChecked() for b in bar.buttons.values())
    click(Show.ALL)
    assert demo_window.model.rowCount() == 300
    assert bar.reason.currentData() is None


def test_a_filter_shows_its_first_page_then_every_row_in_order(
    qtbot, demo_window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: the first ``HEAD`` ids are shown as soon as they are read, then the rest are
    appended (no reset: the view keeps its place); the rows end as one synchronous read."""
    model, bar = demo_window.model, demo_window.filter_bar
    qtbot.mouseClick(bar.buttons[Show.WONT_LOG], Qt.MouseButton.LeftButton)
    _answered(qtbot, demo_window)
    counts: list[int] = []
    model.query_changed.connect(lambda: counts.append(model.rowCount()))
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    for show in (Show.ALL, Show.WILL_LOG, Show.ALL, Show.NEEDS_ACTION, Show.ALL):
        counts.clear()
        resets.clear()
        qtbot.mouseClick(bar.buttons[show], Qt.MouseButton.LeftButton)
        _answered(qtbot, demo_window)
        expected = list(views.ids(demo_window.conn, model.query))  # one read, as before
        assert list(model.ids) == expected
        first = min(HEAD, len(expected))  # shown first: one page, then appended
        assert counts == [first] and resets == [first]
    assert model.rowCount() == 300 > HEAD


def test_search_by_name_address_and_subject(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    search = demo_window.filter_bar.search
    qtbot.keyClick(demo_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert search.hasFocus()
    with qtbot.waitSignal(demo_window.model.query_changed, timeout=2000):
        qtbot.keyClicks(search, "initrode")
    _answered(qtbot, demo_window)  # the first page is shown first, then the rest (issue 15)
    found = demo_window.model.rowCount()
    assert 0 < found < 300
    for row in range(found):
        message_id = demo_window.model.index(row, 0).data(ID_ROLE)
        *fields, to, cc, bcc = demo_window.conn.execute(
            "SELECT m.subject, m.from_name, m.from_email, m.to_list, m.cc_list, m.bcc_list"
            " FROM messages m WHERE id = ?",
            (message_id,),
        ).fetchone()
        emails = [a.email for packed in (to, cc, bcc) for a in unpack(packed)]
        text = " ".join(str(v) for v in (*fields, *emails))
        assert "initrode" in text.lower()
    with qtbot.waitSignal(demo_window.model.query_changed, timeout=2000):
        search.clear()
    _answered(qtbot, demo_window)
    assert demo_window.model.rowCount() == 300
    with qtbot.waitSignal(demo_window.model.query_changed, timeout=2000):
        qtbot.keyClicks(search, "zzz-nothing")
    _answered(qtbot, demo_window)
    assert demo_window.model.rowCount() == 0
    assert demo_window.empty.isVisible() and "No message matches" in demo_window.empty.text()


def test_sorting_by_clicking_headers(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    header = demo_window.table.horizontalHeader()
    model = demo_window.model

    def click(column: Column) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(
            header.viewport(),
            Qt.MouseButton.LeftButton,
            pos=header.rect().center().__class__(x, header.height() // 2),
        )

    click(Column.SUBJECT)
    subjects = [model.index(r, Column.SUBJECT).data() for r in range(model.rowCount())]
    keys = [
        demo_window.conn.execute("SELECT subject_key FROM messages WHERE id = ?", (i,)).fetchone()[
            0
        ]
        for i in model.ids
    ]
    assert model.query.sort is Column.SUBJECT
    assert keys == sorted(keys) or keys == sorted(keys, reverse=True)
    assert len(subjects) == 300
    first = list(model.ids)
    click(Column.SUBJECT)
    assert list(model.ids) == first[::-1] or model.query.descending != (keys == sorted(keys))
    click(Column.DATE)
    dates = [
        demo_window.conn.execute("SELECT sort_date FROM messages WHERE id = ?", (i,)).fetchone()[0]
        for i in model.ids
    ]
    assert dates == sorted(dates) or dates == sorted(dates, reverse=True)
    click(Column.CORRESPONDENT)
    names = [model.index(r, Column.CORRESPONDENT).data() for r in range(model.rowCount())]
    plain = [n.removeprefix("To: ").casefold() for n in names]
    assert plain[0] <= plain[-1] or plain[0] >= plain[-1]
    assert model.query.sort is Column.CORRESPONDENT
    for column in (Column.CONTACTS, Column.ATTRIBUTED):
        # The offscreen screen is 800 px wide, where the list drops these two (column_fit).
        demo_window.table.setColumnHidden(column, False)
        click(column)
        shown = [model.index(r, column).data() for r in range(model.rowCount())]
        filled = [text.split(",")[0].casefold() for text in shown if text]
        assert filled and filled in (sorted(filled), sorted(filled, reverse=True))


def test_next_needs_action_shortcut(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    demo_window.table.setFocus()
    seen = set()
    for _ in range(3):
        qtbot.keyClick(demo_window.table, Qt.Key.Key_N)
        message_id = demo_window.selected_message_id()
        assert message_id is not None
        reason = demo_window.conn.execute(
            "SELECT reason FROM messages WHERE id = ?", (message_id,)
        ).fetchone()[0]
        assert reason in {r.value for r in NEEDS_ACTION}
        seen.add(message_id)
    assert len(seen) == 3
    qtbot.keyClick(demo_window.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.selected_message_id() not in seen or len(seen) > 50


def test_folders_in_the_sidebar_scope_the_table(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    account = demo_window.sidebar_model.index(0, 0)
    sent = demo_window.sidebar_model.index(1, 0, account)
    assert sent.data() == "Sent"
    demo_window.sidebar.setCurrentIndex(sent)
    expected = demo_window.conn.execute(
        "SELECT count(*) FROM messages m JOIN folders f ON f.id = m.folder_id WHERE f.role = 'sent'"
    ).fetchone()[0]
    assert demo_window.model.rowCount() == expected
    assert demo_window.model.index(0, Column.CORRESPONDENT).data().startswith("To: ")


def test_geometry_and_column_widths_are_remembered(qtbot, demo_cache, secrets, settings) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(demo_cache, secrets=secrets, settings=settings, sync_on_start=False)
    qtbot.addWidget(first)
    first.show()
    first.resize(780, 541)
    first.table.horizontalHeader().resizeSection(Column.CORRESPONDENT, 233)
    first.close()
    again = MainWindow(
        demo_cache,
        secrets=secrets,
        settings=QSettings(settings.fileName(), QSettings.Format.IniFormat),
        sync_on_start=False,
    )
    qtbot.addWidget(again)
    again.show()
    # The offscreen screen is 800 px wide: the width is clamped to it, the height is not.
    assert again.size().height() == 541
    assert again.table.horizontalHeader().sectionSize(Column.CORRESPONDENT) == 233
    again.close()


def test_register_view_adds_a_dock_page_or_dialog(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    seen: list[object] = []

    def outbox(window: MainWindow) -> QWidget:
        seen.append(window)
        return QLabel("outbox")

    action = demo_window.register_view("Outbox", outbox, ViewKind.DOCK)
    assert seen == [demo_window]
    action.trigger()
    assert demo_window.view("Outbox") is not None and demo_window.view("Outbox").isVisible()  # type: ignore[union-attr]
    page = demo_window.register_view("Activity", lambda w: QLabel("activity"), ViewKind.PAGE)
    page.trigger()
    shown = demo_window.stack.currentWidget()
    assert shown.isAncestorOf(demo_window.view("Activity"))  # under its title and Back
    qtbot.keyClick(demo_window.view("Activity"), Qt.Key.Key_Escape)
    assert demo_window.stack.currentWidget() is demo_window.splitter
    with qtbot.waitSignal(demo_window.refreshed, timeout=2000):
        demo_window.refresh()


def test_a_live_re_read_brings_the_rows_on_screen(
    qtbot, demo_window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: while a sync writes, the reader re-reads the ids with the rows on screen, so
    the table reads no page on the GUI thread (one could wait on the database 100-200 ms)."""
    import threading

    demo_window.show()
    qtbot.waitUntil(lambda: not demo_window.reader.busy and demo_window.model.rowCount() > 0)
    demo_window.table.viewport().grab()
    read_by: list[bool] = []  # True: on the GUI thread
    display_rows = views.display_rows

    def recorded(*args):  # type: ignore[no-untyped-def]
        read_by.append(threading.current_thread() is threading.main_thread())
        return display_rows(*args)

    monkeypatch.setattr(views, "display_rows", recorded)
    before = demo_window.model._read_at
    demo_window.reader.request(demo_window.model.query, sidebar=True)  # as a live refresh does
    qtbot.waitUntil(lambda: demo_window.model._read_at > before and not demo_window.reader.busy)
    demo_window.table.viewport().grab()  # a repaint of the rows on screen
    assert read_by and not any(read_by), read_by
