"""First run and the account dialog: the welcome page, test connection, the password's home."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.mail.secrets import KeyringStore, imap_key
from core.mail.source import Security
from desktop.account_dialog import AccountDialog
from desktop.main_window import MainWindow
from tests.desktop.conftest import OFFSCREEN_NOISE
from tests.helpers.dovecot import UNKNOWN_CA_IP, MailUser, free_port

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _dialog(qtbot, window: MainWindow, secrets: KeyringStore) -> AccountDialog:  # type: ignore[no-untyped-def]
    dialog = AccountDialog(window.conn, window.tasks, secrets, window)
    qtbot.addWidget(dialog)
    return dialog


def _fill(
    qtbot,
    dialog: AccountDialog,
    user: MailUser,
    password: str,
    *,
    port: int | None = None,
    host: str = "localhost",
) -> None:  # type: ignore[no-untyped-def]
    dialog.name.setText("work")
    qtbot.keyClicks(dialog.host, host)
    dialog.security.setCurrentIndex(dialog.security.findData(Security.SSL.value))
    assert dialog.chosen_security() is Security.SSL
    dialog.port.setValue(port if port is not None else user.ssl_port)
    qtbot.keyClicks(dialog.user, user.user)
    qtbot.keyClicks(dialog.password, password)
    dialog.ca_file.setText(str(user.ca_file))


def _test(qtbot, dialog: AccountDialog) -> str:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=20_000)
    return dialog.result_label.text()


def test_first_run_shows_the_welcome_page(qtbot, empty_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert empty_window.stack.currentWidget() is empty_window.welcome
    assert empty_window.welcome.connect_button.text().startswith("Connect your mailbox")
    qtbot.mouseClick(empty_window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert empty_window.stack.currentWidget() is empty_window.splitter
    assert empty_window.cache.name == "demo.sqlite"
    qtbot.waitUntil(lambda: empty_window.model.rowCount() == 300, timeout=20_000)
    qtbot.waitUntil(lambda: not empty_window.cancel_button.isVisible(), timeout=20_000)


def test_a_wrong_password_shows_the_servers_error(
    qtbot, empty_window: MainWindow, secrets: KeyringStore, mail_user: MailUser
) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, empty_window, secrets)
    _fill(qtbot, dialog, mail_user, "not-" + mail_user.password)
    text = _test(qtbot, dialog)
    assert text.startswith(f"Connection failed: login rejected for {mail_user.user} on localhost")
    assert mail_user.password not in text


def test_a_refused_port_and_an_untrusted_certificate(
    qtbot, empty_window: MainWindow, secrets: KeyringStore, mail_user: MailUser
) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, empty_window, secrets)
    port = free_port()
    _fill(qtbot, dialog, mail_user, mail_user.password, port=port, host="127.0.0.1")
    assert _test(qtbot, dialog) == f"Connection failed: connection refused by 127.0.0.1:{port}"
    dialog.host.setText(UNKNOWN_CA_IP)
    dialog.port.setValue(mail_user.ssl_port)
    assert _test(qtbot, dialog).startswith(
        "Connection failed: the server's certificate is not trusted: "
    )


def test_a_good_account_is_saved_with_its_password_in_the_keyring_only(
    qtbot, empty_window: MainWindow, secrets: KeyringStore, mail_user: MailUser, home: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, empty_window, secrets)
    _fill(qtbot, dialog, mail_user, mail_user.password)
    assert _test(qtbot, dialog).startswith("Connected: ")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.account is not None
    assert secrets.get(imap_key("work")) == mail_user.password
    empty_window.reload_sidebar()
    assert empty_window.stack.currentWidget() is empty_window.splitter
    empty_window.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in home.rglob("*"):
        if path.is_file() and path.name != "keyring.cfg":
            assert mail_user.password.encode() not in path.read_bytes(), path


def test_a_bad_entry_stays_in_the_dialog_with_one_line(
    qtbot, empty_window: MainWindow, secrets: KeyringStore
) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, empty_window, secrets)
    dialog.name.setText("work")
    dialog.host.setText("imap.example.com")
    dialog.user.setText("rep")
    dialog.save()
    assert dialog.account is None
    assert dialog.result_label.text() == "the password is empty"


def test_save_tests_the_connection_first_and_offers_save_anyway(
    qtbot, empty_window: MainWindow, secrets: KeyringStore, mail_user: MailUser
) -> None:  # type: ignore[no-untyped-def]
    """Issue 15 finding 6: a wrong password is not saved silently."""
    dialog = _dialog(qtbot, empty_window, secrets)
    _fill(qtbot, dialog, mail_user, "not-" + mail_user.password)
    dialog.save()
    qtbot.waitUntil(
        lambda: dialog.result_label.text().startswith("Connection failed"), timeout=20_000
    )
    assert dialog.account is None and dialog.result() != dialog.DialogCode.Accepted
    assert not dialog.save_anyway.isHidden()
    dialog.password.setText(mail_user.password)
    dialog.save()  # the right password: tested, then saved
    qtbot.waitUntil(lambda: dialog.account is not None, timeout=20_000)
    assert dialog.result() == dialog.DialogCode.Accepted


def test_save_anyway_keeps_an_account_the_test_refused(
    qtbot, empty_window: MainWindow, secrets: KeyringStore, mail_user: MailUser
) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, empty_window, secrets)
    _fill(qtbot, dialog, mail_user, "not-" + mail_user.password)
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.save_anyway.isHidden(), timeout=20_000)
    dialog.save_anyway.click()
    assert dialog.account is not None
