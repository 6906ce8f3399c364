"""Connect HubSpot in the real window (X11, under Xvfb) and screenshot every step.

Run by ``tests/desktop/test_real_window.py`` as ``xvfb-run python -m tests.helpers.real_window
OUT``: a fake HubSpot on loopback holds the demo's people; the window opens a plain Maildir
account with no CRM, the rep clicks the banner's "Connect HubSpot…", pastes a Service Key,
checks, confirms the rules and loads. Screenshots go to OUT (main window at 1366x768 and
1920x1080, the dialog's pages), and OUT/facts.json says what the window showed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

KEY = "sk-eu1-real-window-key"
SIZES = ((1366, 768), (1920, 1080))


def _wait(app: Any, done: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


def _verdicts(window: Any) -> dict[str, int]:
    model = window.model
    return dict(Counter(model.data(model.index(r, 0)) for r in range(model.rowCount())))


def _shoot(app: Any, widget: Any, path: Path) -> str:
    for _ in range(10):
        app.processEvents()
        time.sleep(0.02)
    widget.grab().save(str(path))
    return path.name


def _portal() -> tuple[Any, Any, dict[str, str]]:
    from pytest_httpserver import HTTPServer

    from tests.helpers.hubspot_demo import fill_from_demo
    from tests.helpers.hubspot_server import OBJECT_SCOPES, TOKEN, FakeHubSpot

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    fake = FakeHubSpot(server, TOKEN)
    fake.add_token(KEY, OBJECT_SCOPES)
    return server, fake, fill_from_demo(fake)


def bare_cache(home: Path) -> Path:
    """A cache with the demo mailbox as a plain Maildir account "work": no CRM at all."""
    import resources.demo as demo
    from core.mail import accounts
    from core.mail.sync import sync_account
    from core.store import db
    from core.store.accounts import AccountKind
    from tests.crm.workspace import NoSecrets

    path = home / "work.sqlite"
    conn = db.connect(path)
    account = accounts.add_local(conn, "work", AccountKind.MAILDIR, str(demo.MAILDIR))
    sync_account(conn, account, lambda: accounts.open_source(conn, account, NoSecrets()))
    conn.close()
    return path


def _connect(app: Any, window: Any, fake: Any, owners: dict[str, str], out: Path) -> list[str]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    shots = []
    QTest.mouseClick(window.crm.banner.connect_button, Qt.MouseButton.LeftButton)
    _wait(app, lambda: window.crm.dialog is not None and window.crm.dialog.isVisible())
    dialog = window.crm.dialog
    dialog.auth.url.setText(fake.url)
    QTest.keyClicks(dialog.auth.token, KEY)
    QTest.mouseClick(dialog.auth.check_button, Qt.MouseButton.LeftButton)
    _wait(app, lambda: dialog.result is not None)
    dialog.auth.owner.setCurrentIndex(dialog.auth.owner.findData(owners["u-mia"]))
    shots.append(_shoot(app, dialog, out / "connect-1-check.png"))
    QTest.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    shots.append(_shoot(app, dialog, out / "connect-2-rules.png"))
    QTest.mouseClick(dialog.next, Qt.MouseButton.LeftButton)
    _wait(app, lambda: dialog.settled is not None)
    shots.append(_shoot(app, dialog, out / "connect-3-loaded.png"))
    QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    _wait(app, lambda: not window.crm.banner.isVisible())
    return shots


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="mailscope-real-"))
    os.environ["MAILSCOPE_HOME"] = str(home / "data")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(home / "xdg")
    from PySide6.QtWidgets import QApplication

    from desktop.app import install_views
    from desktop.main_window import MainWindow, app_settings

    server, fake, owners = _portal()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(bare_cache(home), settings=app_settings(), sync_on_start=False)
    install_views(window)
    window.resize(*SIZES[0])
    window.show()
    _wait(app, lambda: not window.reader.busy and window.model.rowCount() > 0)
    facts: dict[str, Any] = {"platform": app.platformName(), "shots": []}
    facts["banner_before"] = window.crm.banner.isVisible()
    facts["verdicts_before"] = _verdicts(window)
    facts["shots"].append(_shoot(app, window, out / "main-1366-before.png"))
    facts["shots"] += _connect(app, window, fake, owners, out)
    facts["banner_after"] = window.crm.banner.isVisible()
    facts["verdicts_after"] = _verdicts(window)
    facts["loaded_label"] = window.crm.loaded.text()
    facts["shots"].append(_shoot(app, window, out / "main-1366-after.png"))
    window.resize(*SIZES[1])
    facts["shots"].append(_shoot(app, window, out / "main-1920-after.png"))
    (out / "facts.json").write_text(json.dumps(facts, indent=1), encoding="utf-8")
    window.close()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
