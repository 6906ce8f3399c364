"""Desktop fixtures: offscreen Qt, a private MAILSCOPE_HOME, a file keyring, the demo window."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from PySide6.QtCore import QSettings

import resources.demo as demo
from core import workspace
from core.mail.secrets import KeyringStore

# The offscreen platform says it cannot resize to size hints: not a problem of the app.
OFFSCREEN_NOISE = "propagateSizeHints"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private MAILSCOPE_HOME for the test."""
    where = tmp_path / "home"
    where.mkdir()
    monkeypatch.setenv("MAILSCOPE_HOME", str(where))
    return where


@pytest.fixture
def make_tasks(qtbot):  # type: ignore[no-untyped-def]
    """``make_tasks(path)``: the background workers of a view shown without a window
    (``desktop.ops.Tasks``), stopped after the test."""
    from desktop.ops import Tasks

    made: list[Tasks] = []

    def make(path: Path) -> Tasks:
        made.append(Tasks(path))
        return made[-1]

    yield make
    for tasks in made:
        tasks.stop()


@pytest.fixture
def settings(home: Path) -> QSettings:
    return QSettings(str(home / "mailscope.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def demo_cache(home: Path) -> Path:
    """The demo workspace's cache, synced and decided."""
    conn, account = workspace.open_demo(demo)
    workspace.sync_demo(conn, account)
    conn.close()
    return workspace.demo_path()


@pytest.fixture
def demo_window(qtbot, demo_cache: Path, secrets: KeyringStore, settings: QSettings):  # type: ignore[no-untyped-def]
    """The main window on the synced demo workspace (no background sync started)."""
    from desktop.main_window import MainWindow

    window = MainWindow(demo_cache, secrets=secrets, settings=settings, sync_on_start=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.reader.busy, timeout=10_000)  # the sidebar's counts
    window.sidebar.setCurrentIndex(window.sidebar_model.index(0, 0))  # all folders: 300 rows
    yield window
    window.close()


@pytest.fixture
def empty_window(qtbot, home: Path, secrets: KeyringStore, settings: QSettings):  # type: ignore[no-untyped-def]
    """The main window over an empty cache (the welcome page), no sync started."""
    from desktop.main_window import MainWindow

    window = MainWindow(
        home / "mailscope.sqlite", secrets=secrets, settings=settings, sync_on_start=False
    )
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def explained(qtbot, window, message_id: int | None = None, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until the detail pane shows the verdict of ``message_id`` (default: the selected
    message): it is decided on the database thread, off the GUI thread."""
    pane = window.detail
    wanted = message_id if message_id is not None else pane.message_id

    def shown() -> bool:
        return pane.explanation is not None and pane.message_id == wanted

    qtbot.waitUntil(shown, timeout=int(timeout * 1000))
