"""The check panel: a live verdict as the rep types, reply-all sentences, warnings and fixes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from core.preview.draft import drafts
from core.store import db
from desktop.check_panel import CheckPanel
from desktop.draft_actions import AddBccAction
from tests.preview.conftest import Workspace, open_workspace

BCC = "24681357@bcc.hubspot.example"
# The offscreen platform cannot raise the completion popup nor grab the keyboard for it.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _texts(panel: CheckPanel) -> str:
    return "\n".join(label.text() for label in panel.findChildren(QLabel))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    yield workspace
    workspace.conn.close()


@pytest.fixture
def panel(qtbot, ws: Workspace) -> CheckPanel:  # type: ignore[no-untyped-def]
    widget = CheckPanel(lambda: db.connect(ws.path), "demo")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_typing_a_recipient_updates_the_verdict_without_a_click(qtbot, panel: CheckPanel) -> None:  # type: ignore[no-untyped-def]
    assert panel.verdict.text() == "Type a recipient to see the verdict."
    qtbot.keyClicks(panel.to, "karen.liu@umbrella-health.example")
    qtbot.waitUntil(lambda: "Will be logged" in panel.verdict.text())
    assert "it is with a contact and the account logs all emails" in panel.verdict.text()
    assert "Karen Liu" in panel.details.text()
    assert "Counts for: Mia Rossi" in panel.details.text()
    assert panel.replies.text().startswith("If Karen Liu replies to all, it counts for Mia Rossi")
    assert "R8" not in panel.trace.text()  # plain words; the rule ids in its tooltip
    assert "R8" in panel.trace.toolTip()

    qtbot.keyClicks(panel.cc, "stranger@nowhere.example")
    qtbot.waitUntil(
        lambda: panel.findChild(type(panel.verdict).__base__, "warning_not_a_contact") is not None
    )


def test_a_stranger_alone_offers_the_bcc_fix_which_turns_the_verdict(
    qtbot, panel: CheckPanel
) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(panel.to, "carlos@atlas-cargo.example")
    qtbot.waitUntil(lambda: "Won't be logged: nobody on it is a contact" in panel.verdict.text())
    fix = panel.findChild(QPushButton, "fix_add_bcc")
    assert fix is not None
    qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
    assert panel.bcc.text() == BCC
    qtbot.waitUntil(lambda: "Will be logged: it is sent to the BCC address" in panel.verdict.text())


def test_reply_all_of_a_contact_with_an_owner_and_two_users(qtbot, panel: CheckPanel) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(panel.to, "marcus.webb@umbrella-health.example")
    qtbot.keyClicks(panel.cc, "claire.dubois@globex.example")
    qtbot.waitUntil(lambda: "Marcus" in panel.replies.text())
    assert "because two users are on the thread" in panel.replies.text()


def test_completion_offers_directory_names(qtbot, panel: CheckPanel) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(panel.to, "karen")
    completer = panel.to.completer_
    assert completer.completionCount() >= 1
    assert "karen.liu@umbrella-health.example" in completer.currentCompletion()
    panel.to._insert(completer.currentCompletion())
    assert panel.to.text() == "Karen Liu <karen.liu@umbrella-health.example>, "


def test_a_draft_preview_and_its_add_bcc_button(
    qtbot, panel: CheckPanel, ws: Workspace, make_tasks
) -> None:  # type: ignore[no-untyped-def]
    (row,) = [r.id for r in drafts(ws.conn, ws.account.id) if "Atlas Cargo" in (r.subject or "")]
    assert panel.show_draft(row)
    assert "nobody on it is a contact" in panel.verdict.text()
    action = AddBccAction(make_tasks(ws.path))
    panel.add_bcc_requested.connect(action.run)
    fix = panel.findChild(QPushButton, "fix_add_bcc")
    assert fix is not None
    with qtbot.waitSignal(action.finished, timeout=20_000) as done:
        qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert result.row_id is not None
    panel.reload()
    assert panel.show_draft(result.row_id)
    assert "Will be logged: it is sent to the BCC address" in panel.verdict.text()
    assert BCC in panel.bcc.text()


def test_picking_the_message_it_answers_threads_the_email(qtbot, panel: CheckPanel) -> None:  # type: ignore[no-untyped-def]
    index = panel.replies_to.findText(
        "Re: Route optimisation for Quantum Freight", Qt.MatchFlag.MatchStartsWith
    )
    assert index > 0
    panel.replies_to.setCurrentIndex(index)
    assert panel.subject.text() == "Re: Route optimisation for Quantum Freight"
    panel.to.setText("dana.kim@quantumfreight.example")
    qtbot.waitUntil(lambda: panel.result is not None)
    assert panel.result is not None
    assert panel.result.message.in_reply_to is not None
    assert panel.result.verdict.reason.value == "thread_reply"
    assert "It belongs to a logged thread with the same subject" in panel.trace.text()


def test_a_half_typed_address_is_not_judged(qtbot, panel: CheckPanel) -> None:  # type: ignore[no-untyped-def]
    """Issue 15 finding 8: no "ka is outside the team" while "karen..." is being typed."""
    panel.activateWindow()
    panel.to.setFocus()
    qtbot.waitUntil(panel.to.hasFocus)
    qtbot.keyClicks(panel.to, "ka")
    qtbot.wait(300)  # past the debounce
    assert panel.verdict.text() == "Type a recipient to see the verdict."
    assert "ka" not in panel.trace.text()
    qtbot.keyClicks(panel.to, "ren.liu@umbrella-health.example")
    qtbot.waitUntil(lambda: "Will be logged" in panel.verdict.text())
    panel.to.setText("karen.liu@umbrella-health.example, jo")
    qtbot.wait(300)
    assert "Will be logged" in panel.verdict.text()  # judged on the complete one only


def test_new_and_clear(qtbot, panel: CheckPanel, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    (row,) = [r.id for r in drafts(ws.conn, ws.account.id) if "Atlas Cargo" in (r.subject or "")]
    assert panel.show_draft(row)  # the recipients come from the selected draft
    assert panel.to.text() and panel.draft_row == row
    panel.clear_button.click()
    assert (panel.to.text(), panel.subject.text()) == ("", "")
    assert panel.draft_row == row  # Clear keeps the draft it previews
    assert panel.show_draft(row)
    panel.new_button.click()
    assert panel.draft_row is None and not panel.draft_label.isVisible()
    assert panel.to.text() == "" and panel.replies_to.currentIndex() == 0
