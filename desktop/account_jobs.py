"""The account dialog's background jobs: finding settings, and the browser sign-in.

Each runs in the thread pool and reports through signals (queued to the GUI thread); none
touches a widget. The sign-in job asks the GUI thread to open the browser (``open_url``).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, Signal

from core.auth.errors import OAuthError
from core.auth.providers import OAuthConfig
from core.mail.accounts import Server
from core.mail.detect import Lookups, detect
from core.mail.source import MailError
from core.store import db


class _DetectSignals(QObject):
    done = Signal(str, object)  # the address asked about, Detection


class DetectSettings(QRunnable):
    """Find the settings of an address (``core.mail.detect``)."""

    def __init__(self, email: str, lookups: Lookups) -> None:
        super().__init__()
        self.email = email
        self.lookups = lookups
        self.signals = _DetectSignals()

    def run(self) -> None:
        try:
            detection = detect(self.email, self.lookups)
        except ValueError:
            detection = None
        self.signals.done.emit(self.email, detection)


class _SignInSignals(QObject):
    open_url = Signal(str)  # show this address in the browser
    done = Signal(bool, str, object)  # success, one line (or the folder count), SignedIn


class SignInJob(QRunnable):
    """Sign in in the browser, then prove the new token on the server."""

    def __init__(
        self, config: OAuthConfig, email: str, server: Server, user: str, timeout: float
    ) -> None:
        super().__init__()
        self.config, self.email, self.server, self.user = config, email, server, user
        self.timeout = timeout
        self.cancel = threading.Event()
        self.signals = _SignInSignals()

    def run(self) -> None:
        from core.mail.oauth_setup import prove, run_sign_in

        try:
            signed = run_sign_in(
                self.config,
                db.home(),
                email=self.email,
                open_url=self.signals.open_url.emit,
                timeout=self.timeout,
                cancel=self.cancel,
            )
            count = prove(self.server, self.user, signed)
        except (OAuthError, MailError) as error:
            self.signals.done.emit(False, str(error), None)
            return
        except Exception as error:  # a bug: name it, never its text (it may hold a secret)
            self.signals.done.emit(False, f"unexpected {type(error).__name__}", None)
            return
        self.signals.done.emit(True, str(count), signed)


def organisation_client_id(kind: str) -> str:
    """The client id of ``oauth2-clients.json`` (or the built-in one) for a preset."""
    from core.auth.errors import OAuthError
    from core.auth.providers import default_config

    try:
        return default_config(kind, db.home()).client_id
    except OAuthError:
        return ""  # an unreadable file: the sign-in names it
