"""SIGKILL at random moments of a sync, then resume: the cache equals the server exactly."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from core.mail import sync
from core.store import bulk, db
from core.store.accounts import get_account
from core.store.directory import import_directory, parse_directory
from tests.helpers.dovecot import Admin, Dovecot, MailUser, imap_settings
from tests.mail.sync_helpers import cache_state, imap_account, opener, raw, server_state

ROOT = Path(__file__).parents[2]
FOLDERS = ("INBOX", "Sent", "Archive")
KILLS = 12
# The child syncs in small batches and prints a line per progress report; the parent kills it
# after a random number of lines plus a random few milliseconds (inside a write or not).
CHILD = """
import json, sys
from core.mail import sync
from core.mail.imap import ImapSource
from core.mail.imap_conn import ImapSettings
from core.mail.source import Security
from core.store import bulk, db, verdicts
from core.store.accounts import get_account
cfg = json.loads(sys.argv[1])
bulk.MIN_ROWS = cfg["bulk_min"]  # kills inside a bulk load too (its indexes dropped)
verdicts.BACKGROUND_ROWS = cfg["background_rows"]  # and inside the settle's second writer
conn = db.connect(cfg["db"])
account = get_account(conn, "work")
settings = ImapSettings(cfg["host"], cfg["user"], cfg["port"], Security.SSL, cfg["ca"])
def progress(p):
    print(p.phase, p.folder, p.done, flush=True)
sync.sync_account(conn, account, lambda: ImapSource(settings, cfg["password"]),
                  progress=progress, batch=7)
print("finished", flush=True)
"""


def _child(cfg: dict[str, object]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(cfg)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )


def _run_and_kill(cfg: dict[str, object], rng: random.Random) -> bool:
    """Run a sync and kill it at a random point; True when it finished before the kill."""
    child = _child(cfg)
    assert child.stdout is not None
    wanted = rng.randrange(1, 16)
    for n, line in enumerate(child.stdout, start=1):
        if line.startswith("finished"):
            child.wait(timeout=60)
            return True
        if n >= wanted:
            break
    deadline = time.monotonic() + rng.random() * 0.02
    while time.monotonic() < deadline:  # a few more milliseconds of work, at random
        pass
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    return child.returncode == 0


def _mutate(user: MailUser, rng: random.Random, n: int) -> None:
    """Change the server between runs, as other mail clients would."""
    with Admin(user) as admin:
        for k in range(8):
            parent = f"<m{rng.randrange(1, 60)}@initech.example>"
            admin.append("INBOX", raw(1000 + 10 * n + k, reply_to=parent))
        uids = admin.uids("INBOX")
        admin.set_flags("INBOX", rng.sample(uids, 3), [rng.choice(["\\Seen", "\\Flagged"])])
        if n % 3 == 0:
            admin.expunge("INBOX", [rng.choice(uids)])


def test_sigkill_at_random_points_then_resume_equals_server(
    tmp_path: Path, dovecot: Dovecot, mail_user: MailUser
) -> None:
    rng = random.Random(20261127)
    with Admin(mail_user) as admin:
        for n in range(1, 121):
            admin.append("INBOX", raw(n, reply_to=f"<m{n - 1}@initech.example>" if n % 4 else None))
        for n in range(200, 230):
            admin.append("Sent", raw(n, sender="mia@globex.example", to="lea@initech.example"))
        for n in range(300, 320):
            admin.append("Archive", raw(n), flags=("\\Seen",))
    path = tmp_path / "cache.sqlite"
    conn = db.connect(path)
    account = imap_account(conn, mail_user)
    doc = {
        "account": {"logging_rule": "replies_only"},
        "users": [{"id": "u-mia", "email": "mia@globex.example"}],
        "contacts": [{"id": "c-lea", "email": "lea@initech.example"}],
        "mailbox_owner": "u-mia",
        "logged": [{"message_id": "<m1@initech.example>", "subject": "Quote 1"}],
    }
    import_directory(conn, account.id, parse_directory(doc))
    conn.close()
    settings = imap_settings(mail_user)
    cfg = {
        "db": str(path),
        "host": settings.host,
        "port": settings.port,
        "user": mail_user.user,
        "password": mail_user.password,
        "ca": str(mail_user.ca_file),
        "bulk_min": 1,
        "background_rows": 1,
    }
    killed = 0
    for n in range(KILLS * 4):
        if not _run_and_kill(cfg, rng):
            killed += 1
        if killed >= KILLS:
            break
        if n % 2:
            _mutate(mail_user, rng, n)
    assert killed >= KILLS
    final = _child(cfg)
    assert final.wait(timeout=120) == 0

    conn = db.connect(path)
    assert bulk.missing(conn) == []  # a load killed with its indexes dropped got them back
    assert cache_state(conn, FOLDERS) == server_state(mail_user, FOLDERS)
    duplicates = conn.execute(
        "SELECT count(*) - count(DISTINCT folder_id || '/' || uid) FROM messages"
    ).fetchone()[0]
    assert duplicates == 0
    assert conn.execute("SELECT count(*) FROM messages WHERE decided_at IS NULL").fetchone() == (0,)
    _assert_verdicts_equal_a_fresh_sync(conn, tmp_path, mail_user)
    account = get_account(conn, "work")
    assert account is not None
    before = conn.total_changes
    summary = sync.sync_account(conn, account, opener(mail_user))
    assert (summary.new, summary.changed, summary.removed) == (0, 0, 0)
    assert conn.total_changes == before  # a second sync writes nothing


def _assert_verdicts_equal_a_fresh_sync(
    conn: sqlite3.Connection, tmp_path: Path, user: MailUser
) -> None:
    """The verdicts of the killed-and-resumed cache equal those of one clean sync."""
    fresh = db.connect(tmp_path / "fresh.sqlite")
    account = imap_account(fresh, user)
    rows = conn.execute("SELECT * FROM directory_users").fetchall()
    assert rows
    doc = {
        "account": {"logging_rule": "replies_only"},
        "users": [{"id": "u-mia", "email": "mia@globex.example"}],
        "contacts": [{"id": "c-lea", "email": "lea@initech.example"}],
        "mailbox_owner": "u-mia",
        "logged": [{"message_id": "<m1@initech.example>", "subject": "Quote 1"}],
    }
    import_directory(fresh, account.id, parse_directory(doc))
    sync.sync_account(fresh, account, opener(user))
    query = (
        "SELECT f.name, m.uid, m.logged, m.reason, m.contacts, m.attributed_to FROM messages m"
        " JOIN folders f ON f.id = m.folder_id ORDER BY f.name, m.uid"
    )
    assert conn.execute(query).fetchall() == fresh.execute(query).fetchall()
