"""Background work for the CRM dialogs: the HubSpot check, the load, the SMTP test.

``Job`` runs one function in the thread pool with a ``report`` callback and a cancel event;
it never touches a widget and reports through queued signals: ``progress(object)``,
``done(object)``, ``failed(str)`` (one line: ``CrmError``s and the mail errors say what to do;
anything else is a bug, reported as such, never with a secret in it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.crm.errors import CrmError
from core.mail.accounts import AccountError
from core.mail.secrets import SecretError
from core.mail.source import MailError

Work = Callable[[Callable[[object], None], threading.Event], Any]


class JobSignals(QObject):
    progress = Signal(object)
    done = Signal(object)
    failed = Signal(str)


class Job(QRunnable):
    """One piece of background work; ``cancel()`` asks it to stop at its next check."""

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the owner keeps it until ``done`` or ``failed``
        self.signals = JobSignals()
        self.cancel_event = threading.Event()
        self._work = work

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self.cancel_event)
        except (CrmError, MailError, AccountError, SecretError, ValueError) as error:
            self.signals.failed.emit(str(error))
            return
        except Exception as error:  # a bug of ours: say so, without details that may leak
            self.signals.failed.emit(f"Internal error ({type(error).__name__}): please report it.")
            return
        self.signals.done.emit(result)


def start(job: Job, keep: set[Job], pool: QThreadPool | None = None) -> Job:
    """Run ``job`` in ``pool``, kept in ``keep`` until it ends (Qt would delete it otherwise)."""
    keep.add(job)
    job.signals.done.connect(lambda _: keep.discard(job))
    job.signals.failed.connect(lambda _: keep.discard(job))
    (pool or QThreadPool.globalInstance()).start(job)
    return job
