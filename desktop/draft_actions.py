"""The "Add BCC" action on a draft, run in a worker thread (the mailbox may be a server).

``AddBccAction.run(row_id)`` starts the job; ``finished(BccResult)`` or ``failed(str)`` come
back on the GUI thread. The worker opens its own SQLite connection and its own mail source.
``install(window)`` wires it to the main window's detail pane and to a check panel.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

import resources.demo as demo
from core.mail import accounts
from core.mail.secrets import KeyringStore, SecretError, SecretStore
from core.mail.source import MailError
from core.preview.add_bcc import BccResult, DraftServer, add_bcc_to_draft
from core.preview.bcc import BccError
from core.store.accounts import list_accounts

Connect = Callable[[], sqlite3.Connection]


class _Signals(QObject):
    finished = Signal(object)  # BccResult
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, connect: Connect, secrets: SecretStore, row_id: int) -> None:
        super().__init__()
        self.connect = connect
        self.secrets = secrets
        self.row_id = row_id
        self.signals = _Signals()  # created on the GUI thread: its signals are queued there

    def run(self) -> None:
        conn = self.connect()  # this thread's own connection
        try:
            result = add_bcc_to_draft(
                conn, self.row_id, lambda: self._open(conn), shipped=(demo.MAILDIR,)
            )
        except (MailError, BccError, SecretError, OSError) as error:
            self.signals.failed.emit(_one_line(error))
            return
        except Exception as error:  # a bug: still tell the rep, never die silently
            self.signals.failed.emit(f"Adding the BCC failed unexpectedly: {error!r}")
            return
        finally:
            conn.close()
        self.signals.finished.emit(result)

    def _open(self, conn: sqlite3.Connection) -> DraftServer:
        row = conn.execute(
            "SELECT f.account_id FROM messages m JOIN folders f ON f.id = m.folder_id"
            " WHERE m.id = ?",
            (self.row_id,),
        ).fetchone()
        account = next(a for a in list_accounts(conn) if row is not None and a.id == row[0])
        return cast(DraftServer, accounts.open_source(conn, account, self.secrets))


def _one_line(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:1].upper() + text[1:]


class AddBccAction(QObject):
    """Adds the account's BCC address to a draft in the background."""

    started = Signal(int)  # row id
    finished = Signal(object)  # BccResult
    failed = Signal(str)  # one line for the rep

    def __init__(
        self,
        connect: Connect,
        secrets: SecretStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.connect = connect
        self.secrets = secrets if secrets is not None else KeyringStore()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one draft rewrite at a time
        self._jobs: set[_Job] = set()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def run(self, row_id: int, _action: object = None) -> None:
        """Start adding the BCC to draft ``row_id`` (also a detail-pane action handler)."""
        job = _Job(self.connect, self.secrets, row_id)
        job.setAutoDelete(False)
        self._jobs.add(job)
        job.signals.finished.connect(lambda result, j=job: self._done(j, result, None))
        job.signals.failed.connect(lambda text, j=job: self._done(j, None, text))
        self.started.emit(row_id)
        self.pool.start(job)

    def _done(self, job: _Job, result: BccResult | None, error: str | None) -> None:
        self._jobs.discard(job)
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(result)

    def wait(self, msecs: int = 30_000) -> bool:
        return bool(self.pool.waitForDone(msecs))


def install(window: Any, panel: Any = None) -> AddBccAction:
    """Wire "Add BCC" into the main window (detail pane button) and a check panel, if any.

    After the rewrite the window re-reads the cache and selects the new draft row; the result
    or the failure is shown in the status bar.
    """
    from core.rules.actions import Action
    from core.store import db

    action = AddBccAction(lambda: db.connect(window.cache), window.secrets, window)
    window.detail.register_action(Action.ADD_BCC, action.run)
    if panel is not None:
        panel.add_bcc_requested.connect(action.run)

    def done(result: BccResult) -> None:
        window.refresh()
        if result.row_id is not None:
            window.select_message(result.row_id)
            if panel is not None:
                panel.reload()
                panel.show_draft(result.row_id)
        window.statusBar().showMessage(result.text, 10_000)

    action.finished.connect(done)
    action.failed.connect(lambda text: window.statusBar().showMessage(text, 15_000))
    return action
