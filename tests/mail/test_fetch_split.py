"""A big first fill shared with a helper process on a second connection (issue 10).

Real Dovecot, realistic mail (``bench.mailgen``: many scripts, encoded words, replies, lists).
The split must be invisible in the result: the same rows, the same verdicts and links as one
process fetching everything; and a helper that cannot start, dies or is cancelled loses
nothing.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.mailgen import messages
from core.mail import fetch_split, sync
from core.mail.sync import Cancelled, Phase, SyncProgress
from core.store import db
from core.store.accounts import Account, AccountKind
from core.store.accounts import insert_account as add_account
from tests.helpers.dovecot import Dovecot, MailUser
from tests.helpers.oauth import OAuthDovecot, OAuthServer
from tests.helpers.processes import children
from tests.mail.sync_helpers import HelperSpy, cache_state, imap_account, opener, server_state

COUNT = 1500
BATCH = 200
SPLIT = 600
SHARE = int(COUNT * fetch_split.SHARE)  # the helper's UIDs: the last ones
# Every column a sync writes but the row id (the two processes interleave their batches).
_COLUMNS = (
    "uid, flags, internaldate, size, date, sort_date, date_raw, from_raw, from_email, from_name,"
    " subject, subject_key, message_id, in_reply_to, refs, list_id, list_unsubscribe,"
    " precedence, auto_submitted, flagged_parse, logged, reason, rule, contacts,"
    " attributed_to, attribution"
)


_SPARE_CORE = fetch_split.spare_core  # the machine's own answer, before the fixture below


@pytest.fixture(autouse=True)
def a_core_to_spare(monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper runs whatever cores the machine running the tests has."""
    monkeypatch.setattr(fetch_split, "spare_core", lambda busy=1: True)


@pytest.fixture(scope="module")
def user(dovecot: Dovecot) -> MailUser:
    user = dovecot.new_user()
    dovecot.write_maildir(user, "INBOX", ((g.raw, g.date) for g in messages(COUNT, seed=26)))
    return user


@pytest.fixture(scope="module")
def alone(user: MailUser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The same mailbox synced by one process (no helper): what a split must equal."""
    conn = db.connect(tmp_path_factory.mktemp("alone") / "cache.sqlite")
    summary = _sync(conn, user, split=COUNT + 1)
    assert summary.new == COUNT
    yield conn
    conn.close()


def _sync(
    conn: sqlite3.Connection, user: MailUser, *, split: int = SPLIT, **options: object
) -> sync.SyncSummary:
    account = _account(conn, user)
    return sync.sync_account(conn, account, opener(user), batch=BATCH, split=split, **options)  # type: ignore[arg-type]


def _account(conn: sqlite3.Connection, user: MailUser) -> Account:
    from core.store.accounts import get_account

    return get_account(conn, "work") or imap_account(conn, user)


def _rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT {_COLUMNS} FROM messages ORDER BY uid").fetchall()


def _links(conn: sqlite3.Connection) -> set[tuple[object, ...]]:
    query = "SELECT l.ref, m.uid FROM links l JOIN messages m ON m.id = l.message"
    return set(conn.execute(query).fetchall())


def _undecided(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM messages WHERE decided_at IS NULL").fetchone()[0])


def _helpers_alive() -> list[int]:
    return children(b"fetch_child")


def test_a_shared_fill_is_the_fill_of_one_process(
    user: MailUser, alone: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = HelperSpy(monkeypatch)
    seen: list[SyncProgress] = []
    conn = db.connect(tmp_path / "cache.sqlite")
    summary = _sync(conn, user, progress=seen.append)
    (helper,) = spy.helpers
    assert helper is not None and helper.ended and helper.error is None
    assert len(helper.messages) == SHARE  # its rows came back as engine messages
    assert (summary.new, summary.decided, summary.errors) == (COUNT, COUNT, ())
    assert cache_state(conn, ("INBOX",)) == server_state(user, ("INBOX",))
    assert _rows(conn) == _rows(alone)  # the same columns, verdicts and attributions
    assert _links(conn) == _links(alone)
    fetching = [(p.done, p.total) for p in seen if p.phase is Phase.FETCHING]
    assert fetching[-1] == (COUNT, COUNT)
    assert [done for done, _ in fetching] == sorted(done for done, _ in fetching)
    assert not _helpers_alive()
    conn.close()


_DIES_AFTER_SENDING = """
import os
from core.mail import fetch_child
real = fetch_child.send
def send(out, kind, value):
    real(out, kind, value)
    if kind == "rows":
        os._exit(9)
fetch_child.send = send
fetch_child.main()
"""
_DIES_BEFORE_SENDING = _DIES_AFTER_SENDING.replace("    real(out, kind, value)\n", "")


@pytest.mark.parametrize(
    ("script", "handed"), [(_DIES_AFTER_SENDING, BATCH), (_DIES_BEFORE_SENDING, 0)]
)
def test_a_helper_that_dies_midway_leaves_its_share_to_the_sync(
    user: MailUser,
    alone: sqlite3.Connection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    script: str,
    handed: int,
) -> None:
    """It cached a batch (and sent it, or died before): the sync fetches the rest of its
    share; a row it cached but never handed over is read back and decided all the same."""
    spy = HelperSpy(monkeypatch)
    monkeypatch.setattr(fetch_split, "command", lambda: [sys.executable, "-c", script])
    conn = db.connect(tmp_path / "cache.sqlite")
    summary = _sync(conn, user)
    (helper,) = spy.helpers
    assert helper is not None and not helper.ended and len(helper.messages) == handed
    assert summary.new == COUNT - (BATCH - handed)  # rows this sync added or was handed
    assert summary.decided == COUNT and _undecided(conn) == 0
    assert _rows(conn) == _rows(alone)
    assert _links(conn) == _links(alone)
    assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    conn.close()


def test_a_helper_that_cannot_start_changes_nothing(
    user: MailUser, alone: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = HelperSpy(monkeypatch)
    monkeypatch.setattr(fetch_split, "command", lambda: [str(tmp_path / "no-such-python")])
    conn = db.connect(tmp_path / "cache.sqlite")
    summary = _sync(conn, user)
    assert spy.helpers == [None]
    assert (summary.new, summary.decided) == (COUNT, COUNT)
    assert _rows(conn) == _rows(alone)
    conn.close()


class OneConnection(Dovecot):
    """A server that lets a user in once at a time (``mail_max_userip_connections``)."""

    def extra_config(self) -> str:
        return "protocol imap {\n  mail_max_userip_connections = 1\n}\n"


def test_a_server_that_refuses_a_second_connection_gets_one(
    alone: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many hosted servers cap a user's connections: the helper is refused, the sync does its
    share, and the result is the same."""
    server = OneConnection(tmp_path / "dovecot")
    server.start()
    try:
        capped = server.new_user()
        server.write_maildir(capped, "INBOX", ((g.raw, g.date) for g in messages(COUNT, seed=26)))
        spy = HelperSpy(monkeypatch)
        conn = db.connect(tmp_path / "cache.sqlite")
        summary = _sync(conn, capped)
        (helper,) = spy.helpers
        assert helper is not None and not helper.ended and not helper.messages
        assert helper.error is not None and "connections" in helper.error.lower()
        assert (summary.new, summary.decided, summary.errors) == (COUNT, COUNT, ())
        assert _rows(conn) == _rows(alone)
        conn.close()
    finally:
        server.stop()


def test_a_cancel_kills_the_helper_and_the_next_sync_completes(
    user: MailUser, alone: sqlite3.Connection, tmp_path: Path
) -> None:
    cancel = threading.Event()

    def cancel_once_rows_land(p: SyncProgress) -> None:
        if p.phase is Phase.FETCHING and p.done >= BATCH:
            cancel.set()

    conn = db.connect(tmp_path / "cache.sqlite")
    with pytest.raises(Cancelled):
        _sync(conn, user, progress=cancel_once_rows_land, cancel=cancel)
    assert not _helpers_alive()
    assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    kept = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    assert 0 < kept < COUNT
    summary = _sync(conn, user)
    assert summary.new == COUNT - kept and _undecided(conn) == 0
    assert _rows(conn) == _rows(alone)
    conn.close()


def test_the_secret_reaches_the_helper_only_through_its_input(
    user: MailUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[object, dict[str, str]]] = []
    real = subprocess.Popen

    def popen(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        started.append((args, dict(kwargs["env"])))  # type: ignore[call-overload]
        return real(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(fetch_split.subprocess, "Popen", popen)
    conn = db.connect(tmp_path / "cache.sqlite")
    assert _sync(conn, user).new == COUNT
    ((args, env),) = started
    assert user.password not in repr(args) and user.password not in repr(env)
    conn.close()


def test_local_folders_need_no_helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.mailgen import write_maildir

    spy = HelperSpy(monkeypatch)
    root = tmp_path / "md"
    write_maildir(root, messages(300, seed=3))
    conn = db.connect(tmp_path / "cache.sqlite")
    account = add_account(conn, "local", AccountKind.MAILDIR, path=str(root))
    summary = sync.sync_account(conn, account, _local_opener(conn, account), split=100)
    assert spy.helpers == [None] and summary.new == 300
    conn.close()


def _local_opener(conn: sqlite3.Connection, account: Account) -> sync.SourceOpener:
    from core.mail.local import LocalSource
    from core.store.localkeys import LocalKeys

    assert account.path is not None
    return lambda: LocalSource(account.path or "", "maildir", LocalKeys(conn, account.id))


def test_a_helper_needs_a_core_of_its_own(
    user: MailUser, alone: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One core per process already at work: a command (1), the window and its sync (2)."""
    cores = len(os.sched_getaffinity(0))
    assert _SPARE_CORE(busy=cores - 1) and not _SPARE_CORE(busy=cores)
    monkeypatch.setattr(fetch_split, "spare_core", lambda busy=1: False)
    spy = HelperSpy(monkeypatch)
    conn = db.connect(tmp_path / "cache.sqlite")
    assert _sync(conn, user).new == COUNT
    assert spy.helpers == [None] and _rows(conn) == _rows(alone)
    conn.close()


def test_runs_of_uids_round_trip() -> None:
    uids = [1, 2, 3, 7, 9, 10, 4000, 4001]
    assert fetch_split.runs(uids) == [(1, 3), (7, 7), (9, 10), (4000, 4001)]
    assert fetch_split.expand(fetch_split.runs(uids)) == uids
    assert fetch_split.runs(range(5, 20_005)) == [(5, 20_004)]
    assert fetch_split.runs([]) == []


def test_the_helper_without_a_start_line_ends_at_once() -> None:
    """The bundle runs it as ``mailscope fetch-worker`` (``desktop.main``), Python as a module."""
    for command in (
        [sys.executable, "-m", "core.mail.fetch_child"],
        [sys.executable, "-c", "from desktop.main import main; main(['fetch-worker'])"],
    ):
        done = subprocess.run(command, input=b"", capture_output=True, timeout=60, check=False)
        assert done.returncode == 2 and done.stdout == b""


def test_an_oauth_account_shares_its_access_token_with_the_helper(
    oauth: OAuthServer, oauth_dovecot: OAuthDovecot, rep: MailUser, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Microsoft 365, Google: the helper signs in with the token the sync signed in with."""
    from core.mail.imap import ImapSource
    from core.mail.imap_conn import ImapSettings
    from core.mail.source import Security
    from tests.mail.test_oauth_imap import Fixed

    oauth_dovecot.write_maildir(rep, "INBOX", ((g.raw, g.date) for g in messages(1000, seed=7)))
    token = Fixed(oauth.token(email=rep.user))
    settings = ImapSettings("127.0.0.1", rep.user, rep.port, Security.NONE, timeout=10)
    spy = HelperSpy(monkeypatch)
    conn = db.connect(tmp_path / "cache.sqlite")
    account = imap_account(conn, rep)
    summary = sync.sync_account(
        conn, account, lambda: ImapSource(settings, token), batch=BATCH, split=400
    )
    (helper,) = spy.helpers
    assert (
        helper is not None
        and helper.ended
        and len(helper.messages) == int(1000 * fetch_split.SHARE)
    )
    assert (summary.new, summary.decided) == (1000, 1000)
    assert oauth_dovecot.log().count(f"user=<{rep.user}>, method=XOAUTH2") == 2
    conn.close()


def test_the_helper_output_pipe_is_widened_where_the_system_allows() -> None:
    """Each batch's frame (~3 MB at 5,000 messages) passes in few reads, not ~45 of 64 KiB."""
    read, write = os.pipe()
    with os.fdopen(read, "rb") as pipe, os.fdopen(write, "wb"):
        fetch_split.widen(pipe)
        if sys.platform == "linux":
            import fcntl

            limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
            allowed = os.geteuid() == 0 or limit >= fetch_split.PIPE_BYTES
            size = fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ)
            assert size == (fetch_split.PIPE_BYTES if allowed else 65536)
