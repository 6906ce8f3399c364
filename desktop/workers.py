"""Background work: syncs (with new-mail watching), body fetches and connection tests.

Each worker runs in its own thread with its own SQLite connection and its own mail client;
it never touches a widget and reports through Qt signals (queued to the GUI thread).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThread, Signal

from core import gcpause
from core.mail import accounts
from core.mail.body import Body, load_body
from core.mail.secrets import KeyringStore, SecretError, SecretStore
from core.mail.source import MailError, SignInNeeded
from core.mail.sync import Cancelled, SyncProgress, SyncSummary, sync_account
from core.mail.watch import watch
from core.store import db
from core.store.accounts import Account


class SyncWorker(QThread):
    """Sync one account, then (``watch=True``) keep syncing on news until cancelled."""

    progress = Signal(object)  # SyncProgress
    synced = Signal(object)  # SyncSummary, after each sync
    failed = Signal(str)  # one line for the status bar
    sign_in_needed = Signal(object)  # Account: its OAuth2 sign-in was refused or revoked
    stopped = Signal(bool)  # True when cancelled by the user

    def __init__(
        self,
        cache: Path | str,
        account: Account,
        *,
        secrets: SecretStore | None = None,
        watch_mail: bool = True,
        poll_seconds: float = 60.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.cache = cache
        self.account = account
        self.secrets = secrets if secrets is not None else KeyringStore()
        self.watch_mail = watch_mail
        self.poll_seconds = poll_seconds
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        conn = db.connect(self.cache)  # this thread's own connection
        cancelled = False
        paused = False
        try:

            def opener():  # type: ignore[no-untyped-def]
                return accounts.open_source(conn, self.account, self.secrets)

            def progress(p: SyncProgress) -> None:
                nonlocal paused
                if p.phase == "folders" and not paused:
                    gcpause.enter()
                    paused = True
                elif p.phase == "done" and paused:
                    gcpause.leave()
                    paused = False
                self.progress.emit(p)

            if self.watch_mail:
                watch(
                    conn,
                    self.account,
                    opener,
                    cancel=self.cancel_event,
                    on_sync=self.synced.emit,
                    progress=progress,
                    poll_seconds=self.poll_seconds,
                )
            else:
                summary: SyncSummary = sync_account(
                    conn,
                    self.account,
                    opener,
                    progress=self.progress.emit,
                    cancel=self.cancel_event,
                )
                self.synced.emit(summary)
        except Cancelled:
            pass
        except SignInNeeded as error:
            self.failed.emit(f"{self.account.name}: {error}")
            self.sign_in_needed.emit(self.account)
        except (MailError, SecretError) as error:
            self.failed.emit(f"{self.account.name}: {error}")
        except (sqlite3.Error, OSError) as error:
            # A full disk or an unwritable cache: what is synced so far is kept.
            self.failed.emit(
                self.tr(
                    "{0}: the local cache cannot be written ({1}); what was synced is kept"
                ).format(self.account.name, error)
            )
        except Exception as error:
            self.failed.emit(f"{self.account.name}: unexpected {type(error).__name__}: {error}")
        finally:
            cancelled = self.cancel_event.is_set()
            if paused:
                gcpause.leave()  # a failed or cancelled sync never reported "done"
            conn.close()
        self.stopped.emit(cancelled)


class _BodySignals(QObject):
    loaded = Signal(int, object)  # row id, Body
    failed = Signal(int, str)


class BodyFetch(QRunnable):
    """Read one message's body: a local file, or ``fetch_raw`` over the account's IMAP."""

    def __init__(self, cache: Path | str, message_id: int, secrets: SecretStore | None = None):
        super().__init__()
        self.cache = cache
        self.message_id = message_id
        self.secrets = secrets if secrets is not None else KeyringStore()
        self.signals = _BodySignals()

    def run(self) -> None:
        conn = db.connect(self.cache)
        try:
            self.signals.loaded.emit(self.message_id, self._body(conn))
        except (MailError, SecretError) as error:
            self.signals.failed.emit(self.message_id, str(error))
        except Exception as error:
            self.signals.failed.emit(self.message_id, f"cannot show it: {type(error).__name__}")
        finally:
            conn.close()

    def _body(self, conn) -> Body:  # type: ignore[no-untyped-def]
        return load_body(conn, self.message_id, self.secrets)


class _TestSignals(QObject):
    done = Signal(bool, str)  # success, one line


class ConnectionTest(QRunnable):
    """Connect and log in once with the dialog's settings; report the exact failure."""

    def __init__(self, settings: object, password: str) -> None:
        super().__init__()
        self.settings = settings
        self.password = password
        self.signals = _TestSignals()

    def run(self) -> None:
        from core.mail.imap import ImapSource

        try:
            source = ImapSource(self.settings, self.password)  # type: ignore[arg-type]
        except MailError as error:
            self.signals.done.emit(False, str(error))
            return
        except Exception as error:
            self.signals.done.emit(False, f"unexpected {type(error).__name__}: {error}")
            return
        try:
            count = len(source.folders())
        except MailError as error:
            self.signals.done.emit(False, str(error))
            return
        finally:
            source.close()
        self.signals.done.emit(True, str(count))
