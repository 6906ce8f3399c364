"""Plug the before-sending views into the main window in one call: ``install(window)``.

Adds "Check an email" (a dock; it also previews the selected draft), "What if…" and "Activity
report" (pages of the View menu), and wires "Add the BCC address" (detail pane button and the
panel's fix) to a background action. Views follow the window's account and refreshes.
"""

from __future__ import annotations

import sqlite3
from typing import Any, NamedTuple

from PySide6.QtCore import QCoreApplication

from core.store import db
from core.store.queries import message_record
from desktop.activity_view import ActivityView
from desktop.check_panel import CheckPanel
from desktop.draft_actions import AddBccAction
from desktop.draft_actions import install as install_add_bcc
from desktop.whatif_view import WhatIfView

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


class PreviewViews(NamedTuple):
    panel: CheckPanel
    whatif: WhatIfView
    activity: ActivityView
    add_bcc: AddBccAction


def _owner(panel: CheckPanel) -> str:
    """The mailbox owner's name: a contact created from the panel is theirs."""
    d = panel.directory
    return d.user_label(d.mailbox_owner) if d is not None and d.mailbox_owner else ""


def _is_draft(conn: sqlite3.Connection, row_id: int) -> bool:
    """Whether a cached row is in a Drafts folder."""
    record = message_record(conn, row_id)
    return record is not None and record.columns.get("folder_role") == "drafts"


def _ask_admin(window: Any, panel: CheckPanel) -> None:
    from desktop.ask_admin import ask

    if panel.directory is not None and panel.result is not None:
        ask(window, panel.directory, panel.subject.text(), panel.result.summary)


def _read(window: Any, row_id: int) -> None:
    """From the activity report's drill-down: back to the messages, on that email."""
    from desktop.context_menus import show_in_folder

    window.show_messages()
    show_in_folder(window, row_id)


def install(window: Any) -> PreviewViews:
    """Register the views on a ``desktop.main_window.MainWindow``; returns them."""
    from desktop.window_views import ViewKind

    def connect() -> Any:
        return db.connect(window.cache)

    account = window.current_account()
    name = account.name if account is not None else ""
    panel = CheckPanel(connect, name)
    whatif = WhatIfView(window.tasks, name)
    activity = ActivityView(connect, name)
    window.register_view(translate("MainWindow", "Check an email"), lambda w: panel, ViewKind.DOCK)
    window.register_view(translate("MainWindow", "What if…"), lambda w: whatif, ViewKind.PAGE)
    window.register_view(
        translate("MainWindow", "Activity report"),
        lambda w: activity,
        ViewKind.PAGE,
    )
    action = install_add_bcc(window, panel)
    safe = getattr(window, "safe_actions", None)  # the CRM actions (desktop.outbox_view)
    if safe is not None:
        panel.can_create_contacts = True
        panel.create_contact_requested.connect(
            lambda email: safe.request_address(panel.account_name, email, _owner(panel))
        )

    def account_changed(new: Any) -> None:
        if new is not None:
            for view in (panel, whatif, activity):
                view.set_account(new.name)

    def message_selected(row_id: int | None) -> None:
        # The panel previews a selected draft; other messages leave it as it is.
        if row_id is not None and _is_draft(window.conn, row_id):
            panel.show_draft(row_id)

    panel.ask_admin_requested.connect(lambda: _ask_admin(window, panel))
    window.account_changed.connect(account_changed)
    window.message_selected.connect(message_selected)
    window.refreshed.connect(panel.reload)
    window.refreshed.connect(activity.reload)
    activity.open_message.connect(lambda row_id: _read(window, row_id))
    return PreviewViews(panel, whatif, activity, action)
