"""The main window's background work: syncs (with new-mail watching), the live re-reads of
the table and sidebar while rows land, and message bodies; all through workers and signals.

A mixin of ``MainWindow`` (kept apart to keep each module short); it uses the window's
widgets, models, ``reader`` and ``syncs``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool

from core.mail.sync import SyncProgress, SyncSummary
from core.store import views
from core.store.accounts import Account, list_accounts
from desktop.message_model import format_date
from desktop.workers import BodyFetch, SyncWorker

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

    _Base = MainWindow
else:
    _Base = object


class BackgroundWork(_Base):
    """Starting, following and cancelling syncs; fetching bodies."""

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
        worker.progress.connect(self._sync_progress)
        worker.synced.connect(self._synced)
        worker.failed.connect(self._sync_failed)
        worker.sign_in_needed.connect(self.offer_sign_in)
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

    def _read_done(self, query: object, ids: object, states: object, read_at: float) -> None:
        """Swap in what the reader found (unless the user changed the query meanwhile)."""
        if self._closed:
            return
        if states is not None:
            self._show_sidebar(states)  # type: ignore[arg-type]
        if self._pending_query is not None and query == self._pending_query:
            self._pending_query = None
            self.model.show_query(query, ids, read_at)  # type: ignore[arg-type]
            self._after_query()
        elif query == self.model.query:
            selected = self.selected_message_id()
            if self.model.apply_ids(ids, read_at) and selected is not None:  # type: ignore[arg-type]
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
