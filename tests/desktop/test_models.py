"""Every model passes Qt's model tester; the table holds ids, not objects."""

from __future__ import annotations

import sys
import time
from array import array
from typing import Any

import pytest

from core.store import db
from core.store.queries import Show
from core.store.views import Column, TableQuery
from desktop.message_model import BADGE_ROLE, MessageTableModel, format_date
from desktop.sidebar import SidebarModel
from desktop.style import Badge, Tone
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_message_model_passes_the_model_tester(qtmodeltester, demo_cache) -> None:  # type: ignore[no-untyped-def]
    conn = db.connect(demo_cache)
    model = MessageTableModel(conn)
    model.set_query(TableQuery(account_id=1))
    assert model.rowCount() == 300
    qtmodeltester.check(model)
    model.set_query(TableQuery(account_id=1, show=Show.NEEDS_ACTION, sort=Column.SUBJECT))
    qtmodeltester.check(model)
    model.set_query(TableQuery(search="no such text anywhere"))
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_message_model_keeps_ids_in_an_array_and_reads_pages(demo_cache) -> None:  # type: ignore[no-untyped-def]
    conn = db.connect(demo_cache)
    model = MessageTableModel(conn)
    model.set_query(TableQuery(account_id=1))
    assert isinstance(model.ids, array) and model.ids.typecode == "q"
    assert model._pages == {}  # nothing read before a row is shown
    badge = model.index(299, Column.VERDICT).data(BADGE_ROLE)
    assert isinstance(badge, Badge) and badge.tone is not Tone.PENDING
    assert list(model._pages) == [1]  # only the page of row 299 (rows 200-299)


def test_an_answer_read_before_the_shown_rows_is_dropped(demo_cache) -> None:  # type: ignore[no-untyped-def]
    """A background read that started before a synchronous reload never steps the table back."""
    conn = db.connect(demo_cache)
    model = MessageTableModel(conn)
    before = time.monotonic()
    model.set_query(TableQuery(account_id=1))
    assert model.rowCount() == 300
    assert not model.apply_ids(array("q", model.ids[:100]), before)  # stale: dropped
    assert model.rowCount() == 300
    assert model.apply_ids(array("q", model.ids[:100]), time.monotonic())  # fresh: shown
    assert model.rowCount() == 100
    conn.close()


def test_sidebar_model_passes_the_model_tester(qtmodeltester, demo_cache) -> None:  # type: ignore[no-untyped-def]
    conn = db.connect(demo_cache)
    model = SidebarModel()
    model.reload(conn)
    assert model.rowCount() == 1
    names = [model.index(r, 0, model.index(0, 0)).data() for r in range(4)]
    assert names == ["Inbox", "Sent", "Drafts", "Archive"]
    qtmodeltester.check(model)


def test_dates_are_short_for_recent_messages() -> None:
    now = 1_795_600_000.0  # a Friday
    assert ":" in format_date(now - 60, now)
    assert format_date(now - 40 * 86400, now).count(" ") == 1
    assert format_date(now - 400 * 86400, now).count(" ") == 2
    assert format_date(None, now) == ""


def test_shown_texts_are_kept_until_the_rows_are_read_again(demo_cache) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: a repaint formats no text again; a re-read (a sync, an action) or hiding the
    verdicts shows the new texts, never the kept ones."""
    conn = db.connect(demo_cache)
    model = MessageTableModel(conn)
    model.set_query(TableQuery(account_id=1))
    cell = model.index(0, Column.SUBJECT)
    verdict = model.index(0, Column.VERDICT)
    first, shown_verdict = cell.data(), verdict.data()
    assert first and shown_verdict
    with db.connect(demo_cache) as other:  # a change behind the model's back
        other.execute("UPDATE messages SET subject = 'Changed' WHERE id = ?", (model.ids[0],))
    assert cell.data() == first  # kept: not read again
    model.reload()  # the same ids: the rows shown are read again
    assert cell.data() == "Changed"
    model.set_verdicts_shown(False)
    assert verdict.data() == ""
    model.set_verdicts_shown(True)
    assert verdict.data() == shown_verdict
    assert model.index(0, Column.SUBJECT).data(0x0100 + 99) is None  # a role never answered
    conn.close()


def test_a_view_asks_each_cell_once_and_gets_what_data_gives(qtbot, demo_cache) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: a repaint calls into Python once per cell (``multiData``), not once per role
    (each call waits for the GIL while a sync works), and every role answers as ``data``."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt
    from PySide6.QtWidgets import QTableView

    from desktop.message_model import ID_ROLE

    model = MessageTableModel(db.connect(demo_cache))
    model.set_query(TableQuery(account_id=1))
    roles = [int(r) for r in Qt.ItemDataRole] + [BADGE_ROLE, ID_ROLE]
    for row in (0, 7, 150, 299):
        for column in Column:
            index = model.index(row, column)
            assert model.badge(index) == model.data(index, BADGE_ROLE)  # the delegate's read
            for role in roles:
                asked = QModelRoleData(role)
                model.multiData(index, QModelRoleDataSpan(asked))
                assert asked.data() == model.data(index, role), (row, column, role)
    # Entries from Qt (not multiData's own calls, nor the index's checks of its own).
    calls = {"data": 0, "multiData": 0, "index": 0, "rowCount": 0, "columnCount": 0}

    def count(frame: Any, event: str, arg: object) -> None:
        name = frame.f_code.co_name
        if event == "call" and name in calls and frame.f_code.co_filename.endswith("_model.py"):
            caller = frame.f_back
            calls[name] += caller is None or caller.f_code.co_name not in ("multiData", "index")

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 700)
    view.show()
    sys.setprofile(count)
    try:
        view.grab()
    finally:
        sys.setprofile(None)
    cells = calls["multiData"]
    assert cells >= 20 * len(Column) and calls["data"] <= cells // 2, calls  # was 7 per cell
    # An index is one call, not the base class's rowCount and columnCount (two more per cell).
    assert calls["index"] >= cells and calls["rowCount"] + calls["columnCount"] <= 8, calls
