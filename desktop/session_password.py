"""A mailbox password asked once a session when the keyring is not safe (issue 15).

On a machine without a secure keyring (no Secret Service: ``keyrings.alt``'s plaintext file or
the "fail" backend), Mailscope writes no password anywhere (``core.mail.keyring_check``); the
rep types it once a session and it stays in memory (``core.mail.secrets.KeyringStore``). Asked
on the GUI thread, before a sync starts, never from the sync's own thread.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from core.mail.keyring_check import keyring_check
from core.mail.secrets import AskingStore, SecretStore, imap_key
from core.store.accounts import Account, AccountKind

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def needs_asking(account: Account) -> bool:
    """A password account on a keyring that keeps nothing (an OAuth2 sign-in has its own)."""
    if account.kind is not AccountKind.IMAP or account.auth is not None:
        return False
    return not keyring_check().persistent


def password_ready(parent: QWidget, account: Account, secrets: SecretStore) -> bool:
    """Whether the account's password is at hand, asking the rep for it if need be (False:
    the rep declined, so the account is not synced this time)."""
    if not needs_asking(account):
        return True
    asking = AskingStore(secrets, lambda key: _ask(parent, account))
    return bool(asking.get(imap_key(account.name)))


def _ask(parent: QWidget, account: Account) -> str | None:
    note = keyring_check().line
    question = translate("SessionPassword", "Password for %1 (kept until you quit):")
    typed, ok = QInputDialog.getText(
        parent,
        translate("SessionPassword", "Mailbox password"),
        f"{note}\n\n{question.replace('%1', account.user or account.name)}",
        QLineEdit.EchoMode.Password,
    )
    return typed if ok and typed else None
