"""Fixtures of the preview tests: the demo workspace synced into a cache in a temp folder."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

import resources.demo as demo
from core.mail import accounts
from core.mail.local import LocalSource
from core.mail.sync import sync_account
from core.store import db
from core.store.accounts import Account, AccountKind
from core.store.directory import import_directory, parse_directory
from core.store.localkeys import LocalKeys


class Workspace(NamedTuple):
    path: Path  # the cache file
    maildir: Path  # a writable copy of the demo Maildir
    conn: sqlite3.Connection
    account: Account


def open_workspace(where: Path, name: str = "cache.sqlite") -> Workspace:
    """The demo mailbox copied to ``where``, added as an account, its directory imported, synced."""
    maildir = where / "Maildir"
    shutil.copytree(demo.MAILDIR, maildir)
    path = where / name
    conn = db.connect(path)
    account = accounts.add_local(conn, "demo", AccountKind.MAILDIR, str(maildir))
    doc = json.loads(Path(demo.DIRECTORY).read_text(encoding="utf-8"))
    import_directory(conn, account.id, parse_directory(doc))
    sync(conn, account)
    return Workspace(path, maildir, conn, account)


def sync(conn: sqlite3.Connection, account: Account) -> None:
    assert account.path is not None
    sync_account(
        conn, account, lambda: LocalSource(account.path, "maildir", LocalKeys(conn, account.id))
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path)
    yield ws
    ws.conn.close()
