"""Shows hostile mail HTML in the app's browser, one vector at a time, for an strace audit.

``python -m tests.desktop.html_audit_child CONFIG`` (CONFIG: JSON with ``vectors``, a list of
[name, html], ``parts``, {content id: base64}, and ``markers``, a folder). Around each vector
it stats ``markers/BEGIN-name`` and ``markers/END-name`` (files that need not exist), so the
parent can cut the system-call log into one window per vector, and it records Python-level
opens with an audit hook. Prints one JSON line: per vector, what was asked and the opens.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QTextBrowser

from core.mail.body import InlinePart
from desktop.safe_browser import SafeTextBrowser

_opened: list[str] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _opened is not None:
        _opened.append(str(args[0]))


def main() -> None:
    global _opened
    config = json.loads(sys.argv[1])
    markers = Path(config["markers"])
    parts = {
        cid: InlinePart("image/png", base64.b64decode(data))
        for cid, data in config["parts"].items()
    }
    app = QApplication([])
    browser = SafeTextBrowser(opener=lambda url: True)
    browser.resize(700, 500)
    browser.show()
    refused: list[str] = []
    browser.refused.connect(refused.append)
    app.processEvents()
    sys.addaudithook(_audit)
    report = {}
    for name, page in config["vectors"]:
        _opened, refused[:] = [], []
        with_stat(markers / f"BEGIN-{name}")
        browser.show_html(page, parts)
        app.processEvents()
        browser.grab()  # paint it: images are drawn from what loadResource answered
        app.processEvents()
        with_stat(markers / f"END-{name}")
        report[name] = {"asked": list(browser.asked), "refused": list(refused), "opened": _opened}
        _opened = None
    # The control: Qt's own QTextBrowser on a file: image reads the file (the audit sees it).
    plain = QTextBrowser()
    plain.resize(300, 200)
    plain.show()
    with_stat(markers / "BEGIN-control")
    plain.setHtml(config["control"])
    plain.document().size()
    plain.grab()
    app.processEvents()
    with_stat(markers / "END-control")
    print(json.dumps(report))


def with_stat(path: Path) -> None:
    """A system call the parent finds in the log (the file need not exist)."""
    with contextlib.suppress(OSError):
        os.stat(path)


if __name__ == "__main__":
    main()
