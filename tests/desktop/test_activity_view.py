"""The activity view: table and bars agree with the report, per period."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from core.store import db
from desktop.activity_view import ActivityView
from tests.desktop.conftest import OFFSCREEN_NOISE
from tests.preview.conftest import Workspace, open_workspace

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    yield workspace
    workspace.conn.close()


def test_table_and_bars_show_each_users_count(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    view = ActivityView(lambda: db.connect(ws.path), "demo")
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    view.set_period(date(2026, 7, 1), date(2026, 11, 30))
    names = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    counts = [int(view.table.item(r, 2).text()) for r in range(view.table.rowCount())]
    assert names[0] == "Mia Rossi" and counts == sorted(counts, reverse=True)
    assert view.status.text() == f"{sum(counts)} logged emails in the period."
    bars = view.chart.bar_rects()
    assert len(bars) == len(names)
    assert bars[0].width() > bars[-1].width() >= 0
    assert bars[0].width() / counts[0] == pytest.approx(bars[1].width() / counts[1], rel=1e-6)
    rows = list(csv.DictReader(io.StringIO(view.csv())))
    assert [r["user"] for r in rows] == names
    view.chart.grab()  # paints without a Qt warning


def test_an_empty_period_and_a_reversed_one(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    view = ActivityView(lambda: db.connect(ws.path), "demo")
    qtbot.addWidget(view)
    view.set_period(date(2020, 1, 1), date(2020, 1, 31))
    assert view.status.text() == "0 logged emails in the period."
    view.set_period(date(2000, 1, 1), date(2030, 1, 1))
    assert view.table.rowCount() > 0
    view.set_period(date(2026, 11, 30), date(2026, 11, 1))
    assert view.status.text() == "the period ends (2026-11-01) before it starts (2026-11-30)"
    assert view.table.rowCount() == 0 and view.rows == []  # no stale figures under the error


def test_copy_as_csv_neutralises_formulas(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    evil = '=HYPERLINK("http://evil.example","Click")'
    ws.conn.execute("UPDATE directory_users SET name = ? WHERE id = 'u-mia'", (evil,))
    view = ActivityView(lambda: db.connect(ws.path), "demo")
    qtbot.addWidget(view)
    view.set_period(date(2026, 7, 1), date(2026, 11, 30))
    qtbot.mouseClick(view.copy_csv, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    cells = [c for row in csv.reader(io.StringIO(copied)) for c in row]
    assert "'" + evil in cells and evil not in cells


def test_a_line_drills_down_to_the_emails_it_counts(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    """Issue 15 (finding 8): each line opens onto its emails, and they add up to its count."""
    view = ActivityView(lambda: db.connect(ws.path), "demo")
    qtbot.addWidget(view)
    view.set_period(date(2026, 7, 1), date(2026, 11, 30))
    assert view.emails.rowCount() == 0  # no line chosen yet
    for i, line in enumerate(view.rows):
        view.table.setCurrentCell(i, 0)
        assert view.emails.rowCount() == line.emails == len(view.counted)
        assert len({e.row for e in view.counted}) == line.emails
        dates = [e.sort_date for e in view.counted]
        assert dates == sorted(dates, reverse=True)
    mia = next(i for i, r in enumerate(view.rows) if r.user == "Mia Rossi")
    view.table.setCurrentCell(mia, 0)
    assert view.emails_title.text() == f"Emails counted for Mia Rossi ({view.rows[mia].emails}):"
    folders = {view.emails.item(r, 3).text() for r in range(view.emails.rowCount())}
    assert "Inbox" in folders and "INBOX" not in folders and "Drafts" not in folders
    view.set_period(date(2026, 9, 1), date(2026, 9, 30))  # the same user, another period
    mia = next(i for i, r in enumerate(view.rows) if r.user == "Mia Rossi")
    assert view.table.currentRow() == mia and view.emails.rowCount() == view.rows[mia].emails
    view.set_period(date(2026, 11, 30), date(2026, 11, 1))
    assert view.emails.rowCount() == 0 and view.counted == []  # nothing stale under the error


def test_a_counted_email_opens_in_the_window(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    from desktop.app import install_views

    install_views(demo_window)
    try:
        demo_window.show()
        view = next(v for v in demo_window.findChildren(ActivityView))
        view.set_period(date(2026, 7, 1), date(2026, 11, 30))
        view.table.setCurrentCell(0, 0)
        wanted = view.counted[0].row
        view.emails.setCurrentCell(0, 0)
        view.emails.setFocus()
        qtbot.keyClick(view.emails, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: demo_window.selected_message_id() == wanted)
        assert not view.isVisible()  # back to the messages, on that email
    finally:
        demo_window.crm.timer.stop()
