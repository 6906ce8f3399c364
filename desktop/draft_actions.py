"""The "Add BCC" action on a draft, a ``NetworkOp`` (the mailbox may be a server).

``AddBccAction.run(row_id)`` starts the job; ``finished(BccResult)`` or ``failed(str)`` come
back on the GUI thread. The job opens its own SQLite connection and its own mail source; one
draft is rewritten at a time (a second click waits its turn). ``install(window)`` wires it to
the main window's detail pane and to a check panel.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QObject, Signal

import resources.demo as demo
from core.mail import accounts
from core.mail.secrets import KeyringStore, SecretError, SecretStore
from core.mail.source import MailError
from core.preview.add_bcc import BccResult, DraftGone, DraftServer, add_bcc_to_draft
from core.preview.bcc import BccError
from core.store import db
from core.store.places import account_of
from desktop.ops import NetworkOp, Running, Tasks


def _add_bcc(cache: Path, row_id: int, secrets: SecretStore) -> BccResult:
    with closing(db.connect(cache)) as conn:  # this thread's own connection
        return add_bcc_to_draft(
            conn, row_id, lambda: _open(conn, row_id, secrets), shipped=(demo.MAILDIR,)
        )


def _open(conn: sqlite3.Connection, row_id: int, secrets: SecretStore) -> DraftServer:
    account = account_of(conn, row_id)
    if account is None:
        raise DraftGone("this draft is no longer in the cache")
    return cast(DraftServer, accounts.open_source(conn, account, secrets))


def _one_line(error: Exception) -> str:
    if not isinstance(error, MailError | BccError | SecretError | OSError):
        return f"Adding the BCC failed unexpectedly: {error!r}"  # a bug: still tell the rep
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:1].upper() + text[1:]


class AddBccAction(QObject):
    """Adds the account's BCC address to a draft in the background."""

    started = Signal(int)  # row id
    finished = Signal(object)  # BccResult
    failed = Signal(str)  # one line for the rep

    def __init__(
        self, tasks: Tasks, secrets: SecretStore | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.secrets = secrets if secrets is not None else KeyringStore()
        self._running: Running | None = None
        self._waiting: list[int] = []  # rows clicked while another draft is rewritten

    @property
    def busy(self) -> bool:
        return self._running is not None or bool(self._waiting)

    def run(self, row_id: int, _action: object = None) -> None:
        """Start adding the BCC to draft ``row_id`` (also a detail-pane action handler)."""
        self.started.emit(row_id)
        if self._running is not None:
            self._waiting.append(row_id)
        else:
            self._start(row_id)

    def _start(self, row_id: int) -> None:
        cache, secrets = self.tasks.cache, self.secrets
        op = NetworkOp(self.tasks, lambda _report, _cancel: _add_bcc(cache, row_id, secrets))
        op.success(self._done).failure(lambda error: self._done(None, _one_line(error)))
        self._running = op.run_in_background()

    def _done(self, result: BccResult | None, error: str | None = None) -> None:
        self._running = None
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(result)
        if self._waiting:
            self._start(self._waiting.pop(0))


def install(window: Any, panel: Any = None) -> AddBccAction:
    """Wire "Add BCC" into the main window (detail pane button) and a check panel, if any.

    After the rewrite the window re-reads the cache and selects the new draft row; the result
    or the failure is shown in the status bar.
    """
    from core.rules.actions import Action

    action = AddBccAction(window.tasks, window.secrets, window)
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
