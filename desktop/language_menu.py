"""View › Language: the app's language, saved in its settings and applied at the next start.

The choices are the system's language (the default, named in the entry: "System (Français)"),
then each language Mailscope has a compiled catalogue for, by its own name. A choice is saved
at once (``desktop.translation.SETTING``) and a message says it applies from the next start.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from core import i18n
from desktop import translation


# Each string is marked in full (QCoreApplication.translate with a literal): pyside6-lupdate
# reads only literal calls, not a helper's argument.
def choices() -> list[tuple[str, str]]:
    """(setting, label) of each entry: the system's language first, then by name."""
    system = i18n.LANGUAGE_NAMES.get(translation.system_language().language, "English")
    spoken = sorted(i18n.available(), key=lambda code: i18n.LANGUAGE_NAMES.get(code, code))
    return [
        ("", QCoreApplication.translate("LanguageMenu", "System (%1)").replace("%1", system)),
        *((code, i18n.LANGUAGE_NAMES.get(code, code)) for code in spoken),
    ]


def choose(parent: QWidget, settings: QSettings, setting: str) -> QMessageBox | None:
    """Save the language; say when it applies (None when it did not change)."""
    if translation.saved_language(settings) == setting:
        return None
    settings.setValue(translation.SETTING, setting)
    settings.sync()
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("LanguageMenu", "Language"),
        QCoreApplication.translate(
            "LanguageMenu", "Mailscope will use this language from its next start."
        ),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.open()
    return box


def install(window: Any) -> QMenu:
    """Add View › Language to a main window (``window.settings``, ``window.view_menu``)."""
    parent = getattr(window, "settings_menu", None) or window.view_menu
    menu: QMenu = parent.addMenu(QCoreApplication.translate("LanguageMenu", "&Language"))
    group = QActionGroup(menu)
    saved = translation.saved_language(window.settings)
    for setting, label in choices():
        action = QAction(label, menu)
        action.setCheckable(True)
        action.setChecked(setting == saved)
        action.setData(setting)
        action.triggered.connect(
            lambda _=False, value=setting: choose(window, window.settings, value)
        )
        group.addAction(action)
        menu.addAction(action)
    if group.checkedAction() is None:  # a language saved earlier, since removed: the system's
        group.actions()[0].setChecked(True)
    return menu
