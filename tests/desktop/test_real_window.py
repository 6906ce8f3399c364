"""Connecting HubSpot in the real window (X11 under Xvfb, not offscreen), through to the
verdicts changing; the screenshots of each step are kept in the test's folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).parents[2]


def test_connect_hubspot_in_a_real_window_changes_the_verdicts(tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.fail("xvfb-run is missing: make test installs it (package xvfb)", pytrace=False)
    out = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # a real X window
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24",
         sys.executable, "-m", "tests.helpers.real_window", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    facts = json.loads((out / "facts.json").read_text(encoding="utf-8"))
    assert facts["platform"] == "xcb"
    assert facts["banner_before"] and not facts["banner_after"]
    assert facts["verdicts_before"] == {"": 174}  # the Inbox: no guessed verdict at all
    after = facts["verdicts_after"]
    assert "" not in after and after["Contact"] > 20 and after["Thread reply"] > 20
    assert facts["loaded_label"].startswith("HubSpot loaded:")
    for name in facts["shots"]:
        image = QImage(str(out / name))
        assert not image.isNull() and image.width() >= 600, name
    assert QImage(str(out / "main-1366-after.png")).size().toTuple() == (1366, 768)
