"""Help › About Mailscope: the version, the Qt and Python it runs on, where it keeps its data.

``help_menu(window)`` makes the Help menu once and returns it, so other views add their own
entries (a manual, keyboard shortcuts, "Report a problem") without owning the menu.
"""

from __future__ import annotations

import platform
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox

from core.store import db
from core.version import __version__

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def help_menu(window: QMainWindow) -> QMenu:
    """The window's Help menu (made on first use, last in the menu bar at that moment)."""
    menu: QMenu | None = getattr(window, "help_menu", None)
    if menu is None:
        menu = window.menuBar().addMenu(translate("MainWindow", "&Help"))
        window.help_menu = menu  # type: ignore[attr-defined]
    return menu


def install(window: QMainWindow) -> None:
    """Add Help › About Mailscope to a main window."""
    action = QAction(translate("MainWindow", "&About Mailscope"), window)
    action.setMenuRole(QAction.MenuRole.AboutRole)  # macOS moves it to the application menu
    action.triggered.connect(lambda: show_about(window))
    help_menu(window).addAction(action)


def about_text() -> str:
    """The dialog's text (rich text), with every version a support request needs."""
    pitch = translate(
        "About",
        "See, for every email, whether your CRM will log it, why, with which contacts and for "
        "whom.",
    )
    home = translate("About", "Your cache and settings: %1").replace(
        "%1", f"<code>{_escape(str(db.home()))}</code>"
    )
    rights = translate("About", "© 2026 the Mailscope authors. All rights reserved.")
    return (
        f"<h3>Mailscope {__version__}</h3><p>{pitch}</p>"
        f"<p>Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}"
        f" · {_system()}</p><p>{home}</p><p>{rights}</p>"
    )


def show_about(parent: QMainWindow) -> QMessageBox:
    """Open the About dialog (window-modal, not blocking) and return it."""
    box = QMessageBox(parent)
    box.setWindowTitle(translate("MainWindow", "About Mailscope"))
    box.setTextFormat(box.textFormat().RichText)
    box.setText(about_text())
    icon = QApplication.windowIcon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.open()
    return box


def _system() -> str:
    self_contained = translate("About", " (self-contained)")
    frozen = self_contained if getattr(sys, "frozen", False) else ""
    return f"{platform.system()} {platform.machine()}{frozen}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
