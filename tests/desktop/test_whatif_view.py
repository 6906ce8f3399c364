"""The what-if view on the demo cache: a simulation in the background, nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from desktop.whatif_view import WhatIfView
from tests.preview.conftest import Workspace, open_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    yield workspace
    workspace.conn.close()


def _column(table: QTableWidget, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_replies_only_shows_the_difference_and_writes_nothing(
    qtbot, ws: Workspace, make_tasks
) -> None:  # type: ignore[no-untyped-def]
    view = WhatIfView(make_tasks(ws.path), "demo")
    qtbot.addWidget(view)
    view.days.setValue(3650)
    view.rule.setCurrentIndex(view.rule.findData("replies_only"))
    version = ws.conn.execute("PRAGMA data_version").fetchone()[0]
    with qtbot.waitSignal(view.finished, timeout=30_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert ws.conn.execute("PRAGMA data_version").fetchone()[0] == version
    reasons = dict(zip(_column(view.reasons, 0), _column(view.reasons, 2), strict=True))
    assert int(reasons["Replies only"]) > 0
    assert "Mia Rossi" in _column(view.users, 0)
    assert view.changes.rowCount() == len(view.result.changes) > 0
    assert "Pilot scope and timeline – Quantum Freight" in _column(view.changes, 0)
    assert view.status.text().startswith("Log replies only: over the last 3650 days")
    assert "replies_only" not in view.status.text() + " ".join(_column(view.changes, 2))
    assert _column(view.changes, 2)[0].startswith(("✓ ", "✕ ", "! "))  # the badges' words
    assert view.run_button.isEnabled()


def test_nothing_chosen_asks_for_a_change(qtbot, ws: Workspace, make_tasks) -> None:  # type: ignore[no-untyped-def]
    view = WhatIfView(make_tasks(ws.path), "demo")
    qtbot.addWidget(view)
    view.run()
    assert view.status.text() == "Choose a rule, a Never-log or a contacts change first."


def test_a_bad_never_log_entry_is_one_line(qtbot, ws: Workspace, make_tasks) -> None:  # type: ignore[no-untyped-def]
    view = WhatIfView(make_tasks(ws.path), "demo")
    qtbot.addWidget(view)
    view.add.setText("two words")
    view.run()
    qtbot.waitUntil(lambda: view.run_button.isEnabled())
    assert view.status.text() == "'two words' is not an address or a domain"


def test_an_error_replaces_the_figures_of_an_earlier_run(qtbot, ws: Workspace, make_tasks) -> None:  # type: ignore[no-untyped-def]
    """Issue 15 finding 8: no stale figures under an error."""
    view = WhatIfView(make_tasks(ws.path), "demo")
    qtbot.addWidget(view)
    view.rule.setCurrentIndex(view.rule.findData("replies_only"))
    view.days.setValue(3650)
    with qtbot.waitSignal(view.finished, timeout=30_000):
        view.run()
    assert view.reasons.rowCount() > 0
    view.add.setText("two words")
    view.run()
    qtbot.waitUntil(lambda: view.run_button.isEnabled())
    assert view.reasons.rowCount() == view.users.rowCount() == view.changes.rowCount() == 0
    assert view.status.text() == "'two words' is not an address or a domain"
