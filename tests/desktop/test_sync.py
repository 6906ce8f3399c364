"""A sync against Dovecot fills the table while the window keeps answering; bodies over IMAP."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer

from bench.sync_bench import generate
from core.mail import accounts
from core.mail.source import Security
from core.mail.watch import IDLE_ROUND
from core.store import db
from desktop.main_window import MainWindow
from tests.desktop.conftest import OFFSCREEN_NOISE, explained
from tests.helpers.dovecot import Dovecot, MailUser

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

COUNT = 6000


def test_sync_updates_the_table_while_the_window_stays_responsive(
    qtbot, home, secrets, settings, dovecot: Dovecot, mail_user: MailUser
) -> None:  # type: ignore[no-untyped-def]
    dovecot.write_maildir(mail_user, "INBOX", generate(COUNT))
    cache = home / "mailscope.sqlite"
    conn = db.connect(cache)
    accounts.add_imap(
        conn,
        secrets,
        "work",
        host="localhost",
        user=mail_user.user,
        password=mail_user.password,
        port=mail_user.ssl_port,
        security=Security.SSL,
        ca_file=str(mail_user.ca_file),
    )
    conn.close()
    window = MainWindow(cache, secrets=secrets, settings=settings, sync_on_start=False)
    qtbot.addWidget(window)
    window.show()
    ticks: list[float] = []
    counts: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(
        lambda: (ticks.append(time.monotonic()), counts.append(window.model.rowCount()))
    )
    timer.start()
    started = time.monotonic()
    window.sync_all()
    qtbot.waitUntil(lambda: window.model.rowCount() == COUNT, timeout=60_000)
    model = window.sidebar_model

    def inbox_tip() -> str:
        return str(model.index(0, 0, model.index(0, 0)).data(Qt.ItemDataRole.ToolTipRole))

    qtbot.waitUntil(lambda: f"{COUNT} messages" in inbox_tip(), timeout=60_000)
    elapsed = time.monotonic() - started
    timer.stop()
    # The event loop kept running during the sync: the timer fired throughout.
    during = [t for t in ticks if t - started < elapsed]
    assert len(during) >= 5
    # (The timer's last tick may predate the last read under load: ask the model itself.)
    assert counts[0] == 0 and window.model.rowCount() == COUNT
    # Verdicts are there, the sidebar counts them, and a body comes over IMAP in a worker.
    assert model.index(0, 0, model.index(0, 0)).data() == "Inbox"
    print("row counts seen during the sync:", sorted(set(counts)))  # e.g. [0, 4000, 6000]
    window.select_message(window.model.row_id(0))  # type: ignore[arg-type]
    explained(qtbot, window)
    assert window.detail.explanation is not None
    qtbot.waitUntil(lambda: window.detail.body.isVisible(), timeout=20_000)
    assert "see attached" in window.detail.body.toPlainText()
    # New mail arrives without a manual refresh: the watcher (IDLE) syncs it.
    with dovecot.admin(mail_user) as admin:
        admin.append("INBOX", next(generate(1, seed=99))[0])
    # Usually at once; mail landing just before IDLE starts waits for the next round.
    rounds = int((IDLE_ROUND + 15) * 1000)
    qtbot.waitUntil(lambda: window.model.rowCount() == COUNT + 1, timeout=rounds)
    window.close()
    assert window.syncs.running == {}


def test_a_failed_sync_shows_one_line_in_the_status_bar(
    qtbot, home, secrets, settings, mail_user: MailUser
) -> None:  # type: ignore[no-untyped-def]
    cache = home / "mailscope.sqlite"
    conn = db.connect(cache)
    accounts.add_imap(
        conn, secrets, "work", host="localhost", user=mail_user.user,
        password="not-" + mail_user.password, port=mail_user.ssl_port, security=Security.SSL,
        ca_file=str(mail_user.ca_file),
    )  # fmt: skip
    conn.close()
    window = MainWindow(cache, secrets=secrets, settings=settings, sync_on_start=False)
    qtbot.addWidget(window)
    window.show()
    window.sync_all()
    qtbot.waitUntil(lambda: window.syncs.running == {}, timeout=30_000)
    text = window.status_text.text()
    assert text.startswith(f"⚠ work: login rejected for {mail_user.user} on localhost")
    assert "\n" not in text and mail_user.password not in text
    assert window.empty.isVisible()  # no rows: the empty state, not a blank table
    window.close()
