"""Mailbox › Accounts…: every mail account with its CRM; edit, remove, connect, disconnect.

A mail account's server settings are edited in ``desktop.mail_edit_dialog`` (the "Connect
your mailbox" dialog stays the adding one); its CRM through "Connect HubSpot…" and
"Disconnect" (back to the local CRM, the token leaves the keyring); its forwarding in
``desktop.smtp_dialog``. Removing asks first: the account's cache and its secrets go.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from core.crm.errors import CrmError
from core.crm.hubspot_connect import disconnect
from core.crm.service import CrmKind, CrmService
from core.mail import accounts as mail_accounts
from core.mail.secrets import KeyringStore, SecretError, smtp_key
from core.store import db
from core.store.accounts import Account, AccountKind, get_account, list_accounts

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def crm_line(conn: Any, account: Account) -> str:
    """How an account logs, in a few words."""
    config = CrmService(conn, account).config()
    if config.crm == CrmKind.HUBSPOT:
        oauth = config.hubspot_auth == "oauth"
        line = (
            translate("AccountsManager", "HubSpot portal %1 (signed in)")
            if oauth
            else translate("AccountsManager", "HubSpot portal %1 (Service Key)")
        )
        return line.replace("%1", str(config.hubspot_portal))
    return translate("AccountsManager", "local CRM")


class AccountsManager(QDialog):
    """The list of accounts and what can be done to the selected one."""

    def __init__(self, window: Any, crm: Any) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Accounts"))
        self.window_, self.crm = window, crm
        self.list = QListWidget(self)
        self.list.setObjectName("accounts")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for n, (key, text, slot) in enumerate(
            (
                ("edit", self.tr("Edit mail settings…"), self.edit),
                ("remove", self.tr("Remove…"), self.remove),
                ("hubspot", self.tr("Connect HubSpot…"), self.connect_hubspot),
                ("disconnect", self.tr("Disconnect the CRM"), self.disconnect),
                ("smtp", self.tr("Forwarding (SMTP)…"), self.smtp),
                ("refresh", self.tr("Refresh contacts now"), self.refresh),
            )
        ):
            button = QPushButton(text, self)
            button.setObjectName(key)
            button.clicked.connect(lambda _=False, run=slot: run())
            grid.addWidget(button, n // 2, n % 2)
            self.buttons[key] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        self.list.currentRowChanged.connect(lambda _: self._update())
        self.resize(560, 420)
        self.reload()

    def reload(self) -> None:
        conn = db.connect(self.window_.cache)
        try:
            chosen = self.selected()
            self.list.clear()
            for account in list_accounts(conn):
                line = f"{mail_accounts.describe(account)}\n    {crm_line(conn, account)}"
                item = QListWidgetItem(line.replace("\t", "  "))
                item.setData(Qt.ItemDataRole.UserRole, account.name)
                self.list.addItem(item)
                if chosen is not None and chosen.name == account.name:
                    self.list.setCurrentItem(item)
        finally:
            conn.close()
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._update()

    def selected(self) -> Account | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return get_account(self.window_.conn, str(item.data(Qt.ItemDataRole.UserRole)))

    def _update(self) -> None:
        account = self.selected()
        for button in self.buttons.values():
            button.setEnabled(account is not None)
        if account is not None:
            self._enable_for(account)

    def _enable_for(self, account: Account) -> None:
        """Edit an IMAP account; disconnect or refresh one that logs into HubSpot."""
        self.buttons["edit"].setEnabled(account.kind is AccountKind.IMAP)
        hubspot = CrmService(self.window_.conn, account).config().crm == CrmKind.HUBSPOT
        self.buttons["disconnect"].setEnabled(hubspot)
        self.buttons["refresh"].setEnabled(hubspot)

    # -- actions --------------------------------------------------------------------------
    def edit(self) -> None:
        from desktop.mail_edit_dialog import MailEditDialog

        account = self.selected()
        if account is not None and account.kind is AccountKind.IMAP:
            dialog = MailEditDialog(self.window_.tasks, account, self.window_.secrets, self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.reload()
                self.window_.syncs.start(dialog.account)

    def remove(self) -> None:
        account = self.selected()
        if account is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove %1?").replace("%1", account.name),
            self.tr(
                "Mailscope forgets %1: its cached mail, verdicts and outbox, and its password. "
                "Nothing changes on the mail server or in the CRM."
            ).replace("%1", account.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.window_.syncs.cancel(wait=True)
        conn = db.connect(self.window_.cache)
        try:
            mail_accounts.remove(conn, self.window_.secrets or KeyringStore(), account.name)
            KeyringStore().delete(smtp_key(account.name))
        except (mail_accounts.AccountError, SecretError, CrmError) as error:
            self.message.setText(str(error))
            return
        finally:
            conn.close()
        self.window_.refresh()
        self.reload()
        self.window_.sync_all()

    def connect_hubspot(self) -> None:
        account = self.selected()
        if account is None:
            return
        from desktop.hubspot_dialog import HubSpotDialog

        dialog = HubSpotDialog(self.window_.tasks, account.name, self)
        dialog.connected.connect(self.window_.refresh)
        dialog.finished.connect(lambda _: self.reload())
        dialog.open()

    def disconnect(self) -> None:
        account = self.selected()
        if account is None:
            return
        conn = db.connect(self.window_.cache)
        try:
            disconnect(CrmService(conn, account), KeyringStore())
        except (CrmError, SecretError) as error:
            self.message.setText(str(error))
        finally:
            conn.close()
        self.reload()
        self.window_.refresh()

    def smtp(self) -> None:
        account = self.selected()
        if account is not None:
            from desktop.smtp_dialog import SmtpDialog

            SmtpDialog(self.window_.tasks, account.name, self).open()

    def refresh(self) -> None:
        account = self.selected()
        if account is not None:
            self.crm.refresh_now(account)
            self.message.setText(self.tr("Loading HubSpot contacts in the background…"))
