"""The settings view: admins edit the account rules; others see why not; everyone their own list."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel

from core.rules.model import LoggingRule
from core.store import db
from desktop.settings_view import SettingsView
from tests.crm.workspace import demo_cache
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    path = tmp_path / "mailscope.sqlite"
    conn, _ = demo_cache(path)
    conn.close()
    return path


def _view(qtbot: Any, path: Path, make_tasks: Any) -> SettingsView:
    view = SettingsView(make_tasks(path), "demo")
    qtbot.addWidget(view)
    view.show()
    return view


def _reasons(path: Path) -> dict[str, int]:
    conn = db.connect(path)
    try:
        return dict(conn.execute("SELECT reason, count(*) FROM messages GROUP BY reason"))
    finally:
        conn.close()


def test_an_admin_changes_the_rule_and_the_cache_follows(
    qtbot: Any, qtmodeltester: Any, cache_path: Path, make_tasks: Any
) -> None:
    view = _view(qtbot, cache_path, make_tasks)
    assert view.banner.isHidden() and view.rule.isEnabled()
    qtmodeltester.check(view.account_list.model)
    assert view.account_list.entries() == ["initech.example", "counsel@harbor-legal.example"]
    with qtbot.waitSignal(view.changed):
        view.rule.setCurrentIndex(view.rule.findData("replies_only"))
        view.rule.activated.emit(view.rule.currentIndex())
    assert view.service.settings().logging_rule is LoggingRule.REPLIES_ONLY
    assert _reasons(cache_path)["replies_only"] == 266
    with qtbot.waitSignal(view.changed):
        view.account_list.entry.setText("Example.ORG")
        view.account_list.add_button.click()
    assert view.account_list.entries()[-1] == "example.org"
    view.account_list.view.selectionModel().select(
        view.account_list.model.index(0, 0), QItemSelectionModel.SelectionFlag.Select
    )
    with qtbot.waitSignal(view.changed):
        view.account_list.remove_button.click()
    assert view.service.settings().never_log == ("counsel@harbor-legal.example", "example.org")
    view.close_connection()


def test_the_contact_creation_beta_is_a_setting_that_re_decides(
    qtbot: Any, cache_path: Path, make_tasks: Any
) -> None:
    view = _view(qtbot, cache_path, make_tasks)
    assert not view.create_contacts.isChecked() and "new_contact" not in _reasons(cache_path)
    with qtbot.waitSignal(view.changed):
        view.create_contacts.click()  # rules R9b
    assert view.service.settings().create_contacts
    assert _reasons(cache_path)["new_contact"] == 52 and "not_a_contact" not in _reasons(cache_path)
    view.close_connection()


def test_a_bad_entry_is_refused_with_one_line(
    qtbot: Any, cache_path: Path, make_tasks: Any
) -> None:
    view = _view(qtbot, cache_path, make_tasks)
    with qtbot.waitSignal(view.failed) as failed:
        view.account_list.entry.setText("a@@b")
        view.account_list.add_button.click()
    assert "neither an email address nor a domain" in failed.args[0]
    assert view.error.text() == failed.args[0]
    view.close_connection()


def test_a_rep_sees_the_account_rules_read_only_with_the_reason(
    qtbot: Any, qtmodeltester: Any, cache_path: Path, make_tasks: Any
) -> None:
    conn = db.connect(cache_path)
    conn.execute("UPDATE directory SET mailbox_owner = 'u-raj'")
    conn.close()
    view = _view(qtbot, cache_path, make_tasks)
    assert not view.banner.isHidden()
    assert "Only a user with account access" in view.banner.text()
    assert "Raj Patel" in view.banner.text()
    for widget in (view.rule, view.create_contacts, view.bcc, view.forward, view.save_addresses):
        assert not widget.isEnabled()
    assert not view.account_list.add_button.isEnabled()
    assert view.personal_list.add_button.isEnabled()
    qtmodeltester.check(view.personal_list.model)
    with qtbot.waitSignal(view.changed):
        view.personal_list.entry.setText("friends.example")
        view.personal_list.add_button.click()
    assert view.personal_list.entries() == ["patel-home.example", "friends.example"]
    assert view.service.current_user().never_log == ("patel-home.example", "friends.example")
    view.close_connection()


def test_the_window_reads_its_table_again_after_a_change(qtbot: Any, demo_window: Any) -> None:
    from desktop import outbox_view

    views = outbox_view.install(demo_window)
    model = demo_window.model

    def verdicts() -> Counter[str]:
        return Counter(model.data(model.index(row, 0)) for row in range(model.rowCount()))

    before = verdicts()
    assert "Replies only" not in before
    with qtbot.waitSignal(demo_window.refreshed, timeout=30_000):
        views.settings.rule.setCurrentIndex(views.settings.rule.findData("replies_only"))
        views.settings.rule.activated.emit(views.settings.rule.currentIndex())
    assert verdicts()["Replies only"] > 0 and model.rowCount() == sum(before.values())
    views.actions.close()
    views.settings.close_connection()
