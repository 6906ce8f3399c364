"""Maildir and mbox sources: same rows and verdicts, stable UIDs, incremental re-reads."""

from __future__ import annotations

import json
import mailbox
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from core.mail import accounts, sync
from core.mail.local import LocalSource, header_block
from core.rules.model import Folder
from core.store import db
from core.store.accounts import Account, AccountKind
from core.store.directory import import_directory, parse_directory
from core.store.localkeys import LocalKeys
from tests.helpers.maildir import DemoMaildir

DEMO = Path(__file__).parents[2] / "resources" / "demo"
ROLES = {"INBOX": "Inbox", "Sent": "Sent", "Drafts": "Drafts", "Archive": "Archive"}


def _sync(conn: sqlite3.Connection, account: Account) -> sync.SyncSummary:
    return sync.sync_account(conn, account, lambda: accounts.open_source(conn, account, None))  # type: ignore[arg-type]


def _demo_as_mbox(target: Path) -> None:
    """Copy the demo Maildir++ tree into one mbox file per folder (Thunderbird's layout)."""
    target.mkdir()
    root = DemoMaildir(DEMO / "Maildir", factory=None, create=False)
    folders = {"INBOX": root} | {name: root.get_folder(name) for name in root.list_folders()}
    for name, folder in folders.items():
        box = mailbox.mbox(target / ROLES[name])
        for key in sorted(k for k in folder.iterkeys() if not k.startswith(".")):
            box.add(mailbox.mboxMessage(folder.get_message(key)))
        box.close()


def _rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return sorted(
        conn.execute(
            # mbox has no Draft flag: compare the others
            "SELECT f.role, m.message_id, m.subject, m.from_email, m.date,"
            " trim(replace(m.flags, '\\Draft', '')), m.logged,"
            " m.reason, m.rule, m.contacts, m.attributed_to, m.attribution, m.flagged_parse"
            " FROM messages m JOIN folders f ON f.id = m.folder_id"
        ).fetchall(),
        key=repr,
    )


def _account(conn: sqlite3.Connection, kind: AccountKind, path: Path) -> Account:
    account = accounts.add_local(conn, kind.value, kind, str(path))
    doc = json.loads((DEMO / "directory.json").read_text())
    import_directory(conn, account.id, parse_directory(doc))
    return account


def test_maildir_and_mbox_give_the_same_rows_and_verdicts(tmp_path: Path) -> None:
    _demo_as_mbox(tmp_path / "mbox")
    a = db.connect(tmp_path / "a.sqlite")
    b = db.connect(tmp_path / "b.sqlite")
    first = _sync(a, _account(a, AccountKind.MAILDIR, DEMO / "Maildir"))
    second = _sync(b, _account(b, AccountKind.MBOX, tmp_path / "mbox"))
    assert first.new == second.new > 250
    assert first.folders == second.folders == 4
    rows = _rows(a)
    assert rows == _rows(b)
    reasons = {r[7] for r in rows}
    assert {"log_all_contact", "not_a_contact", "thread_reply", "unparseable"} <= reasons


def _write(folder: Path, name: str, headers: str) -> Path:
    path = folder / "cur" / name
    path.write_bytes(headers.replace("\n", "\r\n").encode() + b"\r\nbody\r\n")
    return path


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    root = tmp_path / "Maildir"
    for sub in ("", ".Sent", ".Junk", ".Work.Projects"):
        for part in ("cur", "new", "tmp"):
            (root / sub / part).mkdir(parents=True)
    _write(root, "100.a.host:2,S", "From: lea@x.example\nMessage-ID: <1@x>\nSubject: One\n")
    _write(root, "200.b.host:2,", "From: sam@x.example\nMessage-ID: <2@x>\nSubject: Two\n")
    _write(root / ".Sent", "150.c.host:2,S", "From: me@globex.example\nMessage-ID: <3@g>\n")
    (root / "cur" / ".gitkeep").write_bytes(b"")
    return root


def test_maildir_folders_roles_and_skips(maildir: Path, tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "m", AccountKind.MAILDIR, str(maildir))
    source = LocalSource(maildir, "maildir", LocalKeys(conn, account.id))
    found = {f.name: (f.display, f.role, f.skipped) for f in source.folders()}
    assert found == {
        "INBOX": ("INBOX", Folder.INBOX, False),
        "Sent": ("Sent", Folder.SENT, False),
        "Junk": ("Junk", Folder.OTHER, True),
        "Work/Projects": ("Work/Projects", Folder.OTHER, False),
    }


def test_maildir_incremental_new_flag_change_delete(maildir: Path, tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "m", AccountKind.MAILDIR, str(maildir))
    assert (_sync(conn, account).new, _sync(conn, account).new) == (3, 0)
    uids = dict(conn.execute("SELECT message_id, uid FROM messages"))
    _write(maildir, "300.d.host:2,", "From: new@x.example\nMessage-ID: <4@x>\n")
    (maildir / "cur" / "200.b.host:2,").rename(maildir / "cur" / "200.b.host:2,FS")
    (maildir / "cur" / "100.a.host:2,S").unlink()
    summary = _sync(conn, account)
    assert (summary.new, summary.changed, summary.removed) == (1, 1, 1)
    after = dict(conn.execute("SELECT message_id, uid FROM messages"))
    assert after["<2@x>"] == uids["<2@x>"] and after["<4@x>"] > max(uids.values())
    flags = conn.execute("SELECT flags FROM messages WHERE message_id = '<2@x>'").fetchone()
    assert flags == ("\\Flagged \\Seen",)
    before = conn.total_changes
    assert _sync(conn, account).new == 0
    assert conn.total_changes == before  # a sync with nothing new writes nothing


def test_a_returning_key_keeps_its_uid_and_uids_are_never_reused(
    maildir: Path, tmp_path: Path
) -> None:
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "m", AccountKind.MAILDIR, str(maildir))
    _sync(conn, account)
    moved = tmp_path / "aside"
    shutil.move(maildir / "cur" / "200.b.host:2,", moved)
    _sync(conn, account)
    _write(maildir, "250.e.host:2,", "From: x@x.example\nMessage-ID: <5@x>\n")
    shutil.move(moved, maildir / "cur" / "200.b.host:2,")
    _sync(conn, account)
    uids = dict(conn.execute("SELECT message_id, uid FROM messages WHERE folder_id = 1"))
    assert uids == {"<1@x>": 1, "<2@x>": 2, "<5@x>": 3}


def test_mbox_incremental_by_content_key(tmp_path: Path) -> None:
    path = tmp_path / "export.mbox"
    box = mailbox.mbox(path)
    for n in range(3):
        msg = mailbox.mboxMessage(f"From: a{n}@x.example\nMessage-ID: <{n}@x>\n\nbody\n")
        box.add(msg)
    box.close()
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "box", AccountKind.MBOX, str(path))
    assert _sync(conn, account).new == 3
    role = conn.execute("SELECT role FROM folders").fetchone()
    assert role == ("inbox",)
    box = mailbox.mbox(path)
    key = sorted(box.keys())[1]
    msg = box[key]
    msg.set_flags("RF")
    box[key] = msg
    box.remove(sorted(box.keys())[0])
    box.add(mailbox.mboxMessage("From: new@x.example\nMessage-ID: <9@x>\n\nhi\n"))
    box.flush()
    box.close()
    summary = _sync(conn, account)
    assert (summary.new, summary.changed, summary.removed) == (1, 1, 1)
    rows = dict(conn.execute("SELECT message_id, flags FROM messages"))
    assert rows == {"<1@x>": "\\Flagged \\Seen", "<2@x>": "", "<9@x>": ""}


def _age(path: Path, seconds: float = 60) -> None:
    when = time.time() - seconds
    os.utime(path, (when, when))


def test_header_block_stops_at_the_first_empty_line() -> None:
    assert header_block(b"A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore") == b"A: 1\r\nB: 2\r\n\r\n"
    assert header_block(b"A: 1\nB: 2\n\nbody") == b"A: 1\nB: 2\n\n"
    assert header_block(b"A: 1") == b"A: 1"


def test_an_unchanged_mbox_is_not_read_again_even_by_a_new_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Inbox"
    box = mailbox.mbox(path)
    box.add(mailbox.mboxMessage("From: a@x.example\nMessage-ID: <1@x>\n\nbody\n"))
    box.close()
    _age(path)  # a stamp taken within seconds of a change is not trusted (same clock tick)
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "box", AccountKind.MBOX, str(path))
    assert _sync(conn, account).new == 1
    from core.mail import mbox_scan

    def refuse(_: Path, legacy: bool = False) -> list[object]:
        raise AssertionError("the mbox file was parsed again")

    real_scan, real_opened = mbox_scan.scan, mbox_scan.opened
    monkeypatch.setattr(mbox_scan, "scan", refuse)
    monkeypatch.setattr(mbox_scan, "opened", refuse)
    before = conn.total_changes
    assert _sync(conn, account).new == 0  # a new source object: only the stamp is read
    assert conn.total_changes == before
    monkeypatch.setattr(mbox_scan, "scan", real_scan)
    monkeypatch.setattr(mbox_scan, "opened", real_opened)
    box = mailbox.mbox(path)
    box.add(mailbox.mboxMessage("From: b@x.example\nMessage-ID: <2@x>\n\nbody\n"))
    box.close()
    assert _sync(conn, account).new == 1
