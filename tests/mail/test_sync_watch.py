"""New mail without a manual refresh: ``watch`` syncs again when IDLE (or polling) says so."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from core.mail import accounts, sync, watch
from core.mail.imap import ImapSource
from core.mailbox import FolderStatus
from core.store import db
from core.store.accounts import AccountKind, get_account
from tests.helpers.dovecot import Admin, MailUser, imap_settings
from tests.mail.sync_helpers import imap_account, raw


def _watch_in_thread(
    path: Path, name: str, open_source: sync.SourceOpener | None, **options: float
) -> tuple[threading.Thread, threading.Event, queue.Queue[sync.SyncSummary]]:
    summaries: queue.Queue[sync.SyncSummary] = queue.Queue()
    cancel = threading.Event()

    def work() -> None:
        conn = db.connect(path)  # one connection per thread
        account = get_account(conn, name)
        assert account is not None
        source = open_source or (lambda: accounts.open_source(conn, account, None))  # type: ignore[arg-type]
        watch.watch(conn, account, source, cancel=cancel, on_sync=summaries.put, **options)
        conn.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, cancel, summaries


class _Watched(ImapSource):
    """The real source, telling the test when it starts to IDLE."""

    idling = threading.Event()

    def idle(self, folder: object, timeout: float, cancel: object = None, **kw: object) -> bool:
        _Watched.idling.set()
        return bool(super().idle(folder, timeout, cancel))  # type: ignore[arg-type]


def test_idle_wakes_a_sync_on_new_mail(tmp_path: Path, mail_user: MailUser) -> None:
    path = tmp_path / "cache.sqlite"
    imap_account(db.connect(path), mail_user)
    _Watched.idling.clear()
    source = lambda: _Watched(imap_settings(mail_user), mail_user.password)  # noqa: E731
    thread, cancel, summaries = _watch_in_thread(path, "work", source)
    try:
        assert summaries.get(timeout=60).new == 0
        assert _Watched.idling.wait(timeout=60)
        with Admin(mail_user) as admin:
            admin.append("INBOX", raw(1))
        # Woken by IDLE: the status check between rounds comes only after IDLE_ROUND (60 s).
        woken = summaries.get(timeout=watch.IDLE_ROUND / 2)
        assert woken.new == 1
    finally:
        cancel.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


class _MailAfterCheck(ImapSource):
    """The real source; mail arrives right after the watcher's status check, before IDLE."""

    opened = 0
    user: MailUser

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _MailAfterCheck.opened += 1
        self.waiting = _MailAfterCheck.opened == 2  # the first sync's source, then the watcher's
        self.delivered = False

    def status(self, folder: object) -> FolderStatus:
        status = super().status(folder)  # type: ignore[arg-type]
        if self.waiting and not self.delivered:
            self.delivered = True
            with Admin(_MailAfterCheck.user) as admin:
                admin.append("INBOX", raw(1))
        return status


def test_mail_between_the_check_and_idle_wakes_the_watcher(
    tmp_path: Path, mail_user: MailUser
) -> None:
    path = tmp_path / "cache.sqlite"
    imap_account(db.connect(path), mail_user)
    _MailAfterCheck.opened, _MailAfterCheck.user = 0, mail_user
    source = lambda: _MailAfterCheck(imap_settings(mail_user), mail_user.password)  # noqa: E731
    thread, cancel, summaries = _watch_in_thread(path, "work", source)
    try:
        assert summaries.get(timeout=60).new == 0
        # IDLE alone would sleep a whole round (60 s) on a message it was not told about.
        woken = summaries.get(timeout=watch.IDLE_ROUND / 2)
        assert woken.new == 1
    finally:
        cancel.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_local_sources_are_polled(tmp_path: Path) -> None:
    root = tmp_path / "Maildir"
    for part in ("cur", "new", "tmp"):
        (root / part).mkdir(parents=True)
    path = tmp_path / "cache.sqlite"
    accounts.add_local(db.connect(path), "local", AccountKind.MAILDIR, str(root))
    thread, cancel, summaries = _watch_in_thread(path, "local", None, poll_seconds=0.05)
    try:
        assert summaries.get(timeout=30).new == 0
        (root / "new" / "1.x.host").write_bytes(b"From: a@x.example\r\n\r\nhi\r\n")
        while (summary := summaries.get(timeout=30)).new == 0:
            pass
        assert summary.new == 1
    finally:
        cancel.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
