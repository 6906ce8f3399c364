"""Every dock combination fits a 1366-pixel screen in English and in French: the filter bar
keeps the Show buttons' symbols only when their words do not fit (issues 15 and 16)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDockWidget

from desktop import translation
from desktop.filter_bar import FilterBar, symbol
from desktop.main_window import MainWindow
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)  # docks ask the window to fit


@pytest.fixture(params=["en", "fr"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    translation.setup(qapp, request.param)
    yield request.param
    translation.setup(qapp, "en")


def test_a_narrow_bar_shows_the_symbols_and_a_wide_one_the_words(qtbot: Any) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.resize(1200, 40)
    bar.show()
    qtbot.waitUntil(lambda: not bar.compact)
    words = [b.text() for b in bar.buttons.values()]
    bar.resize(bar.minimumSizeHint().width(), 40)
    qtbot.waitUntil(lambda: bar.compact)
    assert [b.text() for b in bar.buttons.values()] == [symbol(w) for w in words]
    assert [b.toolTip() for b in bar.buttons.values()] == words  # the words stay at hand
    assert bar.layout().minimumSize().width() <= bar.width()  # nothing pushed out
    bar.resize(1200, 40)
    qtbot.waitUntil(lambda: not bar.compact)


def test_symbols_are_the_leading_glyph_only() -> None:
    assert (symbol("✓ Will log"), symbol("! À traiter"), symbol("All")) == ("✓", "!", "All")
    assert symbol("Tous les motifs") == "Tous les motifs"


def test_every_dock_fits_1366_pixels(qtbot: Any, language: str, demo_window: MainWindow) -> None:
    from desktop.app import install_views

    install_views(demo_window)
    docks = demo_window.findChildren(QDockWidget)
    for shown in ([], docks[:1], docks[1:2], docks):
        for dock in docks:
            dock.setVisible(dock in shown)
        QApplication.processEvents()
        width = demo_window.minimumSizeHint().width()
        assert width <= 1366, (language, [d.windowTitle() for d in shown], width)
    demo_window.crm.timer.stop()


def test_the_subject_stays_readable_at_1366_pixels(
    qtbot: Any, language: str, demo_window: MainWindow
) -> None:
    """A narrow list drops Contacts, then Attributed to, before it squeezes the subject; a wide
    one shows every column again (issue 15 finding 3)."""
    from core.store.views import Column
    from desktop.column_fit import SUBJECT_MIN

    table = demo_window.table
    demo_window.resize(1366, 768)
    demo_window.show()
    qtbot.waitUntil(lambda: table.columnWidth(Column.SUBJECT) >= SUBJECT_MIN)
    assert table.isColumnHidden(Column.CONTACTS)  # the reading pane says who
    demo_window.resize(2400, 1000)
    qtbot.waitUntil(lambda: not table.isColumnHidden(Column.CONTACTS))
    assert not table.isColumnHidden(Column.ATTRIBUTED)
    assert table.columnWidth(Column.SUBJECT) >= SUBJECT_MIN


def test_the_columns_to_hide_are_the_fewest_that_leave_a_subject() -> None:
    from core.store.views import Column
    from desktop.column_fit import SUBJECT_MIN, hidden_for

    widths = {Column.VERDICT: 140, Column.DATE: 66, Column.CORRESPONDENT: 160}
    widths |= {Column.CONTACTS: 130, Column.ATTRIBUTED: 104}
    full = sum(widths.values()) + SUBJECT_MIN
    assert hidden_for(full, widths) == set()
    assert hidden_for(full - 1, widths) == {Column.CONTACTS}
    assert hidden_for(full - 130 - 1, widths) == {Column.CONTACTS, Column.ATTRIBUTED}
    assert hidden_for(0, widths) == {Column.CONTACTS, Column.ATTRIBUTED}
