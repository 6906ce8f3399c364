"""Workspaces: the cache file the app opens, and the demo workspace bootstrapped from its files.

The demo's mailbox and directory are read-only package data that the caller hands in (the app
passes ``resources.demo``: core never imports the resources); its cache is
``$MAILSCOPE_HOME/demo.sqlite``, created, filled and decided on first open.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Final, Protocol

from core.mail import accounts
from core.mail.sync import SyncSummary, sync_account
from core.store import db
from core.store.accounts import Account, AccountKind, get_account, move_account
from core.store.directory import has_directory, import_directory, parse_directory

DEMO_FILE: Final = "demo.sqlite"
DEMO_ACCOUNT: Final = "demo"


def demo_path() -> Path:
    """The demo workspace's cache (under ``MAILSCOPE_HOME``)."""
    return db.home() / DEMO_FILE


class DemoFiles(Protocol):
    """The demo's shipped files (``resources.demo``, a module, fits)."""

    @property
    def MAILDIR(self) -> Path: ...
    @property
    def DIRECTORY(self) -> Path: ...


def ensure_demo_account(conn: sqlite3.Connection, demo: DemoFiles) -> Account:
    """The demo account with its directory imported (added on first use); no sync yet."""
    account = get_account(conn, DEMO_ACCOUNT)
    if account is None:
        account = accounts.add_local(conn, DEMO_ACCOUNT, AccountKind.MAILDIR, str(demo.MAILDIR))
    elif _elsewhere(account, demo.MAILDIR):
        # An upgrade or a moved bundle ships the demo somewhere else (another site-packages, a
        # new _internal folder): the cache follows it. The demo's file names give the same
        # keys, so every cached message keeps its UID and its row.
        account = move_account(conn, account, str(demo.MAILDIR))
    if not has_directory(conn, account.id):
        doc = json.loads(Path(demo.DIRECTORY).read_text(encoding="utf-8"))
        import_directory(conn, account.id, parse_directory(doc))
    return account


def _elsewhere(account: Account, shipped: Path) -> bool:
    """Whether the demo account reads another copy of the demo than the one installed (not
    the writable copy that "Add the BCC address" made under ``MAILSCOPE_HOME``)."""
    if account.path is None:
        return False
    path = Path(account.path)
    return path.resolve() != shipped.resolve() and not path.is_relative_to(db.home())


def open_demo(demo: DemoFiles, path: Path | None = None) -> tuple[sqlite3.Connection, Account]:
    """Open (creating on first use) the demo workspace's cache and its account."""
    conn = db.connect(path if path is not None else demo_path())
    return conn, ensure_demo_account(conn, demo)


def sync_demo(conn: sqlite3.Connection, account: Account) -> SyncSummary:
    """Sync the demo mailbox into its cache (the first time: every message, then nothing)."""
    return sync_account(conn, account, lambda: accounts.open_source(conn, account, _NoSecrets()))


class _NoSecrets:
    """A local account needs no password: the demo never touches the keyring."""

    def get(self, key: str) -> str | None:
        return None

    def set(self, key: str, secret: str) -> None:
        raise RuntimeError("the demo workspace keeps no secrets")

    def delete(self, key: str) -> None:
        return None
