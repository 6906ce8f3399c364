"""Help › About: the version every support request starts with."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from core.version import __version__
from desktop.about import help_menu
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)  # the dialog asks to fit its text


def test_help_about_shows_the_version(demo_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.app import install_views

    install_views(demo_window)
    menu = help_menu(demo_window)
    assert demo_window.menuBar().actions()[-1].menu() is menu  # Help is the last menu
    (about,) = [a for a in menu.actions() if a.text().replace("&", "") == "About Mailscope"]
    about.trigger()
    box = demo_window.findChild(QMessageBox)
    assert box is not None and box.isVisible()
    assert f"Mailscope {__version__}" in box.text()
    assert "Qt " in box.text() and "Python " in box.text()
    box.close()
