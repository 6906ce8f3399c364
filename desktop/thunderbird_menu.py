"""Help > Install the Thunderbird add-in: the same as ``mailscope thunderbird install`` (the host
manifest, the launcher and the XPI under the user's home), and its removal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from core.thunderbird.install import InstallError, layout, uninstall
from core.thunderbird.install import install as install_addin

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def help_menu(window: Any) -> Any:
    """The window's Help menu (created at the end of the menu bar when there is none)."""
    for action in window.menuBar().actions():
        if action.menu() is not None and _is_help(action):
            return action.menu()
    return window.menuBar().addMenu(translate("MainWindow", "&Help"))


def _is_help(action: Any) -> bool:
    """Whether a menu bar entry is the Help menu, whatever its shortcut letter."""
    return bool(action.text().replace("&", "") == translate("MainWindow", "Help"))


def install_now(window: Any) -> bool:
    """Install for this user and say where the add-in is; False (and why) on failure."""
    try:
        done = install_addin(layout())
    except (InstallError, OSError) as error:
        QMessageBox.critical(window, translate("MainWindow", "Thunderbird add-in"), str(error))
        return False
    text = translate(
        "MainWindow",
        "Mailscope's helper for Thunderbird is installed.\n\nIn Thunderbird, open the Add-ons "
        "Manager, choose Install Add-on From File in its gear menu, and pick:\n%1",
    ).replace("%1", str(done.xpi))
    QMessageBox.information(window, translate("MainWindow", "Thunderbird add-in"), text)
    return True


def remove_now(window: Any) -> list[str]:
    removed = uninstall(layout())
    text = "\n".join(removed) or translate("MainWindow", "Nothing to remove.")
    QMessageBox.information(window, translate("MainWindow", "Thunderbird add-in removed"), text)
    return removed


def install(window: Any) -> None:
    menu = help_menu(window)
    menu.addAction(translate("MainWindow", "&Install the Thunderbird add-in…")).triggered.connect(
        lambda _=False: install_now(window)
    )
    menu.addAction(translate("MainWindow", "Re&move the Thunderbird add-in")).triggered.connect(
        lambda _=False: remove_now(window)
    )
