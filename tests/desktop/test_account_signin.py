"""The account dialog, as a new user meets it: the address first, the settings found and where
from, the right sign-in (a button for Microsoft and Google, an app-password note with its link),
a TLS failure that offers the other port, and a browser sign-in (the test plays the browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytest_httpserver import HTTPServer

from core.mail.detect import Lookups
from core.mail.secrets import KeyringStore, oauth2_key
from core.mail.source import Security
from core.store.accounts import get_account
from desktop.account_dialog import AccountDialog
from desktop.main_window import MainWindow
from desktop.sign_in_again import SignInAgainDialog
from tests.desktop.conftest import OFFSCREEN_NOISE
from tests.helpers.dns_server import DnsServer
from tests.helpers.dovecot import Admin, MailUser, free_port
from tests.helpers.oauth import CLIENT_ID, Browser, OAuthServer
from tests.mail.sync_helpers import raw

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

AUTOCONFIG = """<clientConfig version="1.1"><emailProvider id="acme.test">
<incomingServer type="imap"><hostname>imap.acme.test</hostname><port>10993</port>
<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
</emailProvider></clientConfig>"""


@pytest.fixture
def window(empty_window: MainWindow) -> MainWindow:
    return empty_window


def dialog_for(qtbot, window: MainWindow, **kw: object) -> AccountDialog:  # type: ignore[no-untyped-def]
    dialog = AccountDialog(window.conn, window.tasks, window.secrets, window, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_address(qtbot, dialog: AccountDialog, email: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(dialog.email, email)
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.origin_label.text().startswith("Looking up"), timeout=20_000)


def test_a_microsoft_address_finds_its_server_and_a_sign_in_button(
    qtbot, window: MainWindow, home: Path
) -> None:  # type: ignore[no-untyped-def]
    (home / "oauth2-clients.json").write_text('{"microsoft": {"client_id": "contoso-app"}}')
    dialog = dialog_for(qtbot, window, lookups=Lookups(online=False))
    type_address(qtbot, dialog, "rep@contoso.onmicrosoft.com")
    assert dialog.origin_label.text() == "Found in Mailscope's provider list (Microsoft 365)."
    assert (dialog.host.text(), dialog.port.value()) == ("outlook.office365.com", 993)
    assert dialog.chosen_security() is Security.SSL
    assert dialog.user.text() == dialog.name.text() == "rep@contoso.onmicrosoft.com"
    assert (
        dialog.sign_in_button.isVisible()
        and dialog.sign_in_button.text() == "Sign in with Microsoft"
    )
    assert not dialog.password.isVisible() and not dialog.app_password_label.isVisible()
    assert not dialog.save_button.isEnabled()  # nothing to save before signing in
    assert dialog.client_id.text() == "contoso-app"  # the organisation's app registration


@pytest.mark.parametrize(
    ("email", "provider", "link"),
    [
        ("rep@gmail.com", "Google", "https://myaccount.google.com/apppasswords"),
        ("rep@icloud.com", "iCloud", "https://account.apple.com/account/manage"),
        ("rep@yahoo.com", "Yahoo", "https://login.yahoo.com/myaccount/security/"),
    ],
)
def test_providers_needing_app_passwords_say_so_with_a_link(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, email: str, provider: str, link: str
) -> None:
    dialog = dialog_for(qtbot, window, lookups=Lookups(online=False))
    type_address(qtbot, dialog, email)
    note = dialog.app_password_label
    assert note.isVisible() and f'href="{link}"' in note.text() and "app password" in note.text()
    assert note.openExternalLinks()
    if provider == "Google":
        assert dialog.sign_in_button.text() == "Sign in with Google"
        assert "Google Workspace" in note.text()
    else:
        assert dialog.password.isVisible() and f"{provider} does not accept" in note.text()


def test_an_unknown_domain_gets_its_own_autoconfig(qtbot, window: MainWindow, dovecot) -> None:  # type: ignore[no-untyped-def]
    import ssl

    from tests.helpers.certs import ServerCert, _make_server

    ca = ServerCert(dovecot.ca_file, dovecot.ca_file.with_suffix(".key"))
    cert = _make_server(Path(window.cache).parent, "autoconfig", ca, "DNS:autoconfig.acme.test")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert.cert, cert.key)
    server, dns = HTTPServer(host="127.0.0.1", port=0, ssl_context=context), DnsServer()
    server.expect_request("/mail/config-v1.1.xml").respond_with_data(AUTOCONFIG)
    server.start()
    closed = free_port()
    routes = {("autoconfig.acme.test", 443): server.port}
    lookups = Lookups(
        resolver=dns.address, ca_file=str(dovecot.ca_file), timeout=3,
        route=lambda h, p: ("127.0.0.1", routes.get((h, p), closed)),
    )  # fmt: skip
    try:
        dialog = dialog_for(qtbot, window, lookups=lookups)
        type_address(qtbot, dialog, "rep@acme.test")
    finally:
        server.stop()
        dns.close()
    assert (
        dialog.origin_label.text() == "Found at https://autoconfig.acme.test/mail/config-v1.1.xml."
    )
    assert (dialog.host.text(), dialog.port.value()) == ("imap.acme.test", 10993)
    assert dialog.chosen_method() == "password" and dialog.password.isVisible()


def test_a_tls_failure_offers_the_other_mode_which_then_works(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, mail_user: MailUser
) -> None:
    dialog = dialog_for(qtbot, window, lookups=Lookups(online=False))
    dialog.host.setText("localhost")
    dialog.port.setValue(mail_user.port)  # the STARTTLS port, with SSL/TLS chosen
    dialog.user.setText(mail_user.user)
    dialog.password.setText(mail_user.password)
    dialog.ca_file.setText(str(mail_user.ca_file))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=20_000)
    assert dialog.result_label.text().startswith("Connection failed: TLS failed with localhost:")
    assert dialog.suggest_button.isVisible()
    assert dialog.suggest_button.text() == f"Try STARTTLS on port {mail_user.port}"
    qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=20_000)
    assert dialog.chosen_security() is Security.STARTTLS
    assert dialog.result_label.text().startswith("Connected: ")


def fill_custom(dialog: AccountDialog, oauth: OAuthServer, rep: MailUser) -> None:
    dialog.email.setText(rep.user)
    dialog.name.setText("work")
    dialog.host.setText("127.0.0.1")
    dialog.security.setCurrentIndex(dialog.security.findData("none"))
    dialog.port.setValue(rep.port)
    dialog.user.setText(rep.user)
    dialog.method.setCurrentIndex(dialog.method.findData("custom"))
    dialog.issuer.setText(oauth.issuer)
    dialog.client_id.setText(CLIENT_ID)


def test_sign_in_in_the_browser_then_save_keeps_only_the_refresh_token(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, oauth: OAuthServer, rep: MailUser, secrets: KeyringStore
) -> None:
    browser = Browser()
    dialog = dialog_for(qtbot, window, browser=browser, lookups=Lookups(online=False))
    fill_custom(dialog, oauth, rep)
    assert dialog.sign_in_button.text() == "Sign in with your provider"
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Signed in"), timeout=30_000)
    assert dialog.result_label.text() == f"Signed in as {rep.user}: 6 folders found."
    assert dialog.save_button.isEnabled()
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.account is not None
    assert secrets.get(oauth2_key("work"))
    assert get_account(window.conn, "work").auth is not None  # type: ignore[union-attr]


def test_a_closed_browser_ends_the_wait_with_one_line(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, oauth: OAuthServer, rep: MailUser
) -> None:
    dialog = dialog_for(qtbot, window, browser=Browser(closed=True), sign_in_timeout=1)
    fill_custom(dialog, oauth, rep)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Sign-in failed"), timeout=20_000)
    assert dialog.result_label.text() == (
        "Sign-in failed: no answer from the browser within 1 second (was it closed?):"
        " sign in again when you are ready."
    )
    assert not dialog.save_button.isEnabled()
    assert dialog.sign_in_button.text() == "Sign in with your provider"


def test_a_revoked_sign_in_offers_sign_in_again_and_keeps_the_cache(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, oauth: OAuthServer, rep: MailUser, secrets: KeyringStore
) -> None:
    with Admin(rep) as admin:
        admin.append("INBOX", raw(1))
    dialog = dialog_for(qtbot, window, browser=Browser(), lookups=Lookups(online=False))
    fill_custom(dialog, oauth, rep)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=30_000)
    dialog.save()
    window.reload_sidebar()
    window.syncs.start(dialog.account)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=30_000)
    oauth.revoke()
    from core.auth.tokens import forget

    forget()  # as after a restart: the access token is gone from memory
    window.syncs.start(dialog.account)  # type: ignore[arg-type]
    qtbot.waitUntil(window.sign_in_button.isVisible, timeout=30_000)
    assert window.status_text.text() == (
        "⚠ work: 127.0.0.1 no longer accepts this sign-in (it expired or was revoked):"
        " sign in again"
    )
    assert window.model.rowCount() == 1  # nothing cached was lost
    again = SignInAgainDialog(
        window.conn, window.tasks, dialog.account, secrets, window, browser=Browser()
    )  # type: ignore[arg-type]
    qtbot.addWidget(again)
    assert not again.email.isEnabled() and not again.save_button.isVisible()
    assert again.sign_in_button.text() == "Sign in with your provider"
    qtbot.mouseClick(again.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.result() == again.DialogCode.Accepted, timeout=30_000)
