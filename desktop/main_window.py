"""The main window: sidebar of accounts and folders, the message table, the detail pane, and
a status bar with sync progress, the last sync time and errors.

Other views plug in with one call: ``window.register_view(title, factory, kind=...)`` adds a
dock, a page or a dialog (in the "View" menu), and read the window through ``current_account()``,
``selected_message_id()``, ``refresh()`` and its signals (``message_selected``, ...).
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QStackedWidget, QWidget

import resources.demo as demo_files
from core import workspace
from core.mail.secrets import SecretStore
from core.store import db, views
from core.store.accounts import Account, list_accounts
from core.store.db import reading
from desktop import window_layout as layout
from desktop.account_dialog import AccountDialog
from desktop.body_fetch import fetch_body
from desktop.column_fit import ColumnFit
from desktop.detail_pane import DetailPane
from desktop.dock_fit import DockFit
from desktop.filter_bar import FilterBar
from desktop.message_model import MessageTableModel
from desktop.ops import Tasks
from desktop.reader import CacheReader, Read
from desktop.search_upkeep import SearchUpkeep
from desktop.sidebar import ACCOUNT_ROLE, AccountState, Place, SidebarModel, snapshot
from desktop.sync_control import SyncControl
from desktop.welcome import WelcomePage
from desktop.window_views import ViewFactory, ViewKind, add_view


class MainWindow(QMainWindow):
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
        self.settings = settings if settings is not None else app_settings()
        self.tasks = Tasks(self.cache, self)  # the background work's workers (desktop.ops)
        self._views: dict[str, QWidget] = {}
        self._place: Place | None = None
        self._closed = self._settle_pending = False
        self._pending_query: views.TableQuery | None = None
        self.workspace_opener: Callable[[Path], None] | None = None
        self.setWindowTitle(self.tr("Mailscope"))
        self._build()
        self.syncs = SyncControl(
            self.tasks, self.status.line, lambda: self.conn,
            secrets=secrets, poll_seconds=poll_seconds, parent=self,
        )  # fmt: skip
        self.reader = CacheReader(
            self.tasks, lambda: self._pending_query or self.model.query, self,
            lambda: layout.pages_on_screen(self.table))  # fmt: skip
        self._connect()
        self._show_sidebar(snapshot(self.conn, counts=False))  # counts follow from the reader
        layout.restore_state(self.settings, self, self.splitter, self.table)
        self.reader.request(self.model.query, sidebar=True)
        self.search_upkeep = SearchUpkeep(self.tasks, self.syncs.synced, self)  # after each sync
        if sync_on_start:
            QTimer.singleShot(0, self.sync_all)

    def _build(self) -> None:
        self.sidebar_model = SidebarModel(self)
        self.sidebar = layout.sidebar_view(self.sidebar_model)
        self.model = MessageTableModel(self.conn, self, active=False)
        self.table = layout.message_table(self.model)
        self.column_fit = ColumnFit(self.table)
        self.filter_bar = FilterBar(self)
        self.empty = layout.empty_label()
        self.detail = DetailPane(self.conn, self.tasks, settings=self.settings)
        middle = layout.middle_column(self.filter_bar, self.table, self.empty)
        self.splitter = layout.main_splitter(self.sidebar, middle, self.detail)
        self.dock_fit = DockFit(self, self.sidebar, middle, self.detail)
        self.welcome = WelcomePage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)
        self.status = layout.status_bar(self, lambda: self.syncs.cancel())
        self.status_text, self.cancel_button = self.status.line.text, self.status.line.cancel
        self.sign_in_button, self.last_sync = self.status.line.sign_in, self.status.last_sync
        slots = layout.Menus(
            self.add_account, self.open_demo, self.sync_all, lambda: self.syncs.cancel(),
            self.focus_search, self.next_needs_action, self.show_messages,
        )  # fmt: skip
        self.view_menu = layout.menus(self, slots)

    def _connect(self) -> None:
        self.sidebar.selectionModel().currentChanged.connect(self._place_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.filter_bar.changed.connect(self._filter_changed)
        self.detail.body_requested.connect(self.fetch_body)
        self.welcome.connect_requested.connect(self.add_account)
        self.welcome.demo_requested.connect(self.open_demo)
        self.reader.ready.connect(self._read_done)
        # A CollectionOp changed the cache: re-read it in the background, as after a sync.
        self.tasks.changed.connect(lambda _changes: self._settle())
        self.syncs.landed.connect(self.reader.landed)
        self.syncs.synced.connect(lambda _summary: self._settle())
        self.syncs.idle.connect(self._syncs_idle)

    # -- the API other views use ----------------------------------------------------------
    def register_view(
        self,
        title: str,
        factory: ViewFactory,
        kind: ViewKind = ViewKind.DOCK,
        menu: QMenu | None = None,
    ) -> QAction:
        """Add another engineer's view in one line; returns the action showing it (in the
        View menu, or in ``menu``)."""
        action, widget = add_view(self, self.stack, title, factory, kind)
        if widget is not None:
            self._views[title.replace("&", "")] = widget
        (menu if menu is not None else self.view_menu).addAction(action)
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
        chosen = self._place.account_id if self._place is not None else None
        return next((a for a in found if a.id == chosen), found[0] if found else None)

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

    def _show_sidebar(self, states: list[AccountState], live: bool = False) -> None:
        """Show the accounts: the selection restored when they were built anew; "Last sync"
        (read here) after every read but a live one (no sync has ended since)."""
        if self.sidebar_model.show(states):
            self._place_again()
        if not live:
            self._update_last_sync()

    def _place_again(self) -> None:
        place = self._place
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
        if query == (self._pending_query or self.model.query):
            return  # the filter shown (or coming) again: nothing to read
        # A filter or a search reads up to every row in the background reader (clicks and
        # typing never wait for SQLite): the answer's first page shown first (issue 15).
        self._pending_query = query
        self.reader.request_in_parts(query)

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
            elif self.syncs.running:
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

    # -- following the syncs; bodies ------------------------------------------------------
    def sync_all(self) -> None:
        """Sync every account (then watch each for new mail)."""
        self.syncs.start_all(list_accounts(self.conn))

    def _settle(self) -> None:
        """A sync or a change is done: re-read the table and the sidebar, then the pane's
        verdict (``refreshed`` follows)."""
        self._settle_pending = True
        self.reader.settled()

    def _syncs_idle(self) -> None:
        self.reader.quiet()
        self._settle()

    def _read_done(self, read: Read) -> None:
        """Swap in what the reader found (unless the user changed the query meanwhile)."""
        if read.states is not None:
            self._show_sidebar(read.states, read.live)
        if read.ids is not None:  # None: a live re-read, and no sync wrote the table's rows
            self._show_ids(read, read.ids)
        if self._settle_pending:
            self._settle_pending = False
            if self.detail.message_id is not None:
                self.detail.show_message(self.detail.message_id)  # its verdict may be new
            self.refreshed.emit()

    def _show_ids(self, read: Read, ids: array[int]) -> None:
        if self._pending_query is not None and read.query == self._pending_query:
            self.model.show_query(read.query, ids, read.read_at)
            self.table.doItemsLayout()  # now: Qt's delayed layout would repaint the rows twice
            if read.whole:  # else the selection waits for every id
                self._pending_query = None
                self._after_query()
            else:
                self._update_empty()
        elif read.query == self.model.query:
            selected = self.selected_message_id()
            if self.model.apply_ids(ids, read.read_at, read.pages):
                self.table.doItemsLayout()  # (as above)
                if selected is not None:
                    self._reselect(selected)
            self._update_empty()

    def _reselect(self, message_id: int) -> None:
        row = self.model.row_of(message_id)
        if row is None:
            return
        self.table.selectionModel().blockSignals(True)
        self.table.selectRow(row)
        self.table.selectionModel().blockSignals(False)

    def _update_last_sync(self) -> None:
        self.last_sync.setText(self.syncs.last_sync_text(self.conn, self.current_account()))

    def fetch_body(self, row_id: int) -> None:
        """Read a message's body in the network pool; the pane shows it (or why not)."""
        fetch_body(self.tasks, self.cache, self.secrets, self.detail, row_id)

    # -- accounts and workspaces ----------------------------------------------------------
    def add_account(self) -> None:
        dialog = AccountDialog(self.conn, self.tasks, self.secrets, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.account is not None:
            self.reload_sidebar()
            self.syncs.start(dialog.account)
            self.account_added.emit(dialog.account)

    def open_demo(self) -> None:
        """Switch this window to the demo workspace (its own cache under MAILSCOPE_HOME)."""
        self.open_workspace(workspace.demo_path(), demo=True)

    def open_workspace(self, cache: Path, *, demo: bool = False) -> None:
        """Show another cache: through ``workspace_opener`` (the app opens a new window with
        every view installed) when set, else in this window."""
        if self.workspace_opener is not None:
            if demo:
                conn = db.connect(cache)
                workspace.ensure_demo_account(conn, demo_files)
                conn.close()
            self.workspace_opener(Path(cache))
            return
        self.syncs.cancel(wait=True)
        self.reader.quiet()
        self.conn.close()
        self.cache = Path(cache)
        self.conn = reading(db.connect(self.cache))
        if demo:
            workspace.ensure_demo_account(self.conn, demo_files)
        self.model._conn = self.conn
        self.detail.use_connection(self.conn)
        self.tasks.use(self.cache)
        self._place = None
        self.detail.clear()
        self.reload_sidebar()
        self.sync_all()

    # -- state ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        layout.save_state(self.settings, self, self.splitter, self.table)
        self._closed = True
        self.syncs.cancel(wait=True)
        self.reader.quiet()
        self.tasks.stop()
        self.conn.close()
        super().closeEvent(event)


def app_settings() -> QSettings:
    """The app's settings file, under MAILSCOPE_HOME (so tests and the demo keep their own)."""
    return QSettings(str(db.home() / "mailscope.ini"), QSettings.Format.IniFormat)
