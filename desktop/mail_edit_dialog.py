"""Editing an IMAP account's server settings, with "Test connection" (Mailbox › Accounts…).

The "Connect your mailbox" dialog (``desktop.account_dialog``) with the account's settings
filled in: the same fields and the same background test, but it changes an existing account
(``core.mail.account_edit``) instead of adding one. The name is fixed; an empty password keeps
the stored one (the keyring's), for the test as for the save.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QWidget

from core.mail.account_edit import update_imap
from core.mail.accounts import AccountError
from core.mail.secrets import SecretError, SecretStore, imap_key
from core.store import db
from core.store.accounts import Account
from desktop.account_dialog import AccountDialog
from desktop.ops import Tasks


class MailEditDialog(AccountDialog):
    """The server, security, port, user, password and CA of one IMAP account."""

    def __init__(
        self,
        tasks: Tasks,
        account: Account,
        secrets: SecretStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.path = tasks.cache
        conn = db.connect(self.path)
        try:
            super().__init__(conn, tasks, secrets, parent)
        finally:
            conn.close()
        self.account = account
        self._stored: Account = account
        self.setWindowTitle(self.tr("Mail settings of %1").replace("%1", account.name))
        self.name.setText(account.name)
        self.name.setReadOnly(True)
        self.host.setText(account.host or "")
        index = self.security.findData(account.security or "ssl")
        self.security.setCurrentIndex(max(0, index))
        self.port.setValue(account.port or self.port.value())
        self.user.setText(account.user or "")
        self.password.setPlaceholderText(self.tr("unchanged"))
        self.ca_file.setText(account.ca_file or "")

    def test_connection(self) -> None:
        """Log in with the form's settings; an empty password means the stored one."""
        if not self.password.text():
            try:
                stored = self._secrets.get(imap_key(self._stored.name)) or ""
            except SecretError as error:
                self._show(False, str(error))
                return
            self.password.setText(stored)
            try:
                super().test_connection()
            finally:
                self.password.clear()
            return
        super().test_connection()

    def save(self) -> None:
        conn: sqlite3.Connection = db.connect(self.path)
        try:
            self.account = update_imap(
                conn,
                self._secrets,
                self._stored.name,
                host=self.host.text(),
                user=self.user.text(),
                port=self.port.value(),
                security=self.chosen_security(),
                ca_file=self.ca_file.text().strip() or None,
                password=self.password.text() or None,
            )
        except (AccountError, SecretError) as error:
            self._show(False, str(error))
            return
        finally:
            conn.close()
        self.accept()
