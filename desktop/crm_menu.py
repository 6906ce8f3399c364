"""The CRM menu's entries on the selected message: Log now, Forward, Create the contact,
through the confirmed, undoable clicks (desktop.crm_safety), each enabled only when the
message's verdict offers it (issue 15 finding 10)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from core.rules.actions import Action

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def install(window: Any, actions: Any, safe: Any) -> None:
    """The CRM menu's actions on the selected message, enabled only when they apply (the
    detail pane's verdict says which)."""
    menu = getattr(window, "crm_menu", None) or window.menuBar().addMenu(
        translate("MainWindow", "&CRM")
    )
    window.crm_menu = menu  # the CRM connection adds its actions here (desktop.crm_connect)

    def on_selected(run: Any) -> Any:
        def go(_: bool = False) -> None:
            row = window.selected_message_id()
            if row is not None:
                run(row)

        return go

    entries = {}
    for key, text, run, keys in (
        (Action.LOG_NOW, translate("MainWindow", "&Log the email now"), safe.request, "Ctrl+L"),
        (None, translate("MainWindow", "&Forward the email to the CRM"), safe.forward, None),
        (Action.CREATE_CONTACT, translate("MainWindow", "Create the &contact…"),
         lambda row: safe.request(row, Action.CREATE_CONTACT), None),
    ):  # fmt: skip
        item = menu.addAction(text)
        if keys is not None:
            item.setShortcut(keys)
        item.triggered.connect(on_selected(run))
        item.setEnabled(False)
        entries[key] = item
    window.detail.explained.connect(lambda _row: _enable(window, entries))
    window.message_selected.connect(lambda _row: _enable(window, entries))


def _enable(window: Any, entries: dict[Action | None, Any]) -> None:
    """Each CRM entry is enabled when the selected message's verdict allows it. Bulk mail
    needs no action, so the pane offers none; the menu still lets a rep log a newsletter on
    purpose, and the confirmation always asks for bulk senders (issue 15)."""
    from core.rules.actions import suggested_actions

    found = window.detail.explanation
    offered = suggested_actions(found.message, found.verdict) if found is not None else ()
    for key, item in entries.items():
        if key is None:  # forwarding applies to any received or sent email not logged
            item.setEnabled(found is not None and not found.verdict.logged)
        else:
            item.setEnabled(key in offered)
