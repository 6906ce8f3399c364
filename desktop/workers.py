"""The account dialog's connection test (its own mail client, in a worker)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, Signal

from core.mail.source import MailError


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
