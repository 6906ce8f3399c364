"""Starting the desktop app: a display check, the QApplication, then the main window."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication

    from desktop.main_window import MainWindow

STARTED = time.monotonic()  # process start, near enough, for the start-up benchmark

# How long a thread may keep the GIL while another waits for it (Python's default: 5 ms).
# The GUI thread gives it up at every call into Qt that may call back into Python (a model's
# reset, a signal) and then waits a whole interval for it while a worker thread runs Python (a
# re-decision, an explanation; a sync did too until it moved to its own process): beside
# two busy threads a model reset took 24 ms (median) and 83 ms (p90) at 5 ms, 2.3 and 11 ms at
# 1 ms (issue 15; bench/gui_bench.py's stalls during a settings change and a sync: see the
# issue's note). The workers lose nothing measurable: they switch only when someone waits.
SWITCH_INTERVAL: Final = 0.001


def share_the_gil() -> None:
    """Give the GUI thread its turn at the GIL sooner (:data:`SWITCH_INTERVAL`)."""
    sys.setswitchinterval(SWITCH_INTERVAL)


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


def identify(app: QGuiApplication) -> None:
    """Name, version and icon of the app; the desktop file name ties the windows to the menu
    entry (the Wayland app id, the X11 startup notification)."""
    from PySide6.QtGui import QIcon

    from core.version import __version__
    from desktop.desktop_entry import APP_ID, SHARE, SVG_ICON

    app.setApplicationName("Mailscope")
    app.setOrganizationName("Mailscope")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(SHARE / SVG_ICON)))


def run(*, demo: bool = False, cache: Path | None = None) -> int:
    """Open the main window (on the demo workspace with ``demo``); returns the exit code."""
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import resources.demo as demo_files
    from core import workspace
    from core.store import db
    from desktop import translation
    from desktop.main_window import MainWindow, app_settings

    share_the_gil()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    identify(app)
    translation.setup(app, translation.saved_language(app_settings()))
    if demo:
        conn, _ = workspace.open_demo(demo_files)
        conn.close()
        cache = workspace.demo_path()
    windows: list[MainWindow] = []

    def open_window(path: Path) -> None:
        window = MainWindow(path)
        window.workspace_opener = open_window
        window.show()
        # The other views (CRM, previews) read the cache when installed: after the first
        # page is on screen, so the rep sees the mailbox at once.
        QTimer.singleShot(0, lambda: install_views(window))
        for old in windows:
            old.close()
        windows[:] = [window]

    open_window(cache if cache is not None else db.default_path())
    # Qt, the modules and the window live as long as the app: keep them out of the cyclic
    # collector's full passes, which otherwise rescan them all every time.
    gc.collect()
    gc.freeze()
    return int(app.exec())


def install_views(window: MainWindow) -> None:
    """Install every view other parts of the app plug into a new window (imported here, after
    the first page is on screen: they cost start-up time the rep would wait through)."""
    from desktop import (
        about,
        ask_admin,
        context_menus,
        crm_connect,
        help_pages,
        language_menu,
        outbox_view,
        preview_views,
        thunderbird_menu,
    )

    for module in (
        outbox_view, ask_admin, context_menus, preview_views, crm_connect, help_pages,
        about, thunderbird_menu, language_menu,
    ):  # fmt: skip
        module.install(window)
