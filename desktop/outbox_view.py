"""The CRM outbox in the app: the background worker, the one-click actions, the queue view.

``CrmActions(tasks)`` runs the outbox worker (``core.crm.outbox_worker.OutboxWorker``, with
its own SQLite connection) in the window's network pool and turns clicks into outbox rows as
``CollectionOp``s on its database thread: ``handle(row_id, action)`` has the signature of the
detail pane's action handlers (log now, create contact) and ``forward(row_id, raw)`` forwards
to the logging address. It emits ``queued(Enqueued)`` for a click's row, ``changed`` whenever
a row is queued or delivered, and ``failed(str)`` with a one-line message when a click is
refused. ``OutboxView(actions, account_name)`` lists the queue with Retry and Cancel (its
rows: ``desktop.outbox_model``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.crm import actions as crm_actions
from core.crm.delivery import Channels
from core.crm.errors import CrmError
from core.crm.outbox_worker import Backoff, OutboxWorker, Outcome
from core.rules.actions import Action
from core.store import db, outbox
from core.store.accounts import Account, get_account
from core.store.directory import load_directory
from core.store.outbox import Enqueued, OutboxItem, State
from core.store.places import account_of
from desktop.ops import CollectionOp, NetworkOp, Running, Tasks
from desktop.outbox_model import OutboxModel

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")

Enqueue = Callable[[sqlite3.Connection, Account], Enqueued]
STOP_SECONDS = 10.0  # a delivery under way gets this long to end when the app closes


class CrmActions(QObject):
    """Clicks to outbox rows, and the worker that delivers them; signals for the views."""

    changed = Signal()  # a row was queued, retried, cancelled or delivered
    queued = Signal(object)  # Enqueued: a click's row (or the one it already had)
    delivered = Signal(int, str)  # outbox id, the state it was left in
    failed = Signal(str)  # a click was refused: one line for the user

    def __init__(
        self,
        tasks: Tasks,
        *,
        channels: Channels | None = None,
        backoff: Backoff | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.conn = db.connect(tasks.cache)  # the GUI thread's reads (the queue's view)
        self._channels = channels
        self._backoff = backoff
        self._worker: OutboxWorker | None = None
        self._delivering: Running | None = None
        self.closed = False  # see close()
        self._clicks: dict[Action, Callable[[int], object]] = {
            Action.LOG_NOW: self.log_now,
            Action.CREATE_CONTACT: self.create_contact,
        }
        tasks.stopping.connect(self.stop)  # its idle wait would hold the window's closing

    # -- the worker -----------------------------------------------------------------------
    def start(self) -> None:
        """Start delivering in the network pool (idempotent)."""
        if self.running():
            return
        worker = OutboxWorker(
            self.tasks.cache, channels=self._channels, backoff=self._backoff,
            on_change=self._outcome,
        )  # fmt: skip
        self._worker = worker
        deliver = NetworkOp(self.tasks, lambda _report, _cancel: worker.run())
        self._delivering = deliver.run_in_background()

    def stop(self) -> None:
        if self._worker is not None and self._delivering is not None:
            self._worker.stop()
            self._delivering.wait(STOP_SECONDS)
        self._worker = self._delivering = None

    def running(self) -> bool:
        return self._delivering is not None and not self._delivering.finished.is_set()

    def _outcome(self, outcome: Outcome) -> None:
        # Called on the worker's thread: signals cross to the GUI thread queued.
        self.delivered.emit(outcome.item_id, outcome.state.value)
        self.changed.emit()

    # -- clicks ---------------------------------------------------------------------------
    def _click(self, row_id: int, enqueue: Enqueue) -> Running:
        """Queue an action for a cached row: a ``CollectionOp`` on the database thread."""

        def click(conn: sqlite3.Connection) -> Enqueued | None:
            account = account_of(conn, row_id)
            return enqueue(conn, account) if account is not None else None

        op = CollectionOp(self.tasks, click).success(self._queued).failure(self._refused)
        return op.run_in_background()

    def _queued(self, done: Enqueued | None) -> None:
        if done is None:
            self.failed.emit(self.tr("This message is no longer in the cache."))
            return
        self.queued.emit(done)
        self._edited()

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, CrmError):
            raise error  # a bug, not a refusal
        self.failed.emit(str(error))

    def _edited(self) -> None:
        self.changed.emit()
        if self._worker is not None:
            self._worker.wake()

    def log_now(self, row_id: int, text: str = "", *, hold: float = 0.0) -> Running:
        """Log an email (``text``: its body as text, sent to HubSpot as ``hs_email_text``),
        due after ``hold`` seconds (the Undo's time)."""
        return self._click(
            row_id, lambda c, a: crm_actions.log_now(c, a, row_id, text=text, hold=hold)
        )

    def create_contact(self, row_id: int, *, hold: float = 0.0) -> Running:
        return self._click(
            row_id, lambda c, a: crm_actions.create_contact_for(c, a, row_id, hold=hold)
        )

    def create_address(self, account_name: str, email: str, *, hold: float = 0.0) -> Running:
        """Create the contact of a typed address (the check panel's fix), owned by the
        mailbox owner."""

        def click(conn: sqlite3.Connection) -> Enqueued | None:
            account = get_account(conn, account_name)
            if account is None:
                return None
            owner = load_directory(conn, account)[0].mailbox_owner
            return crm_actions.create_contact(conn, account, email, owner=owner, hold=hold)

        op = CollectionOp(self.tasks, click).success(self._queued).failure(self._refused)
        return op.run_in_background()

    def forward(self, row_id: int, raw: bytes | None = None, *, hold: float = 0.0) -> Running:
        """Forward to the logging address (``raw``: the original, when not a local file)."""
        return self._click(row_id, lambda c, a: crm_actions.forward(c, a, row_id, raw, hold=hold))

    def handle(self, row_id: int, action: Action) -> None:
        """The detail pane's handler: ``pane.register_action(Action.LOG_NOW, crm.handle)``."""
        click = self._clicks.get(action)
        if click is not None:
            click(row_id)

    def retry(self, item_id: int) -> None:
        self._edit(outbox.retry, item_id)

    def cancel(self, item_id: int) -> None:
        self._edit(outbox.cancel, item_id)

    def _edit(self, change: Callable[[sqlite3.Connection, int], object], item_id: int) -> None:
        op = CollectionOp(self.tasks, lambda conn: change(conn, item_id))
        op.success(lambda _: self._edited()).failure(self._refused).run_in_background()

    def close(self) -> None:
        """Stop the worker and close the connection. A ``changed`` the worker sent just before
        may still be on its way to the GUI thread (queued): ``closed`` tells the views that
        get it that there is nothing left to read."""
        self.stop()
        self.closed = True
        self.conn.close()


class OutboxView(QWidget):
    """The queue with Retry and Cancel; follows ``actions.changed``."""

    changed = Signal()

    def __init__(
        self, actions: CrmActions, account_name: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.actions = actions
        conn = self.actions.conn
        account = get_account(conn, account_name) if account_name is not None else None
        self.model = OutboxModel(conn, account.id if account is not None else None, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.retry_button = QPushButton(self.tr("Retry"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(lambda _=False: self._act(self.actions.retry))
        self.cancel_button.clicked.connect(lambda _=False: self._act(self.actions.cancel))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.actions.changed.connect(self.reload)
        self.actions.failed.connect(self.message.setText)
        self._update_buttons()

    def selected(self) -> OutboxItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def select_item(self, item_id: int) -> None:
        for row in range(self.model.rowCount()):
            found = self.model.item(row)
            if found is not None and found.id == item_id:
                self.table.selectRow(row)
                return

    def reload(self) -> None:
        if self.actions.closed:  # a late change, after the window closed the actions
            return
        chosen = self.selected()
        self.model.reload()
        if chosen is not None:
            self.select_item(chosen.id)
        self._update_buttons()
        self.changed.emit()

    def _act(self, change: Any) -> None:
        item = self.selected()
        if item is not None:
            self.message.clear()
            change(item.id)

    def _update_buttons(self) -> None:
        item = self.selected()
        state = item.state if item is not None else None
        self.retry_button.setEnabled(state in (State.PENDING, State.FAILED, State.CANCELLED))
        self.cancel_button.setEnabled(state in (State.PENDING, State.FAILED))
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        """The queue's counts: how many deliveries wait, how many failed."""
        counts = outbox.counts(self.actions.conn)
        waiting = counts[State.PENDING] + counts[State.SENDING]
        self.setToolTip(
            self.tr("%n waiting, ", "", waiting) + self.tr("%n failed", "", counts[State.FAILED])
        )


class CrmViews(NamedTuple):
    actions: CrmActions
    outbox: OutboxView
    settings: QWidget


def install(window: Any) -> CrmViews:
    """Plug the CRM side into a ``desktop.main_window.MainWindow`` in one call.

    Starts the outbox worker, enables the detail pane's "Log now" and "Create the contact",
    adds a CRM menu (log, forward, create contact for the selected message; the outbox; the
    settings), the "CRM outbox" dock and the "Account settings" page, and re-reads the window
    after every delivery (a settings change is a ``CollectionOp``: the window follows those).
    """
    from desktop import crm_menu
    from desktop.crm_safety import SafeActions
    from desktop.settings_view import SettingsView
    from desktop.window_views import ViewKind

    actions = CrmActions(window.tasks)
    outbox_view = OutboxView(actions)
    account = window.current_account()
    settings = SettingsView(window.tasks, account.name if account is not None else None)
    window.register_view(
        translate("MainWindow", "CRM outbox"), lambda w: outbox_view, ViewKind.DOCK
    )
    settings_menu = getattr(window, "settings_menu", None)
    window.register_view(
        translate("MainWindow", "&Account settings"),
        lambda w: settings,
        ViewKind.PAGE,
        menu=settings_menu,
    )
    safe = SafeActions(window, actions)
    window.safe_actions = safe  # the right-click menu and the check panel click through it
    window.detail.register_action(Action.LOG_NOW, safe.handle)
    window.detail.register_action(Action.CREATE_CONTACT, safe.handle)
    crm_menu.install(window, actions, safe)
    actions.delivered.connect(lambda *_: window.refresh())  # a click is a CollectionOp
    actions.failed.connect(lambda text: window.statusBar().showMessage(text, 15_000))
    settings.failed.connect(lambda text: window.statusBar().showMessage(text, 15_000))
    window.account_changed.connect(
        lambda new: settings.set_account(new.name) if new is not None else None
    )
    actions.start()
    return CrmViews(actions, outbox_view, settings)
