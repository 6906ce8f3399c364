"""Help > Install the Thunderbird add-in does what `mailscope thunderbird install` does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox

from desktop import thunderbird_menu


def test_the_help_menu_installs_and_removes_the_add_in(
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    window = QMainWindow()
    qtbot.addWidget(window)
    thunderbird_menu.install(window)
    menu = thunderbird_menu.help_menu(window)
    assert [a.text() for a in window.menuBar().actions()] == ["&Help"]
    install, remove = menu.actions()
    assert install.text() == "&Install the Thunderbird add-in…"
    install.trigger()
    manifest = tmp_path / ".mozilla" / "native-messaging-hosts" / "mailscope.json"
    assert json.loads(manifest.read_text())["allowed_extensions"] == [
        "thunderbird@mailscope.example"
    ]
    assert "Install Add-on From File" in shown[0] and "mailscope-thunderbird.xpi" in shown[0]
    remove.trigger()
    assert not manifest.exists()
    assert str(manifest) in shown[1]
