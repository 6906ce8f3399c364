"""The canary, in the window: after a sign-in through the account dialog and a sync, no code,
verifier or token is in the cache or the window's settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from core.mail.secrets import KeyringStore
from tests.auth.test_canary import files, leaks
from tests.desktop.conftest import OFFSCREEN_NOISE
from tests.helpers.dovecot import Admin, MailUser
from tests.helpers.oauth import CLIENT_ID, Browser, OAuthServer
from tests.mail.sync_helpers import raw

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_the_window_leaves_no_secret_in_the_cache_or_its_settings(  # type: ignore[no-untyped-def]
    qtbot, home: Path, oauth: OAuthServer, rep: MailUser, secrets: KeyringStore
) -> None:
    from core.mail.detect import Lookups
    from desktop.account_dialog import AccountDialog
    from desktop.main_window import MainWindow

    with Admin(rep) as admin:
        admin.append("INBOX", raw(1))
    settings = QSettings(str(home / "mailscope.ini"), QSettings.Format.IniFormat)
    window = MainWindow(home / "mailscope.sqlite", secrets=secrets, settings=settings,
                        sync_on_start=False)  # fmt: skip
    qtbot.addWidget(window)
    dialog = AccountDialog(window.conn, window.tasks, secrets, window, browser=Browser(),
                           lookups=Lookups(online=False))  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.email.setText(rep.user)
    dialog.name.setText("work")
    dialog.host.setText("127.0.0.1")
    dialog.security.setCurrentIndex(dialog.security.findData("none"))
    dialog.port.setValue(rep.port)
    dialog.method.setCurrentIndex(dialog.method.findData("custom"))
    dialog.issuer.setText(oauth.issuer)
    dialog.client_id.setText(CLIENT_ID)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=30_000)
    dialog.save()
    window.reload_sidebar()
    window.syncs.start(dialog.account)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=30_000)
    window.close()  # saves the window's settings, stops the sync
    found = files(home)
    assert any(name.endswith("mailscope.ini") for name in found)
    assert leaks(oauth, found) == []
