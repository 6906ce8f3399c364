"""The window's syncs: each account synced, then watched for new mail, in a process of its own
(``core.mail.sync_process``) followed by one long ``NetworkOp``, and in the status bar.

``SyncControl`` starts, restarts and cancels them and shows their progress and their
one-line errors (a full disk, a refused sign-in, a server's own words; a bug says it is one).
It tells the window when rows land (``landed``: re-read them soon), when a sync is done
(``synced``), when one stops (``stopped``), when none runs any more (``idle``) and when an
account must sign in again (``sign_in_needed``).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QToolButton, QWidget

from core.i18n import format_number
from core.mail.secrets import KeyringStore, SecretError, SecretStore
from core.mail.source import MailError, SignInNeeded
from core.mail.sync import SyncProgress, SyncSummary
from core.mail.sync_process import WorkerError, watch_in_process
from core.store.accounts import Account
from desktop.ops import NetworkOp, Report, Running, Tasks
from desktop.session_password import password_ready


class StatusLine(NamedTuple):
    """The status bar's widgets a sync speaks through."""

    text: QLabel
    progress: QProgressBar
    cancel: QToolButton
    sign_in: QToolButton  # "Sign in again", shown when a sync's sign-in was refused


def _watched(
    cache: Path, account: Account, secrets: SecretStore, poll_seconds: float
) -> Callable[[Report, threading.Event], None]:
    """Sync ``account``, then sync again on news until cancelled: in a process of its own
    (``core.mail.sync_process``), followed from the network pool."""

    def run(report: Report, cancel: threading.Event) -> None:
        # Babel's number formats load on first use (~55 ms): here, not on the GUI thread when
        # it writes the summary line at the sync's end (issue 15: a stall of the event loop).
        format_number(0.0, "0.0")
        watch_in_process(
            cache, account.id, secrets, report=report, cancel=cancel, poll_seconds=poll_seconds
        )

    return run


class SyncControl(QObject):
    """Starting, following and cancelling the syncs of one window."""

    landed = Signal(int)  # a sync wrote rows: the id of their account
    synced = Signal(object)  # SyncSummary, after each sync
    stopped = Signal(object, bool)  # Account, True when cancelled by the user
    idle = Signal()  # no sync runs any more
    sign_in_needed = Signal(object)  # Account: its OAuth2 sign-in was refused or revoked

    def __init__(
        self,
        tasks: Tasks,
        status: StatusLine,
        connection: Callable[[], sqlite3.Connection],
        *,
        secrets: SecretStore | None,
        poll_seconds: float,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.status = tasks, status
        self._window, self._connection = parent, connection  # for "Sign in again"
        self.secrets = secrets
        self.poll_seconds = poll_seconds
        self.running: dict[int, Running] = {}  # account id -> its sync
        self.synced_at: dict[str, float] = {}  # account name -> last successful sync seen
        self._needs_sign_in: Account | None = None
        status.sign_in.clicked.connect(lambda _=False: self.sign_in_again())

    def start_all(self, found: list[Account]) -> None:
        for account in found:
            self.start(account)

    def start(self, account: Account) -> None:
        """Sync an account (then watch it for new mail); a running one restarts."""
        before = self.running.get(account.id)
        if before is not None:
            before.cancel()
            before.wait()
        secrets = self.secrets if self.secrets is not None else KeyringStore()
        if not password_ready(self._window, account, secrets):
            self.status.text.setText(
                self.tr("%1 not synced: no password this session.").replace("%1", account.name)
            )
            return
        op = NetworkOp(self.tasks, _watched(self.tasks.cache, account, secrets, self.poll_seconds))
        op.progress(lambda value: self._progress(account.id, value))
        # ``running`` is bound below, before any answer can come (answers come queued).
        op.success(lambda _: self._stopped(account, running, None))
        op.failure(lambda error: self._stopped(account, running, error))
        running = self.running[account.id] = op.run_in_background()

    def cancel(self, wait: bool = False) -> None:
        for running in list(self.running.values()):
            running.cancel()
            if wait:
                running.wait()
        if wait:
            self.running.clear()

    # -- following ------------------------------------------------------------------------
    def _progress(self, account_id: int, value: object) -> None:
        if isinstance(value, SyncSummary):
            self._synced(value)
        elif isinstance(value, SyncProgress):
            if value.phase in ("fetching", "deciding", "done"):
                self.landed.emit(account_id)
            self._show_progress(value)

    def _show_progress(self, p: SyncProgress) -> None:
        if p.phase != "done":
            self.status.cancel.show()
        if p.phase == "fetching" and p.total:
            self.status.progress.show()
            self.status.progress.setRange(0, p.total)
            self.status.progress.setValue(p.done)
            text = self.tr("%1: syncing %2 (%3 of %4)")
            values = (p.account, p.folder, str(p.done), str(p.total))
        elif p.phase == "deciding":
            text, values = self.tr("%1: deciding verdicts…"), (p.account,)
        elif p.phase == "done":
            self.status.progress.hide()
            self.status.cancel.hide()
            text, values = self.tr("%1: up to date"), (p.account,)
        else:
            text, values = self.tr("%1: checking %2…"), (p.account, p.folder)
        for n, value in enumerate(values, start=1):
            text = text.replace(f"%{n}", value)
        self.status.text.setText(text)

    def last_sync_text(self, conn: sqlite3.Connection, account: Account | None) -> str:
        """ "Last sync: …" for the status bar: the cache's stamp, or the last sync this
        window saw succeed (a sync that finds nothing new writes no stamp)."""
        from desktop.message_model import format_date

        when = self._last_sync(conn, account)
        if when is None:
            return self.tr("Never synced")
        return self.tr("Last sync: %1").replace("%1", format_date(when))

    def _last_sync(self, conn: sqlite3.Connection, account: Account | None) -> float | None:
        """The later of the cache's stamp and the last sync this window saw succeed."""
        from core.store import views

        stored = views.last_synced(conn, account.id) if account is not None else None
        seen = self.synced_at.get(account.name) if account is not None else None
        return max((t for t in (stored, seen) if t is not None), default=None)

    def _synced(self, summary: SyncSummary) -> None:
        if not summary.errors:
            self.synced_at[summary.account] = time.time()
        errors = " — " + "; ".join(summary.errors) if summary.errors else ""
        self.status.text.setText(summary.line() + errors)
        self.synced.emit(summary)

    def _stopped(self, account: Account, running: Running, error: Exception | None) -> None:
        if error is not None:
            self._failed(account, error)
        if self.running.get(account.id) is running:
            del self.running[account.id]
        cancelled = running.cancel_event.is_set()
        if cancelled and not self.status.text.text().startswith("⚠"):
            self.status.text.setText(self.tr("Sync cancelled; press F5 to sync again."))
        self.stopped.emit(account, cancelled)
        if not self.running:
            self.status.cancel.hide()
            self.status.progress.hide()
            self.idle.emit()

    def _failed(self, account: Account, error: Exception) -> None:
        self.status.progress.hide()
        self.status.text.setText("⚠ " + self._one_line(account, error))
        if isinstance(error, SignInNeeded):
            # The account's sign-in was refused: offer "Sign in again" (nothing is lost).
            self._needs_sign_in = account
            self.status.sign_in.show()
            self.sign_in_needed.emit(account)

    def sign_in_again(self) -> None:
        from desktop.sign_in_again import SignInAgainDialog

        account = self._needs_sign_in
        if account is None:
            return
        dialog = SignInAgainDialog(
            self._connection(), self.tasks, account, self.secrets, self._window
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._needs_sign_in = None
            self.status.sign_in.hide()
            self.start(account)

    def _one_line(self, account: Account, error: Exception) -> str:
        if isinstance(error, MailError | SecretError):
            return f"{account.name}: {error}"
        if isinstance(error, sqlite3.Error | OSError):
            # A full disk or an unwritable cache: what is synced so far is kept.
            return self.tr(
                "{0}: the local cache cannot be written ({1}); what was synced is kept"
            ).format(account.name, error)
        name = error.name if isinstance(error, WorkerError) else type(error).__name__
        return f"{account.name}: unexpected {name}: {error}"
