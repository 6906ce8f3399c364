"""Forwarding (SMTP): where "Forward to the CRM" sends from, with a Test button.

The password goes to the keyring (``core.mail.secrets``); the rest to the account's CRM
settings. "Test" connects, secures the connection and logs in, in the background, and sends
nothing. A failed forward in the outbox names this dialog ("CRM › Forwarding (SMTP)…").
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

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

from core.crm.errors import CrmError
from core.crm.forward import SmtpSettings, check_server
from core.crm.service import CrmService
from core.mail.secrets import KeyringStore, SecretError, smtp_key
from core.mail.source import Security
from core.store import db
from core.store.accounts import get_account
from desktop.crm_errors import failure_line
from desktop.ops import NetworkOp, Tasks

_PORTS = {Security.SSL: 465, Security.STARTTLS: 587, Security.NONE: 25}


class SmtpDialog(QDialog):
    """The SMTP server of one account's forwards."""

    def __init__(self, tasks: Tasks, account_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Forwarding (SMTP)"))
        self.tasks = tasks
        self.path, self.account_name = tasks.cache, account_name
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("smtp.example.com")
        self.security = QComboBox(self)
        for label, value in (
            (self.tr("STARTTLS"), Security.STARTTLS),
            (self.tr("SSL/TLS"), Security.SSL),
            (self.tr("None (this computer only)"), Security.NONE),
        ):
            self.security.addItem(label, value.value)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(587)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged"))
        self.sender = QLineEdit(self)
        self.sender.setPlaceholderText(self.tr("your address"))
        self.ca_file = QLineEdit(self)
        self.ca_file.setPlaceholderText(self.tr("optional: a CA file to trust"))
        self.result = QLabel(self)
        self.result.setObjectName("smtpResult")
        self.result.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test"), self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._build()
        self._load()

    def _build(self) -> None:
        form = QFormLayout()
        for label, widget in (
            (self.tr("Server"), self.host),
            (self.tr("Security"), self.security),
            (self.tr("Port"), self.port),
            (self.tr("User name"), self.user),
            (self.tr("Password"), self.password),
            (self.tr("Send as"), self.sender),
            (self.tr("Trusted CA"), self.ca_file),
        ):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(self.buttons)
        self.security.currentIndexChanged.connect(
            lambda _: self.port.setValue(_PORTS[self.chosen()])
        )
        self.test_button.clicked.connect(lambda _=False: self.test())
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.resize(440, 0)

    def _service(self, conn: Any) -> CrmService:
        account = get_account(conn, self.account_name)
        if account is None:
            raise CrmError(self.tr("The account %1 was removed.").replace("%1", self.account_name))
        return CrmService(conn, account)

    def _load(self) -> None:
        conn = db.connect(self.path)
        try:
            config = self._service(conn).config()
        finally:
            conn.close()
        self.host.setText(config.smtp_host or "")
        index = self.security.findData(config.smtp_security or Security.STARTTLS.value)
        self.security.setCurrentIndex(max(0, index))
        self.port.setValue(config.smtp_port or _PORTS[self.chosen()])
        self.user.setText(config.smtp_user or "")
        self.sender.setText(config.smtp_sender or "")
        self.ca_file.setText(config.smtp_ca_file or "")

    def chosen(self) -> Security:
        return Security(self.security.currentData())

    def settings(self) -> SmtpSettings:
        return SmtpSettings(
            host=self.host.text().strip(),
            port=self.port.value(),
            security=self.chosen(),
            username=self.user.text().strip() or None,
            ca_file=self.ca_file.text().strip() or None,
            timeout=15.0,
        )

    def _password(self) -> str | None:
        typed = self.password.text()
        return typed if typed else KeyringStore().get(smtp_key(self.account_name))

    def _show(self, ok: bool, text: str) -> None:
        self.result.setStyleSheet(f"color: {'#1b6b2f' if ok else '#b3261e'};")
        self.result.setText(text)

    def test(self) -> None:
        """Connect, secure, log in and quit, in the background; nothing is sent."""
        if not self.host.text().strip():
            self._show(False, self.tr("Enter the server's name."))
            return
        settings, password = self.settings(), self._password()

        def work(report: Any, cancel: threading.Event) -> str:
            check_server(settings, password)
            return settings.host

        self.test_button.setEnabled(False)
        self._show(True, self.tr("Connecting…"))
        op = NetworkOp(self.tasks, work).success(self._tested_ok)
        op.failure(lambda error: self._tested_bad(failure_line(error))).run_in_background()

    def _tested_ok(self, host: str) -> None:
        self.test_button.setEnabled(True)
        self._show(True, self.tr("%1 accepted the login: forwards can go out.").replace("%1", host))

    def _tested_bad(self, text: str) -> None:
        self.test_button.setEnabled(True)
        self._show(False, text)

    def save(self) -> None:
        conn = db.connect(self.path)
        try:
            service = self._service(conn)
            config = replace(
                service.config(),
                smtp_host=self.host.text().strip() or None,
                smtp_port=self.port.value(),
                smtp_security=self.chosen().value,
                smtp_user=self.user.text().strip() or None,
                smtp_sender=self.sender.text().strip() or None,
                smtp_ca_file=self.ca_file.text().strip() or None,
            )
            service.set_config(config)
            if self.password.text():
                KeyringStore().set(smtp_key(self.account_name), self.password.text())
        except (CrmError, SecretError) as error:
            self._show(False, str(error))
            return
        finally:
            conn.close()
        self.accept()
