"""The account dialog: host, port, security, user, password; "Test connection" in a worker.

The password goes to the OS keyring only (``core.mail.accounts.add_imap``), never to SQLite.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.mail import accounts
from core.mail.imap_conn import ImapSettings
from core.mail.secrets import KeyringStore, SecretError, SecretStore
from core.mail.source import Security
from core.store.accounts import Account
from desktop.workers import ConnectionTest


class AccountDialog(QDialog):
    """Add an IMAP account; ``account`` is set once it is saved."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        secrets: SecretStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect your mailbox"))
        self._conn = conn
        self._secrets = secrets if secrets is not None else KeyringStore()
        self._test: ConnectionTest | None = None
        self.account: Account | None = None
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("work"))
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("imap.example.com"))
        self.security = QComboBox()
        for label, value in (
            (self.tr("SSL/TLS"), Security.SSL),
            (self.tr("STARTTLS"), Security.STARTTLS),
            (self.tr("None (this computer only)"), Security.NONE),
        ):
            self.security.addItem(label, value.value)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(993)
        self.security.currentIndexChanged.connect(self._default_port)
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(self.tr("optional: a CA file to trust"))
        form = QFormLayout()
        form.addRow(self.tr("Account name"), self.name)
        form.addRow(self.tr("Server"), self.host)
        form.addRow(self.tr("Security"), self.security)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Trusted CA"), self.ca_file)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.resize(460, 0)

    def _default_port(self) -> None:
        self.port.setValue(accounts.default_port(self.chosen_security()))

    def chosen_security(self) -> Security:
        # Qt hands enum data back as plain strings: convert, so "is Security.X" checks hold.
        return Security(self.security.currentData())

    def settings(self) -> ImapSettings:
        return ImapSettings(
            host=self.host.text().strip(),
            user=self.user.text().strip(),
            port=self.port.value(),
            security=self.chosen_security(),
            ca_file=self.ca_file.text().strip() or None,
            timeout=15.0,
        )

    def _show(self, ok: bool, text: str) -> None:
        colour = "#1b6b2f" if ok else "#b3261e"
        self.result_label.setStyleSheet(f"color: {colour};")
        self.result_label.setText(text)

    def test_connection(self) -> None:
        """Connect and log in in a worker; the result shows in ``result_label``."""
        if not self.host.text().strip():
            self._show(False, self.tr("Enter the server's name."))
            return
        self.test_button.setEnabled(False)
        self._show(True, self.tr("Connecting…"))
        self._test = ConnectionTest(self.settings(), self.password.text())
        self._test.signals.done.connect(self._tested)
        QThreadPool.globalInstance().start(self._test)

    def _tested(self, ok: bool, text: str) -> None:
        self.test_button.setEnabled(True)
        if ok:
            self._show(True, self.tr("Connected: %1 folders found.").replace("%1", text))
        else:
            self._show(False, self.tr("Connection failed: %1").replace("%1", text))

    def save(self) -> None:
        """Add the account (password to the keyring only) and close; errors stay on screen."""
        try:
            self.account = accounts.add_imap(
                self._conn,
                self._secrets,
                self.name.text().strip(),
                host=self.host.text(),
                user=self.user.text(),
                password=self.password.text(),
                port=self.port.value(),
                security=self.chosen_security(),
                ca_file=self.ca_file.text().strip() or None,
            )
        except (accounts.AccountError, SecretError) as error:
            self._show(False, str(error))
            return
        self.accept()
