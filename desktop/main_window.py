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
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core import workspace
from core.mail.secrets import SecretStore
from core.mail.sync import SyncProgress, SyncSummary
from core.store import db, views
from core.store.accounts import Account, list_accounts
from desktop.account_dialog import AccountDialog
from desktop.badge_delegate import BadgeDelegate
from desktop.detail_pane import DetailPane
from desktop.filter_bar import FilterBar
from desktop.message_model import MessageTableModel, format_date
from desktop.reader import CacheReader
from desktop.sidebar import (
    ACCOUNT_ROLE,
    AccountState,
    Place,
    SidebarDelegate,
    SidebarModel,
    snapshot,
)
from desktop.welcome import WelcomePage
from desktop.workers import BodyFetch, SyncWorker


class ViewKind(enum.Enum):
    DOCK = "dock"  # a dock widget on the right, toggled from the View menu
    PAGE = "page"  # a page of the central stack, shown from the View menu
    DIALOG = "dialog"  # a dialog opened from the View menu


ViewFactory = Callable[["MainWindow"], QWidget]
LIVE_REFRESH_MS = 300  # how often the table re-reads while a sync writes rows


class MainWindow(QMainWindow):
    """The app's window over one cache file (one workspace)."""

    message_selected = Signal(object)  # row id or None
    account_changed = Signal(object)  # Account or None
    refreshed = Signal()  # after the table, sidebar and pane re-read the cache

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
        self.conn: sqlite3.Connection = db.connect(self.cache)  # the GUI thread's connection
        self.secrets = secrets
        self.poll_seconds = poll_seconds
        self.settings = settings if settings is not None else app_settings()
        self.syncs: dict[int, SyncWorker] = {}
        self._bodies: set[BodyFetch] = set()
        self._views: dict[str, QWidget] = {}
        self._place: Place | None = None
        self._dirty = False
        self._closed = False
        self._settle_pending = False
        self._pending_query: views.TableQuery | None = None
        self.workspace_opener: Callable[[Path], None] | None = None
        self.setWindowTitle(self.tr("Mailscope"))
        self._build()
        self._build_menus()
        self.reader = CacheReader(self.cache, self)
        self.reader.ready.connect(self._read_done)
        self._live = QTimer(self)
        self._live.setInterval(LIVE_REFRESH_MS)
        self._live.timeout.connect(self._live_refresh)
        self.reload_sidebar()
        self._restore()
        if sync_on_start:
            QTimer.singleShot(0, self.sync_all)

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.sidebar_model = SidebarModel(self)
        self.sidebar = QTreeView()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setModel(self.sidebar_model)
        self.sidebar.setHeaderHidden(True)
        self.sidebar.setItemDelegate(SidebarDelegate(self.sidebar))
        self.sidebar.setUniformRowHeights(True)
        self.sidebar.setMinimumWidth(160)
        self.sidebar.selectionModel().currentChanged.connect(self._place_changed)
        self.model = MessageTableModel(self.conn, self)
        self.table = QTableView()
        self.table.setObjectName("messages")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(views.Column.VERDICT, BadgeDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(views.Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column, width in zip(views.Column, (140, 66, 160, 300, 130, 104), strict=True):
            header.resizeSection(column, width)
        header.setSectionResizeMode(views.Column.SUBJECT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.filter_bar = FilterBar(self)
        self.filter_bar.changed.connect(self._filter_changed)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.filter_bar)
        column.addWidget(self.table, 1)
        column.addWidget(self.empty, 1)
        self.detail = DetailPane(self.conn)
        self.detail.body_requested.connect(self.fetch_body)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([210, 860, 410])
        self.welcome = WelcomePage()
        self.welcome.connect_requested.connect(self.add_account)
        self.welcome.demo_requested.connect(self.open_demo)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)
        self._build_status()

    def _build_status(self) -> None:
        bar = self.statusBar()
        self.status_text = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_syncs)
        self.cancel_button.hide()
        self.last_sync = QLabel()
        bar.addWidget(self.status_text, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.last_sync)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Mailbox"))
        self.add_action = self._action(menu, self.tr("&Connect a mailbox…"), self.add_account)
        self._action(menu, self.tr("Open the &demo workspace"), self.open_demo)
        menu.addSeparator()
        self.sync_action = self._action(
            menu,
            self.tr("&Sync now"),
            self.sync_all,
            QKeySequence(QKeySequence.StandardKey.Refresh),
        )
        self._action(menu, self.tr("Ca&ncel sync"), self.cancel_syncs)
        menu.addSeparator()
        self._action(menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self._action(
            self.view_menu, self.tr("&Find"), self.focus_search, QKeySequence.StandardKey.Find
        )
        nxt = self._action(
            self.view_menu, self.tr("&Next that needs action"), self.next_needs_action
        )
        nxt.setShortcuts([QKeySequence("N"), QKeySequence("Ctrl+J")])
        self.messages_action = self._action(
            self.view_menu, self.tr("&Messages"), self.show_messages, QKeySequence("Ctrl+1")
        )
        self.view_menu.addSeparator()

    def _action(
        self, menu: object, text: str, slot: Callable[[], object], keys: object = None
    ) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(keys)  # type: ignore[arg-type]
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        self.addAction(action)  # shortcuts work wherever the focus is
        return action

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
        self.conn = db.connect(self.cache)
        if demo:
            workspace.ensure_demo_account(self.conn)
        self.model._conn = self.conn
        self.detail._conn = self.conn
        self.reader.cache = self.cache
        self._place = None
        self.detail.clear()
        self.reload_sidebar()
        self.sync_all()

    # -- background work ------------------------------------------------------------------
    def sync_all(self) -> None:
        for account in list_accounts(self.conn):
            self.start_sync(account)

    def start_sync(self, account: Account) -> None:
        """Sync an account in a worker (then watch it for new mail); a running one restarts."""
        running = self.syncs.get(account.id)
        if running is not None:
            running.cancel()
            running.wait()
        worker = SyncWorker(
            self.cache, account, secrets=self.secrets, poll_seconds=self.poll_seconds
        )
        if self.secrets is None:
            worker.secrets = worker.secrets  # the OS keyring (its default)
        worker.progress.connect(self._sync_progress)
        worker.synced.connect(self._synced)
        worker.failed.connect(self._sync_failed)
        worker.stopped.connect(lambda cancelled, w=worker: self._sync_stopped(w, cancelled))
        self.syncs[account.id] = worker
        self._live.start()
        worker.start()

    def cancel_syncs(self, wait: bool = False) -> None:
        for worker in list(self.syncs.values()):
            worker.cancel()
            if wait:
                worker.wait()
        if wait:
            self.syncs.clear()
            self._live.stop()

    def _sync_progress(self, p: SyncProgress) -> None:
        self._dirty = self._dirty or p.phase in ("fetching", "deciding", "done")
        if p.phase != "done":
            self.cancel_button.show()
        if p.phase == "fetching" and p.total:
            self.progress.show()
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
            text = self.tr("%1: syncing %2 (%3 of %4)")
            values = (p.account, p.folder, str(p.done), str(p.total))
        elif p.phase == "deciding":
            text, values = self.tr("%1: deciding verdicts…"), (p.account,)
        elif p.phase == "done":
            self.progress.hide()
            self.cancel_button.hide()
            text, values = self.tr("%1: up to date"), (p.account,)
        else:
            text, values = self.tr("%1: checking %2…"), (p.account, p.folder)
        for n, value in enumerate(values, start=1):
            text = text.replace(f"%{n}", value)
        self.status_text.setText(text)

    def _synced(self, summary: SyncSummary) -> None:
        if self._closed:
            return
        self._dirty = False
        self._settle_pending = True
        self.reader.request(self.model.query, sidebar=True)
        self.status_text.setText(summary.line())
        if summary.errors:
            self.status_text.setText(summary.line() + " — " + "; ".join(summary.errors))

    def _sync_failed(self, line: str) -> None:
        self.progress.hide()
        self.status_text.setText("⚠ " + line)

    def _sync_stopped(self, worker: SyncWorker, cancelled: bool) -> None:
        if self._closed:
            return
        if self.syncs.get(worker.account.id) is worker:
            del self.syncs[worker.account.id]
        worker.wait()
        worker.deleteLater()
        if cancelled and not self.status_text.text().startswith("⚠"):
            self.status_text.setText(self.tr("Sync cancelled; press F5 to sync again."))
        if not self.syncs:
            self.cancel_button.hide()
            self.progress.hide()
            self._live.stop()
            self._settle_pending = True
            self.reader.request(self.model.query, sidebar=True)

    def _live_refresh(self) -> None:
        """While rows land, re-read the table and the sidebar in the background."""
        if not self._dirty or self._closed or self.reader.busy:
            return
        self._dirty = False
        self.reader.request(self.model.query, sidebar=True)

    def _read_done(self, query: object, ids: object, states: object) -> None:
        """Swap in what the reader found (unless the user changed the query meanwhile)."""
        if self._closed:
            return
        if states is not None:
            self._show_sidebar(states)  # type: ignore[arg-type]
        if self._pending_query is not None and query == self._pending_query:
            self._pending_query = None
            self.model.show_query(query, ids)  # type: ignore[arg-type]
            self._after_query()
        elif query == self.model.query:
            selected = self.selected_message_id()
            if self.model.apply_ids(ids) and selected is not None:  # type: ignore[arg-type]
                self._reselect(selected)
            self._update_empty()
        if self._settle_pending:
            self._settle_pending = False
            if self.detail.message_id is not None:
                self.detail.show_message(self.detail.message_id)  # its verdict may be new
            self.refreshed.emit()

    def _reselect(self, message_id: int) -> None:
        row = self.model.row_of(message_id)
        if row is None:
            return
        self.table.selectionModel().blockSignals(True)
        self.table.selectRow(row)
        self.table.selectionModel().blockSignals(False)

    def _update_last_sync(self) -> None:
        account = self.current_account()
        when = views.last_synced(self.conn, account.id) if account is not None else None
        if when is None:
            self.last_sync.setText(self.tr("Never synced"))
        else:
            self.last_sync.setText(self.tr("Last sync: %1").replace("%1", format_date(when)))

    def fetch_body(self, message_id: int) -> None:
        job = BodyFetch(self.cache, message_id, self.secrets)
        job.setAutoDelete(False)
        self._bodies.add(job)
        job.signals.loaded.connect(lambda i, b, j=job: self._body_done(j, i, b, None))
        job.signals.failed.connect(lambda i, e, j=job: self._body_done(j, i, None, e))
        QThreadPool.globalInstance().start(job)

    def _body_done(self, job: BodyFetch, message_id: int, body: object, error: str | None) -> None:
        self._bodies.discard(job)
        if error is not None:
            self.detail.body_failed(message_id, error)
        else:
            self.detail.body_loaded(message_id, body)  # type: ignore[arg-type]

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
        self.reader.stop()
        QThreadPool.globalInstance().waitForDone(5000)
        self.conn.close()
        super().closeEvent(event)


def app_settings() -> QSettings:
    """The app's settings file, under MAILSCOPE_HOME (so tests and the demo keep their own)."""
    return QSettings(str(db.home() / "mailscope.ini"), QSettings.Format.IniFormat)


def since(epoch: float) -> float:
    return time.time() - epoch
