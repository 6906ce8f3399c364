"""The account dialog's background work, as the ``op`` of ``NetworkOp``s: finding an address's
settings, the browser sign-in proved on the server, and a test login; and their one-line
failures. None touches a widget; the sign-in asks the GUI thread to open the browser through
``report(url)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from core.auth.errors import OAuthError
from core.auth.providers import OAuthConfig
from core.mail.accounts import Server
from core.mail.detect import Detection, Lookups, detect
from core.mail.imap_conn import ImapSettings
from core.mail.source import MailError
from core.store import db

SignInWork = Callable[[Callable[[object], None], threading.Event], tuple[int, object]]


def detect_settings(email: str, lookups: Lookups) -> Detection | None:
    """The settings of an address (``core.mail.detect``); None when it is no address."""
    try:
        return detect(email, lookups)
    except ValueError:
        return None


def sign_in(
    config: OAuthConfig, email: str, server: Server, user: str, timeout: float
) -> SignInWork:
    """Sign in in the browser, then prove the new token on the server: the folder count and
    the ``SignedIn`` (kept in memory until the dialog saves it)."""

    def work(report: Callable[[object], None], cancel: threading.Event) -> tuple[int, object]:
        from core.mail.oauth_setup import prove, run_sign_in

        signed = run_sign_in(
            config, db.home(), email=email, open_url=report, timeout=timeout, cancel=cancel
        )
        return prove(server, user, signed), signed

    return work


def oauth_config(method: str, client_id: str, issuer: str) -> OAuthConfig:
    """The provider's configuration for the dialog's sign-in method; a blank client id or
    issuer takes the preset's. ``OAuthError`` says what is missing or unreadable."""
    from core.mail.oauth_setup import config_for

    return config_for(method, db.home(), client_id=client_id or None, issuer=issuer or None)


def sign_in_failure(error: Exception) -> str:
    if isinstance(error, OAuthError | MailError):
        return str(error)
    return f"unexpected {type(error).__name__}"  # a bug: named, never its text (a secret?)


def test_login(settings: ImapSettings, password: str) -> int:
    """Connect and log in once with the dialog's settings: the number of folders."""
    from core.mail.imap import ImapSource

    source = ImapSource(settings, password)
    try:
        return len(source.folders())
    finally:
        source.close()


def login_failure(error: Exception) -> str:
    if isinstance(error, MailError):
        return str(error)
    return f"unexpected {type(error).__name__}: {error}"


def organisation_client_id(kind: str) -> str:
    """The client id of ``oauth2-clients.json`` (or the built-in one) for a preset."""
    from core.auth.providers import default_config

    try:
        return default_config(kind, db.home()).client_id
    except OAuthError:
        return ""  # an unreadable file: the sign-in names it


def app_password_note(found: Any) -> str | None:
    """The note of a provider that refuses normal passwords (rich text), or None."""
    from PySide6.QtCore import QCoreApplication

    if found.app_password is None:
        return None
    text = QCoreApplication.translate(
        "AccountDialog",
        "%1 does not accept your normal password here: use an app password"
        ' (<a href="%2">make one on %1\'s site</a>).',
    )
    if found.oauth2 == "google":
        text = QCoreApplication.translate(
            "AccountDialog",
            "With Google Workspace, sign in with Google. A personal Gmail account without"
            ' it needs an app password (<a href="%2">make one on Google\'s site</a>).',
        )
    return str(text.replace("%1", found.provider or "").replace("%2", found.app_password))


def save_oauth2(
    conn: Any, secrets: Any, name: str, server: Any, user: str, email: str, signed: object
) -> Any:
    """Save a signed-in account (its refresh token to the keyring only)."""
    from PySide6.QtCore import QCoreApplication

    from core.mail import accounts
    from core.mail.oauth_setup import SignedIn, save

    if not isinstance(signed, SignedIn):
        raise accounts.AccountError(QCoreApplication.translate("AccountDialog", "Sign in first."))
    return save(conn, secrets, name, server=server, user=user, email=email, signed=signed)


def open_in_browser(url: str) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl(url))
