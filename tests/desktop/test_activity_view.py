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
