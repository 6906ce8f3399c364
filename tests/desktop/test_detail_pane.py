"""The detail pane says what the engine says, for a message of every reason."""

from __future__ import annotations

import json

import pytest

from core.rules.actions import ACTION_TEXT, Action
from core.rules.model import Reason
from core.rules.trace import render_trace, summary
from core.store.accounts import get_account
from core.store.directory import load_directory
from core.store.verdicts import settle
from desktop.detail_text import plain_step
from desktop.main_window import MainWindow
from tests.desktop.conftest import OFFSCREEN_NOISE, explained


def _plain(html: str) -> str:
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText().replace("\u200b", "")


pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _one_of_each(window: MainWindow) -> dict[str, int]:
    rows = window.conn.execute("SELECT reason, min(id) FROM messages GROUP BY reason").fetchall()
    return {str(reason): int(message_id) for reason, message_id in rows}


def _prospect(window: MainWindow) -> int:
    """A "not a contact" message that is no bulk mail: it offers Log now (rules section 7)."""
    found = window.conn.execute(
        "SELECT min(id) FROM messages WHERE reason = 'not_a_contact' AND bulk = 0"
    ).fetchone()
    return int(found[0])


def _check_pane(qtbot, window: MainWindow, message_id: int) -> str:  # type: ignore[no-untyped-def]
    assert window.select_message(message_id)
    explained(qtbot, window, message_id)
    pane = window.detail
    found = pane.explanation
    assert found is not None and found.matches_stored
    stored = window.conn.execute(
        "SELECT logged, reason, contacts, attributed_to FROM messages WHERE id = ?", (message_id,)
    ).fetchone()
    v = found.verdict
    assert (int(v.logged), v.reason.value, list(v.contacts), v.attributed_to) == (
        stored[0],
        stored[1],
        json.loads(stored[2]),
        stored[3],
    )
    text = pane.plain_text()
    assert summary(v) in text
    assert found.trace == render_trace(v)  # rendered by the worker, on its own connection
    for step in found.trace:  # in plain words: the rule ids are in "Technical details"
        assert plain_step(step.rule, step.text) in text
        assert step.text in _plain(pane.technical.text())
    account = get_account(window.conn, "demo")
    assert account is not None
    directory, _ = load_directory(window.conn, account)  # the pane's thread asks its own
    for contact in v.contacts:
        assert directory.contacts[contact].name in text
    return text


def _reason_switch(window: MainWindow, rule: str, create_contacts: bool = False) -> None:
    window.conn.execute(
        "UPDATE directory SET logging_rule = ?, create_contacts = ?", (rule, create_contacts)
    )
    account = get_account(window.conn, "demo")
    assert account is not None
    settle(window.conn, account, everything=True)
    window.refresh()


def test_every_reason_is_explained(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    under_all = _one_of_each(demo_window)
    for message_id in under_all.values():
        _check_pane(qtbot, demo_window, message_id)
    _reason_switch(demo_window, "replies_only")
    under_replies = _one_of_each(demo_window)
    for reason in ("replies_only", "subject_changed"):
        _check_pane(qtbot, demo_window, under_replies[reason])
    _reason_switch(demo_window, "all", create_contacts=True)  # rules R9b
    under_beta = _one_of_each(demo_window)
    shown = _check_pane(qtbot, demo_window, under_beta["new_contact"])
    assert "R9b" not in shown  # plain words in the pane; the id in "Technical details"
    assert "R9b:" in _plain(demo_window.detail.technical.text())
    assert set(under_all) | set(under_replies) | set(under_beta) == {r.value for r in Reason}


def test_an_action_nobody_handles_shows_no_dead_button(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Issue 15 finding 4: no control is shown disabled with "not wired yet"."""
    message_id = _prospect(demo_window)
    text = _check_pane(qtbot, demo_window, message_id)
    assert "Won't be logged: nobody on it is a contact." in text
    for action in (Action.LOG_NOW, Action.CREATE_CONTACT):
        assert demo_window.detail.findChild(object, f"action_{action.value}") is None
    demo_window.detail.register_action(Action.CREATE_CONTACT, lambda i, a: None)
    button = demo_window.detail.findChild(object, "action_create_contact")
    assert button is not None and button.isEnabled()  # type: ignore[attr-defined]
    assert button.text() == str(ACTION_TEXT[Action.CREATE_CONTACT])  # type: ignore[attr-defined]


def test_a_registered_action_is_enabled_and_called(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    message_id = _prospect(demo_window)
    calls: list[tuple[int, Action]] = []
    demo_window.detail.register_action(Action.LOG_NOW, lambda i, a: calls.append((i, a)))
    demo_window.select_message(message_id)
    explained(qtbot, demo_window, message_id)
    button = demo_window.detail.findChild(object, "action_log_now")
    assert button is not None and button.isEnabled()  # type: ignore[attr-defined]
    button.click()  # type: ignore[attr-defined]
    assert calls == [(message_id, Action.LOG_NOW)]


def test_the_body_is_shown_at_once_as_text(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Issue 15 finding 7: the body follows the verdict banner with no extra click."""
    message_id = demo_window.conn.execute(
        "SELECT id FROM messages WHERE subject LIKE 'Lieferantenstammdaten%'"
    ).fetchone()[0]
    demo_window.select_message(message_id)
    explained(qtbot, demo_window, message_id)
    pane = demo_window.detail
    qtbot.waitUntil(lambda: pane.body.isVisible(), timeout=5000)
    assert "Lieferantenformular" in pane.body.toPlainText()


def test_an_html_message_with_a_cid_image(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    row = demo_window.conn.execute(
        "SELECT m.id FROM messages m JOIN local_keys k ON k.folder_id = m.folder_id"
        " AND k.uid = m.uid ORDER BY m.id"
    ).fetchall()
    from core.mail.body import load_body

    with_image = next(i for (i,) in row if load_body(demo_window.conn, i, None).inline)  # type: ignore[arg-type]
    demo_window.select_message(with_image)
    explained(qtbot, demo_window, with_image)
    pane = demo_window.detail
    qtbot.waitUntil(lambda: pane.body.isVisible(), timeout=5000)
    assert pane.show_html.isVisible()
    pane.show_html.setChecked(True)
    refused: list[str] = []
    pane.body.refused.connect(refused.append)
    qtbot.waitUntil(lambda: any(u.startswith("cid:") for u in pane.body.asked), timeout=3000)
    assert not refused  # its own part is shown, nothing else was asked for


def test_an_empty_pane_keeps_its_lines_together(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = demo_window.detail
    demo_window.resize(800, 1400)  # offscreen clamps the width, not the height: a tall pane
    demo_window.show()
    pane.clear()
    qtbot.waitUntil(lambda: pane.meta.isVisible())
    assert pane.widget().height() > 1000  # a tall pane, and its two lines at its top
    assert pane.meta.geometry().bottom() < 200, (pane.subject.geometry(), pane.meta.geometry())
    message_id = demo_window.conn.execute(
        "SELECT id FROM messages WHERE subject LIKE 'Lieferantenstammdaten%'"
    ).fetchone()[0]
    demo_window.select_message(message_id)
    explained(qtbot, demo_window, message_id)
    qtbot.waitUntil(lambda: pane.body.isVisible(), timeout=5000)
    inner = pane.widget()
    qtbot.waitUntil(lambda: pane.body.geometry().bottom() > inner.height() - 40)  # to the end
