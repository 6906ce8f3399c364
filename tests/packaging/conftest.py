"""Packaging tests: offscreen Qt for the windows they open in this process."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists
