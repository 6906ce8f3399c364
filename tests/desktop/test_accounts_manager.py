"""Mailbox › Accounts…: edit a mail account (Test against Dovecot), its forwarding SMTP (Test
against aiosmtpd), remove it; passwords in the keyring only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from core.crm.service import CrmService
from core.mail import accounts
from core.mail.secrets import KeyringStore, imap_key, smtp_key
from core.mail.source import Security
from core.store import db
from core.store.accounts import get_account
from desktop.accounts_manager import AccountsManager
from desktop.mail_edit_dialog import MailEditDialog
from desktop.main_window import MainWindow
from desktop.smtp_dialog import SmtpDialog
from tests.desktop.conftest import OFFSCREEN_NOISE
from tests.helpers.certs import TestCerts, make_test_certs
from tests.helpers.dovecot import MailUser
from tests.helpers.smtp_server import HOST, SmtpServer, free_port

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
SMTP_USER, SMTP_PASSWORD = "mia@globex.example", "smtp-pa55-for-forwards"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> TestCerts:
    return make_test_certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture
def imap_window(  # type: ignore[no-untyped-def]
    qtbot, home: Path, secrets: KeyringStore, settings: QSettings, mail_user: MailUser
) -> Iterator[MainWindow]:
    from desktop import crm_connect, outbox_view

    path = home / "work.sqlite"
    conn = db.connect(path)
    accounts.add_imap(
        conn, secrets, "work", host="localhost", user=mail_user.user,
        password=mail_user.password, port=mail_user.ssl_port, security=Security.SSL,
        ca_file=str(mail_user.ca_file),
    )  # fmt: skip
    conn.close()
    window = MainWindow(path, secrets=secrets, settings=settings, sync_on_start=False)
    qtbot.addWidget(window)
    outbox_view.install(window)
    crm_connect.install(window)
    yield window
    window.close()


def test_editing_a_mail_account_tests_then_saves_it(
    qtbot, imap_window: MainWindow, secrets: KeyringStore, mail_user: MailUser
) -> None:  # type: ignore[no-untyped-def]
    account = get_account(imap_window.conn, "work")
    assert account is not None
    dialog = MailEditDialog(imap_window.tasks, account, secrets)
    qtbot.addWidget(dialog)
    dialog.port.setValue(free_port())
    dialog.test_connection()
    qtbot.waitUntil(lambda: "failed" in dialog.result_label.text(), timeout=20_000)
    dialog.port.setValue(mail_user.ssl_port)
    dialog.test_connection()  # the stored password, from the keyring
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Connected:"), timeout=20_000)
    dialog.user.setText(mail_user.user.upper())
    dialog.password.setText("a-new-password")
    dialog.save()
    changed = get_account(imap_window.conn, "work")
    assert changed is not None and changed.user == mail_user.user.upper()
    assert secrets.get(imap_key("work")) == "a-new-password"


def test_forwarding_settings_are_tested_and_saved_with_the_password_in_the_keyring(
    qtbot, imap_window: MainWindow, certs: TestCerts
) -> None:  # type: ignore[no-untyped-def]
    server = SmtpServer("starttls", certs.good.cert, certs.good.key, {SMTP_USER: SMTP_PASSWORD})
    server.start()
    try:
        dialog = SmtpDialog(imap_window.tasks, "work")
        qtbot.addWidget(dialog)
        dialog.host.setText(HOST)
        dialog.port.setValue(server.port)
        dialog.user.setText(SMTP_USER)
        dialog.ca_file.setText(str(certs.ca_file))
        dialog.password.setText("wrong")
        dialog.test()
        qtbot.waitUntil(lambda: "rejected the user name" in dialog.result.text(), timeout=20_000)
        dialog.password.setText(SMTP_PASSWORD)
        dialog.test()
        qtbot.waitUntil(lambda: "accepted the login" in dialog.result.text(), timeout=20_000)
        dialog.save()
    finally:
        server.stop()
    assert not server.inbox.messages  # a test sends nothing
    conn = db.connect(imap_window.cache)
    account = get_account(conn, "work")
    assert account is not None
    config = CrmService(conn, account).config()
    assert (config.smtp_host, config.smtp_port, config.smtp_user) == (HOST, server.port, SMTP_USER)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert KeyringStore().get(smtp_key("work")) == SMTP_PASSWORD
    stored = b"".join(p.read_bytes() for p in imap_window.cache.parent.glob("work.sqlite*"))
    assert SMTP_PASSWORD.encode() not in stored


def test_removing_an_account_asks_then_forgets_its_mail_and_secrets(
    qtbot, imap_window: MainWindow, secrets: KeyringStore, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    KeyringStore().set(smtp_key("work"), SMTP_PASSWORD)
    manager = AccountsManager(imap_window, imap_window.crm)  # type: ignore[attr-defined]
    qtbot.addWidget(manager)
    assert manager.list.count() == 1 and "local CRM" in manager.list.item(0).text()
    assert manager.buttons["edit"].isEnabled() and not manager.buttons["disconnect"].isEnabled()
    asked: list[str] = []

    def answer(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    qtbot.mouseClick(manager.buttons["remove"], Qt.MouseButton.LeftButton)
    assert get_account(imap_window.conn, "work") is not None  # "No" keeps it
    qtbot.mouseClick(manager.buttons["remove"], Qt.MouseButton.LeftButton)
    assert asked == ["Remove work?", "Remove work?"]
    assert get_account(imap_window.conn, "work") is None and manager.list.count() == 0
    assert secrets.get(imap_key("work")) is None
    assert keyring.get_password("mailscope", "smtp:work") is None
