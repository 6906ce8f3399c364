"""Drives the real app window under Xvfb, as a new user would (run by test_sign_in_window.py).

Reads a JSON job on argv[1]: the OAuth2 issuer, the Dovecot port and user, and where to save
screenshots. Opens the main window, the account dialog from the welcome page's button, types
the address of a bundled provider (screenshot), then the test user's address, signs in with
the custom provider through the dialog's button while this script plays the browser, saves,
waits for the first sync and takes the main window's picture. Prints a JSON report.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.mail.detect import Lookups
from desktop.account_dialog import AccountDialog
from desktop.main_window import MainWindow
from tests.helpers.oauth import CLIENT_ID, Browser


def wait(app: QApplication, done, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        QTest.qWait(20)
    return True


def settle(app: QApplication) -> None:
    for _ in range(10):
        app.processEvents()
        QTest.qWait(20)


def drive(app: QApplication, job: dict[str, object], shots: Path, report: dict) -> None:  # type: ignore[type-arg]
    window = MainWindow(Path(str(job["cache"])), sync_on_start=False)
    width, height = job["screen"]  # type: ignore[misc]
    window.resize(min(1600, width - 40), min(1000, height - 60))
    window.show()
    settle(app)
    browser = Browser()
    dialogs: list[AccountDialog] = []

    def make_dialog(*args, **kw):  # type: ignore[no-untyped-def]
        dialog = AccountDialog(*args, browser=browser, lookups=Lookups(online=False), **kw)
        dialogs.append(dialog)
        QTimer.singleShot(0, lambda: fill(app, dialog, job, shots, report))
        return dialog

    import desktop.main_window as main_window

    main_window.AccountDialog = make_dialog  # type: ignore[assignment]  (the window's own dialog)
    QTest.mouseClick(window.welcome.connect_button, Qt.MouseButton.LeftButton)
    report["added"] = window.stack.currentWidget() is window.splitter
    rows = int(job["rows"])  # type: ignore[call-overload]
    wait(app, lambda: window.model.rowCount() >= rows and "new" in window.status_text.text(), 60)
    settle(app)
    report["rows"] = window.model.rowCount()
    report["status"] = window.status_text.text()
    window.grab().save(str(shots / "main-window-after-sign-in.png"))
    report["browser_answers"] = [status for status, _ in browser.answers]
    window.close()


def fill(app: QApplication, dialog: AccountDialog, job: dict, shots: Path, report: dict) -> None:  # type: ignore[type-arg]
    settle(app)
    QTest.keyClicks(dialog.email, "rep@contoso.onmicrosoft.com")
    QTest.keyClick(dialog.email, Qt.Key.Key_Return)
    wait(app, lambda: dialog.origin_label.text().startswith("Found"))
    settle(app)
    report["microsoft"] = [
        dialog.origin_label.text(),
        dialog.host.text(),
        dialog.sign_in_button.text(),
    ]
    app.primaryScreen().grabWindow(0).save(str(shots / "dialog-microsoft.png"))
    dialog.email.clear()
    dialog.name.clear()
    QTest.keyClicks(dialog.email, str(job["user"]))
    QTest.keyClick(dialog.email, Qt.Key.Key_Return)
    wait(app, lambda: not dialog.origin_label.text().startswith("Looking"))
    dialog.host.setText("127.0.0.1")
    dialog.security.setCurrentIndex(dialog.security.findData("none"))
    dialog.port.setValue(int(job["port"]))  # type: ignore[arg-type]
    dialog.user.setText(str(job["user"]))
    dialog.name.setText("work")
    dialog.method.setCurrentIndex(dialog.method.findData("custom"))
    dialog.issuer.setText(str(job["issuer"]))
    dialog.client_id.setText(CLIENT_ID)
    settle(app)
    app.primaryScreen().grabWindow(0).save(str(shots / "dialog-custom-before.png"))
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    report["signed"] = wait(app, lambda: dialog.save_button.isEnabled())
    settle(app)
    report["result"] = dialog.result_label.text()
    app.primaryScreen().grabWindow(0).save(str(shots / "dialog-signed-in.png"))
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def main() -> int:
    job = json.loads(sys.argv[1])
    shots = Path(job["shots"])
    shots.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    report: dict[str, object] = {"platform": app.platformName()}
    screen = app.primaryScreen().size()
    job["screen"] = [screen.width(), screen.height()]
    report["screen"] = job["screen"]
    drive(app, job, shots, report)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
