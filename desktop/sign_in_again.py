"""Signing an account in again after its provider refused to renew the sign-in.

The account dialog with the server fixed and the account's own provider and client id; the
new refresh token replaces the old one in the keyring as soon as the server accepted it, and
the cache is left as it is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from core.auth.flow import SIGN_IN_TIMEOUT
from core.mail.secrets import SecretError, SecretStore
from core.store.accounts import Account
from desktop.account_dialog import AccountDialog
from desktop.ops import Tasks


class SignInAgainDialog(AccountDialog):
    """Sign ``account`` in again; ``account`` is set once the new sign-in is stored."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        tasks: Tasks,
        account: Account,
        secrets: SecretStore | None = None,
        parent: QWidget | None = None,
        *,
        browser: Callable[[str], object] | None = None,
        sign_in_timeout: float = SIGN_IN_TIMEOUT,
    ) -> None:
        super().__init__(
            conn, tasks, secrets, parent, browser=browser, sign_in_timeout=sign_in_timeout
        )
        self.login_account = account
        self._prepare_login(account)

    def _prepare_login(self, account: Account) -> None:
        from core.mail.oauth_setup import account_config

        config = account_config(account)
        self.setWindowTitle(self.tr("Sign in again: %1").replace("%1", account.name))
        self.email.setText(account.email or account.user or "")
        self.name.setText(account.name)
        self.host.setText(account.host or "")
        self.security.setCurrentIndex(self.security.findData(account.security or "ssl"))
        self.port.setValue(account.port or 993)
        self.user.setText(account.user or "")
        self.ca_file.setText(account.ca_file or "")
        self.method.setCurrentIndex(self.method.findData(config.provider))
        self.issuer.setText(config.issuer or "")
        self.client_id.setText(config.client_id)
        for widget in (self.email, self.find_button, self.lookup_online, self.name, self.method):
            widget.setEnabled(False)
        self.origin_label.setText(self.tr("Your sign-in has expired or was revoked."))
        self.save_button.hide()

    def after_sign_in(self) -> None:
        from core.mail.oauth_setup import SignedIn, login_again

        assert self.login_account is not None and isinstance(self._signed, SignedIn)
        try:
            login_again(self._conn, self._secrets, self.login_account, self._signed)
        except SecretError as error:
            self._show(False, str(error))
            return
        self.account = self.login_account
        self.accept()
