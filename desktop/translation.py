"""The desktop in the rep's language: Mailscope's Qt catalogue, Qt's own, and core's gettext.

``setup(app, setting)`` runs once at start-up, before the first window: it chooses the
language as core does (``core.i18n.setup``: the app's setting, then ``MAILSCOPE_LANG``, the
gettext variables, then ``QLocale.system()``), installs core's gettext catalogue (the verdict
sentences and traces come from core), Qt's ``qtbase_<lang>.qm`` (QMessageBox buttons, file
and colour dialogs, the context menus of text fields) and Mailscope's ``mailscope_<lang>.qm``,
and makes the locale Qt's default, so dates, numbers and day names follow it.

Why Qt's ``.ts``/``.qm`` for the windows while core uses gettext: the windows already mark
every string with ``self.tr()`` or ``QCoreApplication.translate()``. ``pyside6-lupdate``
reads those calls with their context (the widget's class), Qt's numerus forms ("%n failed")
need no second source string, and both tools ship with PySide6-Essentials. Routing them
through gettext would mean rewriting every call and writing our own extractor for ``self.tr``
contexts. Both catalogues follow one glossary (docs/glossary.md) and one check
(``packaging/i18n.py check``, run by the tests).

A change of language applies at the next start (View › Language says so): the windows are
built once, in one language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from core import i18n

SETTING: Final = "language"  # in the app's settings: "" (the system's) or "en", "fr", ...
CATALOGUES: Final = Path(__file__).resolve().parent.parent / "resources" / "translations"

_installed: list[QTranslator] = []


def saved_language(settings: QSettings) -> str:
    """The language chosen in the app ("" when it follows the system)."""
    value = settings.value(SETTING, "")
    return value if isinstance(value, str) else ""


def system_language() -> i18n.Language:
    """What the app speaks when it follows the system (for the setting's label)."""
    asked = i18n.requested(None, system=QLocale.system().name())
    return i18n.choose(asked, i18n.available())


def _qt_folders() -> list[Path]:
    """Where Qt's own catalogues are: Qt's configured folder, else PySide6's (a bundle)."""
    import PySide6

    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    folders.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    return folders


def _load(app: QCoreApplication, locale: QLocale, name: str, folders: list[Path]) -> bool:
    for folder in folders:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", str(folder)):
            app.installTranslator(translator)
            _installed.append(translator)
            return True
    return False


def setup(app: QCoreApplication, setting: str | None) -> i18n.Language:
    """Choose the language and install every catalogue for it; returns the language.

    Called again (tests), it first removes what the previous call installed.
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = i18n.setup(setting, system=QLocale.system().name())
    locale = QLocale(language.locale)
    QLocale.setDefault(locale)
    if language.language != i18n.SOURCE_LANGUAGE:
        _load(app, locale, "qtbase", _qt_folders())
        _load(app, locale, "mailscope", [CATALOGUES])
    return language
