"""The desktop in French: Mailscope's Qt catalogue, Qt's own (dialog buttons, file dialogs),
core's gettext and QLocale, chosen by View › Language and applied at the next start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from core import i18n
from desktop import language_menu, translation
from tests.desktop.conftest import OFFSCREEN_NOISE

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = "the Never-log list is empty."


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, back in English after the test."""
    yield qapp
    translation.setup(qapp, "en")


def _close_button() -> str:
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box.button(QMessageBox.StandardButton.Close).text()


def test_french_reaches_qt_core_and_the_locale(app: QApplication) -> None:
    assert translation.setup(app, "fr") == i18n.Language("fr", "fr")
    assert _close_button() == "Fermer"  # Qt's own catalogue, qtbase_fr.qm
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Voir dans\u00a0:"
    assert QCoreApplication.translate("LanguageMenu", "&Language") == "&Langue"  # ours
    assert i18n._(SENTENCE) == "la liste Ne jamais consigner est vide."  # core's
    assert QLocale().dayName(1) == "lundi"
    assert QLocale().toString(12345.5).replace("\u202f", " ").replace("\u00a0", " ") == ("12 345,5")
    assert translation.setup(app, "en").language == "en"  # again: the French ones come out
    assert _close_button() == "Close"
    assert QCoreApplication.translate("LanguageMenu", "&Language") == "&Language"
    assert i18n._(SENTENCE) == SENTENCE


def test_the_system_language_is_the_default(
    app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MAILSCOPE_LANG")
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert translation.setup(app, "") == i18n.Language("fr", "fr_CA")
    assert QLocale().name() == "fr_CA"
    assert translation.system_language().language == "fr"
    monkeypatch.setenv("MAILSCOPE_LANG", "en")
    assert translation.setup(app, "").language == "en"
    assert translation.setup(app, "fr").language == "fr"  # the app's setting comes first


def test_the_setting_is_read_from_the_apps_settings(settings: QSettings) -> None:
    assert translation.saved_language(settings) == ""
    settings.setValue(translation.SETTING, "fr")
    assert translation.saved_language(settings) == "fr"
    settings.setValue(translation.SETTING, 3)
    assert translation.saved_language(settings) == ""


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)  # the message box fits its text
def test_view_language_saves_the_choice_and_says_when_it_applies(empty_window) -> None:  # type: ignore[no-untyped-def]
    menu = language_menu.install(empty_window)
    labels = [a.text() for a in menu.actions()]
    assert labels == ["System (English)", "English", "Français"]
    assert [a.isChecked() for a in menu.actions()] == [True, False, False]
    french = menu.actions()[2]
    french.trigger()
    assert translation.saved_language(empty_window.settings) == "fr"
    again = QSettings(empty_window.settings.fileName(), QSettings.Format.IniFormat)
    assert again.value(translation.SETTING) == "fr"  # on disk at once
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
    assert "next start" in box.text()
    box.close()
    assert language_menu.choose(empty_window, empty_window.settings, "fr") is None
    assert french.isChecked()
    assert QCoreApplication.translate("LanguageMenu", "&Language") == "&Language"  # not yet


STARTUP = """
import json, sys
from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
app = QApplication(sys.argv[:1])
from core import i18n
from desktop import app as desktop_app
seen = {}
def look():
    window = next(w for w in app.topLevelWidgets() if w.objectName() == "MainWindow"
                  or type(w).__name__ == "MainWindow")
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Cancel)
    menus = [a.text() for a in window.settings_menu.actions()]
    seen.update(language=list(i18n.current()), locale=QLocale().name(), day=QLocale().dayName(1),
                cancel=box.button(QMessageBox.StandardButton.Cancel).text(), view=menus)
    app.quit()
QTimer.singleShot(1500, look)
desktop_app.run(cache=__import__("pathlib").Path(sys.argv[1]))
print(json.dumps(seen))
"""


def test_the_saved_language_applies_at_start_up(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    settings = QSettings(str(home / "mailscope.ini"), QSettings.Format.IniFormat)
    settings.setValue(translation.SETTING, "fr")
    settings.sync()
    env = {k: v for k, v in os.environ.items() if k not in ("MAILSCOPE_LANG", "LANGUAGE")}
    env.update(MAILSCOPE_HOME=str(home), LANG="C.UTF-8", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", STARTUP, str(home / "cache.sqlite")],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["language"] == ["fr", "fr"]
    assert (seen["locale"], seen["day"], seen["cancel"]) == ("fr_FR", "lundi", "Annuler")
    assert "&Langue" in seen["view"]  # Settings › Language, in French
