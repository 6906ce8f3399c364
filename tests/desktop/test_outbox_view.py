"""The outbox view and the one-click actions in the app (pytest-qt, offscreen, demo workspace)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.crm.outbox_worker import Backoff
from core.rules.actions import Action
from core.rules.model import Reason
from core.store import db, outbox
from core.store.outbox import State
from desktop.outbox_view import CrmActions, OutboxView
from tests.crm.workspace import demo_cache, demo_directory, reason_of, row_by_subject
from tests.desktop.conftest import OFFSCREEN_NOISE, explained

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

REPLIES_ONLY = {**demo_directory()["account"], "logging_rule": "replies_only"}


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    path = tmp_path / "mailscope.sqlite"
    conn, _ = demo_cache(path, account=REPLIES_ONLY)
    conn.close()
    return path


@pytest.fixture
def crm(cache_path: Path, make_tasks: Any) -> Iterator[CrmActions]:
    made = CrmActions(make_tasks(cache_path), backoff=Backoff(base=60.0))
    yield made
    made.close()


@pytest.fixture
def view(qtbot: Any, crm: CrmActions) -> OutboxView:
    made = OutboxView(crm, "demo")
    qtbot.addWidget(made)
    made.show()
    return made


def _reader(path: Path) -> sqlite3.Connection:
    return db.connect(path)


def test_log_now_from_the_detail_pane_handler_is_delivered_in_the_background(
    qtbot: Any, qtmodeltester: Any, view: OutboxView, crm: CrmActions, cache_path: Path
) -> None:
    conn = _reader(cache_path)
    row = row_by_subject(conn, "Data export for our board meeting", "inbox")
    crm.start()
    with qtbot.waitSignal(crm.delivered, timeout=10_000) as delivered:
        crm.handle(row, Action.LOG_NOW)
        crm.handle(row, Action.LOG_NOW)  # a double click adds nothing
    assert delivered.args[1] == "done"
    qtbot.waitUntil(lambda: view.model.data(view.model.index(0, 1)) == "Done", timeout=5000)
    assert view.model.rowCount() == 1
    qtmodeltester.check(view.model)
    assert reason_of(conn, row) is Reason.ALREADY_LOGGED
    conn.close()


def test_retry_and_cancel_through_the_buttons(
    qtbot: Any, qtmodeltester: Any, view: OutboxView, crm: CrmActions, cache_path: Path
) -> None:
    conn = _reader(cache_path)
    queued = []
    for subject in ("Integration with our WMS", "Data export for our board meeting"):
        with qtbot.waitSignal(crm.queued) as done:
            crm.log_now(row_by_subject(conn, subject, "inbox"))
        queued.append(done.args[0])
    first, second = queued
    assert first is not None and second is not None
    assert view.model.rowCount() == 2
    qtmodeltester.check(view.model)
    view.select_item(first.item.id)
    assert view.cancel_button.isEnabled()
    with qtbot.waitSignal(view.changed):
        view.cancel_button.click()
    assert outbox.get(conn, first.item.id).state is State.CANCELLED
    assert view.model.data(view.model.index(1, 1)) == "Cancelled"
    assert view.retry_button.isEnabled() and not view.cancel_button.isEnabled()
    with qtbot.waitSignal(view.changed):
        view.retry_button.click()
    assert outbox.get(conn, first.item.id).state is State.PENDING
    conn.close()


def test_a_refused_click_says_why(
    qtbot: Any, view: OutboxView, crm: CrmActions, cache_path: Path
) -> None:
    conn = _reader(cache_path)
    row = row_by_subject(conn, "Congrats on Initrode", "inbox")
    with qtbot.waitSignal(crm.failed) as failed:
        crm.handle(row, Action.LOG_NOW)
    assert "Never-log" in failed.args[0]
    assert "Never-log" in view.message.text()
    assert view.model.rowCount() == 0
    conn.close()


def test_create_contact_from_a_message(
    qtbot: Any, view: OutboxView, crm: CrmActions, tmp_path: Path, make_tasks: Any
) -> None:
    path = tmp_path / "all.sqlite"
    conn, _ = demo_cache(path)
    row = row_by_subject(conn, "Request for a demo – Atlas Cargo", "inbox")
    actions = CrmActions(make_tasks(path))
    try:
        actions.start()
        with qtbot.waitSignal(actions.delivered, timeout=10_000) as delivered:
            actions.handle(row, Action.CREATE_CONTACT)
        assert delivered.args[1] == "done"
        assert reason_of(conn, row) is Reason.LOG_ALL_CONTACT  # a contact now: log all takes it
    finally:
        actions.close()
    conn.close()


def test_install_wires_log_now_in_the_main_window(qtbot: Any, demo_window: Any) -> None:
    from PySide6.QtWidgets import QPushButton

    from desktop.outbox_view import install

    views = install(demo_window)
    try:
        conn = demo_window.conn
        row = row_by_subject(conn, "Request for a demo – Atlas Cargo", "inbox")
        assert reason_of(conn, row) is Reason.NOT_A_CONTACT
        assert demo_window.select_message(row)
        explained(qtbot, demo_window, row)
        button = demo_window.detail.findChild(QPushButton, "action_log_now")
        assert button is not None and button.isEnabled()
        safe = demo_window.safe_actions
        safe.hold = 0.0  # no Undo window in this test (tests/desktop/test_safe_actions.py)
        button.click()
        qtbot.waitUntil(lambda: safe.dialog is not None, timeout=5000)  # who is created
        assert "carlos.mendes@atlas-cargo.example" in safe.dialog.text()
        with qtbot.waitSignal(views.actions.delivered, timeout=10_000) as delivered:
            safe.dialog.buttons()[0].click()
        assert delivered.args[1] == "done"
        qtbot.waitUntil(lambda: reason_of(conn, row) is Reason.ALREADY_LOGGED, timeout=5000)
        with qtbot.waitSignal(demo_window.refreshed, timeout=5000):
            demo_window.refresh()
        qtbot.waitUntil(  # the pane now says "already logged": no "Log now" button left
            lambda: demo_window.detail.findChild(QPushButton, "action_log_now") is None,
            timeout=5000,
        )
        assert views.outbox.model.rowCount() == 1
        assert views.settings.service is not None
    finally:
        views.actions.close()


def test_a_change_that_arrives_after_the_actions_closed_is_ignored(
    qtbot: Any, cache_path: Path, make_tasks: Any
) -> None:
    """The worker's last outcome crosses to the GUI thread queued: it may arrive after the
    window closed the actions (and their connection). The view then reads nothing."""
    from PySide6.QtCore import QMetaObject, Qt

    actions = CrmActions(make_tasks(cache_path), backoff=Backoff(base=60.0))
    made = OutboxView(actions, "demo")
    qtbot.addWidget(made)
    before = made.model.rowCount()
    # A delivery's "changed", as the worker's thread sends it: queued, then the actions close.
    QMetaObject.invokeMethod(actions, "changed", Qt.ConnectionType.QueuedConnection)
    actions.close()
    with qtbot.waitSignal(made.changed, timeout=300, raising=False) as late:
        pass
    assert not late.signal_triggered  # the view did not reload over a closed connection
    assert made.model.rowCount() == before
