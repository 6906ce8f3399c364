"""Issue 15 finding 2: one click never pollutes the CRM. Creating a contact is confirmed (who,
which address, which owner), bulk senders always ask, and every queued action can be undone
while it waits (the real window, the demo workspace and its local CRM, offscreen)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from core.rules.actions import Action
from core.store import outbox
from core.store.accounts import get_account
from core.store.directory import load_directory
from core.store.outbox import State
from desktop.crm_safety import ASK_KEY
from tests.crm.workspace import row_by_subject
from tests.desktop.conftest import OFFSCREEN_NOISE, explained

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

NEWSLETTER = "SaaS Sales Digest #88"
PROSPECT = "Request for a demo – Atlas Cargo"


@pytest.fixture
def crm(demo_window: Any) -> Any:
    from desktop.outbox_view import install

    views = install(demo_window)
    yield views
    views.actions.close()


def _is_contact(window: Any, email: str) -> bool:
    account = get_account(window.conn, "demo")
    assert account is not None
    directory = load_directory(window.conn, account)[0]
    return directory.kind(email) == "contact"


def _items(window: Any) -> list[outbox.OutboxItem]:
    return outbox.items(window.conn)


def _ctrl_l(qtbot: Any, window: Any, subject: str) -> None:
    """Select a message and press Ctrl+L, as a rep would."""
    from PySide6.QtCore import Qt

    row = row_by_subject(window.conn, subject, "inbox")
    assert window.select_message(row)
    explained(qtbot, window, row)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def test_log_now_on_a_newsletter_asks_first_and_cancel_creates_nothing(
    qtbot: Any, demo_window: Any, crm: Any
) -> None:
    safe = demo_window.safe_actions
    safe.request(row_by_subject(demo_window.conn, NEWSLETTER, "inbox"), Action.LOG_NOW)
    qtbot.waitUntil(lambda: safe.dialog is not None, timeout=5000)
    text = safe.dialog.text()
    assert "digest@saas-digest.example" in text and "Owner: Mia Rossi" in text
    assert "bulk mail" in text
    assert safe.dialog.checkBox() is None  # a bulk sender always asks: no "don't ask again"
    safe.dialog.buttons()[-1].click()  # Cancel
    assert "Nothing was created" in demo_window.statusBar().currentMessage()
    assert _items(demo_window) == []


def test_a_bulk_sender_asks_even_when_others_do_not(qtbot: Any, demo_window: Any, crm: Any) -> None:
    demo_window.settings.setValue(ASK_KEY, False)
    safe = demo_window.safe_actions
    safe.request(row_by_subject(demo_window.conn, NEWSLETTER, "inbox"), Action.CREATE_CONTACT)
    qtbot.waitUntil(lambda: safe.dialog is not None, timeout=5000)
    safe.dialog.reject()


def test_confirm_then_undo_within_the_hold_leaves_the_crm_unchanged(
    qtbot: Any, demo_window: Any, crm: Any
) -> None:
    safe = demo_window.safe_actions
    safe.hold = 1.0  # the app's is 10 s; the test waits past a shorter one
    _ctrl_l(qtbot, demo_window, PROSPECT)
    qtbot.waitUntil(lambda: safe.dialog is not None, timeout=5000)
    assert "Carlos Mendes <carlos.mendes@atlas-cargo.example>" in safe.dialog.text()
    safe.dialog.checkBox().setChecked(True)  # don't ask again for non-bulk senders
    with qtbot.waitSignal(crm.actions.queued, timeout=5000):
        safe.dialog.buttons()[0].click()  # Create
    assert safe.undo_button.isVisible()
    assert demo_window.statusBar().currentMessage().startswith("Queued: Log")
    safe.undo_button.click()
    qtbot.waitUntil(lambda: _items(demo_window)[0].state is State.CANCELLED, timeout=5000)
    assert "Undone" in demo_window.statusBar().currentMessage()
    time.sleep(1.5)  # past the hold: the worker never takes a cancelled row
    qtbot.wait(200)
    assert _items(demo_window)[0].state is State.CANCELLED
    assert not _is_contact(demo_window, "carlos.mendes@atlas-cargo.example")
    assert demo_window.settings.value(ASK_KEY, type=bool) is False


def test_without_undo_it_is_delivered_after_the_hold(
    qtbot: Any, demo_window: Any, crm: Any
) -> None:
    demo_window.settings.setValue(ASK_KEY, False)  # a non-bulk sender: no question
    safe = demo_window.safe_actions
    safe.hold = 0.5
    with qtbot.waitSignal(crm.actions.queued, timeout=5000) as queued:
        _ctrl_l(qtbot, demo_window, PROSPECT)
    assert safe.dialog is None
    assert queued.args[0].item.state is State.PENDING  # waiting: cancellable in the outbox
    with qtbot.waitSignal(crm.actions.delivered, timeout=10_000) as delivered:
        pass
    assert delivered.args[1] == "done"
    assert _is_contact(demo_window, "carlos.mendes@atlas-cargo.example")


def test_a_newsletter_needs_no_action_in_the_window(qtbot: Any, demo_window: Any, crm: Any) -> None:
    """Issue 15 finding 1 (the window's side): its badge, the pane and Ctrl+L leave it alone."""
    from core.store.views import Column
    from desktop import style
    from desktop.message_model import BADGE_ROLE

    row = row_by_subject(demo_window.conn, NEWSLETTER, "inbox")
    index = demo_window.model.index(demo_window.model.row_of(row), Column.VERDICT)
    found = index.data(BADGE_ROLE)
    assert found.tone is not style.Tone.NEEDS_ACTION  # not "needs action": bulk mail
    demo_window.select_message(row)
    explained(qtbot, demo_window, row)
    pane = demo_window.detail
    assert pane.advice.isVisible() and "Bulk mail" in pane.advice.text()
    assert pane.findChild(object, "action_log_now") is None
    demo_window.next_needs_action()
    assert demo_window.selected_message_id() != row
    _ctrl_l(qtbot, demo_window, NEWSLETTER)  # on purpose: it asks, always, for bulk mail
    safe = demo_window.safe_actions
    qtbot.waitUntil(lambda: safe.dialog is not None, timeout=5000)
    assert "bulk mail" in safe.dialog.text() and safe.dialog.checkBox() is None
    safe.dialog.reject()
    assert _items(demo_window) == []
