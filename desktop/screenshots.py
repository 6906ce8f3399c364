"""Render the README's screenshots: the main window on the demo workspace and the detail pane
of a "won't log: not a contact" message (``make screenshots``; best under Xvfb for real fonts).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs")
    out.mkdir(parents=True, exist_ok=True)
    os.environ["MAILSCOPE_HOME"] = tempfile.mkdtemp(prefix="mailscope-shots-")
    from desktop.app import NO_DISPLAY, has_display, install_views

    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    import resources.demo as demo
    from core import workspace
    from desktop.main_window import MainWindow, app_settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    conn, account = workspace.open_demo(demo)
    workspace.sync_demo(conn, account)
    conn.close()
    window = MainWindow(workspace.demo_path(), settings=app_settings(), sync_on_start=False)
    install_views(window)  # the CRM actions, as in the app: "Log now" is live
    window.resize(1480, 880)
    window.show()
    while window.reader.busy:  # the sidebar's counts
        app.processEvents()
        QApplication.instance().thread().msleep(5)  # type: ignore[union-attr]
    app.processEvents()
    target = _not_a_contact(window)
    window.select_message(target)
    window.status_text.setText(window.tr("demo: up to date"))
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(out / "main-window.png"))
    window.detail.show_body.click()
    for _ in range(50):
        app.processEvents()
        if window.detail.body.isVisible():
            break
        QApplication.instance().thread().msleep(20)  # type: ignore[union-attr]
    window.detail.resize(560, 900)
    pane = window.detail.widget()
    window.detail.body.setMinimumHeight(150)
    window.detail.body.setMaximumHeight(170)
    pane.resize(560, pane.sizeHint().height())
    app.processEvents()
    pane.resize(560, window.detail.body.geometry().bottom() + 18)  # no empty space below
    app.processEvents()
    pane.grab().save(str(out / "detail-not-a-contact.png"))
    window.close()
    print(f"wrote {out / 'main-window.png'} and {out / 'detail-not-a-contact.png'}")
    return 0


def _not_a_contact(window: object) -> int:
    """An inbound "not a contact" message from a prospect (the case a rep must not miss)."""
    conn = window.conn  # type: ignore[attr-defined]
    row = conn.execute(
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE m.reason = 'not_a_contact' AND f.role = 'inbox'"
        " ORDER BY m.subject LIKE 'Request for a demo%' DESC, m.list_id IS NULL DESC,"
        " m.sort_date DESC LIMIT 1"
    ).fetchone()
    return int(row[0])


if __name__ == "__main__":
    sys.exit(main())
