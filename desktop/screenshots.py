"""Render the README's screenshots: the main window on the demo workspace and the detail pane
of a "won't log: not a contact" message (``make screenshots``; best under Xvfb for real fonts).

``--lang fr`` renders a whole set in that language at 1366x768, to look for clipped words
(``make screenshots LANG=fr`` writes it to build/screenshots/fr): the main window, its detail
pane on a message of each verdict reason in the demo, the check panel, What if…, the activity
report and the account dialog.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

WAIT_MS = 10_000  # the longest a step may take (the sidebar's counts, the body)


SET_SIZE = (1366, 768)  # a small laptop screen: where French, ~20% longer, clips first


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    language = args.pop(args.index("--lang") + 1) if "--lang" in args else None
    args = [a for a in args if a != "--lang"]
    out = Path(args[0] if args else "docs")
    out.mkdir(parents=True, exist_ok=True)
    os.environ["MAILSCOPE_HOME"] = tempfile.mkdtemp(prefix="mailscope-shots-")
    from desktop.app import NO_DISPLAY, has_display

    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if language is not None:
        return _language_set(app, language, out)
    window = _demo_window()
    window.grab().save(str(out / "main-window.png"))
    _detail_pane(window).grab().save(str(out / "detail-not-a-contact.png"))
    window.close()
    app.processEvents()
    print(f"wrote {out / 'main-window.png'} and {out / 'detail-not-a-contact.png'}")
    return 0


def _language_set(app: Any, language: str, out: Path) -> int:
    """The whole set in ``language`` at :data:`SET_SIZE` (each file name printed)."""
    from desktop import translation

    translation.setup(app, language)
    window = _demo_window()
    window.resize(*SET_SIZE)
    shots = [_save(window, out, "main-window")]
    shots += _verdict_shots(window, out)
    shots += _view_shots(window, out)
    shots.append(_account_dialog_shot(window, out))
    window.close()
    app.processEvents()
    print("\n".join(str(p) for p in shots))
    return 0


def _save(widget: Any, out: Path, name: str) -> Path:
    from PySide6.QtCore import QDeadlineTimer

    settled = QDeadlineTimer(300)  # a dock shown folds the pane on the next turns of the loop
    _until(settled.hasExpired)
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    return path


def _verdict_shots(window: Any, out: Path) -> list[Path]:
    """The window with its detail pane on the first message of each reason in the demo."""
    from core.store import views

    conn, account = window.conn, window.current_account()
    shots = []
    for reason, row_id in _one_per_reason(conn, account.id, views).items():
        window.select_message(row_id)
        _until(lambda: window.detail.explanation is not None)
        shots.append(_save(window, out, f"detail-{reason.value}"))
    return shots


def _one_per_reason(conn: Any, account_id: int, views: Any) -> dict[Any, int]:
    from core.rules.model import Reason

    found: dict[Reason, int] = {}
    for folder in views.folders(conn, account_id):
        for reason in Reason:
            if reason in found:
                continue
            query = views.TableQuery(folder_id=folder.id, show=views.Show.REASON, reason=reason)
            ids = list(views.ids(conn, query))
            if ids:
                found[reason] = ids[0]
    return found


def _view_shots(window: Any, out: Path) -> list[Path]:
    """The check panel on a draft to a prospect, What if… after a simulation, the activity
    report: each as the window shows it."""
    from PySide6.QtCore import QCoreApplication

    translate = QCoreApplication.translate

    def title(text: str) -> Any:
        return window.view(translate("MainWindow", text))

    check = title("Check an email")
    check.show()
    panel = check.widget()
    panel._set_fields("zoe.adams@bluepeak.example, prospect@new-lead.example", "", "", "Devis")
    panel.evaluate()
    shots = [_save(window, out, "check-panel")]
    check.hide()
    whatif = title("What if…")
    window.stack.setCurrentWidget(whatif.parentWidget())  # the page under its title
    whatif.rule.setCurrentIndex(1)
    whatif.run()
    _until(lambda: whatif.run_button.isEnabled())
    shots.append(_save(window, out, "what-if"))
    activity = title("Activity report")
    window.stack.setCurrentWidget(activity.parentWidget())
    activity.set_period(date(2026, 7, 27), date(2026, 11, 26))  # the demo's four months
    activity.table.setCurrentCell(0, 0)  # and the drill-down of its first line
    shots.append(_save(window, out, "activity"))
    window.show_messages()
    return shots


def _account_dialog_shot(window: Any, out: Path) -> Path:
    from desktop.account_dialog import AccountDialog

    dialog = AccountDialog(window.conn, window.tasks, parent=window)
    dialog.show()
    path = _save(dialog, out, "account-dialog")
    dialog.close()
    return path


def _until(done: Callable[[], bool]) -> None:
    """Run the event loop (waiting, not spinning) until ``done()`` or ``WAIT_MS``."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = QDeadlineTimer(WAIT_MS)
    while not done() and not deadline.hasExpired():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    QApplication.processEvents()


def _demo_window() -> Any:
    """The window on the synced demo, with every view (as in the app: "Log now" is live), and
    the message to show selected."""
    from PySide6.QtCore import QCoreApplication

    translate = QCoreApplication.translate

    import resources.demo as demo
    from core import workspace
    from desktop.app import install_views
    from desktop.main_window import MainWindow, app_settings

    conn, account = workspace.open_demo(demo)
    workspace.sync_demo(conn, account)
    conn.close()
    window = MainWindow(workspace.demo_path(), settings=app_settings(), sync_on_start=False)
    install_views(window)
    window.resize(1480, 880)
    window.show()
    _until(lambda: not window.reader.busy)  # the sidebar's counts
    target = _not_a_contact(window)
    window.select_message(target)
    window.status_text.setText(translate("MainWindow", "demo: up to date"))
    _until(lambda: window.detail.explanation is not None)
    return window


def _detail_pane(window: Any) -> Any:
    """The pane with the message's body shown, cut to its content."""
    detail = window.detail
    _until(detail.body.isVisible)
    detail.resize(560, 900)
    pane = detail.widget()
    detail.body.setMinimumHeight(150)
    detail.body.setMaximumHeight(170)
    detail.room_below.keep(True)  # the body no longer fills the pane: the rest goes below it
    pane.resize(560, pane.sizeHint().height())
    _until(lambda: True)
    pane.resize(560, detail.body.geometry().bottom() + 18)  # no empty space below
    _until(lambda: True)
    return pane


def _not_a_contact(window: Any) -> int:
    """An inbound "not a contact" message from a prospect (the case a rep must not miss)."""
    from core.rules.model import Reason
    from core.store import views

    conn, account = window.conn, window.current_account()
    inbox = next(f.id for f in views.folders(conn, account.id) if f.role == "inbox")
    query = views.TableQuery(folder_id=inbox, show=views.Show.REASON, reason=Reason.NOT_A_CONTACT)
    found = list(views.ids(conn, query))  # newest first
    rows = views.display_rows(conn, found)
    return next((i for i in found if rows[i].subject.startswith("Request for a demo")), found[0])


if __name__ == "__main__":
    sys.exit(main())
