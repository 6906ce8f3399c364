"""Editing an IMAP account's server settings, with "Test connection" (Mailbox › Accounts…).

Adding a mailbox is the "Connect your mailbox" dialog's job; this one changes what an
existing account reaches. An empty password keeps the stored one (the keyring's); "Test"
logs in with what the form says, in the background. A new server or user resyncs the account.
"""

from __future__ import annotations

from pathlib import Path

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

from core.mail.account_edit import update_imap
from core.mail.accounts import AccountError, default_port
from core.mail.imap_conn import ImapSettings
from core.mail.secrets import KeyringStore, SecretError, SecretStore, imap_key
from core.mail.source import Security
from core.store import db
from core.store.accounts import Account
from desktop.workers import ConnectionTest


class MailEditDialog(QDialog):
    """The server, security, port, user, password and CA of one IMAP account."""

    def __init__(
        self,
        path: Path | str,
        account: Account,
        secrets: SecretStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mail settings of %1").replace("%1", account.name))
        self.path, self.account = Path(path), account
        self._secrets = secrets if secrets is not None else KeyringStore()
        self._test: ConnectionTest | None = None
        self.host = QLineEdit(account.host or "", self)
        self.security = QComboBox(self)
        for label, value in (
            (self.tr("SSL/TLS"), Security.SSL),
            (self.tr("STARTTLS"), Security.STARTTLS),
            (self.tr("None (this computer only)"), Security.NONE),
        ):
            self.security.addItem(label, value.value)
        self.security.setCurrentIndex(max(0, self.security.findData(account.security or "ssl")))
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(account.port or default_port(self.chosen()))
        self.user = QLineEdit(account.user or "", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged"))
        self.ca_file = QLineEdit(account.ca_file or "", self)
        self.result = QLabel(self)
        self.result.setObjectName("mailResult")
        self.result.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test connection"), self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        form = QFormLayout()
        for label, widget in (
            (self.tr("Server"), self.host),
            (self.tr("Security"), self.security),
            (self.tr("Port"), self.port),
            (self.tr("User name"), self.user),
            (self.tr("Password"), self.password),
            (self.tr("Trusted CA"), self.ca_file),
        ):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(buttons)
        self.security.currentIndexChanged.connect(
            lambda _: self.port.setValue(default_port(self.chosen()))
        )
        self.test_button.clicked.connect(lambda _=False: self.test_connection())
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.resize(440, 0)

    def chosen(self) -> Security:
        return Security(self.security.currentData())

    def settings(self) -> ImapSettings:
        return ImapSettings(
            host=self.host.text().strip(),
            user=self.user.text().strip(),
            port=self.port.value(),
            security=self.chosen(),
            ca_file=self.ca_file.text().strip() or None,
            timeout=15.0,
        )

    def _show(self, ok: bool, text: str) -> None:
        self.result.setStyleSheet(f"color: {'#1b6b2f' if ok else '#b3261e'};")
        self.result.setText(text)

    def test_connection(self) -> None:
        try:
            password = self.password.text() or self._secrets.get(imap_key(self.account.name))
        except SecretError as error:
            self._show(False, str(error))
            return
        self.test_button.setEnabled(False)
        self._show(True, self.tr("Connecting…"))
        self._test = ConnectionTest(self.settings(), password or "")
        self._test.signals.done.connect(self._tested)
        QThreadPool.globalInstance().start(self._test)

    def _tested(self, ok: bool, text: str) -> None:
        self.test_button.setEnabled(True)
        if ok:
            self._show(True, self.tr("Connected: %1 folders found.").replace("%1", text))
        else:
            self._show(False, self.tr("Connection failed: %1").replace("%1", text))

    def save(self) -> None:
        conn = db.connect(self.path)
        try:
            self.account = update_imap(
                conn,
                self._secrets,
                self.account.name,
                host=self.host.text(),
                user=self.user.text(),
                port=self.port.value(),
                security=self.chosen(),
                ca_file=self.ca_file.text().strip() or None,
                password=self.password.text() or None,
            )
        except (AccountError, SecretError) as error:
            self._show(False, str(error))
            return
        finally:
            conn.close()
        self.accept()
