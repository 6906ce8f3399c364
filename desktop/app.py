"""Starting the desktop app: a display check, the QApplication, then the main window."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

STARTED = time.monotonic()  # process start, near enough, for the start-up benchmark


def has_display() -> bool:
    """Whether Qt can open a window here (else one line on stderr beats a Qt abort)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY = (
    "mailscope: no display found (DISPLAY and WAYLAND_DISPLAY are unset); run it in a desktop"
    " session, or use the command line: mailscope --help"
)


def run(*, demo: bool = False, cache: Path | None = None) -> int:
    """Open the main window (on the demo workspace with ``demo``); returns the exit code."""
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    from core import workspace
    from core.store import db
    from desktop.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Mailscope")
    app.setOrganizationName("Mailscope")
    if demo:
        conn, _ = workspace.open_demo()
        conn.close()
        cache = workspace.demo_path()
    window = MainWindow(cache if cache is not None else db.default_path())
    window.show()
    return int(app.exec())
