"""The app's sync in a process of its own (``core.mail.sync_process``): what it reports, the
secrets it asks the app for, its errors, cancel, and a child killed midway."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.sync_bench import generate
from core.mail import accounts
from core.mail.secrets import SecretError, imap_key
from core.mail.source import MailError, SignInNeeded
from core.mail.sync import Phase, SyncProgress, SyncSummary, sync_account
from core.mail.sync_process import (
    WorkerError,
    command,
    error_from,
    error_payload,
    progress_from,
    progress_payload,
    summary_from,
    summary_payload,
    watch_in_process,
)
from core.store import db
from core.store.accounts import AccountKind, account_by_id
from tests.helpers.dovecot import MailUser
from tests.helpers.processes import children
from tests.mail.sync_helpers import imap_account, raw


class MemoryStore:
    """Secrets that live only in the app (as a password typed for the session)."""

    def __init__(self, **kept: str) -> None:
        self.kept = dict(kept)
        self.asked: list[str] = []

    def get(self, key: str) -> str | None:
        self.asked.append(key)
        return self.kept.get(key)

    def set(self, key: str, secret: str) -> None:
        self.kept[key] = secret

    def delete(self, key: str) -> None:
        self.kept.pop(key, None)


class BrokenStore(MemoryStore):
    def get(self, key: str) -> str | None:
        raise SecretError(f"the keyring is locked ({key})")


def _maildir(root: Path, count: int) -> Path:
    for part in ("cur", "new", "tmp"):
        (root / part).mkdir(parents=True, exist_ok=True)
    for n, (message, when) in enumerate(generate(count)):
        path = root / "cur" / f"{int(when)}.{n}.bench:2,S"
        path.write_bytes(message)
    return root


def _local(tmp_path: Path, count: int) -> tuple[Path, int]:
    cache = tmp_path / "cache.sqlite"
    conn = db.connect(cache)
    account = accounts.add_local(
        conn, "local", AccountKind.MAILDIR, str(_maildir(tmp_path / "md", count))
    )
    conn.close()
    return cache, account.id


class Followed:
    """``watch_in_process`` in a thread, with what it reported and how it ended."""

    def __init__(
        self, cache: Path, account_id: int, secrets: MemoryStore, **options: object
    ) -> None:
        self.reports: list[object] = []
        self.synced = threading.Event()
        self.cancel = threading.Event()
        self.error: BaseException | None = None
        self._on_report = options.pop("on_report", None)
        self._thread = threading.Thread(
            target=self._run, args=(cache, account_id, secrets, options), daemon=True
        )
        self._thread.start()

    def _run(
        self, cache: Path, account_id: int, secrets: MemoryStore, options: dict[str, object]
    ) -> None:
        try:
            watch_in_process(cache, account_id, secrets, report=self._report, cancel=self.cancel,
                             poll_seconds=3600, **options)  # type: ignore[arg-type]  # fmt: skip
        except BaseException as error:
            self.error = error

    def _report(self, value: object) -> None:
        self.reports.append(value)
        if isinstance(value, SyncSummary):
            self.synced.set()
        if self._on_report is not None:
            self._on_report(value)  # type: ignore[operator]

    def stop(self, seconds: float = 30) -> None:
        self.cancel.set()
        self._thread.join(seconds)
        assert not self._thread.is_alive()

    def join(self, seconds: float = 60) -> None:
        self._thread.join(seconds)
        assert not self._thread.is_alive()


def _children() -> list[int]:
    return children(b"sync_child")


def test_a_local_account_syncs_in_a_child_and_stops_on_cancel(tmp_path: Path) -> None:
    cache, account_id = _local(tmp_path, 300)
    followed = Followed(cache, account_id, MemoryStore())
    assert followed.synced.wait(60), followed.error
    assert _children()  # the child watches on
    followed.stop()
    assert followed.error is None and _children() == []
    summary = next(r for r in followed.reports if isinstance(r, SyncSummary))
    assert (summary.account, summary.new, summary.decided, summary.errors) == (
        "local",
        300,
        300,
        (),
    )
    phases = [r.phase for r in followed.reports if isinstance(r, SyncProgress)]
    assert phases[0] is Phase.FOLDERS and Phase.FETCHING in phases and phases[-1] is Phase.DONE
    conn = db.connect(cache)
    undecided = conn.execute("SELECT count(*) FROM messages WHERE decided_at IS NULL").fetchone()
    assert conn.execute("SELECT count(*) FROM messages").fetchone() == (300,) and undecided == (0,)
    conn.close()


def test_the_password_comes_from_the_apps_own_store(tmp_path: Path, mail_user: MailUser) -> None:
    """A password kept only in the app's memory (no keyring) reaches the child over its pipe."""
    from tests.helpers.dovecot import Admin

    with Admin(mail_user) as admin:
        for n in range(1, 6):
            admin.append("INBOX", raw(n))
    cache = tmp_path / "cache.sqlite"
    conn = db.connect(cache)
    account = imap_account(conn, mail_user)
    conn.close()
    store = MemoryStore(**{imap_key("work"): mail_user.password})
    followed = Followed(cache, account.id, store)
    assert followed.synced.wait(60), followed.error
    followed.stop()
    assert imap_key("work") in store.asked and followed.error is None
    summary = next(r for r in followed.reports if isinstance(r, SyncSummary))
    assert summary.new == 5 and summary.errors == ()


def test_a_wrong_password_ends_with_the_servers_refusal(
    tmp_path: Path, mail_user: MailUser
) -> None:
    cache = tmp_path / "cache.sqlite"
    conn = db.connect(cache)
    account = imap_account(conn, mail_user)
    conn.close()
    followed = Followed(cache, account.id, MemoryStore(**{imap_key("work"): "not-it"}))
    followed.join()
    assert type(followed.error) is MailError
    assert f"login rejected for {mail_user.user}" in str(followed.error)
    assert "not-it" not in str(followed.error) and _children() == []


def test_a_locked_keyring_is_the_keyrings_error(tmp_path: Path, mail_user: MailUser) -> None:
    cache = tmp_path / "cache.sqlite"
    conn = db.connect(cache)
    account = imap_account(conn, mail_user)
    conn.close()
    followed = Followed(cache, account.id, BrokenStore())
    followed.join()
    assert isinstance(followed.error, SecretError)
    assert str(followed.error) == f"the keyring is locked ({imap_key('work')})"


def test_a_child_killed_midway_is_one_line_and_the_next_sync_completes(tmp_path: Path) -> None:
    cache, account_id = _local(tmp_path, 15_000)  # the kill lands with two batches to go
    killed: list[int] = []

    def kill_when_rows_land(value: object) -> None:
        if (
            isinstance(value, SyncProgress)
            and value.phase is Phase.FETCHING
            and value.done
            and not killed
        ):
            for pid in _children():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    followed = Followed(cache, account_id, MemoryStore(), on_report=kill_when_rows_land)
    followed.join()
    assert killed and isinstance(followed.error, WorkerError)
    assert str(followed.error) == f"the sync process ended unexpectedly (code {-signal.SIGKILL})"
    conn = db.connect(cache)
    assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    kept = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    assert 0 < kept < 15_000  # a batch landed before the kill, not the whole folder
    account = account_by_id(conn, account_id)
    assert account is not None
    summary = sync_account(
        conn, account, lambda: accounts.open_source(conn, account, MemoryStore())
    )
    assert summary.new == 15_000 - kept
    assert conn.execute("SELECT count(*) FROM messages WHERE decided_at IS NULL").fetchone() == (0,)
    conn.close()


def test_a_child_that_dies_without_a_word(tmp_path: Path) -> None:
    cache, account_id = _local(tmp_path, 1)
    argv = [sys.executable, "-c", "import sys; sys.stdin.readline(); sys.exit(3)"]
    followed = Followed(cache, account_id, MemoryStore(), argv=argv)
    followed.join()
    assert isinstance(followed.error, WorkerError) and followed.error.name == "SyncProcess"
    assert str(followed.error) == "the sync process ended unexpectedly (code 3)"


def test_a_child_that_ignores_cancel_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.mail import sync_process

    monkeypatch.setattr(sync_process, "STOP_SECONDS", 0.5)
    cache, account_id = _local(tmp_path, 1)
    argv = [sys.executable, "-c", "import time; time.sleep(60)"]
    followed = Followed(cache, account_id, MemoryStore(), argv=argv)
    time.sleep(0.3)
    began = time.monotonic()
    followed.stop(seconds=10)
    assert time.monotonic() - began < 5 and followed.error is None


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (SignInNeeded("sign in again"), SignInNeeded),
        (MailError("login rejected"), MailError),
        (SecretError("locked"), SecretError),
        (sqlite3.OperationalError("database or disk is full"), OSError),
        (OSError(28, "No space left on device"), OSError),
        (KeyError("x"), WorkerError),
    ],
)
def test_errors_cross_as_the_kind_the_window_shows(error: Exception, shown: type) -> None:
    again = error_from(error_payload(error))
    assert type(again) is shown and str(again) == str(error)
    if isinstance(again, WorkerError):
        assert again.name == "KeyError"


def test_reports_cross_unchanged() -> None:
    progress = SyncProgress("work", "Entwürfe", Phase.FETCHING, 5000, 100000)
    summary = SyncSummary("work", 3, 10, 2, 1, 1.5, 10, 4, ("Junk: refused",))
    assert progress_from(progress_payload(progress)) == progress
    assert summary_from(summary_payload(summary)) == summary


def _spawn(cache: Path, account_id: int) -> subprocess.Popen[str]:
    """A child started as the app starts it, its pipes the test's to hold or close."""
    pipe = subprocess.PIPE
    child = subprocess.Popen(command(), stdin=pipe, stdout=pipe, stderr=pipe, text=True)
    assert child.stdin is not None
    start = {"cache": str(cache), "account": account_id, "poll": 3600, "language": ["en", "en"]}
    child.stdin.write(json.dumps(start) + "\n")
    child.stdin.flush()
    return child


def test_a_child_whose_app_is_gone_stops(tmp_path: Path) -> None:
    """The app killed: the child's input closes, and it stops (no orphan syncing on)."""
    cache, account_id = _local(tmp_path, 50)
    child = _spawn(cache, account_id)
    assert child.stdin is not None and child.stdout is not None
    try:
        while "synced" not in json.loads(child.stdout.readline() or '{"synced": "EOF"}'):
            pass
        assert child.poll() is None  # watching for news
        child.stdin.close()  # what the app's death does to the pipe
        assert child.wait(timeout=20) == 0
    finally:
        child.kill()


def test_a_child_that_cannot_start_is_not_a_cache_error(tmp_path: Path) -> None:
    cache, account_id = _local(tmp_path, 1)
    argv = [str(tmp_path / "no-such-python")]
    followed = Followed(cache, account_id, MemoryStore(), argv=argv)
    followed.join()
    assert isinstance(followed.error, WorkerError)
    assert str(followed.error) == "the sync process cannot start: No such file or directory"


def test_a_child_whose_reports_go_nowhere_stops_quietly(tmp_path: Path) -> None:
    """The app closed its end of the pipe mid-sync: the child's next report stops it, with
    no traceback."""
    cache, account_id = _local(tmp_path, 2000)
    child = _spawn(cache, account_id)
    assert child.stdout is not None and child.stderr is not None
    try:
        assert "progress" in json.loads(child.stdout.readline())
        child.stdout.close()
        assert child.wait(timeout=60) == 0
        assert child.stderr.read() == ""
    finally:
        child.kill()
