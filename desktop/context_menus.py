"""Right-click menus (issue 15 finding 10): on a message (Log now, Create the contact, Add the
sender to the Never-log list, Copy the address, Show in its folder) and on a folder (Sync now,
Next that needs action, Accounts…).

The CRM entries click through ``window.safe_actions`` (desktop.crm_safety: confirmed, undoable)
and are enabled when the message's verdict offers them; adding to the Never-log list is a
``CollectionOp`` (the personal list of the mailbox owner; the cache is re-decided).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu

from core.rules.actions import Action
from core.store.queries import message_record
from desktop.ops import CollectionOp
from desktop.sidebar import ACCOUNT_ROLE, Place

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def sender_of(window: Any, row_id: int) -> str | None:
    record = message_record(window.conn, row_id)
    if record is None:
        return None
    found = record.of("from")
    return found[0].email if found and found[0].email else None


def never_log(window: Any, email: str) -> None:
    """Add an address to the mailbox owner's Never-log list (the cache is re-decided)."""
    from core.crm.service import CrmService
    from core.store.places import account_of

    row = window.selected_message_id()

    def change(conn: Any) -> object:
        account = account_of(conn, row) if row is not None else window.current_account()
        return CrmService(conn, account).add_personal_never_log([email])

    op = CollectionOp(window.tasks, change)
    op.success(
        lambda _done: _say(
            window, translate("ContextMenus", "%1 is on your Never-log list.").replace("%1", email)
        )
    )
    op.failure(lambda error: _say(window, str(error)))
    op.run_in_background()


def _say(window: Any, text: str) -> None:
    window.statusBar().showMessage(text, 10_000)


def _offered(window: Any, row_id: int) -> tuple[Action, ...] | None:
    """The actions the pane's verdict offers for the row (None: not decided yet)."""
    found = window.detail.explanation
    if found is None or window.detail.message_id != row_id:
        return None
    return tuple(found.actions)


def message_menu(window: Any, row_id: int) -> QMenu:
    menu = QMenu(window)
    safe = getattr(window, "safe_actions", None)
    offered = _offered(window, row_id)
    for action, text in (
        (Action.LOG_NOW, translate("ContextMenus", "&Log now")),
        (Action.CREATE_CONTACT, translate("ContextMenus", "Create the &contact…")),
    ):
        item = menu.addAction(text)
        item.setEnabled(safe is not None and (offered is None or action in offered))
        if safe is not None:
            item.triggered.connect(lambda _=False, a=action: safe.request(row_id, a))
    email = sender_of(window, row_id)
    add = menu.addAction(translate("ContextMenus", "Add the sender to the &Never-log list"))
    add.setEnabled(email is not None)
    add.triggered.connect(lambda _=False: never_log(window, email or ""))
    menu.addSeparator()
    copy = menu.addAction(translate("ContextMenus", "Copy the sender's &address"))
    copy.setEnabled(email is not None)
    copy.triggered.connect(lambda _=False: QGuiApplication.clipboard().setText(email or ""))
    show = menu.addAction(translate("ContextMenus", "Show in its &folder"))
    show.triggered.connect(lambda _=False: show_in_folder(window, row_id))
    return menu


def show_in_folder(window: Any, row_id: int) -> None:
    """Select the message's folder in the sidebar, then the message."""
    record = message_record(window.conn, row_id)
    if record is None:
        return
    place = Place(int(record.columns["account_id"]), int(record.columns["folder_id"]))
    index = window.sidebar_model.index_of(place)
    if index is not None and index.isValid():
        window.sidebar.setCurrentIndex(index)  # the window follows (currentChanged)
    window.select_message(row_id)


def folder_menu(window: Any) -> QMenu:
    menu = QMenu(window)
    menu.addAction(translate("ContextMenus", "&Sync now")).triggered.connect(
        lambda _=False: window.sync_all()
    )
    menu.addAction(translate("ContextMenus", "&Next that needs action")).triggered.connect(
        lambda _=False: window.next_needs_action()
    )
    settings = getattr(window, "crm", None)
    if settings is not None:
        menu.addAction(translate("ContextMenus", "&Accounts…")).triggered.connect(
            lambda _=False: settings.edit_accounts()
        )
    return menu


def install(window: Any) -> None:
    """Right-click menus on the message list and the sidebar."""
    table, sidebar = window.table, window.sidebar
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def on_table(point: QPoint) -> None:
        row_id = window.model.row_id(table.indexAt(point).row())
        if row_id is not None:
            window.select_message(row_id)
            window.context_menu = message_menu(window, row_id)
            window.context_menu.popup(table.viewport().mapToGlobal(point))

    def on_sidebar(point: QPoint) -> None:
        index = sidebar.indexAt(point)
        if index.isValid() and isinstance(index.data(ACCOUNT_ROLE), Place):
            sidebar.setCurrentIndex(index)
            window.context_menu = folder_menu(window)
            window.context_menu.popup(sidebar.viewport().mapToGlobal(point))

    table.customContextMenuRequested.connect(on_table)
    sidebar.customContextMenuRequested.connect(on_sidebar)
    # The bulk advisory's suggestion on a logged newsletter (rules §7): the pane's button.
    window.detail.register_action(Action.ADD_SENDER_TO_NEVER_LOG, _never_log_sender(window))


def _never_log_sender(window: Any) -> Any:
    def handle(row_id: int, _action: Action) -> None:
        email = sender_of(window, row_id)
        if email is not None:
            never_log(window, email)

    return handle
