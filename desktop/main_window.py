"""The main window: sidebar of accounts and folders, the message table, the detail pane, and
a status bar with sync progress, the last sync time and errors.

Other views plug in with one call: ``window.register_view(title, factory, kind=...)`` adds a
dock, a page or a dialog (opened from the "View" menu), and read the window through
``current_account()``, ``selected_message_id()``, ``refresh()`` and the ``message_selected`` /
``account_changed`` / ``refreshed`` signals.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QMainWindow,
    QWidget,
)

from core import workspace
from core.mail.secrets import SecretStore
from core.store import db, views
from core.store.accounts import Account, list_accounts
from core.store.db import reading
from desktop.account_dialog import AccountDialog
from desktop.background import BackgroundWork
from desktop.ops import Tasks
from desktop.reader import CacheReader
from desktop.sidebar import (
    ACCOUNT_ROLE,
    AccountState,
    Place,
    snapshot,
)
from desktop.window_layout import WindowLayout
from desktop.workers import BodyFetch, SyncWorker


class ViewKind(enum.Enum):
    DOCK = "dock"  # a dock widget on the right, toggled from the View menu
    PAGE = "page"  # a page of the central stack, shown from the View menu
    DIALOG = "dialog"  # a dialog opened from the View menu


ViewFactory = Callable[["MainWindow"], QWidget]
LIVE_REFRESH_MS = 300  # how often the table re-reads while a sync writes rows


class MainWindow(WindowLayout, BackgroundWork, QMainWindow):
    """The app's window over one cache file (one workspace)."""

    message_selected = Signal(object)  # row id or None
    account_changed = Signal(object)  # Account or None
    refreshed = Signal()  # after the table, sidebar and pane re-read the cache
    account_added = Signal(object)  # Account, added from the window (the first run's next step)

    def __init__(
        self,
        cache: Path | str,
        *,
        secrets: SecretStore | None = None,
        settings: QSettings | None = None,
        sync_on_start: bool = True,
        poll_seconds: float = 60.0,
    ) -> None:
        super().__init__()
        self.cache = Path(cache)
        self.conn: sqlite3.Connection = reading(db.connect(self.cache))  # the GUI thread's
        self.secrets = secrets
        self.poll_seconds = poll_seconds
        self.settings = settings if settings is not None else app_settings()
        self.tasks = Tasks(self.cache, self)  # the background work's workers (desktop.ops)
        self.syncs: dict[int, SyncWorker] = {}
        self._bodies: set[BodyFetch] = set()
        self._views: dict[str, QWidget] = {}
        self._place: Place | None = None
        self._dirty = False
        self._closed = False
        self._settle_pending = False
        self._pending_query: views.TableQuery | None = None
        self._needs_sign_in: Account | None = None
        self.workspace_opener: Callable[[Path], None] | None = None
        self.setWindowTitle(self.tr("Mailscope"))
        self._build()
        self._build_menus()
        self.reader = CacheReader(self.tasks, self)
        self.reader.ready.connect(self._read_done)
        self.tasks.changed.connect(lambda _changes: self.refresh())  # a CollectionOp's
        self._live = QTimer(self)
        self._live.setInterval(LIVE_REFRESH_MS)
        self._live.timeout.connect(self._live_refresh)
        self._show_sidebar(snapshot(self.conn, counts=False))  # counts follow from the reader
        self._restore()
        self.reader.request(self.model.query, sidebar=True)
        if sync_on_start:
            QTimer.singleShot(0, self.sync_all)

    # -- the API other views use ----------------------------------------------------------
    def register_view(
        self, title: str, factory: ViewFactory, kind: ViewKind = ViewKind.DOCK
    ) -> QAction:
        """Add another engineer's view in one line; returns the View-menu action showing it."""
        action = QAction(title, self)
        if kind is ViewKind.DOCK:
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock:{title}")
            dock.setWidget(factory(self))
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.hide()
            action = dock.toggleViewAction()
            self._views[title] = dock
        elif kind is ViewKind.PAGE:
            page = factory(self)
            self.stack.addWidget(page)
            self._views[title] = page
            action.triggered.connect(lambda _=False: self.stack.setCurrentWidget(page))
        else:

            def open_dialog() -> None:
                widget = factory(self)
                if isinstance(widget, QDialog):
                    widget.exec()
                else:
                    widget.setParent(self, Qt.WindowType.Dialog)
                    widget.show()

            action.triggered.connect(lambda _=False: open_dialog())
        self.view_menu.addAction(action)
        return action

    def show_messages(self) -> None:
        """Back to the message list from a page (or the welcome page when there is no account)."""
        has_accounts = self.sidebar_model.rowCount() > 0
        self.stack.setCurrentWidget(self.splitter if has_accounts else self.welcome)

    def view(self, title: str) -> QWidget | None:
        return self._views.get(title)

    def current_account(self) -> Account | None:
        """The account selected in the sidebar (or the first one)."""
        found = list_accounts(self.conn)
        if self._place is not None:
            for account in found:
                if account.id == self._place.account_id:
                    return account
        return found[0] if found else None

    def selected_message_id(self) -> int | None:
        return self.detail.message_id

    def refresh(self) -> None:
        """Re-read everything from the cache (after a sync or an action changed rows)."""
        selected = self.selected_message_id()
        self.reload_sidebar()
        self.model.reload()
        self._update_empty()
        if selected is not None:
            self.select_message(selected)
        self.refreshed.emit()

    def select_message(self, message_id: int) -> bool:
        row = self.model.row_of(message_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        shown_before = self.detail.message_id == message_id
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        if shown_before or self.detail.message_id != message_id:
            self.detail.show_message(message_id)  # re-read: its verdict may have changed
        return True

    # -- sidebar, filter, table -----------------------------------------------------------
    def reload_sidebar(self) -> None:
        self._show_sidebar(snapshot(self.conn))

    def _show_sidebar(self, states: list[AccountState]) -> None:
        place = self._place
        self.sidebar_model.show(states)
        self.sidebar.expandAll()
        has_accounts = self.sidebar_model.rowCount() > 0
        if self.stack.currentWidget() in (self.welcome, self.splitter):
            self.stack.setCurrentWidget(self.splitter if has_accounts else self.welcome)
        if not has_accounts:
            return
        index = self.sidebar_model.index_of(place) if place is not None else None
        if index is None or not index.isValid():
            top = self.sidebar_model.index(0, 0)
            first = self.sidebar_model.index(0, 0, top)  # the Inbox, as mail apps open
            index = first if first.isValid() else top
        self.sidebar.selectionModel().blockSignals(True)
        self.sidebar.setCurrentIndex(index)
        self.sidebar.selectionModel().blockSignals(False)
        if self._place != index.data(ACCOUNT_ROLE):
            self._place_changed(index)
        self._update_last_sync()

    def _place_changed(self, index: object) -> None:
        place = index.data(ACCOUNT_ROLE) if hasattr(index, "data") else None
        if not isinstance(place, Place):
            return
        changed_account = self._place is None or self._place.account_id != place.account_id
        self._place = place
        self._pending_query = None
        query = replace(self.model.query, account_id=place.account_id, folder_id=place.folder_id)
        self.model.set_query(query)
        self.model.activate()
        self._update_empty()
        self.detail.clear()
        if changed_account:
            self.account_changed.emit(self.current_account())

    def _filter_changed(self) -> None:
        query = self.filter_bar.apply(self.model.query)
        if query.search != self.model.query.search:
            # A text search scans every row: it runs in the background reader, so typing
            # never waits for SQLite; the table changes when the answer is in.
            self._pending_query = query
            self.reader.request(query, sidebar=False)
            return
        self._pending_query = None
        self.model.set_query(query)
        self._after_query()

    def _after_query(self) -> None:
        selected = self.selected_message_id()
        self._update_empty()
        if selected is None or not self.select_message(selected):
            self.detail.clear()

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            q = self.model.query
            if q.search.strip() or q.show is not views.Show.ALL:
                text = self.tr("No message matches this filter.")
            elif self.syncs:
                text = self.tr("Syncing… messages appear here as they arrive.")
            else:
                text = self.tr("No messages in this folder yet.")
            self.empty.setText(text)
        self.empty.setVisible(empty)
        self.table.setVisible(not empty)

    def _row_changed(self, current: object, previous: object) -> None:
        row = current.row() if hasattr(current, "row") else -1
        message_id = self.model.row_id(row)
        if message_id is None:
            self.detail.clear()
        elif message_id != self.detail.message_id:
            self.detail.show_message(message_id)
        self.message_selected.emit(message_id)

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def next_needs_action(self) -> None:
        current = self.table.currentIndex().row()
        found = views.next_needing_action(self.conn, self.model.ids, current)
        if found is not None:
            message_id = self.model.row_id(found)
            if message_id is not None:
                self.select_message(message_id)
                self.table.setFocus()

    # -- accounts and workspaces ----------------------------------------------------------
    def add_account(self) -> None:
        dialog = AccountDialog(self.conn, self.secrets, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.account is not None:
            self.reload_sidebar()
            self.start_sync(dialog.account)
            self.account_added.emit(dialog.account)

    def offer_sign_in(self, account: Account) -> None:
        """A sync found the account's sign-in refused: offer "Sign in again" (nothing is lost)."""
        self._needs_sign_in = account
        self.sign_in_button.show()

    def sign_in_again(self) -> None:
        from desktop.sign_in_again import SignInAgainDialog

        account = self._needs_sign_in
        if account is None:
            return
        dialog = SignInAgainDialog(self.conn, account, self.secrets, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._needs_sign_in = None
            self.sign_in_button.hide()
            self.start_sync(account)

    def open_demo(self) -> None:
        """Switch this window to the demo workspace (its own cache under MAILSCOPE_HOME)."""
        self.open_workspace(workspace.demo_path(), demo=True)

    def open_workspace(self, cache: Path, *, demo: bool = False) -> None:
        """Show another cache: through ``workspace_opener`` (the app opens a new window with
        every view installed) when set, else in this window."""
        if self.workspace_opener is not None:
            if demo:
                conn = db.connect(cache)
                workspace.ensure_demo_account(conn)
                conn.close()
            self.workspace_opener(Path(cache))
            return
        self.cancel_syncs(wait=True)
        self.conn.close()
        self.cache = Path(cache)
        self.conn = reading(db.connect(self.cache))
        if demo:
            workspace.ensure_demo_account(self.conn)
        self.model._conn = self.conn
        self.detail.use_connection(self.conn)
        self.tasks.use(self.cache)
        self._place = None
        self.detail.clear()
        self.reload_sidebar()
        self.sync_all()

    # -- state ----------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        else:
            self.resize(1480, 860)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)  # type: ignore[arg-type]
        header = self.settings.value("table/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)  # type: ignore[arg-type]

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("table/header", self.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self._closed = True
        self.cancel_syncs(wait=True)
        self.tasks.stop()
        QThreadPool.globalInstance().waitForDone(5000)
        self.conn.close()
        super().closeEvent(event)


def app_settings() -> QSettings:
    """The app's settings file, under MAILSCOPE_HOME (so tests and the demo keep their own)."""
    return QSettings(str(db.home() / "mailscope.ini"), QSettings.Format.IniFormat)
