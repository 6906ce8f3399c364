"""A private X server (Xvfb) for programs that open real windows, and what is on its screen.

The tests start their own server on a free display (``-displayfd``), never a shared one, and
read the screen with Qt's xcb platform in a child process (the test process runs offscreen).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MISSING = "Xvfb is not installed: `make test` installs it (make system-deps: xvfb, x11-utils)"

GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(["grab", "-platform", "xcb"])
image = app.primaryScreen().grabWindow(0).toImage()
image.save(sys.argv[1])
step = max(1, image.width() // 64)
colours = {image.pixel(x, y) for x in range(0, image.width(), step)
           for y in range(0, image.height(), step)}
print(len(colours))
"""


@dataclass(frozen=True)
class Window:
    """A top-level window as ``xwininfo -root -tree`` lists it."""

    name: str
    wm_class: tuple[str, ...]
    width: int
    height: int


@dataclass(frozen=True)
class Screen:
    """A running Xvfb: its ``DISPLAY`` value and the environment that points at it."""

    display: str

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")
        }
        return {**env, "DISPLAY": self.display, **extra}

    def windows(self) -> list[Window]:
        done = subprocess.run(
            ["xwininfo", "-root", "-tree"], env=self.env(),
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        found = []
        pattern = r'^\s+0x[0-9a-f]+ "(.*)": \((.*)\)\s+(\d+)x(\d+)'
        for name, classes, width, height in re.findall(pattern, done.stdout, re.MULTILINE):
            found.append(
                Window(name, tuple(re.findall(r'"([^"]*)"', classes)), int(width), int(height))
            )
        return found

    def wait_for_window(self, wm_class: str, timeout: float = 60.0) -> Window:
        """The first window of that class bigger than a placeholder; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for window in self.windows():
                if wm_class in window.wm_class and window.width > 200 and window.height > 200:
                    return window
            time.sleep(0.2)
        raise AssertionError(f"no {wm_class} window after {timeout:.0f} s: {self.windows()}")

    def screenshot(self, path: Path) -> int:
        """Save the whole screen as a PNG; returns how many colours a sample of it holds."""
        done = subprocess.run(
            [sys.executable, "-c", GRAB, str(path)], env=self.env(),
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return int(done.stdout)


@contextlib.contextmanager
def xvfb(size: str = "1366x768") -> Iterator[Screen]:
    """Start Xvfb on a free display for the ``with`` block."""
    if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
        raise AssertionError(MISSING)
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise AssertionError(f"Xvfb did not start (exit {server.poll()})")
        yield Screen(f":{number}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def decided(cache: Path) -> int:
    """How many messages a cache holds with a verdict (0 while it does not exist yet)."""
    if not cache.exists():
        return 0
    conn = sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute("SELECT count(*) FROM messages WHERE logged IS NOT NULL").fetchone()
    except sqlite3.OperationalError:  # its schema is being created
        return 0
    finally:
        conn.close()
    return int(row[0])


def open_demo_window(
    screen: Screen, command: list[str], env: dict[str, str], shot: Path, cwd: Path
) -> Window:
    """Start ``command`` (a ``mailscope --demo``), wait for its window and the demo's 300
    verdicts, save a screenshot to ``shot``, stop it (and its children: ``make run``'s app),
    and check it neither quit on its own nor printed a traceback. Returns the window."""
    home = Path(env["MAILSCOPE_HOME"])
    app = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        try:
            window = screen.wait_for_window("Mailscope")
        except AssertionError as error:
            os.killpg(app.pid, signal.SIGTERM)
            raise AssertionError(f"{error}\n{app.communicate(timeout=30)[1]}") from None
        deadline = time.monotonic() + 90
        while decided(home / "demo.sqlite") < 300 and time.monotonic() < deadline:
            assert app.poll() is None, app.communicate()[1]
            time.sleep(0.2)
        assert decided(home / "demo.sqlite") == 300
        time.sleep(1.0)  # the table and sidebar repaint with the verdicts
        colours = screen.screenshot(shot)
        assert app.poll() is None, "the app quit on its own"
    finally:
        if app.poll() is None:
            os.killpg(app.pid, signal.SIGTERM)
        _, errors = app.communicate(timeout=30)
    print(f"screenshot: {shot}")
    assert colours > 20, "the screen is blank"
    for problem in ("Traceback", "Could not load the Qt platform plugin", "Cannot load library"):
        assert problem not in errors, errors
    return window
