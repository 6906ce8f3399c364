"""``mailscope`` with no argument opens the rep's own cache, ``mailscope --demo`` the demo
workspace: the app's start-up (``desktop.app.run``) in a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

STARTUP = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from desktop import app as desktop_app
seen = {}
def look():
    window = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
    seen["cache"] = str(window.cache)
    seen["switch"] = sys.getswitchinterval()
    app.quit()
QTimer.singleShot(1500, look)
desktop_app.run(demo=sys.argv[1] == "demo")
print(json.dumps(seen))
"""


@pytest.mark.parametrize("kind", ["own", "demo"])
def test_the_app_opens_the_reps_cache_unless_asked_for_the_demo(tmp_path: Path, kind: str) -> None:
    env = {**os.environ, "MAILSCOPE_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", STARTUP, kind],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    cache = Path(json.loads(done.stdout.strip().splitlines()[-1])["cache"])
    assert cache.parent == tmp_path
    assert (cache.name == "demo.sqlite") == (kind == "demo")
    from desktop.app import SWITCH_INTERVAL  # the GUI's turn at the GIL comes sooner (issue 15)

    assert json.loads(done.stdout.strip().splitlines()[-1])["switch"] == SWITCH_INTERVAL
