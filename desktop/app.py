"""The desktop application window."""

from __future__ import annotations

import os
import sys


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(*, demo: bool = False) -> int:
    """Open the main window; returns the exit code."""
    if not _has_display():
        print(
            "mailscope: no display found (DISPLAY is not set); run it in a desktop session, "
            "or use the command line: mailscope --help",
            file=sys.stderr,
        )
        return 1
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    label = QLabel(QApplication.translate("app", "Mailscope: the demo workspace arrives soon."))
    label.setWindowTitle("Mailscope")
    label.resize(480, 200)
    label.show()
    return int(app.exec())
